import { DateTime } from 'luxon';
import { describe, expect } from 'vitest';
import type { LeavePolicy, OfficeConfig } from '../../src/config/office.ts';
import { leaveCarryOvers, outbox, timeOffRequests } from '../../src/db/schema/index.ts';
import { computeCarryOver, findLeaveBank } from '../../src/domain/leave-banks.ts';
import { TIME_OFF_ACTIONS, TIME_OFF_FORMS } from '../../src/handlers/time-off/ids.ts';
import { databaseTargets } from '../helpers/databases.ts';
import { findReference, replyText } from '../helpers/dispatch.ts';
import { createHandlerTest } from '../helpers/handler-fixture.ts';
import { buildOfficeConfig } from '../helpers/office.ts';

const base = buildOfficeConfig();
const NOW = DateTime.fromISO('2026-11-30T09:00', { zone: base.office.timezone }); // Mon
const SAM = 'U0SAM';
const DANA = 'U0DANA';

/** The example office with these leave policies, and Sam Lee's own `allowances` when given. */
function officeWith(policies: LeavePolicy[], samAllowances?: Record<string, number>): OfficeConfig {
  return {
    ...base,
    staff: base.staff.map((member) =>
      member.name === 'Sam Lee' && samAllowances ? { ...member, allowances: samAllowances } : member,
    ) as OfficeConfig['staff'],
    timeoff: { ...base.timeoff, policies },
  };
}

const carrying = officeWith([
  { type: 'vacation', tracked: true, allowanceDays: 15, carryOver: { maxDays: 5, expires: '03-31' } },
  { type: 'sick', tracked: true, allowanceDays: 5 },
]);

const it = createHandlerTest({
  office: carrying,
  now: NOW,
  command: 'timeoff',
  actions: TIME_OFF_ACTIONS,
  forms: TIME_OFF_FORMS,
})
  .extend(
    'timeoff',
    ({ run }) =>
      (office: OfficeConfig, userId: string, text: string) =>
        run(userId, { kind: 'command', command: 'timeoff', text }, NOW, office),
  )
  .extend(
    'approve',
    ({ run }) =>
      (office: OfficeConfig, reference: string) =>
        run(DANA, { kind: 'action', actionId: TIME_OFF_ACTIONS.approve, value: reference }, NOW, office),
  )
  .extend(
    'lastCardBalance',
    ({ db }) =>
      async () =>
        (await db.select().from(outbox).orderBy(outbox.id))
          .filter((row) => row.kind === 'post')
          .at(-1)
          ?.message.fields?.find((field) => field.label === 'Balance')?.value,
  )
  .extend(
    'cardBalanceOf',
    ({ db }) =>
      async (reference: string) =>
        (await db.select().from(outbox).orderBy(outbox.id))
          .filter((row) => row.cardKey === reference && (row.kind === 'post' || row.kind === 'update'))
          .at(-1)
          ?.message.fields?.find((field) => field.label === 'Balance')?.value,
  )
  .extend('deny', ({ run }) => async (office: OfficeConfig, reference: string, now = NOW) => {
    await run(DANA, { kind: 'action', actionId: TIME_OFF_ACTIONS.deny, value: reference }, now, office);
    return run(
      DANA,
      {
        kind: 'form',
        formId: TIME_OFF_FORMS.denyReason,
        values: { reason: 'no cover' },
        metadata: reference,
      },
      now,
      office,
    );
  });

describe.each(databaseTargets())('leave arithmetic on $name', (target) => {
  it.override({ target });

  it('lets a request across the carry-over’s last day use the carried days it takes before then', async ({
    db,
    timeoff,
    approve,
    lastCardBalance,
  }) => {
    await db.insert(leaveCarryOvers).values({
      officeId: carrying.office.id,
      personKey: 'staff:sam-lee',
      bank: 'vacation',
      year: 2027,
      carriedDays: 5,
      forfeitedDays: 0,
      createdAt: NOW.toJSDate(),
    });
    // 20 working days, 8 of them by Mar 31: the 5 carried days are all used before they expire.
    const filed = await timeoff(carrying, SAM, '2027-03-22 to 2027-04-16 trip');
    expect(replyText(filed)).toContain('If approved, you will have 0 days of Vacation left in 2027.');
    expect(await lastCardBalance()).toBe('Vacation: 0 of 20 days left in 2027 after this request');
    const approved = await approve(carrying, findReference(filed, 'TO'));
    expect(replyText(approved)).not.toContain('over the');
    expect((await db.select().from(timeOffRequests))[0]?.status).toBe('approved');
  });

  const accruing = officeWith([{ type: 'vacation', tracked: true, accrual: { perMonth: 1.25 } }]);

  it('with accrual, weighs an earlier request against every later approved one, not the year’s total at its date', async ({
    run,
    timeoff,
    approve,
    lastCardBalance,
  }) => {
    // Nov 1–16, 2027: 12 working days of the 13.75 accrued by then.
    await approve(accruing, findReference(await timeoff(accruing, SAM, '2027-11-01 to 2027-11-16'), 'TO'));
    const february = await timeoff(accruing, SAM, '2027-02-01');
    expect(replyText(february)).toContain('If approved, you will have 0.75 days of Vacation left in 2027.');
    expect(await lastCardBalance()).toBe('Vacation: 0.75 of 2.5 days left in 2027 after this request');
    // The balance in January: what can still be taken without a later leave going short (November's, by
    // 0.75 once February's day is taken), not what has accrued less the year's leave (1.25 − 13).
    const january = await run(
      SAM,
      { kind: 'command', command: 'timeoff', text: 'balance' },
      DateTime.fromISO('2027-01-04T09:00', { zone: base.office.timezone }),
      accruing,
    );
    expect(january.reply?.lines).toContain('Vacation 2027: 0.75 of 1.25 days left (12 approved, 1 pending).');
    // A second day in February leaves enough then, but not in November.
    const again = await timeoff(accruing, SAM, '2027-02-02');
    expect(replyText(again)).toContain(
      '⚠️ This is more than your remaining allowance: -0.25 days of Vacation left in 2027 if approved.',
    );
  });

  it('rounds fractional accrual to the hundredth', async ({ timeoff, lastCardBalance }) => {
    const office = officeWith([{ type: 'vacation', tracked: true, accrual: { perMonth: 0.83 } }]);
    const filed = await timeoff(office, SAM, '2027-03-01');
    expect(replyText(filed)).toContain('If approved, you will have 1.49 days of Vacation left in 2027.');
    expect(await lastCardBalance()).toBe('Vacation: 1.49 of 2.49 days left in 2027 after this request');
    await timeoff(office, SAM, 'dec 1');
    expect((await timeoff(office, SAM, 'balance')).reply?.lines).toContain(
      // 9.96 by Dec 1 less that day: the lowest it gets from today.
      'Vacation 2026: 8.96 of 9.13 days left (0 approved, 1 pending).',
    );
  });

  it('applies a person’s own allowance to an accrual policy, spread over the months', async ({ timeoff }) => {
    const office = officeWith([{ type: 'vacation', tracked: true, accrual: { perMonth: 1.25 } }], {
      vacation: 24,
    });
    const filed = await timeoff(office, SAM, '2027-03-01');
    expect(replyText(filed)).toContain('If approved, you will have 5 days of Vacation left in 2027.');
  });

  it('keeps a person’s vacation allowance out of the bank shared by the types without a policy', async ({
    timeoff,
  }) => {
    const office = officeWith([{ type: 'vacation', tracked: true, allowanceDays: 15 }], { vacation: 20 });
    expect(replyText(await timeoff(office, SAM, 'dec 2 personal'))).toContain(
      'If approved, you will have 14 days of Time off left in 2026.',
    );
    expect(replyText(await timeoff(office, SAM, 'dec 3'))).toContain(
      'If approved, you will have 19 days of Vacation left in 2026.',
    );
  });

  it('counts a sick call-out and a sick request on the same day once', async ({
    run,
    timeoff,
    lastCardBalance,
  }) => {
    await run(SAM, { kind: 'command', command: 'out', text: 'sick' });
    expect(replyText(await timeoff(carrying, SAM, 'dec 2 sick'))).toContain(
      'If approved, you will have 3 days of Sick left in 2026.',
    );
    expect(await lastCardBalance()).toBe('Sick: 3 of 5 days left in 2026 after this request');
    // Filed for the day of the call-out and the next: the call-out's day is one of the request's.
    expect(replyText(await timeoff(carrying, SAM, 'nov 30 to dec 1 sick'))).toContain(
      'If approved, you will have 2 days of Sick left in 2026.',
    );
    expect((await timeoff(carrying, SAM, 'balance')).reply?.lines).toContain(
      'Sick 2026: 2 of 5 days left (0 approved, 3 pending).',
    );
  });

  const JANUARY = DateTime.fromISO('2027-01-04T09:00', { zone: base.office.timezone }); // Mon

  it.for([
    [
      'an accrual under a cap',
      [{ type: 'vacation', tracked: true, accrual: { perMonth: 2 }, cap: 5 }],
      0,
      '2 of 5',
    ],
    [
      'carried-over days that expire',
      [{ type: 'vacation', tracked: true, allowanceDays: 10, carryOver: { maxDays: 5, expires: '03-31' } }],
      5,
      '7 of 10',
    ],
  ] as const)(
    'shows apart another pending request on a card without counting the room it would make, under %s',
    async ([_label, policies, carried, expected], { db, run, deny, cardBalanceOf }) => {
      const office = officeWith([...policies]);
      if (carried > 0)
        await db.insert(leaveCarryOvers).values({
          officeId: office.office.id,
          personKey: 'staff:sam-lee',
          bank: 'vacation',
          year: 2027,
          carriedDays: carried,
          forfeitedDays: 0,
          createdAt: JANUARY.toJSDate(),
        });
      const file = (text: string) => run(SAM, { kind: 'command', command: 'timeoff', text }, JANUARY, office);
      const february = findReference(await file('2027-02-02 to 2027-02-04'), 'TO');
      const june = findReference(await file('2027-06-15 to 2027-06-17'), 'TO');
      // The same number whether February's is later approved or denied: its days are the "more pending".
      expect(await cardBalanceOf(june)).toBe(
        `Vacation: ${expected} days left in 2027 after this request (3 more pending)`,
      );
      await deny(office, february, JANUARY);
      expect(await cardBalanceOf(june)).toBe(`Vacation: ${expected} days left in 2027 after this request`);
    },
  );

  it('counts a sick call-out on a later card when only another pending request covers its day', async ({
    run,
    timeoff,
    deny,
    cardBalanceOf,
  }) => {
    await run(SAM, { kind: 'command', command: 'out', text: 'sick' });
    const covering = findReference(await timeoff(carrying, SAM, 'nov 30 to dec 1 sick'), 'TO');
    const later = findReference(await timeoff(carrying, SAM, 'dec 3 sick'), 'TO');
    expect(await cardBalanceOf(later)).toBe(
      'Sick: 3 of 5 days left in 2026 after this request (2 more pending)',
    );
    await deny(carrying, covering);
    expect(await cardBalanceOf(later)).toBe('Sick: 3 of 5 days left in 2026 after this request');
  });

  it('takes half a day more, not less, for a half-day sick request on a sick call-out’s day', async ({
    run,
    timeoff,
    lastCardBalance,
  }) => {
    await run(SAM, { kind: 'command', command: 'out', text: 'sick' });
    expect(replyText(await timeoff(carrying, SAM, 'nov 30 am sick'))).toContain(
      'If approved, you will have 4 days of Sick left in 2026.',
    );
    expect(await lastCardBalance()).toBe('Sick: 4 of 5 days left in 2026 after this request');
    expect((await timeoff(carrying, SAM, 'balance')).reply?.lines).toContain(
      'Sick 2026: 4 of 5 days left (0.5 approved, 0.5 pending).',
    );
  });

  it('keeps a decided card’s numbers of its decision when a stale press redraws it', async ({
    run,
    timeoff,
    approve,
    cardBalanceOf,
  }) => {
    const office = officeWith([{ type: 'vacation', tracked: true, allowanceDays: 3 }]);
    const first = findReference(await timeoff(office, SAM, 'dec 1 to dec 3'), 'TO');
    const second = findReference(await timeoff(office, SAM, 'dec 7 to dec 8'), 'TO');
    await approve(office, first);
    const atDecision = await cardBalanceOf(first);
    expect(atDecision).toBe(
      'Vacation: 0 of 3 days left in 2026 after this request (2 more pending) (at decision)',
    );
    const later = (minutes: number, reference: string) =>
      run(
        DANA,
        { kind: 'action', actionId: TIME_OFF_ACTIONS.approve, value: reference },
        NOW.plus({ minutes }),
        office,
      );
    await later(5, second);
    await later(10, first);
    expect(await cardBalanceOf(first)).toBe(atDecision);
  });

  it('rounds what lapses at the year end to the hundredth', () => {
    const office = officeWith([
      { type: 'vacation', tracked: true, accrual: { perMonth: 0.83 }, carryOver: { maxDays: 5 } },
    ]);
    expect(computeCarryOver(9.96, findLeaveBank('vacation', office))).toEqual({
      carried: 5,
      forfeited: 4.96,
    });
  });

  it('names the year that goes over for a request across New Year', async ({ timeoff, approve }) => {
    // 14 working days of 2027's 15 already approved.
    await approve(carrying, findReference(await timeoff(carrying, SAM, '2027-02-01 to 2027-02-18'), 'TO'));
    const filed = await timeoff(carrying, SAM, 'dec 28 to 2027-01-05');
    expect(replyText(filed)).toContain(
      '⚠️ This is more than your remaining allowance: -1 days of Vacation left in 2027 if approved.',
    );
    const fits = await timeoff(carrying, SAM, 'dec 21 to dec 22');
    expect(replyText(fits)).toContain('If approved, you will have 9 days of Vacation left in 2026.');
  });
});
