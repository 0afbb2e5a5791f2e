import { sql } from 'drizzle-orm';
import { DateTime } from 'luxon';
import { beforeEach, describe, expect, it } from 'vitest';
import { createAuditEntry } from '../../src/db/repositories/audit.ts';
import { auditLog, deliveries, jobRuns, outbox } from '../../src/db/schema/index.ts';
import { type DispatchDeps, dispatchInput } from '../../src/handlers/kernel/dispatch.ts';
import type { Feature } from '../../src/handlers/kernel/feature.ts';
import type { Input } from '../../src/handlers/kernel/input.ts';
import { createRouter } from '../../src/handlers/kernel/router.ts';
import { databaseTargets, openForSuite } from '../helpers/databases.ts';
import { createRecordingLogger, type RecordingLogger } from '../helpers/logger.ts';
import { buildOfficeConfig, buildPerson } from '../helpers/office.ts';

const office = buildOfficeConfig();
const sam = buildPerson(office, 'U0SAM');
const now = DateTime.fromISO('2026-03-06T12:00', { zone: office.office.timezone }); // Fri
const SECRET = 'Jane Roe, date of birth 1961-02-03';

/** A feature on /reps that files an audit row and posts a card; `boom` makes it throw after writing. */
function createTestFeature() {
  const runs: string[] = [];
  const feature: Feature = {
    command: 'reps',
    usage: { summary: 'Book a sales-rep visit', lines: ['/reps book <date> <time> <rep> from <company>'] },
    async run(text, ctx) {
      runs.push(text);
      const reference = `RM-${runs.length}`;
      await createAuditEntry(ctx.db, {
        officeId: ctx.office.office.id,
        actor: ctx.actor,
        action: 'rep_meeting.booked',
        entity: reference,
      });
      // Let a concurrent duplicate catch up with this one while its transaction is open.
      await new Promise((resolve) => setTimeout(resolve, 20));
      if (text.startsWith('boom')) throw new Error(`could not book\n${SECRET}`);
      // Statements issued and handed over unawaited, as a filing hands over its insert.
      if (text.startsWith('hand over'))
        ctx.commitAfter(
          createAuditEntry(ctx.db, {
            officeId: ctx.office.office.id,
            actor: ctx.actor,
            action: 'rep_meeting.noted',
            entity: reference,
          }),
        );
      if (text.startsWith('hand over a failure'))
        ctx.commitAfter(ctx.db.execute(sql`select 1 / 0`).execute());
      // A key only one run may hold: a second run fails on it once the first has written it.
      if (text.startsWith('slot'))
        await ctx.db.insert(jobRuns).values({ officeId: 'main', job: 'slot', runKey: text });
      return {
        reply: { text: `Booked ${reference}`, lines: [text] },
        effects: [
          {
            kind: 'post',
            channel: 'approvals',
            cardKey: reference,
            message: { text: `Rep visit ${reference}` },
          },
        ],
      };
    },
    actions: {},
    forms: {
      // Any form id will do: the router only needs one registered.
      reps_book_form: async (values, _metadata, ctx) => {
        runs.push(`form:${values.when}`);
        if (values.when === 'saturday') return { formErrors: { when: 'Not on a weekend.' }, effects: [] };
        // A day asked for twice is refused, as a real form refuses a request overlapping one already filed.
        if (runs.filter((run) => run === `form:${values.when}`).length > 1)
          return { formErrors: { when: 'Already booked.' }, effects: [] };
        await createAuditEntry(ctx.db, {
          officeId: ctx.office.office.id,
          actor: ctx.actor,
          action: 'rep_meeting.booked',
          entity: 'RM-9',
        });
        return { reply: { text: 'Booked RM-9' }, effects: [] };
      },
    },
  };
  return { feature, runs };
}

describe.each(databaseTargets())('dispatchInput on $name', (target) => {
  const database = openForSuite(target);
  let runs: string[];
  let recording: RecordingLogger;
  let queuedSignals: number;
  let deps: DispatchDeps;

  beforeEach(async () => {
    await database.db.execute(sql`delete from audit_log`);
    await database.db.execute(sql`delete from outbox`);
    await database.db.execute(sql`delete from deliveries`);
    const test = createTestFeature();
    runs = test.runs;
    recording = createRecordingLogger();
    queuedSignals = 0;
    deps = {
      db: database.db,
      office,
      logger: recording.logger,
      router: createRouter([test.feature]),
      platforms: ['slack'],
      routeChannel: async (_db, role) => [{ platform: 'slack', target: office.channels[role] }],
      onQueued: () => {
        queuedSignals += 1;
      },
    };
  });

  const book = (deliveryId: string | undefined, text = '2026-03-10 12:00 Jordan Smith from Acme'): Input => ({
    kind: 'command',
    command: 'reps',
    text,
    ...(deliveryId ? { deliveryId } : {}),
  });

  async function countRows() {
    const [audit] = await database.db.select({ count: sql<number>`count(*)::int` }).from(auditLog);
    const [queued] = await database.db.select({ count: sql<number>`count(*)::int` }).from(outbox);
    const [delivered] = await database.db.select({ count: sql<number>`count(*)::int` }).from(deliveries);
    return {
      audit: Number(audit?.count),
      outbox: Number(queued?.count),
      deliveries: Number(delivered?.count),
    };
  }

  it('runs the handler, stores its audit row and queues its post in the outbox', async () => {
    const outcome = await dispatchInput(deps, sam, book('trigger-1'), now);

    expect(outcome.reply).toMatchObject({ text: 'Booked RM-1' });
    expect(await countRows()).toEqual({ audit: 1, outbox: 1, deliveries: 1 });
    const [row] = await database.db.select().from(outbox);
    expect(row).toMatchObject({
      officeId: 'main',
      platform: 'slack',
      kind: 'post',
      target: 'C0APPROVALS',
      cardKey: 'RM-1',
      status: 'pending',
      message: { text: 'Rep visit RM-1' },
    });
    expect(queuedSignals).toBe(1);
  });

  it('keeps only the first run of a delivery delivered twice in a row and answers the retry with the first reply', async () => {
    const first = await dispatchInput(deps, sam, book('trigger-2'), now);
    const second = await dispatchInput(deps, sam, book('trigger-2'), now);

    // The retry's handler runs before its claim finds the first one, and everything it did is rolled back.
    expect(runs).toHaveLength(2);
    expect(second.reply).toEqual(first.reply);
    expect(second.effects).toEqual([]);
    expect(await countRows()).toEqual({ audit: 1, outbox: 1, deliveries: 1 });
    expect(queuedSignals).toBe(1);
  });

  it('keeps only one run of a delivery delivered twice at the same time and gives both the same reply', async () => {
    const [first, second] = await Promise.all([
      dispatchInput(deps, sam, book('trigger-3'), now),
      dispatchInput(deps, sam, book('trigger-3'), now),
    ]);

    // Either run may commit its claim first (the one that started first usually does, not always under
    // load): the reply both get is the one whose writes were kept.
    const [kept] = await database.db.select({ entity: auditLog.entity }).from(auditLog);
    expect(first.reply).toMatchObject({ text: `Booked ${kept?.entity}` });
    expect(second.reply).toEqual(first.reply);
    expect(await countRows()).toEqual({ audit: 1, outbox: 1, deliveries: 1 });
  });

  it('gives a duplicate that fails on what the first delivery wrote the first one’s reply', async () => {
    const [first, second] = await Promise.all([
      dispatchInput(deps, sam, book('trigger-6', 'slot 2026-03-10 9:00'), now),
      dispatchInput(deps, sam, book('trigger-6', 'slot 2026-03-10 9:00'), now),
    ]);

    expect(first.reply?.text).toMatch(/^Booked RM-\d$/);
    expect(second.reply).toEqual(first.reply);
    expect(await countRows()).toEqual({ audit: 1, outbox: 1, deliveries: 1 });
    expect(recording.records().filter((record) => record.level >= 50)).toEqual([]);
  });

  it('keeps the same delivery id on another platform apart', async () => {
    await dispatchInput(deps, sam, book('shared-id'), now);
    await dispatchInput(deps, buildPerson(office, 'sam-lee', 'sandbox'), book('shared-id'), now);

    expect(runs).toHaveLength(2);
    expect(await countRows()).toMatchObject({ audit: 2, deliveries: 2 });
  });

  it('runs input without a delivery id every time', async () => {
    await dispatchInput(deps, sam, book(undefined), now);
    await dispatchInput(deps, sam, book(undefined), now);

    expect(runs).toHaveLength(2);
    expect(await countRows()).toEqual({ audit: 2, outbox: 2, deliveries: 0 });
  });

  it('stores nothing when the handler throws and answers that nothing was saved', async () => {
    const outcome = await dispatchInput(deps, sam, book('trigger-4', 'boom 2026-03-10'), now);

    expect(runs).toHaveLength(1);
    expect(outcome).toMatchObject({
      reply: { text: expect.stringContaining('nothing was saved') },
      effects: [],
    });
    expect(await countRows()).toEqual({ audit: 0, outbox: 0, deliveries: 0 });
    expect(queuedSignals).toBe(0);
    expect(recording.records().filter((record) => record.level >= 50)).toHaveLength(1);
  });

  it('commits the statements a handler handed over with the rest of its change', async () => {
    const outcome = await dispatchInput(deps, sam, book('trigger-7', 'hand over 2026-03-10'), now);

    expect(outcome.reply).toMatchObject({ text: 'Booked RM-1' });
    expect(await countRows()).toEqual({ audit: 2, outbox: 1, deliveries: 1 });
    expect(queuedSignals).toBe(1);
  });

  it('stores nothing when a statement the handler handed over fails, and logs that statement’s failure', async () => {
    const outcome = await dispatchInput(deps, sam, book('trigger-8', 'hand over a failure 2026-03-10'), now);

    expect(outcome).toMatchObject({
      reply: { text: expect.stringContaining('nothing was saved') },
      effects: [],
    });
    expect(await countRows()).toEqual({ audit: 0, outbox: 0, deliveries: 0 });
    expect(queuedSignals).toBe(0);
    const errors = recording.records().filter((record) => record.level >= 50);
    expect(errors).toHaveLength(1);
    // division_by_zero, not the "transaction is aborted" of the statements sent behind it
    expect(errors[0]?.err).toMatchObject({ code: '22012' });
  });

  it('runs a retry of a delivery that failed, since the failure stored nothing', async () => {
    await dispatchInput(deps, sam, book('trigger-5', 'boom 2026-03-10'), now);
    const retry = await dispatchInput(deps, sam, book('trigger-5'), now);

    expect(runs).toHaveLength(2);
    expect(retry.reply).toMatchObject({ text: 'Booked RM-2' });
    expect(await countRows()).toEqual({ audit: 1, outbox: 1, deliveries: 1 });
  });

  it('logs a failure without any of the error message text', async () => {
    await dispatchInput(deps, sam, book('trigger-6', 'boom'), now);

    expect(recording.text()).toContain('input failed; nothing was saved');
    expect(recording.text()).not.toContain('could not book');
    expect(recording.text()).not.toContain('Jane Roe');
  });

  it('processes a corrected form with the same delivery id once, after refusing it with field errors', async () => {
    const form = (when: string): Input => ({
      kind: 'form',
      formId: 'reps_book_form',
      values: { when },
      deliveryId: 'view:V1',
    });
    const refused = await dispatchInput(deps, sam, form('saturday'), now);
    expect(refused.formErrors).toEqual({ when: 'Not on a weekend.' });
    expect(await countRows()).toEqual({ audit: 0, outbox: 0, deliveries: 0 });

    const corrected = await dispatchInput(deps, sam, form('tuesday'), now);
    // The retry's handler refuses the day the first one booked; the first answer is given all the same.
    const retried = await dispatchInput(deps, sam, form('tuesday'), now);
    expect(corrected.reply).toEqual({ text: 'Booked RM-9' });
    expect(retried.reply).toEqual(corrected.reply);
    expect(runs).toEqual(['form:saturday', 'form:tuesday', 'form:tuesday']);
    expect(await countRows()).toEqual({ audit: 1, outbox: 0, deliveries: 1 });
  });

  it('answers help with the usage without running the handler', async () => {
    const outcome = await dispatchInput(deps, sam, book('trigger-7', 'help'), now);

    expect(runs).toHaveLength(0);
    expect(outcome).toMatchObject({ reply: { title: '/reps — Book a sales-rep visit' }, effects: [] });
    expect(await countRows()).toMatchObject({ audit: 0, outbox: 0 });
  });

  it('answers a command no feature serves that it is not available, without running a handler', async () => {
    const outcome = await dispatchInput(
      deps,
      sam,
      { kind: 'command', command: 'huddle', text: 'post', deliveryId: 'trigger-8' },
      now,
    );

    expect(runs).toHaveLength(0);
    expect(outcome).toMatchObject({ reply: { text: '/huddle is not available yet' }, effects: [] });
    expect(await countRows()).toMatchObject({ audit: 0, outbox: 0 });
  });
});
