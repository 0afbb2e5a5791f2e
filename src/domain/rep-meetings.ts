import { DateTime } from 'luxon';
import type { OfficeConfig, StaffMember } from '../config/office.ts';
import { isHoliday } from './calendar.ts';
import {
  addDays,
  type DayPart,
  getOfficeDay,
  getWeekday,
  type IsoDay,
  listDays,
  parseDateRange,
} from './dates.ts';
import type { DigestSection } from './digest.ts';
import { slugifyName } from './people.ts';
import { hasVisibleText } from './visible-text.ts';

/** What `reps` in the office config falls back to for each optional rule. */
export const REP_DEFAULTS = {
  minNoticeHours: 24,
  maxWeeksAhead: 8,
  maxPerCompanyPerMonth: 2,
  reminderMinutes: 60,
} as const;

/** The longest rep name, company, topic or contact a booking keeps. */
export const MAX_REP_TEXT = 200;

/** How many days ahead `/reps` lists open slots. */
export const OPEN_SLOT_DAYS = 14;

/** The part of the office config the rep rules read. */
export type RepOffice = Pick<OfficeConfig, 'office' | 'reps' | 'timeoff'>;

/** One bookable-in-principle visit: `time` ("12:00") on `day` in the office zone, `minutes` long. */
export interface RepSlot {
  day: IsoDay;
  time: string;
  start: DateTime;
  end: DateTime;
}

/** A booking as the rules see it: where it is, who it is with, and which providers it expects. */
export interface RepVisit {
  reference: string;
  day: IsoDay;
  time: string;
  repName: string;
  company: string;
  providerKeys: readonly string[];
}

/** A booking asked for by text or form, before any rule was checked. */
export interface RepBookingDraft {
  day: IsoDay;
  time: string;
  repName: string;
  company: string;
}

/** Why a booking was refused; `slot_taken` comes from the database, every other reason from the rules here. */
export type RepBookingRefusal =
  | { reason: 'rep_name_missing' }
  | { reason: 'rep_name_too_long'; length: number }
  | { reason: 'company_missing' }
  | { reason: 'company_too_long'; length: number }
  | { reason: 'in_the_past'; today: IsoDay }
  | { reason: 'holiday' }
  | { reason: 'closed_day' }
  | { reason: 'not_a_slot'; times: string[] }
  | { reason: 'too_soon'; minNoticeHours: number }
  | { reason: 'too_far'; maxWeeksAhead: number; latestDay: IsoDay }
  | { reason: 'company_cap'; count: number; max: number; month: string };

export type RepBookingEvaluation =
  | { ok: true; slot: RepSlot; companyKey: string }
  | ({ ok: false } & RepBookingRefusal);

const SLOT_KEY = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2})$/;
const TIME_WORD = /^(?:(noon|midday)|(\d{1,2})(?::(\d{2}))?\s*(am|pm|a\.m\.|p\.m\.)?)(?:\s+|$)/i;
const LATE_AFTER_MINUTES = 2;

/** The optional rules of `reps`, with REP_DEFAULTS where the office config leaves them out. */
export function readRepRules(office: Pick<OfficeConfig, 'reps'>) {
  return {
    closed: office.reps.closed ?? [],
    minNoticeHours: office.reps.minNoticeHours ?? REP_DEFAULTS.minNoticeHours,
    maxWeeksAhead: office.reps.maxWeeksAhead ?? REP_DEFAULTS.maxWeeksAhead,
    maxPerCompanyPerMonth: office.reps.maxPerCompanyPerMonth ?? REP_DEFAULTS.maxPerCompanyPerMonth,
    reminderMinutes: office.reps.reminderMinutes ?? REP_DEFAULTS.reminderMinutes,
  };
}

/** `2026-12-01T12:00`: a slot's name in buttons and forms, its day and time in the office zone. */
export function formatSlotKey(slot: Pick<RepSlot, 'day' | 'time'>): string {
  return `${slot.day}T${slot.time}`;
}

/** Reads a slot name made by formatSlotKey; anything else is undefined. */
export function parseSlotKey(text: string): { day: IsoDay; time: string } | undefined {
  const match = SLOT_KEY.exec(text.trim());
  if (!match?.[1] || !match[2]) return undefined;
  return { day: match[1], time: match[2] };
}

/** Why a day has no rep slots at all: an office holiday or one of `reps.closed`; undefined on other days. */
export function findDayClosure(day: IsoDay, office: RepOffice): 'holiday' | 'closed_day' | undefined {
  if (isHoliday(day, office)) return 'holiday';
  if (readRepRules(office).closed.includes(day)) return 'closed_day';
  return undefined;
}

/** The configured slot times on `day`'s weekday, earliest first, whether or not the day is closed. */
export function listSlotTimes(day: IsoDay, office: Pick<OfficeConfig, 'reps'>): string[] {
  const weekday = getWeekday(day);
  return [
    ...new Set(office.reps.slots.filter((slot) => slot.day === weekday).map((slot) => slot.time)),
  ].sort();
}

/**
 * The slot at `time` on `day`, when the office offers one: a configured weekday and time, not a holiday
 * or closed day, and a time that exists on that day (a slot inside a spring-forward gap does not).
 */
export function findRepSlot(day: IsoDay, time: string, office: RepOffice): RepSlot | undefined {
  if (findDayClosure(day, office) || !listSlotTimes(day, office).includes(time)) return undefined;
  const zone = office.office.timezone;
  const [year, month, date] = day.split('-').map(Number);
  const [hour, minute] = time.split(':').map(Number);
  const start = DateTime.fromObject({ year, month, day: date, hour, minute }, { zone });
  // luxon moves a wall time that the clocks skip past; such a slot does not happen that day.
  if (!start.isValid || start.hour !== hour || start.minute !== minute) return undefined;
  return { day, time, start, end: start.plus({ minutes: office.reps.minutes }) };
}

/** Every slot from `from` to `to` (both included), in time order, skipping holidays and closed days. */
export function listRepSlots(from: IsoDay, to: IsoDay, office: RepOffice): RepSlot[] {
  return listDays(from, to).flatMap((day) =>
    listSlotTimes(day, office).flatMap((time) => findRepSlot(day, time, office) ?? []),
  );
}

/** A slot can be booked until `reps.minNoticeHours` before it, on days up to `reps.maxWeeksAhead` weeks from today. */
export function checkBookingWindow(
  slot: RepSlot,
  now: DateTime,
  office: RepOffice,
):
  | { ok: true }
  | ({ ok: false } & Extract<RepBookingRefusal, { reason: 'too_soon' | 'too_far' | 'in_the_past' }>) {
  const rules = readRepRules(office);
  if (slot.start <= now) {
    return { ok: false, reason: 'in_the_past', today: getOfficeDay(now, office.office.timezone) };
  }
  if (slot.start < now.plus({ hours: rules.minNoticeHours })) {
    return { ok: false, reason: 'too_soon', minNoticeHours: rules.minNoticeHours };
  }
  // Counted in office days, so the slot on the same weekday eight weeks on is still in, whatever the hour.
  const latestDay = addDays(getOfficeDay(now, office.office.timezone), rules.maxWeeksAhead * 7);
  if (slot.day > latestDay) {
    return { ok: false, reason: 'too_far', maxWeeksAhead: rules.maxWeeksAhead, latestDay };
  }
  return { ok: true };
}

/**
 * The slots of the next `days` days (today included) that can be booked now and are not taken;
 * `taken` holds slot keys (formatSlotKey) of current bookings.
 */
export function findOpenRepSlots(params: {
  now: DateTime;
  office: RepOffice;
  taken: ReadonlySet<string>;
  days?: number;
}): RepSlot[] {
  const { now, office, taken } = params;
  const today = getOfficeDay(now, office.office.timezone);
  return listRepSlots(today, addDays(today, (params.days ?? OPEN_SLOT_DAYS) - 1), office).filter(
    (slot) => !taken.has(formatSlotKey(slot)) && checkBookingWindow(slot, now, office).ok,
  );
}

/** `Acme Pharma, Inc.` and `ACME pharma inc` are one company: letters and digits only, lower case. */
export function normalizeCompany(company: string): string {
  return company
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, '');
}

/** The calendar month (`2026-12`, first and last day) a visit on `day` counts against for the per-company cap. */
export function findCapMonth(day: IsoDay): { month: string; first: IsoDay; last: IsoDay } | undefined {
  const date = DateTime.fromISO(day, { zone: 'utc' });
  if (!date.isValid) return undefined;
  return {
    month: date.toFormat('yyyy-MM'),
    first: date.startOf('month').toFormat('yyyy-MM-dd'),
    last: date.endOf('month').toFormat('yyyy-MM-dd'),
  };
}

/**
 * Checks a booking against every rule but the race for the slot: rep name and company present and at most
 * MAX_REP_TEXT characters, a day not past, not a holiday or closed day, a configured slot time, inside the
 * notice window, and the company under `reps.maxPerCompanyPerMonth` visits in the slot's calendar month
 * (`companyVisitsInMonth` counts its current bookings that month).
 */
export function evaluateRepBooking(input: {
  draft: RepBookingDraft;
  now: DateTime;
  office: RepOffice;
  companyVisitsInMonth: number;
}): RepBookingEvaluation {
  const { draft, now, office } = input;
  const repName = draft.repName.trim();
  const company = draft.company.trim();
  // Zero-width or other undrawn characters name nobody the front desk could greet.
  if (!hasVisibleText(repName)) return { ok: false, reason: 'rep_name_missing' };
  if (repName.length > MAX_REP_TEXT)
    return { ok: false, reason: 'rep_name_too_long', length: repName.length };
  const companyKey = normalizeCompany(company);
  if (companyKey === '') return { ok: false, reason: 'company_missing' };
  if (company.length > MAX_REP_TEXT) return { ok: false, reason: 'company_too_long', length: company.length };

  const today = getOfficeDay(now, office.office.timezone);
  if (draft.day < today) return { ok: false, reason: 'in_the_past', today };
  const closure = findDayClosure(draft.day, office);
  if (closure) return { ok: false, reason: closure };
  const slot = findRepSlot(draft.day, draft.time, office);
  if (!slot) return { ok: false, reason: 'not_a_slot', times: listSlotTimes(draft.day, office) };
  const window = checkBookingWindow(slot, now, office);
  if (!window.ok) return window;

  const max = readRepRules(office).maxPerCompanyPerMonth;
  if (input.companyVisitsInMonth >= max) {
    return {
      ok: false,
      reason: 'company_cap',
      count: input.companyVisitsInMonth,
      max,
      month: draft.day.slice(0, 7),
    };
  }
  return { ok: true, slot, companyKey };
}

/** A booking read from `<date> <time> <rep> from <company>`, or why it could not be read. */
export type RepBookingTextParse =
  | { ok: true; day: IsoDay; time: string; repName: string; company: string }
  | { ok: false; reason: 'no_date' | 'not_one_day' | 'no_time' | 'no_company' }
  | { ok: false; reason: 'unparseable_date'; fragment: string };

/** Reads `2026-12-02 12:00 Jordan Smith from Acme Pharma` (also `dec 2 noon …`, `wed 12pm …`) in the office zone. */
export function parseRepBookingText(text: string, now: DateTime, zone: string): RepBookingTextParse {
  const date = parseDateRange(text, now, zone);
  if (!date.ok) {
    if (date.reason === 'unparseable')
      return { ok: false, reason: 'unparseable_date', fragment: date.fragment };
    return { ok: false, reason: date.reason === 'no_date' ? 'no_date' : 'not_one_day' };
  }
  if (date.start !== date.end) return { ok: false, reason: 'not_one_day' };
  // `dec 2 pm` was read as a half day by the date reader; for a visit it means noon or later, not a time.
  if (date.part !== 'full') return { ok: false, reason: 'no_time' };
  const time = readClockTime(date.rest);
  if (!time) return { ok: false, reason: 'no_time' };
  const match = /^(.*?)\s+from\s+(.+)$/i.exec(time.rest);
  if (!match?.[1] || !match[2]) return { ok: false, reason: 'no_company' };
  return { ok: true, day: date.start, time: time.time, repName: match[1].trim(), company: match[2].trim() };
}

/** A time of day at the start of `text` as `HH:mm`: `12:00`, `13:30`, `12pm`, `1:30 p.m.`, `noon`; a bare hour needs am/pm. */
function readClockTime(text: string): { time: string; rest: string } | undefined {
  const match = TIME_WORD.exec(text);
  if (!match) return undefined;
  const rest = text.slice(match[0].length).trim();
  if (match[1]) return { time: '12:00', rest };
  const suffix = match[4]?.toLowerCase().replace(/\./g, '');
  if (match[3] === undefined && suffix === undefined) return undefined;
  let hour = Number(match[2]);
  const minute = Number(match[3] ?? '0');
  if (minute > 59) return undefined;
  if (suffix) {
    if (hour < 1 || hour > 12) return undefined;
    hour = (hour % 12) + (suffix === 'pm' ? 12 : 0);
  } else if (hour > 23) {
    return undefined;
  }
  return { time: `${String(hour).padStart(2, '0')}:${String(minute).padStart(2, '0')}`, rest };
}

/**
 * The visits a provider's approved time off touches: on a day it covers, listing the provider as expected;
 * a morning off covers visits before noon, an afternoon off visits from noon on.
 */
export function findVisitsDuringTimeOff(
  visits: readonly RepVisit[],
  off: { personKey: string; start: IsoDay; end: IsoDay; part: DayPart },
): RepVisit[] {
  return visits.filter((visit) => {
    if (!visit.providerKeys.includes(off.personKey)) return false;
    if (visit.day < off.start || visit.day > off.end) return false;
    if (off.part === 'am') return visit.time < '12:00';
    if (off.part === 'pm') return visit.time >= '12:00';
    return true;
  });
}

/**
 * The reminders due now: one per visit whose reminder time (`reps.reminderMinutes` before it) has come and
 * which has not started; `late` when the reminder goes out more than two minutes after its time.
 */
export function findDueRepReminders<T extends { start: DateTime }>(
  visits: readonly T[],
  now: DateTime,
  office: Pick<OfficeConfig, 'reps'>,
): { visit: T; remindAt: DateTime; late: boolean }[] {
  const minutes = readRepRules(office).reminderMinutes;
  return visits.flatMap((visit) => {
    const remindAt = visit.start.minus({ minutes });
    if (now < remindAt || now >= visit.start) return [];
    return [{ visit, remindAt, late: now.diff(remindAt, 'minutes').minutes > LATE_AFTER_MINUTES }];
  });
}

/**
 * The staff members named in `text` (commas, semicolons or "and" between names). A name matches a staff
 * entry exactly, without its title (`Helen Park` for `Dr. Helen Park`), or by a last name only one person has.
 */
export function matchStaffNames(
  text: string,
  staff: readonly StaffMember[],
): { members: StaffMember[]; unknown: string[] } {
  const members: StaffMember[] = [];
  const unknown: string[] = [];
  const names = text
    .split(/\s*(?:,|;|\band\b|&)\s*/i)
    .map((name) => name.trim())
    .filter((name) => name !== '');
  for (const name of names) {
    const wanted = stripTitle(slugifyName(name));
    const exact = staff.filter((member) => stripTitle(slugifyName(member.name)) === wanted);
    const byLastName = staff.filter((member) => slugifyName(member.name).endsWith(`-${wanted}`));
    const found = exact.length === 1 ? exact[0] : byLastName.length === 1 ? byLastName[0] : undefined;
    if (!found || wanted === '') unknown.push(name);
    else if (!members.includes(found)) members.push(found);
  }
  return { members, unknown };
}

function stripTitle(slug: string): string {
  return slug.replace(/^(dr|doctor|np|pa|rn)-/, '');
}

/** The huddle's rep visits of the day, earliest first. */
export function describeRepVisitSection(
  visits: readonly {
    time: string;
    repName: string;
    company: string;
    lunch?: boolean;
    providerNames?: readonly string[];
  }[],
): DigestSection {
  return {
    heading: 'Reps today',
    lines: [...visits]
      .sort((a, b) => a.time.localeCompare(b.time))
      .map((visit) =>
        [
          `${visit.time} · ${visit.repName} (${visit.company})`,
          ...(visit.lunch ? ['lunch'] : []),
          ...(visit.providerNames && visit.providerNames.length > 0
            ? [`expects ${visit.providerNames.join(', ')}`]
            : []),
        ].join(' · '),
      ),
  };
}
