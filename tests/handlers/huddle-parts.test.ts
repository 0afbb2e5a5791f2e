import { sql } from 'drizzle-orm';
import { DateTime } from 'luxon';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createScheduler } from '../../src/bot/scheduler.ts';
import type { Database } from '../../src/db/client.ts';
import { jobRuns, outbox } from '../../src/db/schema/index.ts';
import { DIGEST_ORDER } from '../../src/domain/digest.ts';
import { createHuddleDigestJob, createPendingRemindersJob } from '../../src/handlers/huddle/jobs.ts';
import { FEATURES } from '../../src/handlers/index.ts';
import { queueEffects } from '../../src/handlers/kernel/dispatch.ts';
import type { Feature } from '../../src/handlers/kernel/feature.ts';
import { databaseTargets } from '../helpers/databases.ts';
import { buildDispatchDeps } from '../helpers/dispatch.ts';
import { createRecordingLogger } from '../helpers/logger.ts';
import { buildOfficeConfig } from '../helpers/office.ts';

const office = buildOfficeConfig();
const zone = office.office.timezone;
const MORNING = DateTime.fromISO('2026-11-25T07:45', { zone }); // Wed, the digest's time
const SECRET = 'Quimby biopsy';

/**
 * A part that fails as a bad row or a loader's bug would: `throws` in the app, `statement` in the database,
 * which on PostgreSQL aborts the transaction it runs in unless a savepoint holds it.
 */
function brokenPart(how: 'throws' | 'statement'): Feature {
  const fail = async ({ db }: { db: Database['db'] }) => {
    if (how === 'statement') await db.execute(sql`select ${SECRET}::date`);
    throw new Error(`a part that cannot be read: ${SECRET}`);
  };
  return {
    command: 'broken',
    usage: { summary: '', lines: [] },
    run: async () => ({ effects: [] }),
    actions: {},
    forms: {},
    digest: { order: DIGEST_ORDER.supplies, load: fail },
    pending: fail,
  } as unknown as Feature;
}

describe.each(databaseTargets())('a huddle part that cannot be read, on $name', (target) => {
  let database: Database;
  beforeAll(async () => {
    database = await target.open();
  });
  afterAll(async () => {
    await database.close();
  });
  beforeEach(async () => {
    await database.db.delete(outbox);
    await database.db.delete(jobRuns);
  });

  const runJob = async (how: 'throws' | 'statement', job: typeof createHuddleDigestJob, at = MORNING) => {
    const recording = createRecordingLogger();
    const deps = buildDispatchDeps(database.db, office, recording.logger);
    const scheduler = createScheduler({
      db: database.db,
      office,
      logger: recording.logger,
      clock: () => at,
      jobs: [job(() => [...FEATURES, brokenPart(how)])],
      queueEffects: (tx, effects) => queueEffects(deps, tx, effects),
    });
    return { results: await scheduler.tick(), recording };
  };

  it.each(['throws', 'statement'] as const)(
    'posts the rest of the digest and names the part left out (%s)',
    async (how) => {
      const { results, recording } = await runJob(how, createHuddleDigestJob);
      expect(results['huddle-digest']).toBe('ran');
      const posts = await database.db.select().from(outbox);
      expect(posts).toHaveLength(1);
      const message = posts[0]?.message;
      expect(message?.title).toBe('Huddle — Wed Nov 25');
      expect(message?.sections?.map((section) => section.heading)).toContain('Holidays this week');
      expect(message?.sections?.at(-1)).toEqual({
        heading: 'Not shown',
        lines: [
          'What /broken would add could not be read just now. /huddle tries again; if it stays missing, tell whoever runs frontdesk.',
        ],
      });
      const failures = recording.records().filter((record) => record.msg === 'huddle part could not be read');
      expect(failures).toHaveLength(2);
      expect(failures[0]).toMatchObject({ part: 'broken' });
      // The error's message may quote stored text: only its kind and frames are logged.
      expect(recording.text()).not.toContain(SECRET);
    },
  );

  it('still reminds of the other features’ decisions when one feature’s cannot be read', async () => {
    const [hour, minute] = office.reminders.time.split(':').map(Number);
    const { results } = await runJob(
      'statement',
      createPendingRemindersJob,
      MORNING.set({ hour: hour ?? 0, minute: minute ?? 0 }),
    );
    expect(results['pending-reminders']).toBe('ran');
  });
});
