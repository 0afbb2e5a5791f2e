import type { DateTime } from 'luxon';
import cron, { type ScheduledTask } from 'node-cron';
import type { Logger } from 'pino';
import type { OfficeConfig } from '../config/office.ts';
import type { Db } from '../db/client.ts';
import { claimJobRun, hasJobRun } from '../db/repositories/job-runs.ts';
import { findDueRun, findMissedRun } from '../domain/schedule.ts';
import { describeErrorForLog } from '../handlers/kernel/dispatch.ts';
import type { DataDrivenJob, DueRun, ScheduledJob } from '../handlers/kernel/jobs.ts';
import type { Effect } from '../handlers/kernel/message.ts';

type RunResult = 'ran' | 'not-due' | 'taken' | 'failed';

/**
 * Runs scheduled jobs exactly once across replicas. Every minute (and once at start, to catch up on a run
 * missed while the process was down) each job's due run (a data-driven job's each due run) is claimed in
 * `job_runs` and its messages are queued in the same transaction: a failed run rolls back its claim and is
 * tried again next minute, and a replica that loses the claim does nothing.
 */
export function createScheduler(params: {
  db: Db;
  office: OfficeConfig;
  logger: Logger;
  clock: () => DateTime;
  jobs: readonly ScheduledJob[];
  queueEffects: (tx: Db, effects: readonly Effect[]) => Promise<number>;
  onQueued?: () => void;
}) {
  const { db, office, jobs, clock } = params;
  const logger = params.logger.child({ component: 'scheduler' });
  let task: ScheduledTask | undefined;
  let inFlight: Promise<unknown> = Promise.resolve();
  // Missed runs already reported by this process, by job and run key.
  const reported = new Set<string>();
  // Runs whose last try failed in this process, by job and run key: a later try is late for that reason.
  const failed = new Set<string>();

  async function runJob(job: ScheduledJob): Promise<RunResult> {
    const now = clock();
    if ('listDueRuns' in job) return runDataDrivenJob(job, now);
    const due = findDueRun(now, job.schedule(office), job.catchUpMinutes(office));
    if (!due) {
      await reportMissedRun(job, now);
      return 'not-due';
    }
    return claimAndRun(job, due, now);
  }

  /**
   * Says once, in the log, when a run was missed for good (no process ran within its catch-up window), so
   * whoever runs frontdesk learns why a morning's digest never came.
   */
  async function reportMissedRun(job: Exclude<ScheduledJob, DataDrivenJob>, now: DateTime): Promise<void> {
    const missed = findMissedRun(now, job.schedule(office), job.catchUpMinutes(office));
    if (!missed || reported.has(`${job.name}/${missed.runKey}`)) return;
    reported.add(`${job.name}/${missed.runKey}`);
    try {
      if (await hasJobRun(db, { officeId: office.office.id, job: job.name, runKey: missed.runKey })) return;
      logger.warn(
        { job: job.name, runKey: missed.runKey, scheduledAt: missed.scheduledAt.toISO() },
        'scheduled job missed: no process was running within its catch-up window; it runs at its next time',
      );
    } catch (error) {
      logger.warn({ job: job.name, err: describeErrorForLog(error) }, 'could not check for a missed run');
    }
  }

  /** Each due run of a data-driven job is claimed and run on its own, so one failure holds back no other. */
  async function runDataDrivenJob(job: DataDrivenJob, now: DateTime): Promise<RunResult> {
    let dues: DueRun[];
    try {
      dues = await job.listDueRuns({ db, office, now, logger });
    } catch (error) {
      logger.error(
        { job: job.name, err: describeErrorForLog(error) },
        'scheduled job failed; will retry next minute',
      );
      return 'failed';
    }
    const results: RunResult[] = [];
    for (const due of dues) results.push(await claimAndRun(job, due, now));
    if (results.length === 0) return 'not-due';
    if (results.includes('failed')) return 'failed';
    return results.includes('ran') ? 'ran' : 'taken';
  }

  async function claimAndRun(job: ScheduledJob, due: DueRun, now: DateTime): Promise<RunResult> {
    const key = `${job.name}/${due.runKey}`;
    try {
      const outcome = await db.transaction(async (tx) => {
        const claimed = await claimJobRun(tx, {
          officeId: office.office.id,
          job: job.name,
          runKey: due.runKey,
        });
        if (!claimed) return 'taken' as const;
        const effects = await job.run({ db: tx, office, now, logger }, { ...due, retried: failed.has(key) });
        await params.queueEffects(tx, effects);
        return 'ran' as const;
      });
      failed.delete(key);
      if (outcome === 'ran') {
        logger.info({ job: job.name, runKey: due.runKey, late: due.late }, 'scheduled job ran');
        params.onQueued?.();
      }
      return outcome;
    } catch (error) {
      failed.add(key);
      logger.error(
        { job: job.name, runKey: due.runKey, err: describeErrorForLog(error) },
        'scheduled job failed; will retry next minute',
      );
      return 'failed';
    }
  }

  /** Runs every due job once; returns what happened to each, for tests and logs. */
  async function tick(): Promise<Record<string, string>> {
    const results: Record<string, string> = {};
    for (const job of jobs) results[job.name] = await runJob(job);
    return results;
  }

  return {
    tick,
    start(): void {
      const runTick = () => {
        inFlight = tick();
        return inFlight.then(() => undefined);
      };
      task = cron.schedule('* * * * *', runTick, {
        timezone: office.office.timezone,
        noOverlap: true,
        name: 'frontdesk-scheduler',
      });
      void runTick();
    },
    /** Stops the minute timer and waits for a run in progress to finish. */
    async stop(): Promise<void> {
      await task?.destroy();
      await inFlight;
    },
  };
}
