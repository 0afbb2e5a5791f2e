import { DateTime } from 'luxon';
import { z } from 'zod';
import type { OfficeConfig } from '../../config/office.ts';
import type { Db } from '../../db/client.ts';
import { listAbsencesBetween } from '../../db/repositories/absences.ts';
import { findFirstAuditAt, listAuditEntriesBetween } from '../../db/repositories/audit.ts';
import { listCheckReadingsBetween, listFirstReadingDays } from '../../db/repositories/checks.ts';
import { listComplaintsFiled } from '../../db/repositories/complaints.ts';
import { loadCredentialsForCoverage } from '../../db/repositories/credentials.ts';
import { listBookedRepMeetings } from '../../db/repositories/rep-meetings.ts';
import { listSupplyRequestsApprovedBetween } from '../../db/repositories/supplies.ts';
import { listTimeOffBetween } from '../../db/repositories/time-off.ts';
import { clearedBy } from '../../domain/credentials.ts';
import { addDays, getOfficeDay, type IsoDay } from '../../domain/dates.ts';
import { findStaffByKey } from '../../domain/people.ts';
import { buildReportFigures, type ReportFigures, type ReportPeriod } from '../../domain/report.ts';

// A stock count's audit detail, read back from JSON: anything else is not a count and is skipped.
const stockCountDetailSchema = z.object({ count: z.number().int().min(0) });

/**
 * The month's figures from the database: approved time off and call-outs (with credentials, for coverage),
 * spend approved in the month, stock counts, complaints filed in the month, booked rep visits and check
 * readings. Reads only the month's rows, so years of history do not slow it down.
 */
export async function loadReportFigures(
  db: Db,
  office: OfficeConfig,
  period: ReportPeriod,
  now: DateTime,
): Promise<ReportFigures> {
  const officeId = office.office.id;
  const from = period.start.toJSDate();
  const to = period.end.toJSDate();
  const hasChecks = (office.checks ?? []).length > 0;
  const [
    away,
    timeOff,
    credentials,
    supplyLines,
    counts,
    complaints,
    visits,
    readings,
    firstCheckReadings,
    firstAuditAt,
  ] = await Promise.all([
    listAbsencesBetween(db, office, period.first, period.last),
    // Read apart from the absences, which drop the leave type: the report counts days by type (never by person).
    listTimeOffBetween(db, officeId, period.first, period.last, ['approved']),
    loadCredentialsForCoverage(db, office),
    listSupplyRequestsApprovedBetween(db, officeId, from, to),
    listAuditEntriesBetween(db, { officeId, action: 'supplies.counted', from, to }),
    listComplaintsFiled(db, officeId, { from, to }),
    listBookedRepMeetings(db, officeId, from, to),
    Promise.all(
      (office.checks ?? []).map((check) =>
        listCheckReadingsBetween(db, {
          officeId,
          checkId: check.id,
          fromDay: period.first,
          toDay: addDays(period.last, 1),
        }),
      ),
    ),
    // Before each check came into use nothing of it is counted missed (findCheckStartDay).
    hasChecks ? listFirstReadingDays(db, officeId) : {},
    hasChecks ? findFirstAuditAt(db, officeId) : undefined,
  ]);
  return buildReportFigures(
    period,
    {
      timeOff: timeOff.map((row) => ({
        role: row.requesterRole,
        type: row.type,
        start: row.startDay,
        end: row.endDay,
        part: row.part,
        workdays: findStaffByKey(office, row.requesterKey)?.workdays,
      })),
      absences: away.absences,
      cleared: clearedBy(credentials, office),
      callOuts: away.callOuts.map((row) => ({
        role: row.personRole,
        kind: row.kind,
        day: row.day,
        covered: row.coverState === 'confirmed',
      })),
      supplyLines,
      stockCounts: counts.flatMap((row) => {
        const detail = stockCountDetailSchema.safeParse(row.detail);
        return detail.success ? [{ sku: row.entity, count: detail.data.count, at: row.at }] : [];
      }),
      complaints: complaints.map((row) => ({
        category: row.category,
        severity: row.severity,
        status: row.status,
        ackDue: row.ackDueDay,
        resolveDue: row.resolveDueDay,
        acknowledgedAt: row.acknowledgedAt,
        resolvedAt: row.resolvedAt,
      })),
      repVisits: visits.map((row) => ({
        company: row.company,
        companyKey: row.companyKey,
        day: row.slotDay,
      })),
      checkReadings: readings.flat().map((row) => ({
        checkId: row.checkId,
        day: row.day,
        dueTime: row.dueTime,
        recordedAt: row.recordedAt,
        outOfRange: row.outOfRange,
      })),
      firstCheckReadings,
      firstUsedOn: firstAuditAt
        ? getOfficeDay(DateTime.fromJSDate(firstAuditAt), office.office.timezone)
        : undefined,
    },
    office,
    now,
  );
}
