import type { OfficeConfig } from '../../config/office.ts';
import { createAuditEntry } from '../../db/repositories/audit.ts';
import { createStockCount, listOpenSupplyRequests } from '../../db/repositories/supplies.ts';
import {
  type CatalogItem,
  describeIncoming,
  formatQuantity,
  matchCatalogItem,
  parseQuantity,
  suggestReorderQuantity,
  sumIncoming,
} from '../../domain/supplies.ts';
import type { HandlerContext } from '../kernel/context.ts';
import { clip, NOTHING_SAVED, refusal } from '../kernel/copy.ts';
import type { Outcome } from '../kernel/message.ts';
import { replyOnly } from '../kernel/message.ts';
import { explainQuantity } from './intake.ts';

const STOCK_HINT =
  'Write it like /supplies stock GLV-M 6 or /supplies stock nitrile gloves m 6 (the item, then how many are on the shelf).';

/** The catalog item a stock count names, by code (`GLV-M`) or by name (`nitrile gloves m`), or why not. */
function findCountedItem(itemText: string, office: OfficeConfig): CatalogItem | Outcome {
  const { catalog } = office.supplies;
  const bySku = catalog.find((entry) => entry.sku.toLowerCase() === itemText.toLowerCase());
  if (bySku) return bySku;
  const notFound = (hint: string) =>
    refusal(`There is no item ${clip(itemText, 30)} in the catalog.${hint} ${NOTHING_SAVED}`, STOCK_HINT);
  // Something written like a code is a code: suggest its family rather than guess from the letters.
  if (/^[a-z0-9]+-[a-z0-9-]+$/i.test(itemText)) {
    const family = itemText.split('-')[0]?.toUpperCase() ?? '';
    const similar = catalog.filter((entry) => entry.sku.split('-')[0] === family);
    return notFound(
      similar.length > 0 ? ` Did you mean ${similar.map((entry) => entry.sku).join(', ')}?` : '',
    );
  }
  const match = matchCatalogItem(itemText, catalog);
  if (match.kind === 'item' && match.note === '') return match.item;
  if (match.kind === 'close') {
    const choices = match.items.map((entry) => `${entry.name} (${entry.sku})`).join(', ');
    return refusal(
      `Which item did you count: ${choices}? Write its code, like /supplies stock GLV-M 6. ${NOTHING_SAVED}`,
    );
  }
  return notFound('');
}

export async function recordStock(words: string[], ctx: HandlerContext): Promise<Outcome> {
  const { office, actor, db, now, officeId } = ctx;
  const countText = words.length > 1 ? (words.at(-1) ?? '') : '';
  const itemText = words.slice(0, -1).join(' ');
  if (!itemText || !countText)
    return refusal(`Say which item and how many are on hand. ${NOTHING_SAVED}`, STOCK_HINT);
  const item = findCountedItem(itemText, office);
  if (!('sku' in item)) return item;
  const count = parseQuantity(countText, { allowZero: true });
  if (!count.ok) {
    return refusal(`${explainQuantity(count, countText, 'count', office)} ${NOTHING_SAVED}`, STOCK_HINT);
  }
  const stock = await createStockCount(db, {
    officeId: officeId,
    sku: item.sku,
    count: count.quantity,
    byName: actor.name,
    at: now.toJSDate(),
  });
  await createAuditEntry(db, {
    officeId: officeId,
    actor,
    action: 'supplies.counted',
    entity: item.sku,
    detail: { count: stock.onHand },
    // the count's own time, so the monthly report places it in the month it was made
    at: now.toJSDate(),
  });
  const incoming = sumIncoming(await listOpenSupplyRequests(db, officeId)).get(item.sku);
  const coming = (incoming?.onOrder ?? 0) + (incoming?.toOrder ?? 0);
  const suggested = suggestReorderQuantity(item.par, stock.onHand, coming);
  const lines = [
    `${item.name} (${item.sku}): ${formatQuantity(stock.onHand, item.unit)} on hand, par ${item.par}.`,
  ];
  if (stock.onHand < item.par) {
    const ordered = coming > 0 ? ` (${describeIncoming(incoming)} already)` : '';
    lines.push(
      suggested > 0
        ? `Below par: order ${formatQuantity(suggested, item.unit)}${ordered}.`
        : `Below par, but enough is on order${ordered}.`,
    );
  }
  return replyOnly({ text: `Recorded ${item.sku}: ${stock.onHand} on hand`, lines });
}
