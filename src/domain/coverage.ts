import type { OfficeConfig, StaffMember } from '../config/office.ts';
import { findNextWorkingDay, isWorkingDay, listScheduledOn } from './calendar.ts';
import { addDays, type DayPart, formatDay, type IsoDay } from './dates.ts';
import type { DigestSection } from './digest.ts';
import { formatRole, listStaffOfRole } from './people.ts';

/**
 * Someone away, as the huddle and coverage need it: approved time off or a call-out, never its type (sick
 * leave is private). A call-out for part of a day has `from` or `until` ("10:30"); a covered one names who
 * stands in, so the absence leaves no gap in its role (and may leave one in the coverer's).
 */
export interface DigestAbsence {
  name: string;
  role: string | null | undefined;
  start: IsoDay;
  end: IsoDay;
  part: DayPart;
  from?: ClockTime | undefined;
  until?: ClockTime | undefined;
  coveredBy?: { name: string; role: string | undefined } | undefined;
}

/** A time of day written `HH:mm` in 24 hours, so it compares as a string. */
export type ClockTime = string;

/**
 * Whether a person may count toward a role on a day: not while a credential the role requires has lapsed
 * (domain/credentials.ts isCleared). Coverage takes it as a function so it needs no credentials itself.
 */
export type ClearedFor = (member: Pick<StaffMember, 'name'>, role: string, day: IsoDay) => boolean;

/** Everyone counts, for callers that know of no credentials. */
export const EVERYONE_CLEARED: ClearedFor = () => true;

/** A role below its minimum for part or all of a day: `from`–`until` is when, in the office's hours. */
export interface RoleGap {
  role: string;
  onDuty: number;
  needed: number;
  from: ClockTime;
  until: ClockTime;
}

type CoverageOffice = Pick<OfficeConfig, 'office' | 'timeoff' | 'coverage'> & {
  staff: readonly StaffMember[];
};

// After a closure longer than three weeks, who is out on reopening is a matter for a later huddle.
const NEXT_DAY_HORIZON_DAYS = 21;
// Where a morning off ends and an afternoon off begins.
export const MIDDAY: ClockTime = '12:00';

/** `10:30` from `10:30`, `9:00` from `09:00`: how the office reads a time. */
export function formatClockTime(time: ClockTime): string {
  return time.replace(/^0(\d)/, '$1');
}

/** The hours of `day` an absence takes, or undefined when it does not touch the day. */
export function findAbsentWindow(
  absence: DigestAbsence,
  day: IsoDay,
  hours: { open: ClockTime; close: ClockTime },
): [ClockTime, ClockTime] | undefined {
  if (day < absence.start || day > absence.end) return undefined;
  if (absence.from !== undefined || absence.until !== undefined)
    return [absence.from ?? hours.open, absence.until ?? hours.close];
  const midday = MIDDAY > hours.open && MIDDAY < hours.close ? MIDDAY : hours.open;
  if (absence.part === 'am') return [hours.open, midday];
  if (absence.part === 'pm') return [midday, hours.close];
  return [hours.open, hours.close];
}

/**
 * The absences with every cover dropped whose coverer is away themselves during the hours they cover: someone
 * covering a colleague who then calls out or leaves early covers nobody, and the colleague's absence counts
 * again.
 */
export function dropCoversOfAbsent(
  absences: readonly DigestAbsence[],
  hours: { open: ClockTime; close: ClockTime },
): DigestAbsence[] {
  return absences.map((absence) => {
    const coverer = absence.coveredBy;
    if (!coverer) return absence;
    const coverAway = absences.some(
      (other) => other.name === coverer.name && overlapOnSomeDay(absence, other, hours),
    );
    return coverAway ? { ...absence, coveredBy: undefined } : absence;
  });
}

/** Whether two absences take some of the same hours on a day they share. */
function overlapOnSomeDay(
  a: DigestAbsence,
  b: DigestAbsence,
  hours: { open: ClockTime; close: ClockTime },
): boolean {
  const first = a.start > b.start ? a.start : b.start;
  const last = a.end < b.end ? a.end : b.end;
  for (let day = first; day <= last; day = addDays(day, 1)) {
    const [aWindow, bWindow] = [findAbsentWindow(a, day, hours), findAbsentWindow(b, day, hours)];
    if (aWindow && bWindow && aWindow[0] < bWindow[1] && bWindow[0] < aWindow[1]) return true;
  }
  return false;
}

/** Whether `name` is away (by any of `absences`) during any of `from`–`until` on `day`. */
export function isAwayDuring(
  absences: readonly DigestAbsence[],
  name: string,
  day: IsoDay,
  [from, until]: [ClockTime, ClockTime],
  hours: { open: ClockTime; close: ClockTime },
): boolean {
  return absences.some((absence) => {
    if (absence.name !== name) return false;
    const window = findAbsentWindow(absence, day, hours);
    return window !== undefined && window[0] < until && from < window[1];
  });
}

/** When on `day` one absence takes someone: `until 10:30`, `from 15:00`, `10:00–12:00`, `morning`; undefined for all day. */
function describeOffPart(absence: DigestAbsence): string | undefined {
  const { from, until } = absence;
  if (from !== undefined && until !== undefined) return `${formatClockTime(from)}–${formatClockTime(until)}`;
  if (until !== undefined) return `until ${formatClockTime(until)}`;
  if (from !== undefined) return `from ${formatClockTime(from)}`;
  if (absence.part === 'full') return undefined;
  return absence.part === 'am' ? 'morning' : 'afternoon';
}

function describeOff(absence: DigestAbsence, day: IsoDay): string | undefined {
  if (day < absence.start || day > absence.end) return undefined;
  const part = describeOffPart(absence);
  return part ? `${absence.name} (${part})` : absence.name;
}

/** Whether windows of a day, taken together, leave no time of the office's hours free. */
function coverWholeDay(
  windows: readonly [ClockTime, ClockTime][],
  hours: { open: ClockTime; close: ClockTime },
) {
  let reached = hours.open;
  for (const [from, until] of [...windows].sort(([a], [b]) => a.localeCompare(b))) {
    if (from > reached) return false;
    if (until > reached) reached = until;
  }
  return reached >= hours.close;
}

/**
 * Each person away on `day` once, in the order first met, with every part of the day they are away
 * (`Sam Lee (until 10:30, from 15:00)`): someone with time off and a call-out that day, or two call-outs, is
 * named once, as off all day when together they take the whole day.
 */
function describeEveryoneOff(
  absences: readonly DigestAbsence[],
  day: IsoDay,
  hours: { open: ClockTime; close: ClockTime },
): string[] {
  const byName = new Map<string, { window: [ClockTime, ClockTime]; part: string | undefined }[]>();
  for (const absence of absences) {
    const window = findAbsentWindow(absence, day, hours);
    if (!window) continue;
    byName.set(absence.name, [
      ...(byName.get(absence.name) ?? []),
      { window, part: describeOffPart(absence) },
    ]);
  }
  return [...byName].map(([name, away]) => {
    const windows = away.map(({ window }) => window);
    if (away.some(({ part }) => part === undefined) || coverWholeDay(windows, hours)) return name;
    const parts = mergeWindows(windows).map(
      ([from, until]) =>
        away.find(({ window }) => window[0] === from && window[1] === until)?.part ??
        describeOffPart({
          name,
          role: undefined,
          start: day,
          end: day,
          part: 'full',
          ...openEnded(from, until, hours),
        }),
    );
    return `${name} (${parts.join(', ')})`;
  });
}

/** Windows of one day joined where they overlap or touch, earliest first. */
function mergeWindows(windows: readonly [ClockTime, ClockTime][]): [ClockTime, ClockTime][] {
  const merged: [ClockTime, ClockTime][] = [];
  for (const [from, until] of [...windows].sort(([a], [b]) => a.localeCompare(b))) {
    const last = merged.at(-1);
    if (last && from <= last[1]) last[1] = until > last[1] ? until : last[1];
    else merged.push([from, until]);
  }
  return merged;
}

/** A window's ends as an absence's `from`/`until`: an end at opening or closing is left open. */
function openEnded(from: ClockTime, until: ClockTime, hours: { open: ClockTime; close: ClockTime }) {
  return { from: from === hours.open ? undefined : from, until: until === hours.close ? undefined : until };
}

/**
 * Who is away from `role` when on `day`: its own people's absences not covered by someone else, and people
 * of the role standing in for another role.
 */
function listRoleAbsences(
  role: string,
  day: IsoDay,
  absences: readonly DigestAbsence[],
  office: CoverageOffice,
) {
  const hours = office.office.hours;
  const away: { name: string; window: [ClockTime, ClockTime] }[] = [];
  for (const absence of absences) {
    const window = findAbsentWindow(absence, day, hours);
    if (!window) continue;
    if (absence.role === role && !absence.coveredBy) away.push({ name: absence.name, window });
    const coverer = absence.coveredBy;
    if (coverer && coverer.role === role && absence.role !== role) away.push({ name: coverer.name, window });
  }
  return away;
}

/**
 * Roles below their minimum on `day`, with when: the day is cut at every time someone leaves or arrives,
 * and each stretch counts the people of the role scheduled that day and not away then. Someone off in
 * the morning and someone else off in the afternoon leave a role one short, not two.
 */
export function findRolesBelowCoverage(
  day: IsoDay,
  absences: readonly DigestAbsence[],
  office: CoverageOffice,
  cleared: ClearedFor = EVERYONE_CLEARED,
): RoleGap[] {
  const { open, close } = office.office.hours;
  const gaps: RoleGap[] = [];
  for (const [role, needed] of Object.entries(office.coverage)) {
    if (needed <= 0) continue;
    const rostered = new Set(
      listScheduledOn(listStaffOfRole(office.staff, role), day, office)
        .filter((member) => cleared(member, role, day))
        .map((member) => member.name),
    );
    const away = listRoleAbsences(role, day, absences, office).filter((entry) => rostered.has(entry.name));
    const cuts = [
      ...new Set(
        [open, close, ...away.flatMap(({ window }) => window)].filter((t) => t >= open && t <= close),
      ),
    ].sort();
    let current: RoleGap | undefined;
    for (let index = 0; index < cuts.length - 1; index += 1) {
      const from = cuts[index] as ClockTime;
      const until = cuts[index + 1] as ClockTime;
      const awayNow = new Set(
        away.filter(({ window }) => window[0] <= from && window[1] >= until).map(({ name }) => name),
      );
      const onDuty = rostered.size - awayNow.size;
      if (onDuty >= needed) {
        current = undefined;
        continue;
      }
      if (current) {
        current.until = until;
        current.onDuty = Math.min(current.onDuty, onDuty);
      } else {
        current = { role, onDuty, needed, from, until };
        gaps.push(current);
      }
    }
  }
  return gaps;
}

/** `Front desk: 0 of 1 needed on duty 8:00–10:30`, the hours left out when the gap is all day. */
export function formatRoleGap(gap: RoleGap, hours: { open: ClockTime; close: ClockTime }): string {
  const when =
    gap.from === hours.open && gap.until === hours.close
      ? ''
      : ` ${formatClockTime(gap.from)}–${formatClockTime(gap.until)}`;
  return `${formatRole(gap.role)}: ${gap.onDuty} of ${gap.needed} needed on duty${when}`;
}

/** The huddle's first sections: who is out on `day` and on the next working day, and roles below coverage. */
export function describeAbsenceSections(
  day: IsoDay,
  absences: readonly DigestAbsence[],
  office: CoverageOffice,
  cleared: ClearedFor = EVERYONE_CLEARED,
): DigestSection[] {
  const zone = office.office.timezone;
  const sections: DigestSection[] = [];
  const hours = office.office.hours;
  const outToday = describeEveryoneOff(absences, day, hours);
  if (outToday.length > 0) sections.push({ heading: 'Out today', lines: [outToday.join(' · ')] });

  const next = findNextWorkingDay(day, office);
  if (next <= addDays(day, NEXT_DAY_HORIZON_DAYS)) {
    const outNext = describeEveryoneOff(absences, next, hours);
    if (outNext.length > 0)
      sections.push({ heading: `Out ${formatDay(next, zone)}`, lines: [outNext.join(' · ')] });
  }

  // Today's gaps, then the next working day's, so a short day tomorrow is fixed before the doors open.
  const lines = isWorkingDay(day, office)
    ? findRolesBelowCoverage(day, absences, office, cleared).map((gap) => `⚠️ ${formatRoleGap(gap, hours)}`)
    : [];
  if (next <= addDays(day, NEXT_DAY_HORIZON_DAYS)) {
    lines.push(
      ...findRolesBelowCoverage(next, absences, office, cleared).map(
        (gap) => `⚠️ ${formatDay(next, zone)} — ${formatRoleGap(gap, hours)}`,
      ),
    );
  }
  sections.push({ heading: 'Coverage', lines });
  const covering = absences.flatMap((absence) =>
    absence.coveredBy && day >= absence.start && day <= absence.end
      ? [`${absence.coveredBy.name} covers for ${describeOff(absence, day) ?? absence.name}`]
      : [],
  );
  if (covering.length > 0) sections.push({ heading: 'Covering today', lines: covering });
  return sections;
}
