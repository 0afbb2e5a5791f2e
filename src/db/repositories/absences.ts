import type { OfficeConfig } from '../../config/office.ts';
import { toCallOutAbsence } from '../../domain/call-outs.ts';
import { type DigestAbsence, dropCoversOfAbsent } from '../../domain/coverage.ts';
import type { Db } from '../client.ts';
import { type CallOutRow, listActiveCallOutsBetween } from './call-outs.ts';
import { listTimeOffBetween } from './time-off.ts';

/**
 * Everyone away on any day from `fromDay` to `toDay`: approved time off and active call-outs (a confirmed
 * cover filling its call-out while the coverer is not away too), as coverage, the huddle and the checks' assignees read them.
 */
export async function listAbsencesBetween(
  db: Db,
  office: OfficeConfig,
  fromDay: string,
  toDay: string,
): Promise<{ absences: DigestAbsence[]; callOuts: CallOutRow[] }> {
  const [timeOff, callOuts] = await Promise.all([
    listTimeOffBetween(db, office.office.id, fromDay, toDay, ['approved']),
    listActiveCallOutsBetween(db, office.office.id, fromDay, toDay),
  ]);
  const absences: DigestAbsence[] = dropCoversOfAbsent(
    [
      ...timeOff.map((row) => ({
        name: row.requesterName,
        role: row.requesterRole,
        start: row.startDay,
        end: row.endDay,
        part: row.part,
      })),
      ...callOuts.map((row) => toCallOutAbsence(row, office)),
    ],
    office.office.hours,
  );
  return { absences, callOuts };
}
