import { sql } from 'drizzle-orm';
import { DateTime } from 'luxon';
import { beforeEach, describe, expect, it } from 'vitest';
import type { Db } from '../../src/db/client.ts';
import { createAuditEntry } from '../../src/db/repositories/audit.ts';
import { auditLog, deliveries, outbox } from '../../src/db/schema/index.ts';
import { runWithDeadline } from '../../src/handlers/kernel/deadline.ts';
import { type DispatchDeps, dispatchInput } from '../../src/handlers/kernel/dispatch.ts';
import type { Feature } from '../../src/handlers/kernel/feature.ts';
import { type Outcome, replyOnly } from '../../src/handlers/kernel/message.ts';
import { createRouter } from '../../src/handlers/kernel/router.ts';
import { databaseTargets, openForSuite } from '../helpers/databases.ts';
import { createGate } from '../helpers/gate.ts';
import { createRecordingLogger, type RecordingLogger } from '../helpers/logger.ts';
import { buildOfficeConfig, buildPerson } from '../helpers/office.ts';
import { waitFor } from '../helpers/wait.ts';

const office = buildOfficeConfig();
const sam = buildPerson(office, 'U0SAM');
const now = DateTime.fromISO('2026-03-06T12:00', { zone: office.office.timezone }); // Fri
const DEADLINE_MS = 100;
const SAVED = replyOnly({ text: 'Saved RM-1; the card follows.' });
const SECRET = 'Jane Roe, date of birth 1961-02-03';

describe.each(databaseTargets())('runWithDeadline on $name', (target) => {
  const database = openForSuite(target);
  let recording: RecordingLogger;

  beforeEach(async () => {
    await database.db.execute(sql`delete from audit_log`);
    await database.db.execute(sql`delete from outbox`);
    await database.db.execute(sql`delete from deliveries`);
    recording = createRecordingLogger();
  });

  const options = () => ({ ms: DEADLINE_MS, logger: recording.logger, input: 'command' });
  const audit = (db: Db) =>
    createAuditEntry(db, { officeId: 'main', actor: sam, action: 'rep_meeting.booked', entity: 'RM-1' });

  async function countAudit(): Promise<number> {
    const [row] = await database.db.select({ count: sql<number>`count(*)::int` }).from(auditLog);
    return Number(row?.count);
  }

  /** Waits until the work answered late has ended, as the log says; resolves with whether it committed. */
  async function waitForLateSettle(): Promise<unknown> {
    const record = await waitFor(
      () => recording.records().find((line) => line.msg === 'input settled after its deadline answer'),
      'the late work to settle',
    );
    return record.committed;
  }

  it('answers with the outcome of work done in time', async () => {
    const outcome = await runWithDeadline(options(), (deadline) =>
      deadline.transaction(database.db, async (tx) => {
        await audit(tx);
        return SAVED;
      }),
    );

    expect(outcome).toEqual(SAVED);
    expect(await countAudit()).toBe(1);
    expect(recording.records().filter((line) => line.level >= 40)).toEqual([]);
  });

  it('answers with the outcome of work whose COMMIT went out with its last statement', async () => {
    const outcome = await runWithDeadline(options(), (deadline) =>
      deadline.transaction(database.db, async (tx, commit) => {
        const written = audit(tx);
        commit();
        commit();
        await written;
        return SAVED;
      }),
    );

    expect(outcome).toEqual(SAVED);
    expect(await countAudit()).toBe(1);
  });

  it('leaves COMMIT unsent once the deadline has answered, and rolls the work back', async () => {
    const gate = createGate();

    const outcome = await runWithDeadline(options(), (deadline) =>
      deadline.transaction(database.db, async (tx, commit) => {
        await gate.opened;
        const written = audit(tx);
        commit();
        await written;
        return SAVED;
      }),
    );
    gate.open();

    expect(outcome.reply?.text).toMatch(/nothing was saved/);
    expect(await waitForLateSettle()).toBe(false);
    expect(await countAudit()).toBe(0);
  });

  it('answers that nothing was saved at the deadline and rolls back the transaction when it ends late', async () => {
    const gate = createGate();

    const outcome = await runWithDeadline(options(), (deadline) =>
      deadline.transaction(database.db, async (tx) => {
        await audit(tx);
        await gate.opened;
        return SAVED;
      }),
    );
    gate.open();

    expect(outcome.reply?.text).toBe(
      "The practice's database did not answer in time, so nothing was saved. Please try again in a minute.",
    );
    expect(await waitForLateSettle()).toBe(false);
    expect(await countAudit()).toBe(0);
    expect(recording.records().find((line) => line.level === 40)).toMatchObject({
      msg: 'no answer by the dispatch deadline',
      input: 'command',
      deadlineMs: DEADLINE_MS,
      stage: 'running',
    });
  });

  it('never begins a transaction once the deadline has answered', async () => {
    const gate = createGate();
    let ran = false;

    const outcome = await runWithDeadline(options(), async (deadline) => {
      await gate.opened;
      return deadline.transaction(database.db, async (tx) => {
        ran = true;
        await audit(tx);
        return SAVED;
      });
    });
    gate.open();

    expect(outcome.reply?.text).toMatch(/nothing was saved/);
    expect(await waitForLateSettle()).toBe(false);
    expect({ ran, audit: await countAudit() }).toEqual({ ran: false, audit: 0 });
  });

  it('answers with the committed outcome when what follows the commit stalls', async () => {
    const gate = createGate();

    const outcome = await runWithDeadline(options(), async (deadline) => {
      const saved = await deadline.transaction(database.db, async (tx) => {
        await audit(tx);
        return SAVED;
      });
      await gate.opened;
      return saved;
    });
    gate.open();

    expect(outcome).toEqual(SAVED);
    expect(await countAudit()).toBe(1);
    expect(recording.records().find((line) => line.level === 40)).toMatchObject({ stage: 'committed' });
    expect(await waitForLateSettle()).toBe(true);
  });

  it('lets dispatchInput answer that nothing was saved when a handler outlasts the deadline, storing nothing', async () => {
    const gate = createGate();
    const feature: Feature = {
      command: 'reps',
      usage: { summary: 'Book a sales-rep visit', lines: ['/reps book <date> <time> <rep> from <company>'] },
      async run(_text, ctx) {
        await createAuditEntry(ctx.db, {
          officeId: ctx.office.office.id,
          actor: ctx.actor,
          action: 'rep_meeting.booked',
          entity: 'RM-1',
        });
        await gate.opened;
        return {
          reply: { text: 'Booked RM-1' },
          effects: [{ kind: 'post', channel: 'approvals', cardKey: 'RM-1', message: { text: 'Rep visit' } }],
        };
      },
      actions: {},
      forms: {},
    };
    const deps: DispatchDeps = {
      db: database.db,
      office,
      logger: recording.logger,
      router: createRouter([feature]),
      platforms: ['slack'],
      routeChannel: async (_db, role) => [{ platform: 'slack', target: office.channels[role] }],
      deadlineMs: DEADLINE_MS,
    };

    const outcome = await dispatchInput(
      deps,
      sam,
      { kind: 'command', command: 'reps', text: `book ${SECRET}`, deliveryId: 'trigger-late' },
      now,
    );
    gate.open();

    expect(outcome.reply?.text).toMatch(/did not answer in time, so nothing was saved/);
    expect(await waitForLateSettle()).toBe(false);
    const [claims] = await database.db.select({ count: sql<number>`count(*)::int` }).from(deliveries);
    const [queued] = await database.db.select({ count: sql<number>`count(*)::int` }).from(outbox);
    expect({
      audit: await countAudit(),
      claims: Number(claims?.count),
      queued: Number(queued?.count),
    }).toEqual({ audit: 0, claims: 0, queued: 0 });
    expect(recording.text()).not.toContain('Jane Roe');
  });
});

describe('runWithDeadline when the COMMIT gets no answer', () => {
  it('answers that saving could not be confirmed', async () => {
    const recording = createRecordingLogger();
    // A database that runs the callback, sends COMMIT and never hears back.
    const silentAfterCommit = {
      transaction: async (callback: (tx: Db) => Promise<Outcome>) => {
        await callback(silentAfterCommit as unknown as Db);
        return new Promise<Outcome>(() => {});
      },
    };

    const outcome = await runWithDeadline(
      { ms: DEADLINE_MS, logger: recording.logger, input: 'command' },
      (deadline) => deadline.transaction(silentAfterCommit as unknown as Db, async () => SAVED),
    );

    expect(outcome.reply?.text).toMatch(/did not confirm in time whether this was saved/);
    expect(recording.records().find((line) => line.level === 40)).toMatchObject({ stage: 'committing' });
  });
});
