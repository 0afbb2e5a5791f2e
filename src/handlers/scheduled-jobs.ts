import type { DateTime } from 'luxon';
import type { Logger } from 'pino';
import type { OfficeConfig } from '../config/office.ts';
import type { Db } from '../db/client.ts';
import { listManagers, slugifyName } from '../domain/people.ts';
import { selectOverdueDecisions } from '../domain/reminders.ts';
import { buildReminderSchedule, type DailySchedule } from '../domain/schedule.ts';
import { complaintRemindersJob } from './complaints/reminders.ts';
import { loadHuddleDigest, loadWaitingDecisions, renderHuddleDigest } from './huddle/index.ts';
import type { Effect, Recipient } from './kernel/message.ts';
import { repRemindersJob } from './rep-meetings/reminders.ts';

export interface JobContext {
  db: Db;
  office: OfficeConfig;
  now: DateTime;
  logger: Logger;
}

export interface DueRun {
  runKey: string;
  scheduledAt: DateTime;
  late: boolean;
}

/** A daily job: when it runs, and the messages one run sends (queued in the run's transaction). */
export interface DailyJob {
  name: string;
  schedule(office: OfficeConfig): DailySchedule;
  catchUpMinutes(office: OfficeConfig): number;
  run(ctx: JobContext, due: DueRun): Promise<Effect[]>;
}

/**
 * A job whose runs come from stored data instead of a daily time, such as one reminder per booked rep
 * visit: every minute it lists the runs due now, and each run key is claimed and run exactly once.
 */
export interface DataDrivenJob {
  name: string;
  listDueRuns(ctx: JobContext): Promise<DueRun[]>;
  run(ctx: JobContext, due: DueRun): Promise<Effect[]>;
}

/** A job the scheduler runs exactly once per due run across replicas. */
export type ScheduledJob = DailyJob | DataDrivenJob;

const REMINDER_LIST_LIMIT = 15;

/** Where a staff member can be reached directly, on each platform they are known on. */
export function listRecipients(member: OfficeConfig['staff'][number]): Recipient[] {
  const recipients: Recipient[] = [{ platform: 'sandbox', userId: slugifyName(member.name) }];
  if (member.slack) recipients.push({ platform: 'slack', userId: member.slack });
  if (member.teams) recipients.push({ platform: 'teams', userId: member.teams });
  return recipients;
}

/** The morning huddle digest in the huddle channel, at `digest.time` on `digest.days`, never on holidays. */
export const huddleDigestJob: ScheduledJob = {
  name: 'huddle-digest',
  schedule: (office) => ({
    time: office.digest.time,
    days: office.digest.days,
    holidays: office.timeoff.holidays,
    zone: office.office.timezone,
  }),
  catchUpMinutes: (office) => office.digest.catchUpMinutes,
  async run(ctx, due) {
    const digest = await loadHuddleDigest(ctx.db, ctx.office, due.runKey, ctx.now);
    const message = renderHuddleDigest(digest, due.late ? { postedAt: ctx.now } : undefined);
    return [{ kind: 'post', channel: 'huddle', message }];
  },
};

/**
 * Once a working day: every manager gets one message listing the decisions waiting longer than
 * `reminders.pendingHours` working hours, and each of those requesters is told it is still pending.
 */
export const pendingRemindersJob: ScheduledJob = {
  name: 'pending-reminders',
  schedule: buildReminderSchedule,
  catchUpMinutes: (office) => office.digest.catchUpMinutes,
  async run(ctx) {
    const overdue = selectOverdueDecisions(
      await loadWaitingDecisions(ctx.db, ctx.office),
      ctx.now,
      ctx.office,
    );
    if (overdue.length === 0) return [];
    const lines = overdue
      .slice(0, REMINDER_LIST_LIMIT)
      .map((decision) => `${decision.reference} · ${decision.summary}`);
    if (overdue.length > REMINDER_LIST_LIMIT) lines.push(`…and ${overdue.length - REMINDER_LIST_LIMIT} more`);
    const count = `${overdue.length} request${overdue.length === 1 ? ' is' : 's are'}`;
    const nudge = {
      text: `${count} still waiting for a decision`,
      title: `${count} still waiting for a decision`,
      lines: [...lines, 'Approve or deny them on their cards in the approvals channel.'],
    };
    const effects: Effect[] = listManagers(ctx.office).flatMap((manager) =>
      listRecipients(manager).map((to): Effect => ({ kind: 'dm', to, message: nudge })),
    );
    for (const decision of overdue) {
      effects.push({
        kind: 'dm',
        to: decision.requester,
        message: {
          text: `${decision.reference} is still waiting for a manager; they have been reminded today.`,
        },
      });
    }
    return effects;
  },
};

/** Every scheduled job, run exactly once per due run across all replicas. */
export const SCHEDULED_JOBS: readonly ScheduledJob[] = [
  huddleDigestJob,
  pendingRemindersJob,
  complaintRemindersJob,
  repRemindersJob,
];
