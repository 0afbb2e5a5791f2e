import { and, eq } from 'drizzle-orm';
import type { Db } from '../client.ts';
import { jobRuns } from '../schema/index.ts';

/**
 * Claims one run of a scheduled job inside the caller's transaction. Exactly one process gets `true`
 * for a given (job, run key): a concurrent claimer waits on the unique index and then finds it taken.
 */
export async function claimJobRun(
  db: Db,
  run: { officeId: string; job: string; runKey: string },
): Promise<boolean> {
  const claimed = await db
    .insert(jobRuns)
    .values({ ...run, status: 'done', finishedAt: new Date() })
    .onConflictDoNothing()
    .returning({ job: jobRuns.job });
  return claimed.length > 0;
}

/** Whether a run of a scheduled job was claimed: run, by this process or another. */
export async function hasJobRun(
  db: Db,
  run: { officeId: string; job: string; runKey: string },
): Promise<boolean> {
  const [found] = await db
    .select({ job: jobRuns.job })
    .from(jobRuns)
    .where(and(eq(jobRuns.officeId, run.officeId), eq(jobRuns.job, run.job), eq(jobRuns.runKey, run.runKey)));
  return found !== undefined;
}
