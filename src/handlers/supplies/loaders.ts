import { DateTime } from 'luxon';
import type { OfficeConfig } from '../../config/office.ts';
import type { Db } from '../../db/client.ts';
import {
  getSupplyStock,
  listOpenSupplyRequests,
  listSupplyRequestsApprovedBetween,
  listSupplyStock,
  type SupplyRow,
} from '../../db/repositories/supplies.ts';
import { getOfficeMonth } from '../../domain/dates.ts';
import { DIGEST_ORDER } from '../../domain/digest.ts';
import {
  describeSupplySections,
  listReorderSuggestions,
  sumApprovedSpend,
  sumIncoming,
} from '../../domain/supplies.ts';
import type { HandlerContext } from '../kernel/context.ts';
import type { FeatureDigest, PendingDecision, PendingLoader } from '../kernel/digest.ts';
import type { Message } from '../kernel/message.ts';
import {
  buildSupplyCard,
  describeSupplyLine,
  formatSupplyReference,
  listBudgetWarnings,
  SUPPLY_URGENCY_LABELS,
  showsBudget,
} from './card.ts';

/** Approved spend in the office month containing `now`, in cents. */
async function loadMonthSpendCents(db: Db, office: OfficeConfig, now: DateTime): Promise<number> {
  const month = getOfficeMonth(now, office.office.timezone);
  const rows = await listSupplyRequestsApprovedBetween(
    db,
    office.office.id,
    month.start.toJSDate(),
    month.end.toJSDate(),
  );
  return sumApprovedSpend(rows, month.start, month.end);
}

/** The budget warning approving `row` would raise now, in its card's words (`listBudgetWarnings`). */
export async function describeBudgetWarningsNow(row: SupplyRow, ctx: HandlerContext): Promise<string[]> {
  if (!showsBudget(ctx.office, row)) return [];
  return listBudgetWarnings(ctx.office, row, ctx.now, await loadMonthSpendCents(ctx.db, ctx.office, ctx.now));
}

/** The pending requests among the open ones, as decisions waiting for a manager. */
function listDecisions(open: readonly SupplyRow[], office: OfficeConfig): PendingDecision[] {
  const zone = office.office.timezone;
  return open
    .filter((row) => row.status === 'pending')
    .map((row) => ({
      reference: formatSupplyReference(row),
      summary: `${row.requesterName}: ${describeSupplyLine(row)} (supplies)`,
      filedAt: DateTime.fromJSDate(row.createdAt).setZone(zone),
      requester: { platform: row.requesterPlatform, userId: row.requesterUserId },
    }));
}

/**
 * What the huddle digest shows of supplies, from one read of the open requests: pending ones as decisions
 * waiting (oldest first), approved ones as to order, and counted items below par with what to reorder.
 */
export async function loadSupplyDigest(db: Db, office: OfficeConfig) {
  const open = await listOpenSupplyRequests(db, office.office.id);
  const stock = await listSupplyStock(db, office.office.id);
  const summarize = (row: SupplyRow) => `${row.requesterName}: ${describeSupplyLine(row)}`;
  return {
    decisions: listDecisions(open, office),
    suppliesToOrder: open
      .filter((row) => row.status === 'approved')
      .map((row) => ({
        reference: formatSupplyReference(row),
        summary: `${summarize(row)}${row.urgency === 'routine' ? '' : ` · ⚡ ${SUPPLY_URGENCY_LABELS[row.urgency].toLowerCase()}`}`,
      })),
    belowPar: listReorderSuggestions(
      office.supplies.catalog,
      new Map(stock.map((row) => [row.sku, row.onHand])),
      sumIncoming(open),
    ),
  };
}

/** The huddle's supplies: approved requests still to order, and counted items below par. */
export const suppliesDigest: FeatureDigest = {
  order: DIGEST_ORDER.supplies,
  async load({ db, office }) {
    const { suppliesToOrder, belowPar } = await loadSupplyDigest(db, office);
    return describeSupplySections(suppliesToOrder, belowPar);
  },
};

/** Supply requests waiting for a manager's decision. */
export const listPendingSupplies: PendingLoader = async ({ db, office }) =>
  listDecisions(await listOpenSupplyRequests(db, office.office.id), office);

/** A request's card as the database stands: the item's stock, what is coming, and the month's spend. */
export async function loadSupplyCard(
  db: Db,
  office: OfficeConfig,
  row: SupplyRow,
  now: DateTime,
): Promise<Message> {
  const item = row.sku ? office.supplies.catalog.find((entry) => entry.sku === row.sku) : undefined;
  const [stock, open, monthSpentCents] = await Promise.all([
    item ? getSupplyStock(db, office.office.id, item.sku) : undefined,
    item ? listOpenSupplyRequests(db, office.office.id) : [],
    showsBudget(office, row) ? loadMonthSpendCents(db, office, now) : 0,
  ]);
  return buildSupplyCard(office, row, now, {
    onHand: stock?.onHand,
    incoming: item ? sumIncoming(open).get(item.sku) : undefined,
    monthSpentCents,
  });
}

/**
 * Every pending card but `except`'s, as the database stands, from one read of the open requests, the stock
 * and the month's approved spend, which all the cards share (and which is returned for an approval's answer).
 */
export async function loadPendingCards(
  db: Db,
  office: OfficeConfig,
  now: DateTime,
  except?: SupplyRow,
): Promise<{ cards: { row: SupplyRow; message: Message }[]; monthSpentCents: number }> {
  const [open, stock, monthSpentCents] = await Promise.all([
    listOpenSupplyRequests(db, office.office.id),
    listSupplyStock(db, office.office.id),
    loadMonthSpendCents(db, office, now),
  ]);
  const onHand = new Map(stock.map((entry) => [entry.sku, entry.onHand]));
  const incoming = sumIncoming(open);
  const cards = open
    .filter((row) => row.status === 'pending' && row.id !== except?.id)
    .map((row) => ({
      row,
      message: buildSupplyCard(office, row, now, {
        onHand: row.sku ? onHand.get(row.sku) : undefined,
        incoming: row.sku ? incoming.get(row.sku) : undefined,
        monthSpentCents,
      }),
    }));
  return { cards, monthSpentCents };
}
