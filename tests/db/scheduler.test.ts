import { DateTime } from 'luxon';
import { beforeEach, describe, expect, it } from 'vitest';
import { jobRuns, outbox } from '../../src/db/schema/index.ts';
import type { ScheduledJob } from '../../src/handlers/kernel/jobs.ts';
import { databaseTargets, openForSuite } from '../helpers/databases.ts';
import { createTestScheduler, findScheduledJob } from '../helpers/jobs.ts';
import { createRecordingLogger } from '../helpers/logger.ts';
import { buildOfficeConfig } from '../helpers/office.ts';

const huddleDigestJob = findScheduledJob('huddle-digest');

const office = buildOfficeConfig();
const zone = office.office.timezone;
const at = (iso: string) => DateTime.fromISO(iso, { zone });

describe.each(databaseTargets())('createScheduler on $name', (target) => {
  const database = openForSuite(target);
  beforeEach(async () => {
    await database.db.delete(outbox);
    await database.db.delete(jobRuns);
  });

  function buildScheduler(
    clock: () => DateTime,
    jobs: readonly ScheduledJob[] = [huddleDigestJob],
    logger = createRecordingLogger().logger,
  ) {
    return createTestScheduler({ db: database.db, office, logger, clock, jobs });
  }

  it('posts the digest once when three instances fire the same run together', async () => {
    const clock = () => at('2026-11-25T07:45:05'); // Wed
    const schedulers = [buildScheduler(clock), buildScheduler(clock), buildScheduler(clock)];
    const results = await Promise.all(schedulers.map((scheduler) => scheduler.tick()));
    expect(results.map((result) => result['huddle-digest']).sort()).toEqual(['ran', 'taken', 'taken']);
    const posts = await database.db.select().from(outbox);
    expect(posts).toHaveLength(1);
    expect(posts[0]).toMatchObject({ kind: 'post', target: office.channels.huddle });
    expect(posts[0]?.message.title).toBe('Huddle — Wed Nov 25');
    expect(posts[0]?.message.note).toBeUndefined();
  });

  it('does not post again on later ticks of the same day', async () => {
    let now = at('2026-11-25T07:45');
    const scheduler = buildScheduler(() => now);
    await scheduler.tick();
    now = at('2026-11-25T07:46');
    expect(await scheduler.tick()).toEqual({ 'huddle-digest': 'taken' });
    expect(await database.db.select().from(outbox)).toHaveLength(1);
  });

  it('catches up once, marked late, when it starts within the catch-up window', async () => {
    const scheduler = buildScheduler(() => at('2026-11-25T09:10')); // 85 minutes late
    expect(await scheduler.tick()).toEqual({ 'huddle-digest': 'ran' });
    const [post] = await database.db.select().from(outbox);
    expect(post?.message.note).toBe('Posted late, at 9:10 AM: frontdesk was not running at the usual time.');
  });

  it('skips a run missed by more than the catch-up window, and says so in the log once', async () => {
    let now = at('2026-11-25T10:00');
    const recording = createRecordingLogger();
    const scheduler = buildScheduler(() => now, [huddleDigestJob], recording.logger);
    expect(await scheduler.tick()).toEqual({ 'huddle-digest': 'not-due' });
    now = at('2026-11-25T10:01');
    expect(await scheduler.tick()).toEqual({ 'huddle-digest': 'not-due' });
    expect(await database.db.select().from(outbox)).toHaveLength(0);
    const missed = recording.records().filter((line) => String(line.msg).startsWith('scheduled job missed'));
    expect(missed).toEqual([
      expect.objectContaining({ level: 40, job: 'huddle-digest', runKey: '2026-11-25' }),
    ]);
  });

  it('says nothing of a run another process made, however late this one starts', async () => {
    await buildScheduler(() => at('2026-11-25T07:45')).tick();
    const recording = createRecordingLogger();
    const late = buildScheduler(() => at('2026-11-25T12:00'), [huddleDigestJob], recording.logger);
    expect(await late.tick()).toEqual({ 'huddle-digest': 'not-due' });
    expect(recording.text()).not.toContain('scheduled job missed');
  });

  it('does not post on a holiday', async () => {
    const scheduler = buildScheduler(() => at('2026-11-26T07:45')); // Thanksgiving
    expect(await scheduler.tick()).toEqual({ 'huddle-digest': 'not-due' });
  });

  it('leaves a failed run unclaimed and runs it at the next minute', async () => {
    let failures = 1;
    const flaky: ScheduledJob = {
      ...huddleDigestJob,
      async run(ctx, due) {
        if (failures-- > 0) throw new Error('database went away');
        return huddleDigestJob.run(ctx, due);
      },
    };
    let now = at('2026-11-25T07:45');
    const scheduler = buildScheduler(() => now, [flaky]);
    expect(await scheduler.tick()).toEqual({ 'huddle-digest': 'failed' });
    expect(await database.db.select().from(jobRuns)).toHaveLength(0);
    now = at('2026-11-25T07:46');
    expect(await scheduler.tick()).toEqual({ 'huddle-digest': 'ran' });
    expect(await database.db.select().from(outbox)).toHaveLength(1);
  });

  it('says a run late after failed tries was late because they failed, not because frontdesk was down', async () => {
    let failures = 5;
    const flaky: ScheduledJob = {
      ...huddleDigestJob,
      async run(ctx, due) {
        if (failures-- > 0) throw new Error('database went away');
        return huddleDigestJob.run(ctx, due);
      },
    };
    let now = at('2026-11-25T07:45');
    const scheduler = buildScheduler(() => now, [flaky]);
    for (let minute = 45; minute < 50; minute += 1) {
      now = at(`2026-11-25T07:${minute}`);
      expect(await scheduler.tick()).toEqual({ 'huddle-digest': 'failed' });
    }
    now = at('2026-11-25T07:50');
    expect(await scheduler.tick()).toEqual({ 'huddle-digest': 'ran' });
    const [post] = await database.db.select().from(outbox);
    expect(post?.message.note).toBe(
      'Posted late, at 7:50 AM: the first try at the usual time did not go through.',
    );
  });
});
