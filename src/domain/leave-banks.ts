import { DateTime } from 'luxon';
import {
  BUILT_IN_LEAVE_TYPES,
  type LeavePolicy,
  type OfficeConfig,
  type StaffMember,
} from '../config/office.ts';
import { countWorkingDays, listWorkingDays } from './calendar.ts';
import type { DayPart, IsoDay } from './dates.ts';

const BUILT_IN_NAMES: Readonly<Record<string, string>> = {
  vacation: 'Vacation',
  sick: 'Sick',
  personal: 'Personal',
  education: 'Continuing education',
  other: 'Other',
};

/** The bank of every type without a policy of its own: the office's single `allowanceDays`. */
export const SHARED_BANK = 'shared';

/** Where a leave type's days are counted: its own policy's bank, or the shared allowance. */
export interface LeaveBank {
  id: string;
  name: string;
  tracked: boolean;
  policy: LeavePolicy | undefined;
}

type LeaveOffice = Pick<OfficeConfig, 'timeoff'>;

/** Every leave type a request may name: the built-in ones and the office's own. */
export function listLeaveTypes(office: LeaveOffice): string[] {
  const custom = (office.timeoff.policies ?? []).map((policy) => policy.type);
  return [...new Set([...BUILT_IN_LEAVE_TYPES, ...custom])];
}

/** How a type is shown to the person and the managers: its policy's name, else the built-in one. */
export function describeLeaveType(type: string, office: LeaveOffice): string {
  const policy = office.timeoff.policies?.find((candidate) => candidate.type === type);
  return (
    policy?.name ?? BUILT_IN_NAMES[type] ?? type.charAt(0).toUpperCase() + type.slice(1).replaceAll('-', ' ')
  );
}

/** The bank a type draws from. Without `policies`, every type shares the one allowance, as before. */
export function findLeaveBank(type: string, office: LeaveOffice): LeaveBank {
  const policy = office.timeoff.policies?.find((candidate) => candidate.type === type);
  if (!policy) return { id: SHARED_BANK, name: 'Time off', tracked: true, policy: undefined };
  return { id: policy.type, name: describeLeaveType(type, office), tracked: policy.tracked, policy };
}

/** The banks a person's balance lists: each tracked policy, and the shared one while a type still uses it. */
export function listLeaveBanks(office: LeaveOffice): LeaveBank[] {
  const banks = new Map<string, LeaveBank>();
  for (const type of listLeaveTypes(office)) {
    const bank = findLeaveBank(type, office);
    if (bank.tracked && !banks.has(bank.id)) banks.set(bank.id, bank);
  }
  return [...banks.values()];
}

/** A person's working calendar: the office's, on their own workdays when they have a part-time pattern. */
export function personCalendar(
  office: LeaveOffice,
  member: Pick<StaffMember, 'workdays'> | undefined,
): LeaveOffice {
  const workdays = member?.workdays;
  return workdays ? { timeoff: { ...office.timeoff, workdays } } : office;
}

function roundToHalf(days: number): number {
  return Math.round(days * 2) / 2;
}

/** Days to the hundredth, as every balance is shown: fractional accrual (0.83 a month) adds up in binary. */
export function roundDays(days: number): number {
  return Math.round(days * 100) / 100;
}

/** Whole years from `startDate` to `day`. */
function completedYears(startDate: IsoDay, day: IsoDay): number {
  const years = DateTime.fromISO(day, { zone: 'utc' }).diff(
    DateTime.fromISO(startDate, { zone: 'utc' }),
    'years',
  ).years;
  return Math.max(0, Math.floor(years + 1e-9));
}

/** Months of `year` from the month work starts (January, or the start month that year) to `asOf`'s month, both counted. */
function monthsStarted(year: number, startDate: IsoDay | undefined, asOf: IsoDay): number {
  const first = startDate && startDate > `${year}-01-01` ? startDate : `${year}-01-01`;
  if (first.slice(0, 4) !== String(year) || asOf < first) return 0;
  const last = asOf > `${year}-12-31` ? `${year}-12-31` : asOf;
  return Number(last.slice(5, 7)) - Number(first.slice(5, 7)) + 1;
}

/**
 * What a bank grants a person in `year` by `asOf`: a yearly allowance (prorated by the months left from a
 * start date in that year, to the half day) plus the tenure step reached by `asOf`, or a monthly accrual
 * (each month counted from its first day) with each month's share of the tenure step reached by that day.
 * Nothing before the person starts.
 */
export function computeEntitlement(params: {
  bank: LeaveBank;
  member: Pick<StaffMember, 'startDate' | 'allowances'> | undefined;
  year: number;
  asOf: IsoDay;
  office: LeaveOffice;
}): number {
  const { bank, member, year, asOf, office } = params;
  const startDate = member?.startDate;
  if (startDate && startDate > `${year}-12-31`) return 0;
  const policy = bank.policy;
  const tenureOn = (day: IsoDay) =>
    startDate
      ? Math.max(
          0,
          ...(policy?.tenure ?? [])
            .filter((step) => completedYears(startDate, day) >= step.years)
            .map((step) => step.extraDays),
        )
      : 0;
  const startsThisYear = startDate !== undefined && startDate.slice(0, 4) === String(year);
  const share = startsThisYear ? monthsStarted(year, startDate, `${year}-12-31`) / 12 : 1;
  const override = findAllowanceOverride(bank, member, office);
  if (policy?.accrual) {
    const { perMonth } = policy.accrual;
    // A tenure step reached mid-year adds to the months from then on, never to the months before it.
    const months = monthsStarted(year, startDate, asOf);
    const firstMonth = 13 - monthsStarted(year, startDate, `${year}-12-31`);
    let accrued = 0;
    for (let month = firstMonth; month < firstMonth + months; month += 1) {
      const monthStart = `${year}-${String(month).padStart(2, '0')}-01`;
      const countedFrom = startDate && startDate > monthStart ? startDate : monthStart;
      accrued += computeMonthlyAccrual(perMonth, override, tenureOn(countedFrom));
    }
    return roundDays(accrued);
  }
  const yearly = override ?? policy?.allowanceDays ?? office.timeoff.allowanceDays;
  return roundToHalf((yearly + tenureOn(asOf)) * share);
}

/** What an accrual credits a month: the policy's, or a person's own yearly allowance in twelfths; tenure too. */
function computeMonthlyAccrual(perMonth: number, override: number | undefined, tenure: number): number {
  return (override === undefined ? perMonth : override / 12) + tenure / 12;
}

/**
 * A person's own allowance for a bank (`allowances: { vacation: 20 }`): the one of the bank's policy type,
 * or for the shared bank the one of `vacation` while vacation draws from it, as before policies.
 */
function findAllowanceOverride(
  bank: LeaveBank,
  member: Pick<StaffMember, 'allowances'> | undefined,
  office: LeaveOffice,
): number | undefined {
  const allowances = member?.allowances;
  if (!allowances) return undefined;
  if (bank.id !== SHARED_BANK) return allowances[bank.id];
  return findLeaveBank('vacation', office).id === SHARED_BANK ? allowances.vacation : undefined;
}

/** Something that takes days from a bank: a request, or a sick call-out (approved, one day). */
export interface LeaveUse {
  start: IsoDay;
  end: IsoDay;
  part: DayPart;
  status: 'pending' | 'approved';
}

/** What a person holds in one bank in one year, in working days of their own calendar. */
export interface BankBalance {
  bank: LeaveBank;
  year: number;
  /** granted by `asOf`, carried-over days still usable, and adjustments, under the cap */
  available: number;
  approved: number;
  pending: number;
  /** available − approved − pending; may go below zero */
  remaining: number;
  carried: number;
  adjusted: number;
}

/** Days of `use` that fall in `from`…`to`, on the person's working days. */
function countDaysWithin(use: LeaveUse, from: IsoDay, to: IsoDay, calendar: LeaveOffice): number {
  const start = use.start > from ? use.start : from;
  const end = use.end < to ? use.end : to;
  return start > end ? 0 : countWorkingDays(start, end, use.part, calendar);
}

/** The days `uses` take in each month of `year` (January first), on the person's working days. */
function countDaysByMonth(uses: readonly LeaveUse[], year: number, calendar: LeaveOffice): number[] {
  const months = new Array<number>(12).fill(0);
  const first = `${year}-01-01`;
  const last = `${year}-12-31`;
  for (const use of uses) {
    const start = use.start > first ? use.start : first;
    const end = use.end < last ? use.end : last;
    if (start > end) continue;
    for (const day of listWorkingDays(start, end, calendar)) {
      const month = Number(day.slice(5, 7)) - 1;
      months[month] = (months[month] ?? 0) + (use.part === 'full' ? 1 : 0.5);
    }
  }
  return months;
}

/**
 * One bank's balance for `year` as of `asOf`: entitlement by then, plus days carried in (usable only for
 * leave taken by the carry-over's expiry, so what is unused then lapses), under the cap on what the bank
 * holds, plus adjustments; minus approved and pending days of the year. Days count on the person's own
 * workdays.
 */
export function computeBankBalance(params: {
  bank: LeaveBank;
  member: Pick<StaffMember, 'startDate' | 'allowances' | 'workdays'> | undefined;
  year: number;
  asOf: IsoDay;
  uses: readonly LeaveUse[];
  carried: number;
  adjusted: number;
  office: LeaveOffice;
}): BankBalance {
  const { bank, member, year, asOf, uses, carried, adjusted, office } = params;
  const calendar = personCalendar(office, member);
  const first = `${year}-01-01`;
  const last = `${year}-12-31`;
  let approved = 0;
  let pending = 0;
  for (const use of uses) {
    const days = countDaysWithin(use, first, last, calendar);
    if (use.status === 'approved') approved += days;
    else pending += days;
  }
  const expires = findCarryOverExpiry(bank, year);
  // Pending leave counts as it does against the balance: as taken, so a request spanning the expiry
  // is weighed with the carried days its own first days use.
  const takenByExpiry = expires
    ? uses.reduce((sum, use) => sum + countDaysWithin(use, first, expires, calendar), 0)
    : 0;
  const carriedOn = (day: IsoDay) => (expires && day > expires ? Math.min(carried, takenByExpiry) : carried);
  const usableCarry = carriedOn(asOf);
  const cap = bank.policy?.cap;
  let granted: number;
  if (cap !== undefined && bank.policy?.accrual) {
    // The cap is on what the bank holds: a month's accrual is credited only up to it, so leave taken
    // makes room for the months after.
    const usedInMonth = countDaysByMonth(uses, year, calendar);
    granted = usableCarry;
    let due = 0;
    let used = 0;
    const lastMonth = asOf > last ? 12 : asOf < first ? 0 : Number(asOf.slice(5, 7));
    for (let month = 1; month <= lastMonth; month += 1) {
      const firstOfMonth = `${year}-${String(month).padStart(2, '0')}-01`;
      const dueBy = computeEntitlement({ bank, member, year, asOf: firstOfMonth, office });
      const held = carriedOn(firstOfMonth) + granted - usableCarry - used;
      granted += Math.max(0, Math.min(dueBy - due, cap - held));
      due = dueBy;
      used += usedInMonth[month - 1] ?? 0;
    }
  } else {
    const entitled = computeEntitlement({ bank, member, year, asOf, office }) + usableCarry;
    granted = cap === undefined ? entitled : Math.min(cap, entitled);
  }
  const available = roundDays(granted + adjusted);
  return {
    bank,
    year,
    available,
    approved,
    pending,
    remaining: roundDays(available - approved - pending),
    carried: usableCarry,
    adjusted,
  };
}

/**
 * The last day in `year` that days carried into it may be used, when the bank's carry-over expires: its
 * `carryOver.expires` month-day, with "02-29" the last day of February in a year that has no 29th.
 */
export function findCarryOverExpiry(bank: LeaveBank, year: number): IsoDay | undefined {
  const expires = bank.policy?.carryOver?.expires;
  if (!expires) return undefined;
  const month = DateTime.fromObject({ year, month: Number(expires.slice(0, 2)) }, { zone: 'utc' });
  const day = Math.min(Number(expires.slice(3, 5)), month.daysInMonth ?? 28);
  return month.set({ day }).toISODate() as IsoDay;
}

/**
 * What the year-end run does with a bank's remaining days: up to `carryOver.maxDays` go into the new year,
 * the rest lapse. A bank without carry-over lapses everything; an overdrawn bank carries nothing.
 */
export function computeCarryOver(remaining: number, bank: LeaveBank): { carried: number; forfeited: number } {
  const left = roundDays(Math.max(0, remaining));
  const carried = Math.min(left, bank.policy?.carryOver?.maxDays ?? 0);
  return { carried, forfeited: roundDays(left - carried) };
}
