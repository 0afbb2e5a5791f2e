import type { DateTime } from 'luxon';
import type { Logger } from 'pino';
import { createScheduler } from '../../src/bot/scheduler.ts';
import type { OfficeConfig } from '../../src/config/office.ts';
import type { Db } from '../../src/db/client.ts';
import { outbox } from '../../src/db/schema/index.ts';
import { SCHEDULED_JOBS } from '../../src/handlers/index.ts';
import { queueEffects } from '../../src/handlers/kernel/dispatch.ts';
import type { ScheduledJob } from '../../src/handlers/kernel/jobs.ts';

/** One of the registered scheduled jobs by name, as the scheduler gets it from the features. */
export function findScheduledJob(name: string): ScheduledJob {
  const job = SCHEDULED_JOBS.find((candidate) => candidate.name === name);
  if (!job) throw new Error(`no scheduled job named ${name}`);
  return job;
}

/**
 * A scheduler running `jobs` at `clock`'s time against `db`, queueing what they send as the app does with
 * Slack on, each channel role routed to its configured channel id.
 */
export function createTestScheduler(params: {
  db: Db;
  office: OfficeConfig;
  logger: Logger;
  clock: () => DateTime;
  jobs: readonly ScheduledJob[];
}) {
  const { office } = params;
  return createScheduler({
    ...params,
    queueEffects: (tx, effects) =>
      queueEffects(
        {
          office,
          platforms: ['slack'],
          routeChannel: async (_db, role) => [{ platform: 'slack', target: office.channels[role] }],
        },
        tx,
        effects,
      ),
  });
}

/** The direct messages queued for `userId`, oldest first. */
export async function listDmsTo(db: Db, userId: string) {
  return (await db.select().from(outbox).orderBy(outbox.id)).filter(
    (row) => row.kind === 'dm' && row.target === userId,
  );
}
