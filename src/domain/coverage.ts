import type { OfficeConfig, StaffMember } from '../config/office.ts';
import { findNextWorkingDay, isWorkingDay } from './calendar.ts';
import { addDays, type DayPart, formatDay, type IsoDay } from './dates.ts';
import type { DigestSection } from './digest.ts';
import { formatRole } from './time-off.ts';

/** Someone's approved time off as the huddle needs it: never its type (sick leave is private). */
export interface DigestAbsence {
  name: string;
  role: string | null | undefined;
  start: IsoDay;
  end: IsoDay;
  part: DayPart;
}

type CoverageOffice = Pick<OfficeConfig, 'office' | 'timeoff' | 'coverage'> & {
  staff: readonly StaffMember[];
};

// After a closure longer than three weeks, who is out on reopening is a matter for a later huddle.
const NEXT_DAY_HORIZON_DAYS = 21;

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

/** The huddle's first sections: who is out on `day` and on the next working day, and roles below coverage. */
export function describeAbsenceSections(
  day: IsoDay,
  absences: readonly DigestAbsence[],
  office: CoverageOffice,
): DigestSection[] {
  const zone = office.office.timezone;
  const sections: DigestSection[] = [];
  const outToday = absences.flatMap((absence) => describeOff(absence, day) ?? []);
  if (outToday.length > 0) sections.push({ heading: 'Out today', lines: [outToday.join(' · ')] });

  const next = findNextWorkingDay(day, office);
  if (next <= addDays(day, NEXT_DAY_HORIZON_DAYS)) {
    const outNext = absences.flatMap((absence) => describeOff(absence, next) ?? []);
    if (outNext.length > 0)
      sections.push({ heading: `Out ${formatDay(next, zone)}`, lines: [outNext.join(' · ')] });
  }

  // Today's gaps, then the next working day's, so a short day tomorrow is fixed before the doors open.
  const lines = isWorkingDay(day, office)
    ? findRolesBelowCoverage(day, absences, office).map(
        (gap) => `⚠️ ${formatRole(gap.role)}: ${gap.onDuty} of ${gap.needed} needed on duty`,
      )
    : [];
  if (next <= addDays(day, NEXT_DAY_HORIZON_DAYS)) {
    lines.push(
      ...findRolesBelowCoverage(next, absences, office).map(
        (gap) =>
          `⚠️ ${formatDay(next, zone)} — ${formatRole(gap.role)}: ${gap.onDuty} of ${gap.needed} needed on duty`,
      ),
    );
  }
  sections.push({ heading: 'Coverage', lines });
  return sections;
}
