import { DateTime } from 'luxon';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createScheduler } from '../../src/bot/scheduler.ts';
import type { Database } from '../../src/db/client.ts';
import { jobRuns, outbox, repMeetings } from '../../src/db/schema/index.ts';
import { resolvePerson } from '../../src/domain/people.ts';
import { type DispatchDeps, dispatchInput, queueEffects } from '../../src/handlers/kernel/dispatch.ts';
import { repRemindersJob } from '../../src/handlers/rep-meetings/reminders.ts';
import { databaseTargets } from '../helpers/databases.ts';
import { buildDispatchDeps } from '../helpers/dispatch.ts';
import { createRecordingLogger } from '../helpers/logger.ts';
import { buildOfficeConfig } from '../helpers/office.ts';

const office = buildOfficeConfig();
const zone = office.office.timezone;
const at = (iso: string) => DateTime.fromISO(iso, { zone });
const BOOKED_AT = at('2026-11-25T10:00'); // Wed

describe.each(databaseTargets())('repRemindersJob on $name', (target) => {
  let database: Database;
  let deps: DispatchDeps;

  beforeAll(async () => {
    database = await target.open();
    deps = buildDispatchDeps(database.db, office, createRecordingLogger().logger);
  });
  afterAll(async () => {
    await database.close();
  });
  beforeEach(async () => {
    await database.db.delete(outbox);
    await database.db.delete(jobRuns);
    await database.db.delete(repMeetings);
  });

  function buildScheduler(clock: () => DateTime) {
    return createScheduler({
      db: database.db,
      office,
      logger: deps.logger,
      clock,
      jobs: [repRemindersJob],
      queueEffects: (tx, effects) => queueEffects(deps, tx, effects),
    });
  }
  async function bookAs(userId: string, text: string): Promise<string> {
    const outcome = await dispatchInput(
      deps,
      resolvePerson(office, 'slack', userId),
      { kind: 'command', command: 'reps', text },
      BOOKED_AT,
    );
    return /RM-\d+/.exec(outcome.reply?.text ?? '')?.[0] ?? '';
  }

  it('sends the booker one reminder 60 minutes before, even when three instances tick together', async () => {
    const reference = await bookAs('U0SAM', 'book dec 2 12:00 Jordan Smith from Acme Pharma');
    const clock = () => at('2026-12-02T11:00:20'); // Wed
    const results = await Promise.all([1, 2, 3].map(() => buildScheduler(clock).tick()));
    expect(results.map((result) => result['rep-reminders']).sort()).toEqual(['ran', 'taken', 'taken']);
    const rows = await database.db.select().from(outbox);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ kind: 'dm', target: 'U0SAM' });
    expect(rows[0]?.message.text).toBe(
      `Reminder: rep visit ${reference} in 60 minutes (Wed Dec 2, 12:00 PM): Jordan Smith (Acme Pharma).`,
    );
    expect(await database.db.select().from(jobRuns)).toMatchObject([
      { job: 'rep-reminders', runKey: reference },
    ]);
  });

  it('is not due before the reminder time, nor again on later ticks', async () => {
    await bookAs('U0SAM', 'book dec 2 12:00 Jordan Smith from Acme Pharma');
    let now = at('2026-12-02T10:59');
    const scheduler = buildScheduler(() => now);
    expect(await scheduler.tick()).toEqual({ 'rep-reminders': 'not-due' });
    now = at('2026-12-02T11:00');
    expect(await scheduler.tick()).toEqual({ 'rep-reminders': 'ran' });
    now = at('2026-12-02T11:01');
    expect(await scheduler.tick()).toEqual({ 'rep-reminders': 'taken' });
    now = at('2026-12-02T12:00');
    expect(await scheduler.tick()).toEqual({ 'rep-reminders': 'not-due' });
    expect(await database.db.select().from(outbox)).toHaveLength(1);
  });

  it('catches up late, before the visit, after the process was down', async () => {
    await bookAs('U0SAM', 'book dec 2 12:00 Jordan Smith from Acme Pharma');
    expect(await buildScheduler(() => at('2026-12-02T11:40')).tick()).toEqual({ 'rep-reminders': 'ran' });
    const [row] = await database.db.select().from(outbox);
    expect(row?.message.text).toMatch(/in 20 minutes/);
  });

  it('reminds each booker of their own visit, and nobody of a cancelled one', async () => {
    await bookAs('U0SAM', 'book dec 2 12:00 Jordan Smith from Acme Pharma');
    const other = await bookAs('U0PRIYA', 'book dec 3 12:00 Lee Wong from Beta Labs');
    await dispatchInput(
      deps,
      resolvePerson(office, 'slack', 'U0PRIYA'),
      { kind: 'command', command: 'reps', text: `cancel ${other}` },
      BOOKED_AT,
    );
    await buildScheduler(() => at('2026-12-02T11:00')).tick();
    expect(await buildScheduler(() => at('2026-12-03T11:00')).tick()).toEqual({ 'rep-reminders': 'not-due' });
    expect((await database.db.select().from(outbox)).map((row) => row.target)).toEqual(['U0SAM']);
  });
});
