import { DateTime } from 'luxon';
import { createAuditEntry } from '../../db/repositories/audit.ts';
import { listComplaintsFiledWithResolutions, listOpenComplaints } from '../../db/repositories/complaints.ts';
import { countComplaintAgeDays, isPastDueDay } from '../../domain/complaints.ts';
import { formatDay, parseOfficeMonth } from '../../domain/dates.ts';
import type { HandlerContext } from '../kernel/context.ts';
import { refusal } from '../kernel/copy.ts';
import { answerWithCsv } from '../kernel/csv.ts';
import type { Outcome } from '../kernel/message.ts';
import { replyOnly } from '../kernel/message.ts';
import { COMPLAINT_STATUS_LABELS, describeAgeDays, describeComplaintSummary } from './card.ts';
import { buildComplaintRows, COMPLAINT_EXPORT_HEADER } from './export.ts';
import { groupResolutions } from './history.ts';

const LIST_LIMIT = 25;

export async function listOpen(ctx: HandlerContext): Promise<Outcome> {
  const { actor, db, now, officeId, zone } = ctx;
  const rows = await listOpenComplaints(db, officeId);
  await createAuditEntry(db, {
    officeId: officeId,
    actor,
    action: 'complaint.listed',
    entity: 'complaints',
    detail: { open: rows.length },
  });
  const due = (label: string, day: string) =>
    `${label} ${formatDay(day, zone)}${isPastDueDay(day, now, zone) ? ' ⚠️ overdue' : ''}`;
  const lines = rows
    .slice(0, LIST_LIMIT)
    .map((row) =>
      [
        describeComplaintSummary(row),
        COMPLAINT_STATUS_LABELS[row.status],
        `${describeAgeDays(countComplaintAgeDays(DateTime.fromJSDate(row.createdAt), now, zone))} old`,
        `owner ${row.ownerName ?? 'nobody yet'}`,
        ...(row.status === 'new' ? [due('acknowledge by', row.ackDueDay)] : []),
        due('resolve by', row.resolveDueDay),
      ].join(' · '),
    );
  if (rows.length > LIST_LIMIT) lines.push(`…and ${rows.length - LIST_LIMIT} more`);
  if (rows.length === 0) lines.push('No open complaints.');
  return replyOnly({
    text: `Open complaints: ${rows.length}`,
    title: `Open complaints (${rows.length})`,
    lines,
  });
}

export async function exportCsv(monthText: string, ctx: HandlerContext): Promise<Outcome> {
  const { actor, db, now, officeId, zone } = ctx;
  const example = `/complaint export ${now.setZone(zone).toFormat('yyyy-MM')}`;
  const month = monthText === '' ? undefined : parseOfficeMonth(monthText, zone);
  if (monthText !== '' && !month) {
    return refusal(`Write the month like ${example}, or leave it out to export every complaint.`);
  }
  const range = month ? { from: month.start.toJSDate(), to: month.end.toJSDate() } : {};
  const filed = await listComplaintsFiledWithResolutions(db, officeId, range);
  const rows = filed.complaints;
  const resolutions = groupResolutions(filed.resolutions);
  await createAuditEntry(db, {
    officeId: officeId,
    actor,
    action: 'complaint.exported',
    entity: 'complaints',
    detail: { month: month ? month.key : 'all', rows: rows.length },
  });
  const period = month ? month.label : 'all time';
  return answerWithCsv({
    name: `complaints-${month ? month.key : 'all'}.csv`,
    title: `Complaints, ${period}`,
    header: COMPLAINT_EXPORT_HEADER,
    rows: buildComplaintRows(rows, resolutions, zone),
  });
}
