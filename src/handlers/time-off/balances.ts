import type { OfficeConfig, StaffMember } from '../../config/office.ts';
import type { Db } from '../../db/client.ts';
import { listLeaveRecords } from '../../db/repositories/leave.ts';
import { listActiveTimeOffOf, type TimeOffRow } from '../../db/repositories/time-off.ts';
import type { IsoDay } from '../../domain/dates.ts';
import {
  type BankBalance,
  computeBankBalance,
  findLeaveBank,
  type LeaveBank,
  type LeaveUse,
  listLeaveBanks,
  personCalendar,
} from '../../domain/leave-banks.ts';
import { findStaffByKey } from '../../domain/people.ts';
import { computeLowestBalance, type RequestBank, withCallOutDays } from '../../domain/time-off.ts';

/** Everything a person's banks are computed from, for the years read. */
export interface LeaveFacts {
  member: StaffMember | undefined;
  /** the person's pending and approved requests touching those years */
  rows: readonly TimeOffRow[];
  /** the days of their sick call-outs, each one day off the sick bank */
  sickDays: readonly IsoDay[];
  carried: (bank: string, year: number) => number;
  adjusted: (bank: string, year: number) => number;
}

/** Reads a person's leave facts for `fromYear`…`toYear`, their requests and their leave records together. */
export async function loadLeaveFacts(
  db: Db,
  office: OfficeConfig,
  personKey: string,
  fromYear: number,
  toYear: number,
): Promise<LeaveFacts> {
  const [facts] = await loadLeaveFactsOf(db, office, [{ personKey, fromYear, toYear }]);
  if (!facts) throw new Error('leave facts not read');
  return facts;
}

/** Whose leave facts to read, for which years. */
export interface LeaveFactsAsk {
  personKey: string;
  fromYear: number;
  toYear: number;
}

/**
 * Reads the leave facts of several people at once, one set of statements for all, in the order asked: each
 * person's facts hold only their own years, as `loadLeaveFacts` would read them.
 */
export async function loadLeaveFactsOf(
  db: Db,
  office: OfficeConfig,
  asks: readonly LeaveFactsAsk[],
): Promise<LeaveFacts[]> {
  if (asks.length === 0) return [];
  const people = [...new Set(asks.map((ask) => ask.personKey))];
  const fromYear = Math.min(...asks.map((ask) => ask.fromYear));
  const toYear = Math.max(...asks.map((ask) => ask.toYear));
  const [requests, records] = await Promise.all([
    listActiveTimeOffOf(db, office.office.id, people, `${fromYear}-01-01`, `${toYear}-12-31`),
    listLeaveRecords(db, office.office.id, people, fromYear, toYear),
  ]);
  return assembleLeaveFacts(office, asks, requests, records);
}

/**
 * The leave facts of `asks` from what was read for all of them: their active requests and their leave
 * records over every year asked.
 */
export function assembleLeaveFacts(
  office: OfficeConfig,
  asks: readonly LeaveFactsAsk[],
  requests: readonly TimeOffRow[],
  records: Awaited<ReturnType<typeof listLeaveRecords>>,
): LeaveFacts[] {
  return asks.map(({ personKey, fromYear, toYear }) => {
    const first = `${fromYear}-01-01`;
    const last = `${toYear}-12-31`;
    const theirs = <T extends { personKey: string; year: number }>(rows: readonly T[]) =>
      rows.filter((row) => row.personKey === personKey && row.year >= fromYear && row.year <= toYear);
    const carryOvers = theirs(records.carryOvers);
    const adjustments = theirs(records.adjustments);
    return {
      member: findStaffByKey(office, personKey),
      rows: requests.filter(
        (row) => row.requesterKey === personKey && row.endDay >= first && row.startDay <= last,
      ),
      sickDays: records.sickDays
        .filter((sick) => sick.personKey === personKey && sick.day >= first && sick.day <= last)
        .map((sick) => sick.day),
      carried: (bank, year) =>
        carryOvers
          .filter((row) => row.bank === bank && row.year === year)
          .reduce((total, row) => total + row.carriedDays, 0),
      adjusted: (bank, year) =>
        adjustments
          .filter((row) => row.bank === bank && row.year === year)
          .reduce((total, row) => total + row.days, 0),
    };
  });
}

function toUse(row: Pick<TimeOffRow, 'startDay' | 'endDay' | 'part' | 'status'>): LeaveUse {
  return {
    start: row.startDay,
    end: row.endDay,
    part: row.part,
    status: row.status === 'approved' ? 'approved' : 'pending',
  };
}

/** The days of the sick call-outs a bank is debited with: those of the bank sick leave draws from. */
function listCallOutDays(bank: LeaveBank, facts: LeaveFacts, office: OfficeConfig): readonly IsoDay[] {
  return findLeaveBank('sick', office).id === bank.id ? facts.sickDays : [];
}

/**
 * What takes days from a bank: every request drawing from it, `extra` (a request not yet stored) and the
 * sick call-outs when it is the sick bank, a day a request covers once.
 */
function listBankUses(
  office: OfficeConfig,
  bank: LeaveBank,
  facts: LeaveFacts,
  extra: readonly LeaveUse[] = [],
): LeaveUse[] {
  const requests = [
    ...facts.rows.filter((row) => findLeaveBank(row.type, office).id === bank.id).map(toUse),
    ...extra,
  ];
  return withCallOutDays(requests, listCallOutDays(bank, facts, office));
}

/** One bank's balance for `year` as of `asOf`, from the facts (`listBankUses`). */
export function computeBankFromFacts(
  office: OfficeConfig,
  bank: LeaveBank,
  year: number,
  asOf: IsoDay,
  facts: LeaveFacts,
  extra: readonly LeaveUse[] = [],
): BankBalance {
  return computeBankBalance({
    bank,
    member: facts.member,
    year,
    asOf,
    uses: listBankUses(office, bank, facts, extra),
    carried: facts.carried(bank.id, year),
    adjusted: facts.adjusted(bank.id, year),
    office,
  });
}

/**
 * A bank as a request's balance reads it from the facts; `draft` is a request not yet stored, whose days
 * count toward the carried-over days it may use. Untracked banks hold no limit.
 */
export function readRequestBank(
  office: OfficeConfig,
  bank: LeaveBank,
  facts: LeaveFacts,
  draft?: LeaveUse,
): RequestBank {
  // A card asks for its last day's figure twice (the allowance it shows and the first point weighed).
  const held = new Map<string, number>();
  return {
    available(year, day) {
      if (!bank.tracked) return Number.POSITIVE_INFINITY;
      const key = `${year}/${day}`;
      const known = held.get(key);
      if (known !== undefined) return known;
      const available = computeBankFromFacts(office, bank, year, day, facts, draft ? [draft] : []).available;
      held.set(key, available);
      return available;
    },
    includes: (other) => findLeaveBank(other, office).id === bank.id,
    callOutDays: listCallOutDays(bank, facts, office),
    grows: bank.policy?.accrual !== undefined || (bank.policy?.tenure?.length ?? 0) > 0,
  };
}

/**
 * `Balance 2026: 12 of 15 days left (2 approved, 1 pending).`, one line per bank when the office has
 * policies (`Vacation 2026: …`), as of `asOf`.
 */
export function describeBankLines(
  office: OfficeConfig,
  year: number,
  asOf: IsoDay,
  facts: LeaveFacts,
): string[] {
  const named = (office.timeoff.policies?.length ?? 0) > 0;
  return listLeaveBanks(office).map((bank) => {
    const balance = computeBankFromFacts(office, bank, year, asOf, facts);
    const view = readRequestBank(office, bank, facts);
    // A bank that grows through the year is as low as it gets at today or at a later leave's end: leave
    // approved for November does not make January's balance negative, as a request's answer says too.
    const left = view.grows
      ? computeLowestBalance({
          year,
          from: asOf,
          available: (day) => view.available(year, day),
          grows: true,
          requests: listBankUses(office, bank, facts),
          office: personCalendar(office, facts.member),
        })
      : balance.remaining;
    const carried = balance.carried > 0 ? `, ${balance.carried} carried over` : '';
    const adjusted =
      balance.adjusted !== 0 ? `, ${balance.adjusted > 0 ? '+' : ''}${balance.adjusted} adjusted` : '';
    return `${named ? bank.name : 'Balance'} ${year}: ${left} of ${balance.available} days left (${balance.approved} approved, ${balance.pending} pending${carried}${adjusted}).`;
  });
}
