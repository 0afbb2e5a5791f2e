import { createAuditEntry } from '../../db/repositories/audit.ts';
import { listSupplyRequestsFiledBetween } from '../../db/repositories/supplies.ts';
import { getOfficeMonth, parseOfficeMonth } from '../../domain/dates.ts';
import { computeLineCostCents } from '../../domain/supplies.ts';
import type { HandlerContext } from '../kernel/context.ts';
import { clip, refusal } from '../kernel/copy.ts';
import { answerWithCsv, formatCsvInstant } from '../kernel/csv.ts';
import type { Outcome } from '../kernel/message.ts';
import { formatSupplyReference } from './card.ts';

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
    entity: `supplies:${month.key}`,
    detail: { rows: rows.length },
  });
  const catalog = new Map(ctx.office.supplies.catalog.map((item) => [item.sku, item]));
  return answerWithCsv({
    name: `supplies-${month.key}.csv`,
    title: `Supply requests, ${month.label}`,
    header: [
      'reference',
      'requested',
      'requester',
      'sku',
      'item',
      'vendor',
      'category',
      'quantity',
      'unit',
      'unit_price',
      'cost',
      'urgency',
      'status',
      'decided_by',
      'decided',
      'ordered',
      'received',
      'note',
      // Appended, never inserted: spreadsheets built on this file read its columns by position.
      'decision_note',
      'ordered_by',
      'received_by',
      'cancelled_by',
      'cancelled',
      'cancel_note',
    ],
    rows: rows.map((row) => {
      const item = row.sku ? catalog.get(row.sku) : undefined;
      return [
        formatSupplyReference(row),
        formatCsvInstant(row.createdAt, zone),
        row.requesterName,
        row.sku ?? '',
        row.itemName,
        item?.vendor ?? '',
        item?.category ?? '',
        row.quantity,
        row.unit ?? '',
        formatDollars(row.unitPriceCents),
        formatDollars(computeLineCostCents(row.unitPriceCents, row.quantity)),
        row.urgency,
        row.status,
        row.approvedByName ?? row.deniedByName ?? '',
        formatCsvInstant(row.approvedAt ?? row.deniedAt, zone),
        formatCsvInstant(row.orderedAt, zone),
        formatCsvInstant(row.receivedAt, zone),
        row.note,
        // Only a denial carries a note; an approval has none to store.
        row.denialNote ?? '',
        row.orderedByName ?? '',
        row.receivedByName ?? '',
        // The requester withdrawing a pending request, or a manager cancelling an approved or ordered one.
        row.cancelledByName ?? '',
        formatCsvInstant(row.cancelledAt, zone),
        row.cancelNote ?? '',
      ];
    }),
  });
}
