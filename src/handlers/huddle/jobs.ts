import { listManagers } from '../../domain/people.ts';
import { selectOverdueDecisions } from '../../domain/reminders.ts';
import { buildReminderSchedule } from '../../domain/schedule.ts';
import type { PendingDecision } from '../kernel/digest.ts';
import { listRecipients, type ScheduledJob } from '../kernel/jobs.ts';
import type { Effect } from '../kernel/message.ts';
import { type DigestSources, loadHuddleDigest, loadWaitingDecisions, renderHuddleDigest } from './digest.ts';

const REMINDER_LIST_LIMIT = 15;

/** The morning huddle digest in the huddle channel, at `digest.time` on `digest.days`, never on holidays. */
export const createHuddleDigestJob = (features: DigestSources): ScheduledJob => ({
  name: 'huddle-digest',
  schedule: (office) => ({
    time: office.digest.time,
    days: office.digest.days,
    holidays: office.timeoff.holidays,
    zone: office.office.timezone,
  }),
  catchUpMinutes: (office) => office.digest.catchUpMinutes,
  async run(ctx, due) {
    const digest = await loadHuddleDigest(features(), ctx.db, ctx.office, due.runKey, ctx.now, ctx.logger);
    const message = renderHuddleDigest(digest, due.late ? { postedAt: ctx.now, due } : undefined);
    return [{ kind: 'post', channel: 'huddle', message }];
  },
});

/** Where the managers decide the decisions listed: the approvals channel, and any other place some are decided. */
function describeWhereDecided(decisions: readonly PendingDecision[]): string[] {
  const elsewhere = [...new Set(decisions.flatMap((decision) => decision.decidedAt ?? []))];
  if (elsewhere.length === 0) return ['Approve or deny them on their cards in the approvals channel.'];
  const inApprovals = decisions.some((decision) => decision.decidedAt === undefined);
  return [
    ...(inApprovals ? ['Approve or deny the requests on their cards in the approvals channel.'] : []),
    ...elsewhere,
  ];
}

/**
 * Once a working day: every manager gets one message listing the decisions waiting longer than
 * `reminders.pendingHours` working hours, and each of those requesters is told it is still pending.
 */
export const createPendingRemindersJob = (features: DigestSources): ScheduledJob => ({
  name: 'pending-reminders',
  schedule: buildReminderSchedule,
  catchUpMinutes: (office) => office.digest.catchUpMinutes,
  async run(ctx) {
    // A feature whose decisions cannot be read is logged and left out: the others are still reminded of.
    const { decisions } = await loadWaitingDecisions(features(), ctx.db, ctx.office, ctx.logger, ctx.now);
    const overdue = selectOverdueDecisions(decisions, ctx.now, ctx.office);
    if (overdue.length === 0) return [];
    const lines = overdue
      .slice(0, REMINDER_LIST_LIMIT)
      .map((decision) => `${decision.reference} · ${decision.summary}`);
    if (overdue.length > REMINDER_LIST_LIMIT) lines.push(`…and ${overdue.length - REMINDER_LIST_LIMIT} more`);
    const count = `${overdue.length} request${overdue.length === 1 ? ' is' : 's are'}`;
    const nudge = {
      text: `${count} still waiting for a decision`,
      title: `${count} still waiting for a decision`,
      lines: [...lines, ...describeWhereDecided(overdue)],
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
});
