import { SCHEDULED_JOBS } from '../../src/handlers/index.ts';
import type { ScheduledJob } from '../../src/handlers/kernel/jobs.ts';

/** One of the registered scheduled jobs by name, as the scheduler gets it from the features. */
export function findScheduledJob(name: string): ScheduledJob {
  const job = SCHEDULED_JOBS.find((candidate) => candidate.name === name);
  if (!job) throw new Error(`no scheduled job named ${name}`);
  return job;
}
