import { listOpenSupplyRequests, listSupplyStock, type SupplyRow } from '../../db/repositories/supplies.ts';
import { listReorderSuggestions, sumIncoming } from '../../domain/supplies.ts';
import type { HandlerContext } from '../kernel/context.ts';
import type { Outcome } from '../kernel/message.ts';
import { replyOnly } from '../kernel/message.ts';
import {
  describeReorderSuggestion,
  describeSupplyLine,
  formatSupplyReference,
  SUPPLY_URGENCY_LABELS,
} from './card.ts';

const LIST_LIMIT = 15;

function describeOpenRequest(row: SupplyRow): string {
  const urgency = row.urgency === 'routine' ? '' : ` · ${SUPPLY_URGENCY_LABELS[row.urgency]}`;
  return `${formatSupplyReference(row)} · ${describeSupplyLine(row)} · ${row.requesterName} · ${row.status}${urgency}`;
}

export async function listOpen(ctx: HandlerContext): Promise<Outcome> {
  const { office, db, officeId } = ctx;
  const open = await listOpenSupplyRequests(db, officeId);
  const stock = await listSupplyStock(db, officeId);
  const suggestions = listReorderSuggestions(
    office.supplies.catalog,
    new Map(stock.map((row) => [row.sku, row.onHand])),
    sumIncoming(open),
  );
  const lines = [`Open requests (${open.length}):`];
  lines.push(...open.slice(0, LIST_LIMIT).map(describeOpenRequest));
  if (open.length > LIST_LIMIT) lines.push(`…and ${open.length - LIST_LIMIT} more`);
  if (open.length === 0) lines.push('None: nothing is waiting to be approved, ordered or received.');
  lines.push(`Below par (${suggestions.length}):`);
  lines.push(...suggestions.slice(0, LIST_LIMIT).map(describeReorderSuggestion));
  if (suggestions.length > LIST_LIMIT) lines.push(`…and ${suggestions.length - LIST_LIMIT} more`);
  if (suggestions.length === 0) {
    lines.push(
      stock.length === 0
        ? 'No stock counts yet; managers record them with /supplies stock GLV-M 6.'
        : 'Nothing counted is below par.',
    );
  }
  return replyOnly({
    text: `Supplies: ${open.length} open, ${suggestions.length} below par`,
    title: 'Supplies',
    lines,
  });
}
