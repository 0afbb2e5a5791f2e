import { DateTime } from 'luxon';
import type { OfficeConfig, StaffMember } from '../config/office.ts';
import { isScheduledOn, isWorkingDay } from './calendar.ts';
import {
  type ClearedFor,
  type ClockTime,
  type DigestAbsence,
  EVERYONE_CLEARED,
  formatClockTime,
  isAwayDuring,
} from './coverage.ts';
import { addDays, getOfficeDay, type IsoDay, parseDateRange } from './dates.ts';
import { findStaffByKey } from './people.ts';

/** What kind of same-day absence: out all day, in late, or leaving early. Only managers see it. */
export type CallOutKind = 'sick' | 'late' | 'leaving';

/** A call-out is recorded at once; cancelling it is the only change after. */
export type CallOutStatus = 'active' | 'cancelled';

/**
 * Where finding cover stands: not needed (no role below its minimum), asking (people were DM'd), offered
 * (a volunteer waits for a manager's confirmation), confirmed.
 */
export type CoverState = 'not_needed' | 'asking' | 'offered' | 'confirmed';

/** A call-out read from text or a form, before anything is stored. */
export interface CallOutDraft {
  kind: CallOutKind;
  day: IsoDay;
  /** away from this time (leaving early); undefined means from opening */
  from: ClockTime | undefined;
  /** away until this time (in late); undefined means until closing */
  until: ClockTime | undefined;
  reason: string;
}

export type CallOutParse =
  | { ok: true; draft: CallOutDraft }
  | { ok: false; reason: 'no_kind'; word: string }
  | { ok: false; reason: 'missing_time'; kind: 'late' | 'leaving' }
  | { ok: false; reason: 'not_today'; kind: 'late' | 'leaving'; day: IsoDay; today: IsoDay }
  | { ok: false; reason: 'not_a_time'; fragment: string }
  | { ok: false; reason: 'outside_hours'; time: ClockTime }
  | { ok: false; reason: 'not_a_day'; fragment: string }
  | { ok: false; reason: 'range' }
  | { ok: false; reason: 'half_day' }
  | { ok: false; reason: 'past'; day: IsoDay; today: IsoDay }
  | { ok: false; reason: 'closed'; day: IsoDay }
  | { ok: false; reason: 'too_far'; day: IsoDay; last: IsoDay };

/** How far ahead a call-out may be recorded; further ahead is a time-off request. */
export const CALL_OUT_DAYS_AHEAD = 14;

const KIND_WORDS: Readonly<Record<string, CallOutKind>> = {
  sick: 'sick',
  ill: 'sick',
  out: 'sick',
  late: 'late',
  leaving: 'leaving',
  leave: 'leaving',
  early: 'leaving',
};

// The ways people write a time in a chat message: 10:30, 9, 14.00, 2pm, 2:30 pm.
const TIME_FORMATS = ['H:mm', 'H.mm', 'H', 'h:mma', 'h.mma', 'ha'];

type CallOutOffice = Pick<OfficeConfig, 'office' | 'timeoff'>;

/** `10:30`, `2pm`, `2:30 PM` → `14:30`; undefined for anything that is not a time of day. */
export function parseClockTime(text: string): ClockTime | undefined {
  const written = text
    .replace(/\s+/g, '')
    .replace(/([ap])\.?m\.?$/i, '$1m')
    .toUpperCase();
  // luxon reads `13pm` as 13:00 and `24:00` as midnight; neither is a time anyone means.
  const hour = Number(/^\d+/.exec(written)?.[0]);
  if (/[AP]M$/.test(written) ? hour < 1 || hour > 12 : hour > 23) return undefined;
  for (const format of TIME_FORMATS) {
    const parsed = DateTime.fromFormat(written, format, { zone: 'utc', locale: 'en-US' });
    if (parsed.isValid) return parsed.toFormat('HH:mm');
  }
  return undefined;
}

/**
 * Reads what follows `/out`: `sick [day] [reason]`, `late 10:30 [reason]` or `leaving 14:00 [reason]`. A day
 * must be today or a later working day within two weeks; late and leaving are today only; a time must fall
 * inside the office's hours.
 */
export function parseCallOut(text: string, now: DateTime, office: CallOutOffice): CallOutParse {
  const zone = office.office.timezone;
  const today = getOfficeDay(now, zone);
  const [word = '', ...rest] = text.trim().split(/\s+/);
  const kind = KIND_WORDS[word.toLowerCase().replace(/[:,.]$/, '')];
  if (!kind) return { ok: false, reason: 'no_kind', word };

  if (kind === 'sick') {
    const remainder = rest.join(' ');
    const parsed = parseDateRange(remainder, now, zone);
    if (!parsed.ok) {
      if (parsed.reason === 'no_date')
        return checkCallOut(
          { kind, day: today, from: undefined, until: undefined, reason: remainder },
          now,
          office,
        );
      if (parsed.reason === 'unparseable')
        return { ok: false, reason: 'not_a_day', fragment: parsed.fragment };
      return { ok: false, reason: parsed.reason === 'half_day_range' ? 'half_day' : 'range' };
    }
    if (parsed.start !== parsed.end) return { ok: false, reason: 'range' };
    if (parsed.part !== 'full') return { ok: false, reason: 'half_day' };
    return checkCallOut(
      { kind, day: parsed.start, from: undefined, until: undefined, reason: parsed.rest },
      now,
      office,
    );
  }

  const { time, remainder } = readTime(rest);
  if (time === undefined) {
    return remainder === undefined
      ? { ok: false, reason: 'missing_time', kind }
      : { ok: false, reason: 'not_a_time', fragment: remainder };
  }
  // Late and leaving are for today: a day named right after the time (`late 10:30 tomorrow`) is refused
  // rather than kept as the reason of a call-out for today. Only a leading day counts, so a reason that
  // mentions one later (`dentist then school run friday`) stays a reason.
  let reason = remainder ?? '';
  const named = parseDateRange(reason, now, zone);
  // "sat in traffic", "sun in my eyes": a weekday's short name that is also a word, with more after it, is a reason.
  if (named.ok && !(/^(sat|sun)\s/i.test(reason) && named.rest !== '')) {
    if (named.start !== today || named.end !== today) {
      const day = named.start !== today ? named.start : named.end;
      return { ok: false, reason: 'not_today', kind, day, today };
    }
    reason = named.rest;
  }
  const window = kind === 'late' ? { from: undefined, until: time } : { from: time, until: undefined };
  return checkCallOut({ kind, day: today, ...window, reason }, now, office);
}

/** The time at the start of `words`, with a separate am/pm word (`2 pm`) taken with it. */
function readTime(words: readonly string[]): { time: ClockTime | undefined; remainder: string | undefined } {
  const [first, second, ...others] = words;
  if (first === undefined) return { time: undefined, remainder: undefined };
  if (second !== undefined && /^[ap]\.?m\.?$/i.test(second)) {
    const time = parseClockTime(`${first}${second}`);
    if (time !== undefined) return { time, remainder: others.join(' ') };
  }
  const time = parseClockTime(first);
  if (time === undefined) return { time: undefined, remainder: first };
  return { time, remainder: [second, ...others].filter((word) => word !== undefined).join(' ') };
}

/**
 * Checks a call-out read from text or a form: its day today or a later working day within two weeks, and a
 * late arrival or early leaving strictly inside the office's hours.
 */
export function checkCallOut(draft: CallOutDraft, now: DateTime, office: CallOutOffice): CallOutParse {
  const today = getOfficeDay(now, office.office.timezone);
  const { open, close } = office.office.hours;
  const time = draft.until ?? draft.from;
  if (time !== undefined && (time <= open || time >= close))
    return { ok: false, reason: 'outside_hours', time };
  if (draft.day < today) return { ok: false, reason: 'past', day: draft.day, today };
  const last = addDays(today, CALL_OUT_DAYS_AHEAD);
  if (draft.day > last) return { ok: false, reason: 'too_far', day: draft.day, last };
  if (!isWorkingDay(draft.day, office)) return { ok: false, reason: 'closed', day: draft.day };
  return { ok: true, draft };
}

/** A stored call-out as coverage reads it. */
export interface RecordedCallOut {
  personName: string;
  personRole: string | null;
  day: IsoDay;
  fromTime: ClockTime | null;
  untilTime: ClockTime | null;
  coverState: CoverState;
  coverKey: string | null;
}

/** A call-out as coverage sees it: an absence on one day, for its hours, filled once its cover is confirmed. */
export function toCallOutAbsence(
  callOut: RecordedCallOut,
  office: Pick<OfficeConfig, 'staff'>,
): DigestAbsence {
  const coverer =
    callOut.coverState === 'confirmed' && callOut.coverKey
      ? findStaffByKey(office, callOut.coverKey)
      : undefined;
  return {
    name: callOut.personName,
    role: callOut.personRole,
    start: callOut.day,
    end: callOut.day,
    part: 'full',
    from: callOut.fromTime ?? undefined,
    until: callOut.untilTime ?? undefined,
    coveredBy: coverer ? { name: coverer.name, role: coverer.role } : undefined,
  };
}

/** Whether two absences of one person on one day share any time. */
export function doCallOutsOverlap(
  a: Pick<CallOutDraft, 'day' | 'from' | 'until'>,
  b: Pick<CallOutDraft, 'day' | 'from' | 'until'>,
  hours: { open: ClockTime; close: ClockTime },
): boolean {
  if (a.day !== b.day) return false;
  const [aFrom, aUntil] = [a.from ?? hours.open, a.until ?? hours.close];
  const [bFrom, bUntil] = [b.from ?? hours.open, b.until ?? hours.close];
  return aFrom < bUntil && bFrom < aUntil;
}

/** `until 10:30`, `from 14:00`, or `all day`: the hours a call-out takes, without its kind. */
export function describeCallOutHours(callOut: { from: ClockTime | null; until: ClockTime | null }): string {
  if (callOut.until) return `until ${formatClockTime(callOut.until)}`;
  if (callOut.from) return `from ${formatClockTime(callOut.from)}`;
  return 'all day';
}

/**
 * Who can be asked to stand in for `role` while someone is away: people of that role or who list it in
 * `covers:`, scheduled that day, not away themselves during those hours, and not already covering someone.
 */
export function findCoverCandidates(params: {
  absentName: string;
  role: string;
  day: IsoDay;
  from: ClockTime | undefined;
  until: ClockTime | undefined;
  /** everyone's absences touching the day: approved time off and call-outs */
  absences: readonly DigestAbsence[];
  /** people already covering (or offering to cover) someone that day */
  covering: readonly string[];
  office: Pick<OfficeConfig, 'office' | 'timeoff'> & { staff: readonly StaffMember[] };
  /** who may count toward the role that day: not someone whose credential for it has lapsed */
  cleared?: ClearedFor;
}): StaffMember[] {
  const { absentName, role, day, absences, covering, office } = params;
  const cleared = params.cleared ?? EVERYONE_CLEARED;
  const hours = office.office.hours;
  const from = params.from ?? hours.open;
  const until = params.until ?? hours.close;
  return office.staff.filter((member) => {
    if (member.name === absentName || covering.includes(member.name)) return false;
    if (member.role !== role && !(member.covers ?? []).includes(role)) return false;
    if (!isScheduledOn(member, day, office) || !cleared(member, role, day)) return false;
    return !isAwayDuring(absences, member.name, day, [from, until], hours);
  });
}
