import type { DateTime } from 'luxon';
import type { Logger } from 'pino';
import type { OfficeConfig } from '../../config/office.ts';
import type { Db } from '../../db/client.ts';
import { slugifyName } from '../../domain/people.ts';
import type { DailySchedule } from '../../domain/schedule.ts';
import type { Effect, Recipient } from './message.ts';

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
  /** an earlier try of this run failed (a database that did not answer), so being late is not a process that was down */
  retried?: boolean;
}

/** Why a late run is late, for the message that owns up to it: `when` is the time it was meant for. */
export function explainLateRun(due: Pick<DueRun, 'retried'>, when: string): string {
  return due.retried ? `the first try ${when} did not go through` : `frontdesk was not running ${when}`;
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

/** Where a staff member can be reached directly, on each platform they are known on. */
export function listRecipients(member: OfficeConfig['staff'][number]): Recipient[] {
  const recipients: Recipient[] = [{ platform: 'sandbox', userId: slugifyName(member.name) }];
  if (member.slack) recipients.push({ platform: 'slack', userId: member.slack });
  if (member.teams) recipients.push({ platform: 'teams', userId: member.teams });
  return recipients;
}
