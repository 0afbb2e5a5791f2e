import { DateTime } from 'luxon';
import { createAuditEntry } from '../../db/repositories/audit.ts';
import { listCheckReadingsBetween } from '../../db/repositories/checks.ts';
import { getOfficeMonth, parseOfficeMonth } from '../../domain/supplies.ts';
import type { HandlerContext } from '../kernel/context.ts';
import { clip, refusal } from '../kernel/copy.ts';
import { formatCsvRow } from '../kernel/csv.ts';
import type { Outcome } from '../kernel/message.ts';
import { replyOnly } from '../kernel/message.ts';
import { formatCheckReference } from './card.ts';
import { findCheck, listChecks } from './loaders.ts';

// A CSV answer is one message: ~40 rows and under Slack's 3,000 characters per section.
const EXPORT_ROWS = 40;
const EXPORT_CHARS = 2_800;

const HINT = 'Write it like /checks export fridge 2026-11 (the month is optional: this month).';

/**
 * `/checks export fridge [2026-11]` (managers): the inspector's log of one check for a month, one CSV row
 * per reading: when it was due and recorded (office time), who, each value, in or out of range, action taken.
 */
export async function exportCheckLog(rest: string, ctx: HandlerContext): Promise<Outcome> {
  const { actor, db, now, officeId, zone } = ctx;
  const [checkId = '', monthText = ''] = rest.split(/\s+/).filter(Boolean);
  const ids = listChecks(ctx.office)
    .map((check) => check.id)
    .join(', ');
  if (!checkId) return refusal(`Say which check to export${ids ? ` (${ids})` : ''}.`, HINT);
  const check = findCheck(ctx.office, checkId);
  if (!check)
    return refusal(
      `"${clip(checkId, 30)}" is not a check here.${ids ? ` The checks are: ${ids}.` : ''}`,
      HINT,
    );
  const month = monthText ? parseOfficeMonth(monthText, zone) : getOfficeMonth(now, zone);
  if (!month) return refusal(`"${clip(monthText, 20)}" is not a month.`, HINT);
  const rows = await listCheckReadingsBetween(db, {
    officeId,
    checkId: check.id,
    fromDay: month.start.toISODate() ?? '',
    toDay: month.end.toISODate() ?? '',
  });
  await createAuditEntry(db, {
    officeId,
    actor,
    action: 'checks.exported',
    entity: `checks:${check.id}:${month.start.toFormat('yyyy-MM')}`,
    detail: { rows: rows.length },
  });
  const header = formatCsvRow([
    'reference',
    'check',
    'due',
    'recorded_at',
    'recorded_by',
    ...check.fields.map((field) => field.label),
    'range',
    'action_taken',
  ]);
  const lines = [header];
  let size = header.length;
  let shown = 0;
  for (const row of rows) {
    const values = new Map(row.values.map((value) => [value.fieldId, value.value]));
    const csv = formatCsvRow([
      formatCheckReference(row),
      row.checkName,
      `${row.day} ${row.dueTime}`,
      DateTime.fromJSDate(row.recordedAt).setZone(zone).toFormat('yyyy-MM-dd HH:mm'),
      row.recordedByName,
      ...check.fields.map((field) => values.get(field.id) ?? ''),
      row.outOfRange ? 'OUT OF RANGE' : 'in range',
      row.actionTaken ?? '',
    ]);
    if (shown >= EXPORT_ROWS || size + csv.length + 1 > EXPORT_CHARS) break;
    lines.push(csv);
    size += csv.length + 1;
    shown += 1;
  }
  if (rows.length > shown) lines.push(`…and ${rows.length - shown} more`);
  return replyOnly({
    text: `${check.name} log, ${month.label}: ${rows.length} readings (CSV)`,
    title: `${check.name} — ${month.label} (CSV)`,
    lines,
  });
}
