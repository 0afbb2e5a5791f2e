import * as chrono from 'chrono-node';
import { DateTime } from 'luxon';
import type { Weekday } from '../config/office.ts';
import { fromDayNumber, toDayNumber } from './day-numbers.ts';

/** A calendar day written `YYYY-MM-DD`; it has no time and no zone, so it compares as a string. */
export type IsoDay = string;

/** The part of a day taken off: the whole day, the morning or the afternoon. */
export type DayPart = 'full' | 'am' | 'pm';

/** A date range read from the start of a command's text; `rest` is what follows it, trimmed. */
export type DateRangeParse =
  | { ok: true; start: IsoDay; end: IsoDay; part: DayPart; rest: string }
  | { ok: false; reason: 'no_date' }
  | { ok: false; reason: 'unparseable'; fragment: string }
  | { ok: false; reason: 'end_before_start'; start: IsoDay; end: IsoDay }
  | { ok: false; reason: 'half_day_range'; start: IsoDay; end: IsoDay }
  /** a range word (`dec 9 to`) with nothing after it: the text was cut off before the last day */
  | { ok: false; reason: 'missing_end'; start: IsoDay };

type Token = { text: string; start: number; end: number };

type DayRead =
  | { kind: 'day'; day: IsoDay; yearImplied: boolean; next: number }
  | { kind: 'invalid'; fragment: string }
  | { kind: 'none' };

const WEEKDAYS: readonly Weekday[] = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];
const RANGE_WORDS = new Set(['to', '-', '–', '—', 'through', 'thru', 'till', 'until']);
const PART_WORDS: Readonly<Record<string, DayPart>> = {
  am: 'am',
  'a.m.': 'am',
  morning: 'am',
  pm: 'pm',
  'p.m.': 'pm',
  afternoon: 'pm',
};
const LEAD_WORDS = new Set(['from', 'on']);
// A day without a year that passed at most this many days ago is read as this year's (and so in the past).
const RECENTLY_PASSED_DAYS = 90;
// The longest date expression read as one piece, like `monday, december 7, 2026`.
const MAX_EXPRESSION_TOKENS = 6;
const ISO_DAY = /^\d{4}-\d{1,2}-\d{1,2}$/;
const SLASH_DAY = /^(\d{1,2})\/(\d{1,2})(?:\/(\d{2}|\d{4}))?$/;
const BARE_DAY_NUMBER = /^(\d{1,2})(?:st|nd|rd|th)?$/i;
const WEEKDAY_EXPRESSION =
  /^(?:(this|next|coming|last)\s+)?(mon(?:day)?|tue(?:s|sday)?|wed(?:s|nesday)?|thu(?:r|rs|rsday)?|fri(?:day)?|sat(?:urday)?|sun(?:day)?)\.?$/i;
const MONTH_NAME =
  /^(jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec|january|february|march|april|june|july|august|september|october|november|december)\.?$/i;

/** Whether `text` is a weekday's name alone (`mon`, `Friday`), without `this` or `next`. */
export function isBareWeekday(text: string): boolean {
  const weekday = WEEKDAY_EXPRESSION.exec(text.trim());
  return weekday !== null && weekday[1] === undefined;
}

/** Reads a day or a range (plus an optional am/pm half for a single day) from the start of `text`, in the office zone. */
export function parseDateRange(text: string, now: DateTime, zone: string): DateRangeParse {
  const tokens = tokenize(text);
  const today = getOfficeDay(now, zone);
  let index = tokens[0] && LEAD_WORDS.has(tokens[0].text.toLowerCase()) && tokens.length > 1 ? 1 : 0;

  const first = readDay(text, tokens, index, today);
  if (first.kind === 'invalid') return { ok: false, reason: 'unparseable', fragment: first.fragment };
  if (first.kind === 'none') {
    return looksLikeDate(tokens, index)
      ? { ok: false, reason: 'unparseable', fragment: describeFragment(tokens, index) }
      : { ok: false, reason: 'no_date' };
  }
  const start = first.day;
  let end = start;
  index = first.next;

  const separator = tokens[index];
  if (separator && RANGE_WORDS.has(separator.text.toLowerCase())) {
    // Read as one day, `dec 9 to` would file Dec 9 alone and drop the days the person meant to add.
    if (index + 1 === tokens.length) return { ok: false, reason: 'missing_end', start };
    const second = readRangeEnd(text, tokens, index + 1, today, start);
    if (second.kind === 'invalid') return { ok: false, reason: 'unparseable', fragment: second.fragment };
    if (second.kind === 'day') {
      end = second.day;
      index = second.next;
    }
  }
  if (end < start) return { ok: false, reason: 'end_before_start', start, end };

  let part: DayPart = 'full';
  const partToken = tokens[index];
  const partWord = partToken ? PART_WORDS[partToken.text.toLowerCase()] : undefined;
  if (partToken && partWord) {
    if (end !== start) return { ok: false, reason: 'half_day_range', start, end };
    part = partWord;
    index += 1;
    // `dec 8 pm to dec 9` is a range with a half day inside it, not an afternoon with the reason "to dec 9";
    // `fri pm to see the dentist` stays a reason because no day follows the range word.
    const after = tokens[index];
    if (after && RANGE_WORDS.has(after.text.toLowerCase())) {
      if (index + 1 === tokens.length) return { ok: false, reason: 'missing_end', start };
      const second = readRangeEnd(text, tokens, index + 1, today, start);
      if (second.kind === 'day') return { ok: false, reason: 'half_day_range', start, end: second.day };
    }
  }

  const rest = text
    .slice(tokens[index]?.start ?? text.length)
    .replace(/^[\s,;:–—-]+/, '')
    .trim();
  return { ok: true, start, end, part, rest };
}

/**
 * The days frontdesk plans for: from the start of last year to the end of next year, in the office zone.
 * A day outside it is a typo (`2062`, `9999`) far more often than a plan, and past its end some days
 * cannot even be stored (the day after 9999-12-31 has a five-digit year).
 */
export function getPlanningWindow(now: DateTime, zone: string): { first: IsoDay; last: IsoDay } {
  const year = now.setZone(zone).year;
  return { first: `${year - 1}-01-01`, last: `${year + 1}-12-31` };
}

/** The calendar day `now` falls on in the office zone. */
export function getOfficeDay(now: DateTime, zone: string): IsoDay {
  return toIsoDay(now.setZone(zone));
}

/** An instant as the office reads it: `Wed Nov 25 at 9:14 AM`. */
export function formatOfficeTime(at: Date, zone: string): string {
  // Labelled by the minute, the finest the label shows: the cards of a busy minute share one.
  return rememberLabel(`${Math.floor(at.getTime() / 60_000)} ${zone} time`, () =>
    DateTime.fromJSDate(at).setZone(zone).toFormat("ccc LLL d 'at' h:mm a"),
  );
}

/** Formats a day as `Mon Dec 1` (English, the office's calendar). */
export function formatDay(isoDay: IsoDay, zone: string): string {
  return rememberLabel(`${isoDay} ${zone}`, () =>
    DateTime.fromISO(isoDay, { zone, locale: 'en-US' }).toFormat('ccc LLL d'),
  );
}

/** Formats a day as `Fri Dec 31, 2027`, for days far enough away that the year matters. */
export function formatDayWithYear(isoDay: IsoDay, zone: string): string {
  return rememberLabel(`${isoDay} ${zone} year`, () =>
    DateTime.fromISO(isoDay, { zone, locale: 'en-US' }).toFormat('ccc LLL d, yyyy'),
  );
}

/**
 * Formats a day as `Fri Jan 1`, or `Fri Jan 1, 1999` when it is not in `today`'s year: without its year a
 * far day reads as the coming one.
 */
export function formatDayNamingYear(isoDay: IsoDay, today: IsoDay, zone: string): string {
  return isoDay.slice(0, 4) === today.slice(0, 4) ? formatDay(isoDay, zone) : formatDayWithYear(isoDay, zone);
}

/**
 * A day written the way people type it after a command, `dec 8`, when that reads back as the same day (today
 * or later this year); any other day is written `2027-12-08`, since `dec 8` would be read as the coming one.
 */
export function formatTypedDay(isoDay: IsoDay, today: IsoDay): string {
  if (isoDay < today || isoDay.slice(0, 4) !== today.slice(0, 4)) return isoDay;
  return DateTime.fromISO(isoDay, { zone: 'utc', locale: 'en-US' }).toFormat('LLL d').toLowerCase();
}

// Every card and answer names days, the same few hundred again and again, and luxon's formatter is the
// costly part of drawing them. Bounded: an office names far fewer days than this between restarts.
const DAY_LABELS = new Map<string, string>();
const MAX_DAY_LABELS = 20_000;

function rememberLabel(key: string, make: () => string): string {
  let label = DAY_LABELS.get(key);
  if (label === undefined) {
    if (DAY_LABELS.size >= MAX_DAY_LABELS) DAY_LABELS.clear();
    label = make();
    DAY_LABELS.set(key, label);
  }
  return label;
}

/** Formats a range as `Mon Dec 1 – Wed Dec 3`; one day is just `Mon Dec 1`; a range across years names both years. */
export function formatDayRange(start: IsoDay, end: IsoDay): string {
  const from = DateTime.fromISO(start, { zone: 'utc', locale: 'en-US' });
  const to = DateTime.fromISO(end, { zone: 'utc', locale: 'en-US' });
  if (start === end) return from.toFormat('ccc LLL d');
  const pattern = from.year === to.year ? 'ccc LLL d' : 'ccc LLL d, yyyy';
  return `${from.toFormat(pattern)} – ${to.toFormat(pattern)}`;
}

/**
 * Whether a month or year typed for an export or a report can hold records: none fall outside these years,
 * and a database refuses dates as far out as 0000 or 10000, which a month typed as 9999-12 would reach.
 */
export function isRecordYear(year: number): boolean {
  return year >= 2000 && year <= 2099;
}

/** A calendar month in the office zone: [start, end) instants, its name (`November 2026`) and key (`2026-11`). */
export interface OfficeMonth {
  start: DateTime;
  end: DateTime;
  label: string;
  key: string;
}

/** The calendar month containing `now` in the office zone. */
export function getOfficeMonth(now: DateTime, zone: string): OfficeMonth {
  const start = now.setZone(zone).startOf('month');
  return {
    start,
    end: start.plus({ months: 1 }),
    label: start.toFormat('LLLL yyyy'),
    key: start.toFormat('yyyy-MM'),
  };
}

/**
 * The month typed as `2026-11` (for an export or a report), in the office zone; undefined when the text is
 * not a `YYYY-MM` month of a year that can hold records.
 */
export function parseOfficeMonth(text: string, zone: string): OfficeMonth | undefined {
  const match = /^(\d{4})-(\d{2})$/.exec(text.trim());
  const year = Number(match?.[1]);
  const month = Number(match?.[2]);
  if (!match || month < 1 || month > 12 || !isRecordYear(year)) return undefined;
  return getOfficeMonth(DateTime.fromObject({ year, month }, { zone }), zone);
}

/** The calendar day `days` after (or, negative, before) `day`. */
export function addDays(day: IsoDay, days: number): IsoDay {
  const dayNumber = toDayNumber(day);
  if (dayNumber === undefined) throw new RangeError('not a valid date');
  return fromDayNumber(dayNumber + days);
}

/** Every calendar day from `start` to `end`, both included; empty when `end` is before `start`. */
export function listDays(start: IsoDay, end: IsoDay): IsoDay[] {
  const first = toDayNumber(start);
  const last = toDayNumber(end);
  if (first === undefined || last === undefined) throw new RangeError('not a valid date');
  const days: IsoDay[] = [];
  for (let dayNumber = first; dayNumber <= last; dayNumber += 1) days.push(fromDayNumber(dayNumber));
  return days;
}

/** The weekday `day` falls on; undefined for text that names no day, like 2026-02-30. */
export function getWeekday(day: IsoDay): Weekday | undefined {
  const dayNumber = toDayNumber(day);
  // Day 0, 1970-01-01, was a Thursday: index 3 counting from Monday.
  return dayNumber === undefined ? undefined : WEEKDAYS[(((dayNumber + 3) % 7) + 7) % 7];
}

function toIsoDay(dateTime: DateTime): IsoDay {
  // toISODate is several times cheaper than toFormat, and this runs for every day of every range counted.
  const day = dateTime.toISODate();
  if (day === null) throw new RangeError('not a valid date');
  return day;
}

/** Splits on whitespace and around dashes (keeping ISO days whole); offsets point into the original text. */
function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  for (const match of text.matchAll(/\S+/g)) {
    const word = match[0];
    const pieces = word
      .split(/([–—])/)
      .flatMap((piece) => (ISO_DAY.test(piece) ? [piece] : piece.split(/(-)/)));
    let offset = match.index;
    for (const piece of pieces) {
      if (piece !== '') tokens.push({ text: piece, start: offset, end: offset + piece.length });
      offset += piece.length;
    }
  }
  return tokens;
}

/** Reads the longest date expression starting at `index`; it never spans a range word or an am/pm word. */
function readDay(
  text: string,
  tokens: readonly Token[],
  index: number,
  today: IsoDay,
  weekdaysFrom: IsoDay = today,
): DayRead {
  let limit = index;
  while (limit < tokens.length && limit - index < MAX_EXPRESSION_TOKENS) {
    const word = (tokens[limit]?.text ?? '').toLowerCase();
    if (RANGE_WORDS.has(word) || PART_WORDS[word] !== undefined) break;
    limit += 1;
  }
  for (let last = limit - 1; last >= index; last -= 1) {
    const from = tokens[index];
    const to = tokens[last];
    if (!from || !to) continue;
    const candidate = text.slice(from.start, to.end).replace(/[,;:]+$/, '');
    const read = readExpression(candidate, today, weekdaysFrom);
    if (read === 'invalid') return { kind: 'invalid', fragment: candidate };
    if (read) return { kind: 'day', day: read.day, yearImplied: read.yearImplied, next: last + 1 };
  }
  return { kind: 'none' };
}

/** Reads the day after a range word: a full expression, or a bare day number in the start's month (`dec 1-3`). */
function readRangeEnd(
  text: string,
  tokens: readonly Token[],
  index: number,
  today: IsoDay,
  start: IsoDay,
): DayRead {
  const token = tokens[index];
  if (!token) return { kind: 'none' };
  const bare = BARE_DAY_NUMBER.exec(token.text);
  if (bare) {
    const from = DateTime.fromISO(start, { zone: 'utc' });
    const day = DateTime.fromObject(
      { year: from.year, month: from.month, day: Number(bare[1]) },
      { zone: 'utc' },
    );
    return day.isValid
      ? { kind: 'day', day: toIsoDay(day), yearImplied: false, next: index + 1 }
      : { kind: 'invalid', fragment: text.slice(0, token.end).trim() };
  }
  // A weekday after a range word counts from the start (`fri to tue`); anything else counts from today.
  const read = readDay(text, tokens, index, today, start);
  if (read.kind === 'none') {
    return looksLikeDate(tokens, index)
      ? { kind: 'invalid', fragment: describeFragment(tokens, index) }
      : { kind: 'none' };
  }
  if (read.kind === 'day' && read.yearImplied && read.day < start) {
    // `dec 28 2026 - jan 3` means the January after the start.
    // `dec 3 - dec 1` stays backwards: only an earlier month wraps into the next year.
    const end = DateTime.fromISO(read.day, { zone: 'utc' });
    const from = DateTime.fromISO(start, { zone: 'utc' });
    const years = end.month < from.month ? [from.year, from.year + 1] : [from.year];
    for (const year of years) {
      const moved = end.set({ year });
      if (moved.month === end.month && toIsoDay(moved) >= start) return { ...read, day: toIsoDay(moved) };
    }
  }
  return read;
}

/** One date expression, read whole or not at all; `invalid` names a day that cannot exist, like 2026-02-30. */
function readExpression(
  candidate: string,
  today: IsoDay,
  weekdaysFrom: IsoDay,
): { day: IsoDay; yearImplied: boolean } | 'invalid' | undefined {
  if (ISO_DAY.test(candidate)) {
    const [year, month, day] = candidate.split('-').map(Number);
    const exact = DateTime.fromObject({ year, month, day }, { zone: 'utc' });
    return exact.isValid ? { day: toIsoDay(exact), yearImplied: false } : 'invalid';
  }

  const weekday = WEEKDAY_EXPRESSION.exec(candidate);
  if (weekday) return { day: findWeekday(weekdaysFrom, weekday[2] ?? '', weekday[1]), yearImplied: false };

  const slash = SLASH_DAY.exec(candidate);
  if (slash && !isPossibleMonthDay(Number(slash[1]), Number(slash[2]), slash[3])) return 'invalid';
  // Inside a longer expression (`mon 12/7`) a slash must still be a possible month/day: chrono reads
  // `dec 13/45` as Dec 13, 2045, so an impossible one makes the whole span no day at all.
  const innerSlash = slash ? undefined : readInnerSlash(candidate);
  if (innerSlash === 'impossible') return undefined;

  // chrono reads JS Dates in the process zone, so the reference is noon of the office's day in the
  // process zone, and the answer is read back from chrono's calendar fields, never from an instant.
  const todayDay = DateTime.fromISO(today, { zone: 'utc' });
  const reference = DateTime.fromObject(
    { year: todayDay.year, month: todayDay.month, day: todayDay.day, hour: 12 },
    { zone: 'system' },
  ).toJSDate();
  const ahead = chrono.en.casual.parse(candidate, reference, { forwardDate: true });
  // `feb 29` just after a leap day: forward, next year has none, so chrono finds nothing; the recently
  // passed one is meant, as below, and is refused as past rather than as unreadable.
  const results =
    ahead.length > 0 || !/\b29\b/.test(candidate) ? ahead : chrono.en.casual.parse(candidate, reference);
  const result = results[0];
  if (results.length !== 1 || !result || result.index !== 0 || result.text.length !== candidate.length) {
    return undefined;
  }
  // A bare month (`may`), a time (`noon`) or a range chrono built itself is not a day we read.
  if (result.end || !result.start.isCertain('day') || result.start.isCertain('hour')) return undefined;
  const fields = {
    year: result.start.get('year') ?? 0,
    month: result.start.get('month') ?? 0,
    day: result.start.get('day') ?? 0,
  };
  // chrono reads a small number after a day as its year (`dec 2 12 pm` as Dec 2, 2012): away from a slash
  // date (`12/30/26`), a bare one or two digits are not a year, and are left for the time after them.
  if (result.start.isCertain('year') && !slash && !innerSlash && /(^|\s)\d{1,2}$/.test(candidate)) {
    return undefined;
  }
  const day = DateTime.fromObject(fields, { zone: 'utc' });
  if (!day.isValid) return 'invalid';
  if (slash && (day.month !== Number(slash[1]) || day.day !== Number(slash[2]))) return 'invalid';
  if (innerSlash && (day.month !== innerSlash.month || day.day !== innerSlash.day)) return undefined;
  const yearImplied = !result.start.isCertain('year');
  // chrono moves a recently passed day (`nov 20` on Nov 25) to next year; a person typing it almost
  // always meant this year's, so it is kept there and refused as past instead of filed a year ahead.
  const thisYears = day.minus({ years: 1 });
  if (yearImplied && thisYears.isValid && todayDay.diff(thisYears, 'days').days <= RECENTLY_PASSED_DAYS) {
    return { day: toIsoDay(thisYears), yearImplied };
  }
  return { day: toIsoDay(day), yearImplied };
}

/** The one `month/day` word inside a longer expression, `impossible` when any slash word is not a month/day that exists. */
function readInnerSlash(candidate: string): { month: number; day: number } | 'impossible' | undefined {
  const words = candidate.split(/[\s,]+/).filter((word) => word.includes('/'));
  if (words.length === 0) return undefined;
  const slash = words.length === 1 ? SLASH_DAY.exec(words[0] ?? '') : null;
  if (!slash || !isPossibleMonthDay(Number(slash[1]), Number(slash[2]), slash[3])) return 'impossible';
  return { month: Number(slash[1]), day: Number(slash[2]) };
}

function isPossibleMonthDay(month: number, day: number, yearText: string | undefined): boolean {
  // Without a year, Feb 29 may exist; chrono picks the year and the day is checked again after.
  const year =
    yearText === undefined ? 2024 : yearText.length === 2 ? 2000 + Number(yearText) : Number(yearText);
  return DateTime.fromObject({ year, month, day }, { zone: 'utc' }).isValid;
}

/** A bare or `this` weekday is the next one on or after the anchor; `next` is strictly after; `last` strictly before. */
function findWeekday(anchor: IsoDay, name: string, modifier: string | undefined): IsoDay {
  const target = WEEKDAYS.findIndex((weekday) => name.toLowerCase().startsWith(weekday)) + 1;
  const from = DateTime.fromISO(anchor, { zone: 'utc' });
  const mode = modifier?.toLowerCase();
  if (mode === 'last') {
    const back = (from.weekday - target + 7) % 7 || 7;
    return toIsoDay(from.minus({ days: back }));
  }
  const ahead = (target - from.weekday + 7) % 7;
  return toIsoDay(from.plus({ days: ahead === 0 && mode === 'next' ? 7 : ahead }));
}

/** Text that starts like a date (digits, or a month name then digits) but was not read is an error, not a reason. */
function looksLikeDate(tokens: readonly Token[], index: number): boolean {
  const first = tokens[index]?.text ?? '';
  if (/^\d/.test(first)) return true;
  return MONTH_NAME.test(first) && /^\d/.test(tokens[index + 1]?.text ?? '');
}

function describeFragment(tokens: readonly Token[], index: number): string {
  const first = tokens[index];
  if (!first) return '';
  const second = tokens[index + 1];
  return MONTH_NAME.test(first.text) && second ? `${first.text} ${second.text}` : first.text;
}
