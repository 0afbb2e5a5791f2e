import type { DateTime } from 'luxon';
import type { OfficeConfig, StaffMember } from '../config/office.ts';
import { findNextWorkingDay, isWorkingDay, listHolidays } from './calendar.ts';
import { addDays, type DayPart, formatDay, type IsoDay } from './dates.ts';
import { formatRole } from './time-off.ts';

/** Someone's approved time off as the digest needs it: never its type (sick leave is private). */
export interface DigestAbsence {
  name: string;
  role: string | null | undefined;
  start: IsoDay;
  end: IsoDay;
  part: DayPart;
}

/** A request waiting for a manager, such as `TO-12` "Sam Lee: time off Tue Dec 1 – Thu Dec 3". */
export interface DigestDecision {
  reference: string;
  summary: string;
  filedAt: DateTime;
}

export interface DigestInput {
  day: IsoDay;
  now: DateTime;
  office: Pick<OfficeConfig, 'office' | 'timeoff' | 'coverage'> & { staff: readonly StaffMember[] };
  absences: readonly DigestAbsence[];
  decisions: readonly DigestDecision[];
  suppliesToOrder?: readonly { reference: string; summary: string }[];
  belowPar?: readonly { name: string; onHand: number; par: number; suggested: number; unit: string }[];
  repVisits?: readonly { time: string; repName: string; company: string }[];
  complaints?: { open: number; overdue: readonly { reference: string; ageDays: number }[] };
}

export interface DigestSection {
  heading: string;
  lines: string[];
}

export interface HuddleDigest {
  title: string;
  sections: DigestSection[];
  /** the one line an empty day gets instead of sections */
  emptyLine: string | undefined;
}

/** Most lines one section shows; the rest is "…and N more", so any day fits Block Kit's limits. */
export const DIGEST_SECTION_LIMIT = 12;

// After a closure longer than three weeks, who is out on reopening is a matter for a later huddle.
const NEXT_DAY_HORIZON_DAYS = 21;

function capLines(lines: string[], limit = DIGEST_SECTION_LIMIT): string[] {
  if (lines.length <= limit) return lines;
  return [...lines.slice(0, limit - 1), `…and ${lines.length - limit + 1} more`];
}

function describeOff(absence: DigestAbsence, day: IsoDay): string | undefined {
  if (day < absence.start || day > absence.end) return undefined;
  return absence.part === 'full' ? absence.name : `${absence.name} (out ${absence.part})`;
}

/** Roles below their minimum on `day`: people off in either half count as off for that half. */
export function findRolesBelowCoverage(
  day: IsoDay,
  absences: readonly DigestAbsence[],
  office: Pick<OfficeConfig, 'coverage'> & { staff: readonly StaffMember[] },
): { role: string; onDuty: number; needed: number }[] {
  const gaps: { role: string; onDuty: number; needed: number }[] = [];
  for (const [role, needed] of Object.entries(office.coverage)) {
    if (needed <= 0) continue;
    const rostered = office.staff.filter((member) => member.role === role).length;
    const offToday = absences.filter(
      (absence) => absence.role === role && day >= absence.start && day <= absence.end,
    );
    const offIn = (half: 'am' | 'pm') =>
      new Set(
        offToday.filter((absence) => absence.part === 'full' || absence.part === half).map((a) => a.name),
      ).size;
    const onDuty = rostered - Math.max(offIn('am'), offIn('pm'));
    if (onDuty < needed) gaps.push({ role, onDuty, needed });
  }
  return gaps;
}

function describeAge(from: DateTime, now: DateTime): string {
  const hours = Math.max(0, now.diff(from, 'hours').hours);
  if (hours < 1) return 'just now';
  if (hours < 24) return `${Math.floor(hours)} h`;
  const days = Math.floor(hours / 24);
  return `${days} day${days === 1 ? '' : 's'}`;
}

/**
 * The morning huddle for `day`, from plain data: who is out today and on the next working day, roles below
 * coverage, decisions waiting (oldest first, with age), supplies to order and below par, rep visits,
 * complaints by reference and age only, and holidays within a week. Leave types are never shown.
 */
export function buildHuddleDigest(input: DigestInput): HuddleDigest {
  const { day, now, office } = input;
  const zone = office.office.timezone;
  const sections: DigestSection[] = [];
  const add = (heading: string, lines: string[]) => {
    if (lines.length > 0) sections.push({ heading, lines: capLines(lines) });
  };

  const outToday = input.absences.flatMap((absence) => describeOff(absence, day) ?? []);
  add('Out today', outToday.length > 0 ? [outToday.join(' · ')] : []);

  const next = findNextWorkingDay(day, office);
  if (next <= addDays(day, NEXT_DAY_HORIZON_DAYS)) {
    const outNext = input.absences.flatMap((absence) => describeOff(absence, next) ?? []);
    add(`Out ${formatDay(next, zone)}`, outNext.length > 0 ? [outNext.join(' · ')] : []);
  }

  if (isWorkingDay(day, office)) {
    add(
      'Coverage',
      findRolesBelowCoverage(day, input.absences, office).map(
        (gap) => `⚠️ ${formatRole(gap.role)}: ${gap.onDuty} of ${gap.needed} needed on duty`,
      ),
    );
  }

  const decisions = [...input.decisions].sort((a, b) => a.filedAt.toMillis() - b.filedAt.toMillis());
  add(
    `Waiting for a decision (${decisions.length})`,
    decisions.map(
      (decision) => `${decision.reference} · ${decision.summary} · ${describeAge(decision.filedAt, now)}`,
    ),
  );

  add(
    'Supplies to order',
    (input.suppliesToOrder ?? []).map((item) => `${item.reference} · ${item.summary}`),
  );
  add(
    'Below par',
    (input.belowPar ?? []).map(
      (item) => `${item.name}: ${item.onHand} of ${item.par} on hand, order ${item.suggested} ${item.unit}`,
    ),
  );
  add(
    'Reps today',
    [...(input.repVisits ?? [])]
      .sort((a, b) => a.time.localeCompare(b.time))
      .map((visit) => `${visit.time} · ${visit.repName} (${visit.company})`),
  );
  if (input.complaints && (input.complaints.open > 0 || input.complaints.overdue.length > 0)) {
    const overdue = input.complaints.overdue.map((item) => `${item.reference} (${item.ageDays} days)`);
    add('Complaints', [
      `${input.complaints.open} open${overdue.length > 0 ? `, ${overdue.length} overdue: ${overdue.join(', ')}` : ''}`,
    ]);
  }

  add(
    'Holidays this week',
    listHolidays(addDays(day, 1), addDays(day, 7), office).map((holiday) => formatDay(holiday, zone)),
  );

  return {
    title: `Huddle — ${formatDay(day, zone)}`,
    sections,
    emptyLine: sections.length === 0 ? 'A quiet day: everyone is in and nothing is waiting.' : undefined,
  };
}
