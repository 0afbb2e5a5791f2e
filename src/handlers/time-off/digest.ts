import { DateTime } from 'luxon';
import { listAbsencesBetween } from '../../db/repositories/absences.ts';
import { loadCredentialsForCoverage } from '../../db/repositories/credentials.ts';
import { listPendingTimeOffRequests } from '../../db/repositories/time-off.ts';
import { findNextWorkingDay } from '../../domain/calendar.ts';
import { describeAbsenceSections } from '../../domain/coverage.ts';
import { clearedBy } from '../../domain/credentials.ts';
import { DIGEST_ORDER } from '../../domain/digest.ts';
import { formatReference } from '../../domain/references.ts';
import type { FeatureDigest, PendingLoader } from '../kernel/digest.ts';
import { describeTimeOffDays } from './card.ts';

/** The huddle's first part: who is out (time off and call-outs) on the day and the next working day, roles below coverage, and who covers. */
export const timeOffDigest: FeatureDigest = {
  order: DIGEST_ORDER.people,
  async load({ db, office, day }) {
    const nextWorkingDay = findNextWorkingDay(day, office);
    const [{ absences }, credentials] = await Promise.all([
      listAbsencesBetween(db, office, day, nextWorkingDay),
      loadCredentialsForCoverage(db, office),
    ]);
    return describeAbsenceSections(day, absences, office, clearedBy(credentials, office));
  },
};

/** Time off waiting for a manager's decision. */
export const listPendingTimeOff: PendingLoader = async ({ db, office }) => {
  const zone = office.office.timezone;
  const pending = await listPendingTimeOffRequests(db, office.office.id);
  return pending.map((row) => ({
    reference: formatReference('TO', row.number),
    summary: `${row.requesterName}: time off ${describeTimeOffDays(row, zone)}`,
    filedAt: DateTime.fromJSDate(row.createdAt).setZone(zone),
    requester: { platform: row.requesterPlatform, userId: row.requesterUserId },
  }));
};
