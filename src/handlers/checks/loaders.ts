import type { CheckConfig, OfficeConfig, StaffMember } from '../../config/office.ts';
import type { Db } from '../../db/client.ts';
import { listAbsencesBetween } from '../../db/repositories/absences.ts';
import { type CheckReadingRow, listCheckReadingsOn } from '../../db/repositories/checks.ts';
import { type CheckSlot, chooseCheckAssignee, formatSlotKey, listCheckSlots } from '../../domain/checks.ts';
import type { IsoDay } from '../../domain/dates.ts';

/** The office's checks; an office without `checks:` has none. */
export function listChecks(office: OfficeConfig): readonly CheckConfig[] {
  return office.checks ?? [];
}

/** The check with id `checkId` (`fridge`), if the office has it. */
export function findCheck(office: OfficeConfig, checkId: string): CheckConfig | undefined {
  return listChecks(office).find((check) => check.id === checkId.trim().toLowerCase());
}

/** Who is asked to do a slot now, counting time off and call-outs recorded for its day. */
export async function loadAssignee(
  db: Db,
  office: OfficeConfig,
  check: CheckConfig,
  slot: Pick<CheckSlot, 'day' | 'time'>,
): Promise<StaffMember | undefined> {
  const { absences } = await listAbsencesBetween(db, office, slot.day, slot.day);
  return chooseCheckAssignee(check, slot.day, slot.time, office, absences);
}

/** A slot of a check on a day, with its reading when it was recorded. */
export interface SlotState {
  check: CheckConfig;
  slot: CheckSlot;
  reading: CheckReadingRow | undefined;
}

/** Every check's slots on each of `days`, with their readings, earliest first. */
export async function loadSlotStates(
  db: Db,
  office: OfficeConfig,
  days: readonly IsoDay[],
): Promise<SlotState[]> {
  const checks = listChecks(office);
  if (checks.length === 0) return [];
  const readings = await listCheckReadingsOn(db, office.office.id, days);
  const byKey = new Map(
    readings.map((row) => [formatSlotKey({ checkId: row.checkId, day: row.day, time: row.dueTime }), row]),
  );
  return days.flatMap((day) =>
    checks.flatMap((check) =>
      listCheckSlots(check, day, office).map((slot) => ({
        check,
        slot,
        reading: byKey.get(formatSlotKey(slot)),
      })),
    ),
  );
}
