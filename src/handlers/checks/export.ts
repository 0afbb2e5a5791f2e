import { createAuditEntry } from '../../db/repositories/audit.ts';
import { type CheckReadingRow, listCheckReadingsBetween } from '../../db/repositories/checks.ts';
import { getOfficeMonth, parseOfficeMonth } from '../../domain/dates.ts';
import type { HandlerContext } from '../kernel/context.ts';
import { clip, refusal } from '../kernel/copy.ts';
import { answerWithCsv, formatCsvInstant } from '../kernel/csv.ts';
import type { Outcome } from '../kernel/message.ts';
import { formatCheckReference } from './card.ts';
import { findCheck, listChecks } from './loaders.ts';

/** The original values, plainly: `Temperature °C 9.4 (out of range); action taken: moved vaccines`. */
function describeOriginal(row: CheckReadingRow): string {
  const values = (row.originalValues ?? []).map(
    (value) =>
      `${value.label} ${value.value === '' ? '—' : value.value}${value.outOfRange ? ' (out of range)' : ''}`,
  );
  const action = row.originalActionTaken ? [`action taken: ${row.originalActionTaken}`] : [];
  return [...values, ...action].join('; ');
}

/** `corrected`, `corrected_from`, `corrected_by`, `corrected_at`, `correction_reason`: empty when never corrected. */
function describeCorrectionColumns(row: CheckReadingRow, zone: string): string[] {
  if (!row.correctedAt || !row.originalValues) return ['', '', '', '', ''];
  return [
    'yes',
    describeOriginal(row),
    row.correctedByName ?? '',
    formatCsvInstant(row.correctedAt, zone),
    row.correctionReason ?? '',
  ];
}

const HINT = 'Write it like /checks export fridge 2026-11 (the month is optional: this month).';

/**
 * `/checks export fridge [2026-11]` (managers): the inspector's log of one check for a month, one CSV row
 * per reading: when it was due and recorded (office time), who, each value, in or out of range, action taken,
 * and for a corrected reading what it first said, who corrected it, when and why.
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
    entity: `checks:${check.id}:${month.key}`,
    detail: { rows: rows.length },
  });
  return answerWithCsv({
    name: `${check.id}-${month.key}.csv`,
    title: `${check.name} log, ${month.label}`,
    header: [
      'reference',
      'check',
      'due',
      'recorded_at',
      'recorded_by',
      ...check.fields.map((field) => field.label),
      'range',
      'action_taken',
      // Appended last: spreadsheets read the columns above by position.
      'corrected',
      'corrected_from',
      'corrected_by',
      'corrected_at',
      'correction_reason',
    ],
    rows: rows.map((row) => {
      const values = new Map(row.values.map((value) => [value.fieldId, value.value]));
      return [
        formatCheckReference(row),
        row.checkName,
        `${row.day}T${row.dueTime}`,
        formatCsvInstant(row.recordedAt, zone),
        row.recordedByName,
        // A number field's value as a number: as text, a negative reading would be made formula-safe ('-2).
        ...check.fields.map((field) => {
          const value = values.get(field.id) ?? '';
          return field.type === 'number' && value !== '' ? Number(value) : value;
        }),
        row.outOfRange ? 'out of range' : 'in range',
        row.actionTaken ?? '',
        ...describeCorrectionColumns(row, zone),
      ];
    }),
  });
}
