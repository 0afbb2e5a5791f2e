import { readFileSync } from 'node:fs';
import { eq } from 'drizzle-orm';
import { DateTime } from 'luxon';
import { describe, expect } from 'vitest';
import { type OfficeConfig, parseOfficeConfig } from '../../src/config/office.ts';
import { auditLog, leaveAdjustments, leaveCarryOvers, outbox } from '../../src/db/schema/index.ts';
import { TIME_OFF_ACTIONS, TIME_OFF_FORMS } from '../../src/handlers/time-off/ids.ts';
import { readCsvAttachment } from '../helpers/csv.ts';
import { databaseTargets } from '../helpers/databases.ts';
import { findReference, replyText } from '../helpers/dispatch.ts';
import { createHandlerTest } from '../helpers/handler-fixture.ts';
import { findScheduledJob } from '../helpers/jobs.ts';
import { buildOfficeConfig } from '../helpers/office.ts';

const base = buildOfficeConfig();
const office: OfficeConfig = {
  ...base,
  staff: base.staff.map((member) =>
    member.name === 'Priya Shah' ? { ...member, workdays: ['mon', 'wed', 'fri'] as const } : member,
  ) as OfficeConfig['staff'],
  timeoff: {
    ...base.timeoff,
    policies: [
      { type: 'vacation', tracked: true, allowanceDays: 15, carryOver: { maxDays: 5, expires: '03-31' } },
      { type: 'sick', tracked: true, allowanceDays: 5 },
      { type: 'jury-duty', name: 'Jury service', tracked: false },
    ],
  },
};
const zone = office.office.timezone;
const NOW = DateTime.fromISO('2026-11-30T09:00', { zone }); // Mon
const SAM = 'U0SAM';
const PRIYA = 'U0PRIYA';
const DANA = 'U0DANA';

const yearEndJob = findScheduledJob('leave-year-end');

const it = createHandlerTest({
  office,
  now: NOW,
  command: 'timeoff',
  actions: TIME_OFF_ACTIONS,
  forms: TIME_OFF_FORMS,
  jobs: [yearEndJob],
});

describe.each(databaseTargets())('leave policies on $name', (target) => {
  it.override({ target });

  it('starts from an office file written before policies, call-outs and office hours, and keeps one allowance', async ({
    run,
  }) => {
    const before = parseOfficeConfig(
      readFileSync(new URL('../fixtures/office.before-policies.yaml', import.meta.url), 'utf8'),
      'office.yaml',
    );
    expect(before.office.hours).toEqual({ open: '08:00', close: '18:00' });
    expect(before.callouts).toEqual({ escalateMinutes: 30, autoConfirm: false });
    const timeOff = (text: string) => run(SAM, { kind: 'command', command: 'timeoff', text }, NOW, before);
    expect(replyText(await timeOff('dec 2 sick flu'))).toContain(
      'If approved, you will have 14 days left in 2026.',
    );
    expect(replyText(await timeOff('dec 7 to dec 9 family'))).toContain(
      'If approved, you will have 11 days left in 2026.',
    );
    expect((await timeOff('list')).reply?.lines).toContain(
      'Balance 2026: 11 of 15 days left (0 approved, 4 pending).',
    );
  });

  it('draws each type from its own bank, and shows the bank on the card and in the answer', async ({
    command,
    db,
  }) => {
    const sick = await command(SAM, 'dec 2 sick flu');
    expect(replyText(sick)).toContain('If approved, you will have 4 days of Sick left in 2026.');
    const vacation = await command(SAM, 'dec 7 to dec 9 family');
    expect(replyText(vacation)).toContain('If approved, you will have 12 days of Vacation left in 2026.');
    const card = (await db.select().from(outbox).orderBy(outbox.id))
      .filter((row) => row.kind === 'post')
      .at(-1);
    expect(card?.message.fields).toContainEqual({
      label: 'Balance',
      value: 'Vacation: 12 of 15 days left in 2026 after this request',
    });
    const jury = await command(SAM, 'dec 10 jury-duty');
    expect(replyText(jury)).toContain('Jury service is not counted against a balance.');
    const listed = (await command(SAM, 'list')).reply?.lines ?? [];
    expect(listed).toContainEqual(
      expect.stringMatching(/^TO-\d+ · Wed Dec 2 · 1 working day · Sick · pending$/),
    );
    expect(listed).toContain('Vacation 2026: 12 of 15 days left (0 approved, 3 pending).');
    expect(listed).toContain('Sick 2026: 4 of 5 days left (0 approved, 1 pending).');
  });

  it('counts a part-timer’s days on their own workdays only', async ({ command }) => {
    const outcome = await command(PRIYA, 'dec 7 to dec 11 visit');
    expect(replyText(outcome)).toContain('3 working days');
    expect(replyText(outcome)).toContain('12 days of Vacation left');
  });

  it('debits the sick bank with a sick call-out, without waiting for a decision', async ({
    run,
    command,
  }) => {
    await run(SAM, { kind: 'command', command: 'out', text: 'sick' });
    const balance = await command(SAM, 'balance');
    expect(balance.reply?.lines).toContain('Sick 2026: 4 of 5 days left (1 approved, 0 pending).');
    expect(balance.reply?.lines).toContain('Vacation 2026: 15 of 15 days left (0 approved, 0 pending).');
  });

  it('shows someone else’s balance to managers only', async ({ command }) => {
    expect(replyText(await command(SAM, 'balance Priya Shah'))).toContain('Only managers');
    const seen = await command(DANA, 'balance Priya Shah');
    expect(seen.reply?.title).toBe('Balance of Priya Shah — 2026');
    expect(replyText(await command(DANA, 'balance Nobody'))).toContain('Nobody is not on the staff list');
  });

  it('adjusts a balance for a manager, audited, and tells the person', async ({ command, db, dmsTo }) => {
    const adjusted = await command(DANA, 'adjust Sam Lee +1.5 vacation days from the paper ledger');
    expect(adjusted.reply?.text).toBe(
      "Adjusted Sam Lee's Vacation balance for 2026 by +1.5 days. Sam Lee now has 16.5 of 16.5 days left in 2026 and has been told.",
    );
    expect(await db.select().from(leaveAdjustments)).toEqual([
      expect.objectContaining({ personName: 'Sam Lee', bank: 'vacation', year: 2026, days: 1.5 }),
    ]);
    expect(await db.select().from(auditLog).where(eq(auditLog.action, 'timeoff.adjusted'))).toHaveLength(1);
    const [told] = await dmsTo(SAM);
    expect(told?.message.text).toBe(
      'Dana Reyes adjusted your Vacation balance for 2026 by +1.5 days: days from the paper ledger. You now have 16.5 of 16.5 days left in 2026.',
    );
    expect((await command(SAM, 'balance')).reply?.lines).toContain(
      'Vacation 2026: 16.5 of 16.5 days left (0 approved, 0 pending, +1.5 adjusted).',
    );
  });

  it.for([
    ['adjust Sam Lee +1 vacation', /Say why; Sam Lee is told/],
    ['adjust Sam Lee +1 vacation \u200b\u200b\u200d', /Say why; Sam Lee is told/],
    ['adjust Sam Lee +1 vacation \u0007\u0001\u001b', /Say why; Sam Lee is told/],
    ['adjust Sam Lee +0.3 vacation typo', /whole or half days/],
    ['adjust Sam Lee 0 vacation nothing', /0 days changes nothing/],
    ['adjust Sam Lee +1 holiday reason', /"holiday" is not a leave type/],
    ['adjust Sam Lee +1 jury-duty reason', /not counted against a balance/],
    ['adjust Nobody Here +1 vacation reason', /Nobody Here is not on the staff list/],
    ['adjust Sam Lee vacation', /Say by how many days/],
    ['adjust Sam Lee +900 vacation reason', /more than a year/],
  ] as const)('refuses `/timeoff %s` and changes nothing', async ([text, expected], { command, db }) => {
    const outcome = await command(DANA, text);
    expect(replyText(outcome)).toMatch(expected);
    expect(replyText(outcome)).toContain('Nothing was changed.');
    expect(outcome.effects).toEqual([]);
    expect(await db.select().from(leaveAdjustments)).toHaveLength(0);
  });

  it('stores a reason without the control characters typed into it', async ({ command, db }) => {
    await command(DANA, 'adjust Sam Lee +1 vacation \u001b[31mfrom the paper\u0007 ledger\u0085');
    expect((await db.select().from(leaveAdjustments))[0]?.reason).toBe('[31mfrom the paper ledger');
  });

  it('refuses adjust to someone who is not a manager', async ({ command, db }) => {
    expect(replyText(await command(SAM, 'adjust Sam Lee +5 vacation because'))).toMatch(/Only Dana Reyes/);
    expect(await db.select().from(leaveAdjustments)).toHaveLength(0);
  });

  it('exports the year’s requests as CSV for managers', async ({ command, press }) => {
    const reference = findReference(await command(SAM, 'dec 2 sick'), 'TO');
    await press(DANA, TIME_OFF_ACTIONS.approve, reference);
    await command(PRIYA, 'dec 7');
    expect(replyText(await command(SAM, 'export 2026'))).toMatch(/Only Dana Reyes/);
    const exported = await command(DANA, 'export 2026');
    expect(exported.reply?.text).toBe('Time off, 2026: 2 rows, as a CSV file.');
    const csv = readCsvAttachment(exported);
    expect(csv.name).toBe('time-off-2026.csv');
    expect(csv.header).toEqual([
      'reference',
      'who',
      'role',
      'type',
      'first_day',
      'last_day',
      'part',
      'working_days',
      'status',
      'filed',
      'decided_by',
      'decided',
      'cancelled_by',
      'cancelled',
      'decision_note',
      'cancel_note',
    ]);
    expect(csv.rows).toHaveLength(2);
    expect(csv.rows[0]).toEqual([
      reference,
      'Sam Lee',
      'front-desk',
      'Sick',
      '2026-12-02',
      '2026-12-02',
      'full',
      '1',
      'approved',
      '2026-11-30T09:00',
      'Dana Reyes',
      '2026-11-30T09:00',
      '',
      '',
      '',
      '',
    ]);
    const december = readCsvAttachment(await command(DANA, 'export 2026-12'));
    expect(december.name).toBe('time-off-december-2026.csv');
    expect(december.rows).toHaveLength(2);
    expect(readCsvAttachment(await command(DANA, 'export 2026-11')).rows).toEqual([]);
    for (const period of ['2026-13', '0000-01', '9999', '9999-12', '2026-1']) {
      expect(replyText(await command(DANA, `export ${period}`))).toContain('is not a year or a month');
    }
  });

  it('gives back to the carry-over the days of a request pending at the New Year once it is denied or withdrawn', async ({
    command,
    run,
    press,
    schedulerAt,
    db,
    dmsTo,
  }) => {
    // 12 days approved, 4 more pending over the holidays: the year-end counts all 16, so nothing carries.
    await press(DANA, TIME_OFF_ACTIONS.approve, findReference(await command(SAM, 'dec 1 to dec 16'), 'TO'));
    const holidays = findReference(await command(SAM, 'dec 28 to dec 31'), 'TO');
    const withdrawnLater = findReference(await command(PRIYA, 'dec 2 to dec 31'), 'TO');
    const newYear = DateTime.fromISO('2027-01-01T00:00:30', { zone });
    await schedulerAt(() => newYear).tick();
    const carriedOf = async (personKey: string) =>
      (await db.select().from(leaveCarryOvers))
        .filter((row) => row.personKey === personKey && row.bank === 'vacation')
        .map((row) => [row.carriedDays, row.forfeitedDays]);
    expect(await carriedOf('staff:sam-lee')).toEqual([[0, 0]]);
    expect(await carriedOf('staff:priya-shah')).toEqual([[3, 0]]);

    const january = newYear.plus({ days: 4, hours: 9 });
    const pressDeny = await run(
      DANA,
      { kind: 'action', actionId: TIME_OFF_ACTIONS.deny, value: holidays },
      january,
    );
    await run(
      DANA,
      {
        kind: 'form',
        formId: TIME_OFF_FORMS.denyReason,
        values: { reason: 'not covered' },
        metadata: holidays,
      },
      january,
    );
    expect(pressDeny.form).toBeDefined();
    expect(await carriedOf('staff:sam-lee')).toEqual([[3, 0]]);
    expect((await dmsTo(SAM)).map((row) => row.message.text)).toContain(
      `${holidays} no longer counts against 2026, so Vacation now carries 3 days into 2027 (use them by Mar 31).`,
    );
    const balance = await run(SAM, { kind: 'command', command: 'timeoff', text: 'balance' }, january);
    expect(balance.reply?.lines).toContain(
      'Vacation 2027: 18 of 18 days left (0 approved, 0 pending, 3 carried over).',
    );

    // Priya withdraws hers (12 of her 15 days on Mon, Wed, Fri): 5 carry, the rest lapse.
    await run(PRIYA, { kind: 'command', command: 'timeoff', text: `cancel ${withdrawnLater}` }, january);
    expect(await carriedOf('staff:priya-shah')).toEqual([[5, 10]]);
    expect((await dmsTo(PRIYA)).map((row) => row.message.text)).toContain(
      `${withdrawnLater} no longer counts against 2026, so Vacation now carries 5 days into 2027 (use them by Mar 31), and 10 unused days of 2026 lapsed.`,
    );
    // Deciding it again changes nothing more.
    await run(PRIYA, { kind: 'command', command: 'timeoff', text: `cancel ${withdrawnLater}` }, january);
    expect(await carriedOf('staff:priya-shah')).toEqual([[5, 10]]);
  });

  it('carries over and lapses once at the New Year, on two schedulers, and tells each person', async ({
    command,
    run,
    press,
    schedulerAt,
    db,
    dmsTo,
  }) => {
    const reference = findReference(await command(SAM, 'dec 7 to dec 11'), 'TO');
    await press(DANA, TIME_OFF_ACTIONS.approve, reference);
    const newYear = () => DateTime.fromISO('2027-01-01T00:00:30', { zone });
    const results = await Promise.all([schedulerAt(newYear).tick(), schedulerAt(newYear).tick()]);
    expect(results.map((result) => result['leave-year-end']).sort()).toEqual(['ran', 'taken']);
    expect((await schedulerAt(() => newYear().plus({ hours: 3 })).tick())['leave-year-end']).toBe('taken');
    const sam = (await db.select().from(leaveCarryOvers)).filter((row) => row.personKey === 'staff:sam-lee');
    expect(sam.map((row) => [row.bank, row.carriedDays, row.forfeitedDays]).sort()).toEqual([
      ['sick', 0, 5],
      ['vacation', 5, 5],
    ]);
    const [told, ...more] = (await dmsTo(SAM)).filter(
      (row) => row.message.title === 'Your leave, 2026 → 2027',
    );
    expect(more).toEqual([]);
    expect(told?.message.lines).toEqual([
      'Vacation: 5 days carried into 2027 (use them by Mar 31).',
      'Vacation: 5 unused days of 2026 lapsed.',
      'Sick: 5 unused days of 2026 lapsed.',
    ]);
    // In 2027 the carried days are in the vacation bank until they expire.
    const january = await run(
      SAM,
      { kind: 'command', command: 'timeoff', text: 'balance' },
      newYear().plus({ days: 4 }),
    );
    expect(january.reply?.lines).toContain(
      'Vacation 2027: 20 of 20 days left (0 approved, 0 pending, 5 carried over).',
    );
  });
});
