import type { OfficeConfig } from '../../config/office.ts';
import type { Db } from '../../db/client.ts';
import { listAbsencesBetween } from '../../db/repositories/absences.ts';
import type { CallOutRow } from '../../db/repositories/call-outs.ts';
import { loadCredentialsForCoverage } from '../../db/repositories/credentials.ts';
import {
  type ClearedFor,
  type DigestAbsence,
  findRolesBelowCoverage,
  type RoleGap,
} from '../../domain/coverage.ts';
import { clearedBy } from '../../domain/credentials.ts';
import type { IsoDay } from '../../domain/dates.ts';

/** Everyone away on `day`: approved time off and active call-outs, and who is covering whom. */
export async function loadDayAbsences(db: Db, office: OfficeConfig, day: IsoDay) {
  const [{ absences, callOuts }, credentials] = await Promise.all([
    listAbsencesBetween(db, office, day, day),
    loadCredentialsForCoverage(db, office),
  ]);
  const covering = callOuts.flatMap((row) =>
    (row.coverState === 'offered' || row.coverState === 'confirmed') && row.coverName ? [row.coverName] : [],
  );
  return { absences, covering, callOuts, cleared: clearedBy(credentials, office) };
}

/** The gaps in the call-out's role while the person is away, counting everything recorded that day. */
export function findCallOutGaps(
  row: CallOutRow,
  absences: readonly DigestAbsence[],
  office: OfficeConfig,
  cleared: ClearedFor,
): RoleGap[] {
  const { open, close } = office.office.hours;
  const from = row.fromTime ?? open;
  const until = row.untilTime ?? close;
  return findRolesBelowCoverage(row.day, absences, office, cleared).filter(
    (gap) => gap.role === row.personRole && gap.from < until && from < gap.until,
  );
}
