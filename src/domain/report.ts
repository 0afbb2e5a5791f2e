import { DateTime } from 'luxon';
import type { CheckConfig, OfficeConfig, StaffMember } from '../config/office.ts';
import { countWorkingDays, findNextWorkingDay, isWorkingDay, listWorkingDays } from './calendar.ts';
import type { CallOutKind } from './call-outs.ts';
import { listCheckSlots } from './checks.ts';
import {
  COMPLAINT_CATEGORY_LABELS,
  COMPLAINT_SEVERITY_LABELS,
  type ComplaintCategory,
  type ComplaintSeverity,
  type ComplaintStatus,
} from './complaints.ts';
import { type ClearedFor, type DigestAbsence, findRolesBelowCoverage } from './coverage.ts';
import {
  type DayPart,
  getOfficeDay,
  getOfficeMonth,
  type IsoDay,
  listDays,
  parseOfficeMonth,
} from './dates.ts';
import { describeLeaveType, personCalendar } from './leave-banks.ts';
import { formatRole } from './people.ts';
import { type CatalogItem, computeLineCostCents, type SupplyStatus, toCents } from './supplies.ts';

/**
 * The month a report covers, in the office zone: `start`–`end` are instants (`end` exclusive), `first`–`last`
 * office days (both included). A month still running ends now and today: `partial`.
 */
export interface ReportPeriod {
  /** `2026-11`: the month's name in commands and run keys */
  key: string;
  /** `November 2026`, or `November 2026 so far` */
  label: string;
  start: DateTime;
  end: DateTime;
  first: IsoDay;
  last: IsoDay;
  partial: boolean;
}

export type ReportPeriodParse =
  | { ok: true; period: ReportPeriod }
  | { ok: false; reason: 'not_a_month' | 'future' };

/** Calendar month `month` of `year` in `zone`: midnight of its first day to midnight of the next month's, DST included. */
export function getMonthRange(
  year: number,
  month: number,
  zone: string,
): Pick<ReportPeriod, 'key' | 'start' | 'end' | 'first' | 'last'> {
  const start = DateTime.fromObject({ year, month, day: 1 }, { zone });
  const end = start.plus({ months: 1 });
  return {
    key: start.toFormat('yyyy-MM'),
    start,
    end,
    first: start.toISODate() ?? '',
    last: end.minus({ days: 1 }).toISODate() ?? '',
  };
}

function fullMonth(year: number, month: number, zone: string): ReportPeriod {
  const range = getMonthRange(year, month, zone);
  return { ...range, label: range.start.toFormat('LLLL yyyy'), partial: false };
}

/** The month containing `now`, up to now: its figures so far. */
function monthSoFar(now: DateTime, zone: string): ReportPeriod {
  const local = now.setZone(zone);
  const range = getMonthRange(local.year, local.month, zone);
  return {
    ...range,
    end: local,
    last: getOfficeDay(local, zone),
    label: `${range.start.toFormat('LLLL yyyy')} so far`,
    partial: true,
  };
}

/** The last month that has ended, as of `now` in the office zone. */
export function findLastFullMonth(now: DateTime, zone: string): ReportPeriod {
  const previous = now.setZone(zone).startOf('month').minus({ months: 1 });
  return fullMonth(previous.year, previous.month, zone);
}

/**
 * What `/report <text>` covers: nothing (or `last month`) is the last full month, `this month` the month so
 * far, `2026-11` that month (the current one so far); a month that has not started is refused.
 */
export function parseReportPeriod(text: string, now: DateTime, zone: string): ReportPeriodParse {
  const written = text.trim().toLowerCase().replace(/\s+/g, ' ');
  if (written === '' || written === 'last month') return { ok: true, period: findLastFullMonth(now, zone) };
  if (written === 'this month') return { ok: true, period: monthSoFar(now, zone) };
  const asked = parseOfficeMonth(written, zone);
  if (!asked) return { ok: false, reason: 'not_a_month' };
  const current = getOfficeMonth(now, zone);
  if (asked.start > current.start) return { ok: false, reason: 'future' };
  return {
    ok: true,
    period:
      asked.key === current.key
        ? monthSoFar(now, zone)
        : fullMonth(asked.start.year, asked.start.month, zone),
  };
}

/** The first working day (office workdays, not holidays) of the month containing `day`. */
export function findFirstWorkingDayOfMonth(day: IsoDay, office: Pick<OfficeConfig, 'timeoff'>): IsoDay {
  const first = `${day.slice(0, 8)}01`;
  return isWorkingDay(first, office) ? first : findNextWorkingDay(first, office);
}

/** `75%`: a part of a whole, to the whole percent; the whole must be above zero. */
export function formatPercent(part: number, whole: number): string {
  return `${Math.round((part / whole) * 100)}%`;
}

/** `3 of 4 (75%)`, or `none due` when nothing was due. */
export function formatRate(done: number, due: number): string {
  return due === 0 ? 'none due' : `${done} of ${due} (${formatPercent(done, due)})`;
}

/** Approved time off as the report counts it: role and type, never who. */
export interface ReportTimeOff {
  role: string | null;
  type: string;
  start: IsoDay;
  end: IsoDay;
  part: DayPart;
  /** the person's own working days, when they have a part-time pattern */
  workdays: StaffMember['workdays'];
}

export interface ReportCallOut {
  role: string | null;
  kind: CallOutKind;
  day: IsoDay;
  covered: boolean;
}

export interface ReportSupplyLine {
  sku: string | null;
  status: SupplyStatus;
  approvedAt: Date | null;
  quantity: number;
  unitPriceCents: number | null;
}

export interface ReportStockCount {
  sku: string;
  count: number;
  at: Date;
}

/** A complaint as the report sees it: its category, severity and clocks, never its text or reporter. */
export interface ReportComplaint {
  category: ComplaintCategory;
  severity: ComplaintSeverity;
  status: ComplaintStatus;
  ackDue: IsoDay;
  resolveDue: IsoDay;
  acknowledgedAt: Date | null;
  resolvedAt: Date | null;
}

export interface ReportRepVisit {
  company: string;
  companyKey: string;
  day: IsoDay;
}

export interface ReportCheckReading {
  checkId: string;
  day: IsoDay;
  dueTime: string;
  recordedAt: Date;
  outOfRange: boolean;
}

/** Everything a month's report is computed from; the loader reads it for the period. */
export interface ReportFacts {
  timeOff: readonly ReportTimeOff[];
  absences: readonly DigestAbsence[];
  cleared: ClearedFor;
  callOuts: readonly ReportCallOut[];
  supplyLines: readonly ReportSupplyLine[];
  stockCounts: readonly ReportStockCount[];
  complaints: readonly ReportComplaint[];
  repVisits: readonly ReportRepVisit[];
  checkReadings: readonly ReportCheckReading[];
  /** the office day of each check's first reading ever (by check id), not only this month's */
  firstCheckReadings: Readonly<Record<string, IsoDay>>;
  /** the office day of the office's first audit entry: when it began using frontdesk, if it has */
  firstUsedOn: IsoDay | undefined;
}

/** A clock's record: met on time, missed (done late, or not done past its day), still running. */
export interface ClockRecord {
  onTime: number;
  due: number;
  running: number;
}

export interface ReportFigures {
  period: ReportPeriod;
  workingDays: number;
  timeOff: { role: string; type: string; requests: number; days: number }[];
  coverage: { role: string; days: number; allDay: number }[];
  callOuts: { role: string; sick: number; late: number; leaving: number; covered: number }[];
  spend: {
    totalCents: number;
    budgetCents: number | undefined;
    byCategory: { name: string; cents: number }[];
    byVendor: { name: string; cents: number }[];
    unpriced: number;
  };
  belowPar: { sku: string; name: string; par: number; lowest: number; times: number }[];
  complaints: {
    total: number;
    byCategory: { category: string; count: number }[];
    bySeverity: { severity: string; count: number }[];
    acknowledgement: ClockRecord;
    resolution: ClockRecord;
  };
  repVisits: { company: string; visits: number }[];
  checks: {
    checkId: string;
    name: string;
    /** the first day of the period counted: later than `period.first` when the check came into use within it */
    countedFrom: IsoDay;
    /** false when the check came into use only after the period: nothing of it is counted */
    inUse: boolean;
    due: number;
    onTime: number;
    late: number;
    missed: number;
    outOfRange: number;
  }[];
}

type ReportOffice = Pick<
  OfficeConfig,
  'office' | 'timeoff' | 'coverage' | 'staff' | 'supplies' | 'checks' | 'complaints'
>;

const NO_ROLE = 'No role';
// Spend on statuses that still stand: a cancelled or denied line was never spent.
const SPENT: ReadonlySet<SupplyStatus> = new Set(['approved', 'ordered', 'received']);
const SEVERITY_ORDER: readonly ComplaintSeverity[] = ['urgent', 'high', 'medium', 'low'];

function roleName(role: string | null | undefined): string {
  return role ? formatRole(role) : NO_ROLE;
}

/** Largest first, then by name, so a chart and its lines read in the same order. */
function byLargest<T extends { name: string }>(entries: Map<string, T>, size: (entry: T) => number): T[] {
  return [...entries.values()].sort((a, b) => size(b) - size(a) || a.name.localeCompare(b.name));
}

function addTo(map: Map<string, { name: string; cents: number }>, name: string, cents: number): void {
  const entry = map.get(name) ?? { name, cents: 0 };
  entry.cents += cents;
  map.set(name, entry);
}

/** Working days of approved time off within the period, per role and leave type; a request counts once per pair. */
function sumTimeOff(
  rows: readonly ReportTimeOff[],
  period: ReportPeriod,
  office: ReportOffice,
): ReportFigures['timeOff'] {
  const totals = new Map<
    string,
    { name: string; role: string; type: string; requests: number; days: number }
  >();
  for (const row of rows) {
    // ISO days compare as text; Math.max would read them as numbers.
    const from = [row.start, period.first].sort()[1] ?? row.start;
    const to = [row.end, period.last].sort()[0] ?? row.end;
    if (from > to) continue;
    const days = countWorkingDays(from, to, row.part, personCalendar(office, { workdays: row.workdays }));
    const role = roleName(row.role);
    const type = describeLeaveType(row.type, office);
    const key = `${role}\u0000${type}`;
    const entry = totals.get(key) ?? { name: key, role, type, requests: 0, days: 0 };
    entry.requests += 1;
    entry.days += days;
    totals.set(key, entry);
  }
  return [...totals.values()]
    .sort((a, b) => a.role.localeCompare(b.role) || b.days - a.days || a.type.localeCompare(b.type))
    .map(({ role, type, requests, days }) => ({ role, type, requests, days }));
}

/** Working days on which each role with a minimum fell below it, for any part of the day, and of those all day. */
function countDaysBelowCoverage(
  facts: ReportFacts,
  period: ReportPeriod,
  office: ReportOffice,
): ReportFigures['coverage'] {
  const { open, close } = office.office.hours;
  const counts = new Map<string, { role: string; days: number; allDay: number }>();
  for (const [role, needed] of Object.entries(office.coverage))
    if (needed > 0) counts.set(role, { role: formatRole(role), days: 0, allDay: 0 });
  // Every working day is looked at, with no one away too: a part-time rota, a lapsed credential or a role
  // with fewer people than its minimum leaves it short. Only the absences touching a day are passed for it,
  // so a month of a large practice stays quick.
  for (const day of listWorkingDays(period.first, period.last, office)) {
    const touching = facts.absences.filter((absence) => absence.start <= day && absence.end >= day);
    const gapRoles = new Map<string, boolean>();
    for (const gap of findRolesBelowCoverage(day, touching, office, facts.cleared))
      gapRoles.set(gap.role, (gapRoles.get(gap.role) ?? false) || (gap.from === open && gap.until === close));
    for (const [role, allDay] of gapRoles) {
      const entry = counts.get(role);
      if (!entry) continue;
      entry.days += 1;
      if (allDay) entry.allDay += 1;
    }
  }
  return [...counts.values()];
}

function countCallOuts(rows: readonly ReportCallOut[], period: ReportPeriod): ReportFigures['callOuts'] {
  const counts = new Map<
    string,
    { name: string; role: string; sick: number; late: number; leaving: number; covered: number }
  >();
  for (const row of rows) {
    if (row.day < period.first || row.day > period.last) continue;
    const role = roleName(row.role);
    const entry = counts.get(role) ?? { name: role, role, sick: 0, late: 0, leaving: 0, covered: 0 };
    entry[row.kind] += 1;
    if (row.covered) entry.covered += 1;
    counts.set(role, entry);
  }
  return byLargest(counts, (entry) => entry.sick + entry.late + entry.leaving).map(
    ({ role, sick, late, leaving, covered }) => ({ role, sick, late, leaving, covered }),
  );
}

/** Spend approved within the period that still stands, by catalog category and vendor, against the monthly budget. */
function sumSpend(
  lines: readonly ReportSupplyLine[],
  period: ReportPeriod,
  office: ReportOffice,
): ReportFigures['spend'] {
  const catalog = new Map<string, CatalogItem>(office.supplies.catalog.map((item) => [item.sku, item]));
  const byCategory = new Map<string, { name: string; cents: number }>();
  const byVendor = new Map<string, { name: string; cents: number }>();
  let totalCents = 0;
  let unpriced = 0;
  for (const line of lines) {
    if (!line.approvedAt || !SPENT.has(line.status)) continue;
    const at = line.approvedAt.getTime();
    if (at < period.start.toMillis() || at >= period.end.toMillis()) continue;
    const cents = computeLineCostCents(line.unitPriceCents, line.quantity);
    if (cents === null) {
      unpriced += 1;
      continue;
    }
    const item = line.sku ? catalog.get(line.sku) : undefined;
    totalCents += cents;
    addTo(byCategory, item ? (item.category ?? 'Uncategorised') : 'Not in the catalog', cents);
    addTo(byVendor, item ? (item.vendor ?? 'No vendor named') : 'Not in the catalog', cents);
  }
  const budget = office.supplies.monthlyBudget;
  return {
    totalCents,
    budgetCents: budget === undefined ? undefined : toCents(budget),
    byCategory: byLargest(byCategory, (entry) => entry.cents),
    byVendor: byLargest(byVendor, (entry) => entry.cents),
    unpriced,
  };
}

/** Catalog items counted below their par within the period: how often, and the lowest count. */
function findBelowPar(
  counts: readonly ReportStockCount[],
  period: ReportPeriod,
  office: ReportOffice,
): ReportFigures['belowPar'] {
  const catalog = new Map<string, CatalogItem>(office.supplies.catalog.map((item) => [item.sku, item]));
  const items = new Map<string, ReportFigures['belowPar'][number]>();
  for (const count of counts) {
    const item = catalog.get(count.sku);
    const at = count.at.getTime();
    if (!item || count.count >= item.par || at < period.start.toMillis() || at >= period.end.toMillis())
      continue;
    const entry = items.get(item.sku) ?? {
      sku: item.sku,
      name: item.name,
      par: item.par,
      lowest: count.count,
      times: 0,
    };
    entry.times += 1;
    entry.lowest = Math.min(entry.lowest, count.count);
    items.set(item.sku, entry);
  }
  return [...items.values()].sort(
    (a, b) => a.lowest / a.par - b.lowest / b.par || a.sku.localeCompare(b.sku),
  );
}

/**
 * One clock of complaints as of `today`: met when done by the end of its due day, missed when done later or
 * still not done after it, running while its due day has not passed.
 */
function recordClock(
  entries: readonly { due: IsoDay; doneAt: Date | null }[],
  today: IsoDay,
  zone: string,
): ClockRecord {
  const record: ClockRecord = { onTime: 0, due: 0, running: 0 };
  for (const { due, doneAt } of entries) {
    if (doneAt) {
      record.due += 1;
      if (getOfficeDay(DateTime.fromJSDate(doneAt), zone) <= due) record.onTime += 1;
    } else if (today > due) record.due += 1;
    else record.running += 1;
  }
  return record;
}

function countComplaints(
  rows: readonly ReportComplaint[],
  today: IsoDay,
  zone: string,
): ReportFigures['complaints'] {
  const categories = new Map<string, { name: string; category: string; count: number }>();
  const severities = new Map<string, number>();
  for (const row of rows) {
    const category = COMPLAINT_CATEGORY_LABELS[row.category];
    const entry = categories.get(category) ?? { name: category, category, count: 0 };
    entry.count += 1;
    categories.set(category, entry);
    severities.set(row.severity, (severities.get(row.severity) ?? 0) + 1);
  }
  return {
    total: rows.length,
    byCategory: byLargest(categories, (entry) => entry.count).map(({ category, count }) => ({
      category,
      count,
    })),
    bySeverity: SEVERITY_ORDER.flatMap((severity) => {
      const count = severities.get(severity) ?? 0;
      return count > 0 ? [{ severity: COMPLAINT_SEVERITY_LABELS[severity], count }] : [];
    }),
    acknowledgement: recordClock(
      rows.map((row) => ({ due: row.ackDue, doneAt: row.acknowledgedAt })),
      today,
      zone,
    ),
    resolution: recordClock(
      rows.map((row) => ({ due: row.resolveDue, doneAt: row.status === 'resolved' ? row.resolvedAt : null })),
      today,
      zone,
    ),
  };
}

function countRepVisits(rows: readonly ReportRepVisit[], period: ReportPeriod): ReportFigures['repVisits'] {
  const companies = new Map<string, { name: string; visits: number }>();
  for (const row of rows) {
    if (row.day < period.first || row.day > period.last) continue;
    const entry = companies.get(row.companyKey) ?? { name: row.company, visits: 0 };
    entry.visits += 1;
    companies.set(row.companyKey, entry);
  }
  return byLargest(companies, (entry) => entry.visits).map(({ name, visits }) => ({ company: name, visits }));
}

/**
 * The first day a check counts from. Nothing stored says when a check was configured, and a slot before it
 * was can never be missed: a check with readings counts from its first one (it was in use by then; one
 * added to office.yaml months after frontdesk came would otherwise show every earlier slot missed), one
 * never recorded from the office's first day on frontdesk (so its misses show), and with neither, from the
 * start of the period.
 */
export function findCheckStartDay(
  firstReading: IsoDay | undefined,
  firstUsedOn: IsoDay | undefined,
): IsoDay | undefined {
  return firstReading ?? firstUsedOn;
}

/**
 * Each configured check's times within the period, from the day it came into use (`findCheckStartDay`),
 * whose grace has run out by `now` (or that were recorded): done on time (by the end of the grace), late,
 * missed, and readings out of range.
 */
function countChecks(
  facts: ReportFacts,
  period: ReportPeriod,
  now: DateTime,
  office: ReportOffice,
): ReportFigures['checks'] {
  const bySlot = new Map(
    facts.checkReadings.map((reading) => [`${reading.checkId}/${reading.day}/${reading.dueTime}`, reading]),
  );
  return (office.checks ?? []).map((check: CheckConfig) => {
    const start = findCheckStartDay(facts.firstCheckReadings[check.id], facts.firstUsedOn);
    const countedFrom = start && start > period.first ? start : period.first;
    const figures = {
      checkId: check.id,
      name: check.name,
      countedFrom,
      inUse: countedFrom <= period.last,
      due: 0,
      onTime: 0,
      late: 0,
      missed: 0,
      outOfRange: 0,
    };
    if (!figures.inUse) return figures;
    for (const day of listDays(countedFrom, period.last)) {
      for (const slot of listCheckSlots(check, day, office)) {
        const reading = bySlot.get(`${check.id}/${day}/${slot.time}`);
        if (!reading && slot.remindAt > now) continue;
        figures.due += 1;
        if (!reading) figures.missed += 1;
        else if (reading.recordedAt.getTime() <= slot.remindAt.toMillis()) figures.onTime += 1;
        else figures.late += 1;
        if (reading?.outOfRange) figures.outOfRange += 1;
      }
    }
    return figures;
  });
}

/** The month's figures from its rows, as of `now` (clocks and checks still running are not counted missed). */
export function buildReportFigures(
  period: ReportPeriod,
  facts: ReportFacts,
  office: ReportOffice,
  now: DateTime,
): ReportFigures {
  const zone = office.office.timezone;
  return {
    period,
    workingDays: listWorkingDays(period.first, period.last, office).length,
    timeOff: sumTimeOff(facts.timeOff, period, office),
    coverage: countDaysBelowCoverage(facts, period, office),
    callOuts: countCallOuts(facts.callOuts, period),
    spend: sumSpend(facts.supplyLines, period, office),
    belowPar: findBelowPar(facts.stockCounts, period, office),
    complaints: countComplaints(facts.complaints, getOfficeDay(now, zone), zone),
    repVisits: countRepVisits(facts.repVisits, period),
    checks: countChecks(facts, period, now, office),
  };
}
