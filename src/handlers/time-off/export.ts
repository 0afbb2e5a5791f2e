import { createAuditEntry } from '../../db/repositories/audit.ts';
import { listTimeOffBetween } from '../../db/repositories/time-off.ts';
import { getOfficeDay, isRecordYear, parseOfficeMonth } from '../../domain/dates.ts';
import { describeLeaveType } from '../../domain/leave-banks.ts';
import { formatReference } from '../../domain/references.ts';
import type { HandlerContext } from '../kernel/context.ts';
import { clip, refusal } from '../kernel/copy.ts';
import { answerWithCsv, formatCsvInstant } from '../kernel/csv.ts';
import type { Outcome } from '../kernel/message.ts';

/** `2026` or `2026-11` (default: this year): its first and last day, and how it is named. */
function readPeriod(
  text: string,
  today: string,
  zone: string,
): { first: string; last: string; label: string } | undefined {
  const written = text.trim() || today.slice(0, 4);
  if (/^\d{4}$/.test(written))
    return isRecordYear(Number(written))
      ? { first: `${written}-01-01`, last: `${written}-12-31`, label: written }
      : undefined;
  const month = parseOfficeMonth(written, zone);
  if (!month) return undefined;
  return {
    first: month.start.toISODate() ?? written,
    last: month.end.minus({ days: 1 }).toISODate() ?? written,
    label: month.label,
  };
}

/** `/timeoff export [2026 | 2026-11]` (managers): every request touching the period, whatever its status, as CSV. */
export async function exportTimeOff(text: string, ctx: HandlerContext): Promise<Outcome> {
  const { db, officeId, zone, office } = ctx;
  const period = readPeriod(text, getOfficeDay(ctx.now, zone), zone);
  if (!period)
    return refusal(
      `"${clip(text, 20)}" is not a year or a month. Write it like /timeoff export 2026 or /timeoff export 2026-11.`,
    );
  const rows = await listTimeOffBetween(db, officeId, period.first, period.last, [
    'pending',
    'approved',
    'denied',
    'cancelled',
  ]);
  await createAuditEntry(db, {
    officeId,
    actor: ctx.actor,
    action: 'timeoff.exported',
    entity: `timeoff:${period.label}`,
    detail: { rows: rows.length },
  });
  const sorted = [...rows].sort(
    (a, b) => a.createdAt.getTime() - b.createdAt.getTime() || a.number - b.number,
  );
  // The request's own reason stays out: it is the person's words to whoever decides (often about their
  // health, as for sick leave), shown on the approval card, and a CSV file travels further than a card.
  // A manager's notes (why denied, why cancelled) are the practice's record of its decision, and go in.
  return answerWithCsv({
    name: `time-off-${period.label.replace(/\s+/g, '-').toLowerCase()}.csv`,
    title: `Time off, ${period.label}`,
    header: [
      'reference',
      'who',
      'role',
      'type',
      'first_day',
      'last_day',
      'part',
      'working_days',
      'status',
      'filed',
      'decided_by',
      'decided',
      'cancelled_by',
      'cancelled',
      // Appended, never inserted: spreadsheets built on this file read its columns by position.
      'decision_note',
      'cancel_note',
    ],
    rows: sorted.map((row) => [
      formatReference('TO', row.number),
      row.requesterName,
      row.requesterRole ?? '',
      describeLeaveType(row.type, office),
      row.startDay,
      row.endDay,
      row.part,
      row.workingDays,
      row.status,
      formatCsvInstant(row.createdAt, zone),
      row.decidedByName ?? '',
      formatCsvInstant(row.decidedAt, zone),
      row.cancelledByName ?? '',
      formatCsvInstant(row.cancelledAt, zone),
      row.decisionNote ?? '',
      row.cancelNote ?? '',
    ]),
  });
}
