import { DateTime } from 'luxon';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type Database, openDatabase } from '../../src/db/client.ts';
import { auditLog } from '../../src/db/schema/index.ts';
import type { HandlerContext } from '../../src/handlers/kernel/context.ts';
import {
  type RequestKind,
  reasonForm,
  type Step,
  type StepForm,
  stepButton,
  stepCommand,
  stepFormHandler,
} from '../../src/handlers/kernel/workflow.ts';
import { buildHandlerContext, buildPerson } from '../helpers/office.ts';

// A sixth kind of request, declared the way a new feature would: approve, deny with a reason, cancel.
interface LoanRow {
  id: number;
  number: number;
  status: 'pending' | 'approved' | 'denied' | 'cancelled';
  ownerKey: string;
  decidedBy?: string;
}

const SAM_KEY = buildPerson(buildHandlerContext({} as never).office, 'U0SAM').key;

describe('the request workflow, declared for a new kind of request', () => {
  let database: Database;
  let loans: Map<number, LoanRow>;
  // what another input does between the workflow's read and its update
  let raceWith: ((row: LoanRow) => void) | undefined;

  beforeAll(async () => {
    database = await openDatabase({ dataDir: null });
  });
  afterAll(async () => {
    await database.close();
  });
  beforeEach(async () => {
    await database.db.delete(auditLog);
    loans = new Map([[4, { id: 1, number: 4, status: 'pending', ownerKey: SAM_KEY }]]);
    raceWith = undefined;
  });

  const kind: RequestKind<LoanRow> = {
    prefix: 'TO',
    noun: 'loan',
    referenceNoun: 'loan',
    example: 'TO-4',
    load: async (_ctx, number) => {
      const row = loans.get(number);
      return row && { ...row };
    },
    card: async (row) => ({ text: `card of TO-${row.number}: ${row.status}` }),
  };
  function decide(status: 'approved' | 'denied'): Step<LoanRow, { reason: string } | undefined> {
    return {
      managerOnly: (managers) => `Only ${managers} decide loans.`,
      check: ({ row, reference }) =>
        row.status === 'pending' ? undefined : `${reference} was already ${row.status} by ${row.decidedBy}.`,
      async apply({ row }, _values, ctx) {
        raceWith?.(loans.get(row.number) as LoanRow);
        const stored = loans.get(row.number) as LoanRow;
        if (stored.status !== 'pending') return undefined;
        const updated = { ...stored, status, decidedBy: ctx.actor.name };
        loans.set(row.number, updated);
        return updated;
      },
      finish: async ({ reference }, before, values) => ({
        audit: { action: `loan.${status}`, detail: { from: before.status } },
        reply: { text: `${status} ${reference}${values?.reason ? `: ${values.reason}` : ''}` },
        effects: [{ kind: 'dm', to: { platform: 'slack', userId: 'U0SAM' }, message: { text: status } }],
      }),
    };
  }
  const deny: Step<LoanRow, { reason: string } | undefined> & {
    form: StepForm<LoanRow, { reason: string } | undefined>;
  } = {
    ...decide('denied'),
    form: reasonForm({ id: 'loan_deny', title: (r) => `Deny ${r}`, submitLabel: 'Deny', maxLength: 20 }),
  };
  const cancel: Step<LoanRow> = {
    authorise: ({ row }, ctx) => (row.ownerKey === ctx.actor.key ? undefined : 'Not your loan.'),
    check: ({ row }) => (row.status === 'cancelled' ? 'Already cancelled.' : undefined),
    async apply({ row }) {
      const updated = { ...row, status: 'cancelled' as const };
      loans.set(row.number, updated);
      return updated;
    },
    finish: async ({ reference }) => ({
      audit: { action: 'loan.cancelled' },
      reply: { text: `cancelled ${reference}` },
      effects: [],
    }),
  };

  function context(userId: string): HandlerContext {
    const base = buildHandlerContext(database.db, { now: DateTime.fromISO('2026-11-25T10:00') });
    return { ...base, actor: buildPerson(base.office, userId), publish: async () => [] };
  }
  const audits = () => database.db.select().from(auditLog);

  it('takes a step: conditional update, audit row, the card updated before the other messages, the answer', async () => {
    const outcome = await stepButton(kind, decide('approved'))('TO-4', context('U0DANA'));
    expect(outcome.reply?.text).toBe('approved TO-4');
    expect(outcome.effects.map((effect) => effect.kind)).toEqual(['update', 'dm']);
    expect(outcome.effects[0]).toMatchObject({
      cardKey: 'TO-4',
      message: { text: 'card of TO-4: approved' },
    });
    expect(await audits()).toMatchObject([
      { action: 'loan.approved', entity: 'TO-4', detail: { from: 'pending' } },
    ]);
  });

  it('refuses a manager-only step before looking the request up, and an unknown reference by name', async () => {
    const refused = await stepButton(kind, decide('approved'))('TO-99', context('U0SAM'));
    expect(refused.reply?.text).toBe('Only Dana Reyes or Dr. Omar Haddad decide loans.');
    const missing = await stepButton(kind, decide('approved'))('TO-99', context('U0DANA'));
    expect(missing.reply?.text).toBe('There is no loan TO-99.');
    const notOne = await stepButton(kind, decide('approved'))('SR-4', context('U0DANA'));
    expect(notOne.reply?.text).toBe('"SR-4" is not a loan reference. They look like TO-4.');
    expect(loans.get(4)?.status).toBe('pending');
    expect(await audits()).toEqual([]);
  });

  it('on a lost race re-reads the request, says who decided and redraws the pressed card, changing nothing', async () => {
    raceWith = (row) => loans.set(row.number, { ...row, status: 'denied', decidedBy: 'Dr. Omar Haddad' });
    const outcome = await stepButton(kind, decide('approved'))('TO-4', context('U0DANA'));
    expect(outcome.reply?.text).toBe('TO-4 was already denied by Dr. Omar Haddad.');
    expect(outcome.effects).toEqual([
      { kind: 'update', cardKey: 'TO-4', message: { text: 'card of TO-4: denied' } },
    ]);
    expect(loans.get(4)?.status).toBe('denied');
    expect(await audits()).toEqual([]);
  });

  it('redraws a stale card whose button or form asks for a step its state no longer allows; typed, it only answers', async () => {
    loans.set(4, { id: 1, number: 4, status: 'approved', ownerKey: SAM_KEY, decidedBy: 'Dana Reyes' });
    const redrawn = [{ kind: 'update', cardKey: 'TO-4', message: { text: 'card of TO-4: approved' } }];
    const pressed = await stepButton(kind, deny)('TO-4', context('U0OMAR'));
    expect(pressed.reply?.text).toBe('TO-4 was already approved by Dana Reyes.');
    expect(pressed.form).toBeUndefined();
    expect(pressed.effects).toEqual(redrawn);
    const submitted = await stepFormHandler(kind, deny)({ reason: 'late' }, 'TO-4', context('U0OMAR'));
    expect(submitted.effects).toEqual(redrawn);
    loans.set(4, { id: 1, number: 4, status: 'cancelled', ownerKey: SAM_KEY });
    const typed = await stepCommand(kind, cancel, 'Say which loan.')('TO-4', context('U0SAM'));
    expect(typed.reply?.text).toBe('Already cancelled.');
    expect(typed.effects).toEqual([]);
    // a refusal of who is asking, on a card that is current, redraws nothing
    loans.set(4, { id: 1, number: 4, status: 'pending', ownerKey: SAM_KEY });
    const notYours = await stepButton(kind, cancel)('TO-4', context('U0PRIYA'));
    expect(notYours.reply?.text).toBe('Not your loan.');
    expect(notYours.effects).toEqual([]);
    // nor on a stale card, for someone refused for who they are
    loans.set(4, { id: 1, number: 4, status: 'cancelled', ownerKey: SAM_KEY });
    const staleNotYours = await stepButton(kind, cancel)('TO-4', context('U0PRIYA'));
    expect(staleNotYours.reply?.text).toBe('Not your loan.');
    expect(staleNotYours.effects).toEqual([]);
    expect(loans.get(4)?.status).toBe('cancelled');
    expect(await audits()).toEqual([]);
  });

  it('opens the reason form, refuses an over-long reason in the form, and takes the step on submit', async () => {
    const opened = await stepButton(kind, deny)('TO-4', context('U0DANA'));
    expect(opened.form).toMatchObject({ formId: 'loan_deny', title: 'Deny TO-4', metadata: 'TO-4' });
    const tooLong = await stepFormHandler(kind, deny)({ reason: 'x'.repeat(21) }, 'TO-4', context('U0DANA'));
    expect(tooLong.formErrors).toEqual({ reason: 'Keep the reason under 20 characters.' });
    expect(loans.get(4)?.status).toBe('pending');
    const denied = await stepFormHandler(kind, deny)({ reason: ' no stock ' }, 'TO-4', context('U0DANA'));
    expect(denied.reply?.text).toBe('denied TO-4: no stock');
    // the form's metadata is never trusted: a non-manager submitting it is refused
    loans.set(4, { id: 1, number: 4, status: 'pending', ownerKey: SAM_KEY });
    const forged = await stepFormHandler(kind, deny)({ reason: '' }, 'TO-4', context('U0SAM'));
    expect(forged.reply?.text).toMatch(/^Only /);
    expect(loans.get(4)?.status).toBe('pending');
  });

  it('authorises on the request itself: only its owner cancels it, from typed text', async () => {
    const command = stepCommand(kind, cancel, 'Say which loan, like /loan cancel TO-4.');
    expect((await command('', context('U0SAM'))).reply?.text).toBe('Say which loan, like /loan cancel TO-4.');
    expect((await command('TO-4', context('U0PRIYA'))).reply?.text).toBe('Not your loan.');
    expect((await command('to-4', context('U0SAM'))).reply?.text).toBe('cancelled TO-4');
    expect((await command('TO-4', context('U0SAM'))).reply?.text).toBe('Already cancelled.');
  });
});
