import { DateTime } from 'luxon';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/client.ts';
import { outbox } from '../../src/db/schema/index.ts';
import { resolvePerson } from '../../src/domain/people.ts';
import { type DispatchDeps, dispatchInput, queueEffects } from '../../src/handlers/kernel/dispatch.ts';
import { databaseTargets } from '../helpers/databases.ts';
import { buildDispatchDeps } from '../helpers/dispatch.ts';
import { findScheduledJob } from '../helpers/jobs.ts';
import { createRecordingLogger } from '../helpers/logger.ts';
import { buildOfficeConfig } from '../helpers/office.ts';

const pendingRemindersJob = findScheduledJob('pending-reminders');

const office = buildOfficeConfig();
const zone = office.office.timezone;

describe.each(databaseTargets())('pendingRemindersJob on $name', (target) => {
  let database: Database;
  let deps: DispatchDeps;

  beforeAll(async () => {
    database = await target.open();
    deps = buildDispatchDeps(database.db, office, createRecordingLogger().logger);
  });
  afterAll(async () => {
    await database.close();
  });

  it('nudges every manager once and tells the requester when a decision waits over 24 working hours', async () => {
    const filedAt = DateTime.fromISO('2026-11-23T09:00', { zone }); // Mon
    await dispatchInput(
      deps,
      resolvePerson(office, 'slack', 'U0SAM'),
      { kind: 'command', command: 'timeoff', text: 'dec 1' },
      filedAt,
    );
    await dispatchInput(
      deps,
      resolvePerson(office, 'slack', 'U0ANA'),
      { kind: 'command', command: 'timeoff', text: 'dec 2' },
      DateTime.fromISO('2026-11-25T09:00', { zone }), // Wed, only an hour before the reminder
    );
    await database.db.delete(outbox);

    const now = DateTime.fromISO('2026-11-25T10:00', { zone }); // Wed
    const effects = await pendingRemindersJob.run(
      { db: database.db, office, now, logger: deps.logger },
      { runKey: '2026-11-25', scheduledAt: now, late: false },
    );
    await queueEffects(deps, database.db, effects);
    const rows = await database.db.select().from(outbox);
    const targets = rows.map((row) => row.target).sort();
    expect(targets).toEqual(['U0DANA', 'U0OMAR', 'U0SAM']);
    const nudge = rows.find((row) => row.target === 'U0DANA');
    expect(nudge?.message.title).toBe('1 request is still waiting for a decision');
    expect(nudge?.message.lines?.[0]).toMatch(/^TO-\d+ · Sam Lee: time off Tue Dec 1$/);
    expect(rows.find((row) => row.target === 'U0SAM')?.message.text).toMatch(/still waiting for a manager/);
  });
});
