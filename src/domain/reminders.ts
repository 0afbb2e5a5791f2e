import type { DateTime } from 'luxon';
import type { OfficeConfig } from '../config/office.ts';
import { countWorkingHoursBetween } from './calendar.ts';

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
