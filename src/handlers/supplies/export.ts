import { DateTime } from 'luxon';
import { createAuditEntry } from '../../db/repositories/audit.ts';
import { listSupplyRequestsFiledBetween } from '../../db/repositories/supplies.ts';
import { computeLineCostCents, getOfficeMonth, parseOfficeMonth } from '../../domain/supplies.ts';
import type { HandlerContext } from '../kernel/context.ts';
import { clip, refusal } from '../kernel/copy.ts';
import { formatCsvRow } from '../kernel/csv.ts';
import type { Outcome } from '../kernel/message.ts';
import { replyOnly } from '../kernel/message.ts';
import { formatSupplyReference } from './card.ts';

// A CSV answer is one message: ~40 rows and under Slack's 3,000 characters per section.
const EXPORT_ROWS = 40;
const EXPORT_CHARS = 2_800;

function formatDollars(cents: number | null): string {
  return cents === null ? '' : (cents / 100).toFixed(2);
}

export async function exportMonth(monthText: string, ctx: HandlerContext): Promise<Outcome> {
  const { actor, db, now, officeId, zone } = ctx;
  const month = monthText ? parseOfficeMonth(monthText, zone) : getOfficeMonth(now, zone);
  if (!month) {
    return refusal(
      `"${clip(monthText, 20)}" is not a month. Write it like /supplies export 2026-11, or /supplies export for this month.`,
    );
  }
  const rows = await listSupplyRequestsFiledBetween(
    db,
    officeId,
    month.start.toJSDate(),
    month.end.toJSDate(),
  );
  await createAuditEntry(db, {
    officeId: officeId,
    actor,
    action: 'supplies.exported',
    entity: `supplies:${month.start.toFormat('yyyy-MM')}`,
    detail: { rows: rows.length },
  });
  const lines = [
    formatCsvRow([
      'reference',
      'filed',
      'requester',
      'sku',
      'item',
      'quantity',
      'unit',
      'status',
      'unit_price',
      'cost',
    ]),
  ];
  let size = lines[0]?.length ?? 0;
  let shown = 0;
  for (const row of rows) {
    const csv = formatCsvRow([
      formatSupplyReference(row),
      DateTime.fromJSDate(row.createdAt).setZone(zone).toFormat('yyyy-MM-dd HH:mm'),
      row.requesterName,
      row.sku ?? '',
      row.itemName,
      row.quantity,
      row.unit ?? '',
      row.status,
      formatDollars(row.unitPriceCents),
      formatDollars(computeLineCostCents(row.unitPriceCents, row.quantity)),
    ]);
    if (shown >= EXPORT_ROWS || size + csv.length + 1 > EXPORT_CHARS) break;
    lines.push(csv);
    size += csv.length + 1;
    shown += 1;
  }
  if (rows.length > shown) lines.push(`…and ${rows.length - shown} more`);
  return replyOnly({
    text: `Supply requests filed in ${month.label}: ${rows.length} (CSV)`,
    title: `Supply requests — ${month.label} (CSV)`,
    lines,
  });
}
