import { DateTime } from 'luxon';
import type { OfficeConfig } from '../config/office.ts';
import { isWorkingDay } from './dates.ts';

/** Hours between two instants that fall on working days (office workdays, not holidays), in the office zone. */
export function countWorkingHoursBetween(
  from: DateTime,
  to: DateTime,
  office: Pick<OfficeConfig, 'office' | 'timeoff'>,
): number {
  const zone = office.office.timezone;
  let hours = 0;
  let cursor = from.setZone(zone);
  const end = to.setZone(zone);
  while (cursor < end) {
    const nextMidnight = cursor.startOf('day').plus({ days: 1 });
    const stop = DateTime.min(nextMidnight, end);
    const day = cursor.toISODate();
    if (day && isWorkingDay(day, office)) hours += stop.diff(cursor, 'hours').hours;
    cursor = stop;
  }
  return hours;
}

/** The waiting decisions a reminder is due for: pending longer than `pendingHours` working hours. */
export function selectOverdueDecisions<T extends { filedAt: DateTime }>(
  decisions: readonly T[],
  now: DateTime,
  office: Pick<OfficeConfig, 'office' | 'timeoff' | 'reminders'>,
): T[] {
  return decisions.filter(
    (decision) => countWorkingHoursBetween(decision.filedAt, now, office) >= office.reminders.pendingHours,
  );
}
