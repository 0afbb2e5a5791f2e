import type { DateTime } from 'luxon';
import type { OfficeConfig } from '../../config/office.ts';
import type { SupplyRow } from '../../db/repositories/supplies.ts';
import { formatOfficeTime, getOfficeMonth } from '../../domain/dates.ts';
import { formatReference } from '../../domain/references.ts';
import {
  type BudgetSummary,
  type CatalogItem,
  computeLineCostCents,
  describeIncoming,
  formatMoney,
  formatQuantity,
  type Incoming,
  type ReorderSuggestion,
  type SupplyUrgency,
  summarizeBudget,
  toCents,
} from '../../domain/supplies.ts';
import { withKeys } from '../../domain/with-keys.ts';
import { writeApproveValue } from '../kernel/approve-value.ts';
import type { Button, Field, Message } from '../kernel/message.ts';
import { SUPPLIES_ACTIONS } from './ids.ts';

/** How each urgency reads on cards, forms and lists. */
export const SUPPLY_URGENCY_LABELS: Record<SupplyUrgency, string> = {
  routine: 'Routine',
  this_week: 'Needed this week',
  today: 'Urgent today',
};

/** `SR-7` of a row. */
export function formatSupplyReference(row: Pick<SupplyRow, 'number'>): string {
  return formatReference('SR', row.number);
}

/** `4 boxes of Nitrile gloves (M)`, or `4 × printer toner` for an item not in the catalog. */
export function describeSupplyLine(row: Pick<SupplyRow, 'quantity' | 'unit' | 'itemName'>): string {
  return row.unit
    ? `${formatQuantity(row.quantity, row.unit)} of ${row.itemName}`
    : `${row.quantity} × ${row.itemName}`;
}

/** The catalog's unit price of an item in cents, or null when the config gives none. */
export function findUnitPriceCents(item: CatalogItem): number | null {
  return item.price === undefined ? null : toCents(item.price);
}

/** `Nitrile gloves (M): 3 on hand of par 10, 2 on order → order 5 boxes`. */
export function describeReorderSuggestion(suggestion: ReorderSuggestion): string {
  const incoming = describeIncoming(suggestion);
  const onOrder = incoming ? `, ${incoming}` : '';
  const advice =
    suggestion.suggested > 0
      ? `order ${formatQuantity(suggestion.suggested, suggestion.unit)}`
      : 'enough on order';
  return `${suggestion.name} (${suggestion.sku}): ${suggestion.onHand} on hand of par ${suggestion.par}${onOrder} → ${advice}`;
}

function describeBudget(summary: BudgetSummary, monthName: string): string {
  const budget = summary.budgetCents === undefined ? '' : ` of ${formatMoney(summary.budgetCents)}`;
  const over = summary.overAfter ? ' ⚠️ over budget' : '';
  return `${formatMoney(summary.spentCents)}${budget} approved in ${monthName}; ${formatMoney(summary.afterCents)} with this one${over}`;
}

function describeHistory(row: SupplyRow, zone: string): string {
  const at = (when: Date | null) => (when ? ` ${formatOfficeTime(when, zone)}` : '');
  const steps = [`Filed ${formatOfficeTime(row.createdAt, zone)}`];
  if (row.approvedByName) steps.push(`✅ Approved by ${row.approvedByName}${at(row.approvedAt)}`);
  if (row.orderedByName) steps.push(`🛒 Ordered by ${row.orderedByName}${at(row.orderedAt)}`);
  if (row.receivedByName) steps.push(`📦 Received by ${row.receivedByName}${at(row.receivedAt)}`);
  if (row.deniedByName) {
    const why = row.denialNote ? ` — ${row.denialNote}` : '';
    steps.push(`❌ Denied by ${row.deniedByName}${at(row.deniedAt)}${why}`);
  }
  if (row.cancelledByName) {
    const why = row.cancelNote ? ` — ${row.cancelNote}` : '';
    steps.push(`↩️ Cancelled by ${row.cancelledByName}${at(row.cancelledAt)}${why}`);
  }
  if (row.status === 'pending') steps.push('waiting for a manager');
  return steps.join(' · ');
}

/**
 * The card's buttons for the next step. Approve asks for confirmation naming the overrun when approving goes
 * over the month's budget; its value carries the warnings shown, so a press from a card drawn before an
 * overrun is asked again (`warnedApproveButton`).
 */
function listButtons(row: SupplyRow, warnings: readonly string[]): Button[] {
  const reference = formatSupplyReference(row);
  switch (row.status) {
    case 'pending': {
      const approve: Button = {
        label: 'Approve',
        actionId: SUPPLIES_ACTIONS.approve,
        value: writeApproveValue(reference, warnings),
        style: 'primary',
      };
      return [
        warnings.length === 0
          ? approve
          : withKeys(approve, {
              confirm: {
                title: 'Approve over budget?',
                text: `Approving ${reference} ${warnings.join('; ')}.`,
                confirm: 'Approve anyway',
                deny: 'Go back',
              },
            }),
        { label: 'Deny', actionId: SUPPLIES_ACTIONS.deny, value: reference, style: 'danger' },
      ];
    }
    case 'approved':
      return [
        { label: 'Mark ordered', actionId: SUPPLIES_ACTIONS.markOrdered, value: reference, style: 'primary' },
      ];
    case 'ordered':
      return [
        {
          label: 'Mark received',
          actionId: SUPPLIES_ACTIONS.markReceived,
          value: reference,
          style: 'primary',
        },
      ];
    default:
      return [];
  }
}

/** What a supply card is drawn from besides the request: read by `loadSupplyCard`. */
export interface SupplyCardFacts {
  /** the item's counted stock; undefined when it was never counted */
  onHand: number | undefined;
  incoming: Incoming | undefined;
  /** approved spend in the office month of `now`, in cents */
  monthSpentCents: number;
}

/** Whether a request's card shows the month's spend against the budget, so the spend must be read. */
export function showsBudget(office: OfficeConfig, row: SupplyRow): boolean {
  return (
    row.status === 'pending' &&
    (computeLineCostCents(row.unitPriceCents, row.quantity) !== null ||
      office.supplies.monthlyBudget !== undefined)
  );
}

/** The month's spend against the budget with `row` approved, for a card that shows it (`showsBudget`). */
function summarizeWithRow(office: OfficeConfig, row: SupplyRow, monthSpentCents: number) {
  return summarizeBudget({
    spentCents: monthSpentCents,
    lineCents: computeLineCostCents(row.unitPriceCents, row.quantity) ?? 0,
    budgetCents:
      office.supplies.monthlyBudget === undefined ? undefined : toCents(office.supplies.monthlyBudget),
  });
}

/**
 * The warning approving `row` raises, as its card words it: `goes $40.00 over the November 2026 budget`
 * when the month's approved spend with it would pass the budget; none otherwise.
 */
export function listBudgetWarnings(
  office: OfficeConfig,
  row: SupplyRow,
  now: DateTime,
  monthSpentCents: number,
): string[] {
  if (!showsBudget(office, row)) return [];
  const summary = summarizeWithRow(office, row, monthSpentCents);
  if (!summary.overAfter || summary.remainingCents === undefined) return [];
  const month = getOfficeMonth(now, office.office.timezone);
  return [`goes ${formatMoney(-summary.remainingCents)} over the ${month.label} budget`];
}

/**
 * `November 2026's approved spend is now $540.00, $40.00 over its $500.00 budget`, as an approval's answer
 * names it, or undefined while the month is within its budget (or has none).
 */
export function describeMonthOverrun(
  office: OfficeConfig,
  now: DateTime,
  monthSpentCents: number,
): string | undefined {
  const budget = office.supplies.monthlyBudget;
  if (budget === undefined || monthSpentCents <= toCents(budget)) return undefined;
  const month = getOfficeMonth(now, office.office.timezone);
  return `${month.label}'s approved spend is now ${formatMoney(monthSpentCents)}, ${formatMoney(monthSpentCents - toCents(budget))} over its ${formatMoney(toCents(budget))} budget`;
}

/**
 * The approvals-channel card of a supply request: line cost, month-to-date approved spend against the
 * budget, stock on hand and coming, and the button for the next step.
 */
export function buildSupplyCard(
  office: OfficeConfig,
  row: SupplyRow,
  now: DateTime,
  facts: SupplyCardFacts,
): Message {
  const zone = office.office.timezone;
  const reference = formatSupplyReference(row);
  const item = row.sku ? office.supplies.catalog.find((entry) => entry.sku === row.sku) : undefined;
  const lineCents = computeLineCostCents(row.unitPriceCents, row.quantity);
  const fields: Field[] = [
    { label: 'Who', value: row.requesterName },
    {
      label: 'Item',
      value: row.sku ? `${row.itemName} · ${row.sku}` : `${row.itemName} (not in the catalog)`,
    },
    { label: 'Quantity', value: formatQuantity(row.quantity, row.unit) },
    { label: 'Urgency', value: SUPPLY_URGENCY_LABELS[row.urgency] },
  ];
  if (lineCents !== null && row.unitPriceCents !== null) {
    fields.push({
      label: 'Cost',
      value: `${formatMoney(lineCents)} (${row.quantity} × ${formatMoney(row.unitPriceCents)})`,
    });
  }
  if (item?.vendor) fields.push({ label: 'Vendor', value: item.vendor });
  if (item) {
    const incoming = describeIncoming(facts.incoming);
    const counted = facts.onHand === undefined ? 'not counted yet' : `${facts.onHand} on hand`;
    fields.push({
      label: 'Stock',
      value: `${counted} · par ${item.par}${incoming ? ` · ${incoming}` : ''}`,
    });
  }
  const lines: string[] = [];
  const warnings = listBudgetWarnings(office, row, now, facts.monthSpentCents);
  // Spend against the budget helps the decision; once decided, the month it would show may not be the request's.
  if (showsBudget(office, row)) {
    const month = getOfficeMonth(now, zone);
    const summary = summarizeWithRow(office, row, facts.monthSpentCents);
    fields.push({ label: 'Budget', value: describeBudget(summary, month.start.toFormat('LLLL')) });
    for (const warning of warnings)
      lines.push(`⚠️ Approving this ${warning}. A manager can still approve it.`);
  }
  if (!row.sku)
    lines.push('Not in the catalog: check what exactly is needed, and its price, before approving.');
  if (row.note) fields.push({ label: 'Note', value: row.note });
  const buttons = listButtons(row, warnings);
  return {
    text: `Supplies ${reference}: ${row.requesterName}, ${describeSupplyLine(row)} — ${row.status}`,
    title: `Supplies ${reference} — ${row.requesterName}`,
    fields,
    ...(lines.length > 0 ? { lines } : {}),
    ...(buttons.length > 0 ? { buttons } : {}),
    note: describeHistory(row, zone),
  };
}
