import { DateTime } from 'luxon';
import { describe, expect } from 'vitest';
import type { OfficeConfig } from '../../src/config/office.ts';
import type { Db } from '../../src/db/client.ts';
import { leaveCarryOvers, outbox } from '../../src/db/schema/index.ts';
import { computeBankBalance, findCarryOverExpiry, findLeaveBank } from '../../src/domain/leave-banks.ts';
import { FEATURES } from '../../src/handlers/index.ts';
import { redrawAskedCards } from '../../src/handlers/kernel/card-redraws.ts';
import type { Input } from '../../src/handlers/kernel/input.ts';
import type { Outcome } from '../../src/handlers/kernel/message.ts';
import { TIME_OFF_ACTIONS, TIME_OFF_FORMS } from '../../src/handlers/time-off/ids.ts';
import { databaseTargets } from '../helpers/databases.ts';
import { findReference, replyText } from '../helpers/dispatch.ts';
import { createHandlerTest } from '../helpers/handler-fixture.ts';
import { findScheduledJob } from '../helpers/jobs.ts';
import { buildOfficeConfig } from '../helpers/office.ts';

const base = buildOfficeConfig();
const withVacation = (expires: string): OfficeConfig => ({
  ...base,
  timeoff: {
    ...base.timeoff,
    policies: [
      { type: 'vacation', tracked: true, allowanceDays: 15, carryOver: { maxDays: 5, expires } },
      { type: 'sick', tracked: true, allowanceDays: 5 },
    ],
  },
});
const office = withVacation('03-31');
const zone = office.office.timezone;
const NOW = DateTime.fromISO('2026-11-30T09:00', { zone });
const SAM = 'U0SAM';
const DANA = 'U0DANA';
const SAM_KEY = 'staff:sam-lee';
const newYear = (year: number) => () => DateTime.fromISO(`${year}-01-01T00:00:30`, { zone });

const it = createHandlerTest({
  office,
  now: NOW,
  command: 'timeoff',
  actions: TIME_OFF_ACTIONS,
  forms: TIME_OFF_FORMS,
  jobs: [findScheduledJob('leave-year-end')],
});

type Card = { fields?: { label: string; value: string }[]; lines?: string[] };

describe.each(databaseTargets())('year-end trust on $name', (target) => {
  it.override({ target });

  /** The last post or update of a card, as the platform shows it. */
  const cardOf = async (db: Db, cardKey: string): Promise<Card | undefined> =>
    (await db.select().from(outbox).orderBy(outbox.id))
      .filter((row) => row.cardKey === cardKey && (row.kind === 'post' || row.kind === 'update'))
      .at(-1)?.message as Card | undefined;

  it('runs for an office whose year was a paper-ledger adjustment and January requests only', async ({
    command,
    schedulerAt,
    db,
    dmsTo,
  }) => {
    await command(DANA, 'adjust Sam Lee +2 vacation from the paper ledger');
    await command(SAM, '2027-01-04 to 2027-01-05 trip');
    const results = await schedulerAt(newYear(2027)).tick();
    expect(results['leave-year-end']).toBe('ran');
    const sam = (await db.select().from(leaveCarryOvers)).filter((row) => row.personKey === SAM_KEY);
    expect(sam.find((row) => row.bank === 'vacation')).toMatchObject({ year: 2027, carriedDays: 5 });
    const told = (await dmsTo(SAM)).map((row) => (row.message as { text: string }).text).join('\n');
    expect(told).toContain('Vacation: 5 days carried into 2027 (use them by Mar 31).');
  });

  it('is still not due for an office with nothing of that year, only requests of the next', async ({
    command,
    schedulerAt,
    db,
  }) => {
    await command(SAM, '2027-01-04 to 2027-01-05 trip');
    const results = await schedulerAt(newYear(2027)).tick();
    expect(results['leave-year-end']).not.toBe('ran');
    expect(await db.select().from(leaveCarryOvers)).toEqual([]);
  });

  it('redraws a pending January card filed in December with the days carried', async ({
    run,
    command,
    schedulerAt,
    db,
    deps,
  }) => {
    await run('U0PRIYA', { kind: 'command', command: 'timeoff', text: 'dec 7' });
    const ref = findReference(await command(SAM, '2027-01-04 to 2027-01-29 long trip'), 'TO');
    const balanceOf = (card: Card | undefined) =>
      card?.fields?.find((field) => field.label === 'Balance')?.value;
    expect(balanceOf(await cardOf(db, ref))).toContain('over the allowance');
    const at = newYear(2027);
    expect((await schedulerAt(at).tick())['leave-year-end']).toBe('ran');
    // As the running app's deliverer does after the run commits.
    while ((await redrawAskedCards(deps, FEATURES, at())) > 0);
    const balance = balanceOf(await cardOf(db, ref));
    expect(balance).toContain('0 of 20 days left in 2027');
    expect(balance).not.toContain('over the allowance');
  });

  describe('a carry-over expiring "02-29"', () => {
    const leapDay = withVacation('02-29');
    const carriedInto = async (
      year: number,
      {
        run,
        schedulerAt,
        dmsTo,
      }: {
        run: (userId: string, input: Input, now?: DateTime, office?: OfficeConfig) => Promise<Outcome>;
        schedulerAt: (
          clock: () => DateTime,
          office?: OfficeConfig,
        ) => { tick(): Promise<Record<string, unknown>> };
        dmsTo: (userId: string) => Promise<{ message: unknown }[]>;
      },
    ) => {
      const filedOn = DateTime.fromISO(`${year - 1}-11-30T09:00`, { zone });
      await run(SAM, { kind: 'command', command: 'timeoff', text: `${year - 1}-12-07` }, filedOn, leapDay);
      expect((await schedulerAt(newYear(year), leapDay).tick())['leave-year-end']).toBe('ran');
      return ((await dmsTo(SAM)) as { message: { text: string } }[])
        .map((row) => row.message.text)
        .join('\n');
    };

    it('names Feb 28 going into a year without a 29th, and the carried days lapse after it', async ({
      run,
      schedulerAt,
      dmsTo,
    }) => {
      const told = await carriedInto(2027, { run, schedulerAt, dmsTo });
      expect(told).toContain('5 days carried into 2027 (use them by Feb 28).');
      expect(told).not.toContain('Invalid');
      const balanceOn = async (iso: string) =>
        (
          await run(
            SAM,
            { kind: 'command', command: 'timeoff', text: 'balance' },
            DateTime.fromISO(iso, { zone }),
            leapDay,
          )
        ).reply?.lines?.[0];
      expect(await balanceOn('2027-02-28T09:00')).toContain('Vacation 2027: 20 of 20 days left');
      expect(await balanceOn('2027-03-01T09:00')).toContain('Vacation 2027: 15 of 15 days left');
    });

    it('names Feb 29 going into a leap year', async ({ run, schedulerAt, dmsTo }) => {
      const told = await carriedInto(2028, { run, schedulerAt, dmsTo });
      expect(told).toContain('5 days carried into 2028 (use them by Feb 29).');
    });

    it('keeps the days carried used by leave up to the last day of February', () => {
      const bank = findLeaveBank('vacation', leapDay);
      expect(findCarryOverExpiry(bank, 2027)).toBe('2027-02-28');
      expect(findCarryOverExpiry(bank, 2028)).toBe('2028-02-29');
      const uses = [{ start: '2027-02-22', end: '2027-02-26', part: 'full', status: 'approved' }] as const;
      const on = (asOf: string) =>
        computeBankBalance({
          bank,
          member: undefined,
          year: 2027,
          asOf,
          uses,
          carried: 5,
          adjusted: 0,
          office: leapDay,
        });
      expect(on('2027-02-28')).toMatchObject({ available: 20, remaining: 15 });
      expect(on('2027-03-01')).toMatchObject({ available: 20, remaining: 15, carried: 5 });
    });
  });

  it('projects the asker’s own balance to a day after `balance`; a manager names whose', async ({
    command,
  }) => {
    await command(SAM, 'dec 14 to dec 15 trip');
    const own = await command(SAM, 'balance dec 31');
    expect(replyText(own)).not.toContain('Only managers');
    expect(own.reply?.title).toBe('Your balance on Thu Dec 31 — 2026');
    expect(own.reply?.lines?.[0]).toContain('Vacation 2026: 13 of 15 days left (0 approved, 2 pending)');
    const next = await command(SAM, 'balance 2027-03-01');
    expect(next.reply?.title).toBe('Your balance on Mon Mar 1, 2027 — 2027');
    expect(next.reply?.lines?.[0]).toContain('Vacation 2027: 15 of 15 days left');
    expect(next.reply?.lines).toContain('Days carried over from 2026 are added at its year end.');
    const managers = await command(DANA, 'balance Sam Lee dec 31');
    expect(managers.reply?.title).toBe('Balance of Sam Lee on Thu Dec 31 — 2026');
    expect(replyText(await command(SAM, 'balance Priya Shah dec 31'))).toContain('Only managers');
    expect(replyText(await command(SAM, 'balance dec 1 to dec 3'))).toContain('Say one day');
  });
});
