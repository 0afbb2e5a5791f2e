import Fuse from 'fuse.js';
import type { DateTime } from 'luxon';
import type { OfficeConfig } from '../config/office.ts';
import type { DigestSection } from './digest.ts';

/** One catalog entry from the office config: sku, name, unit, par level and optional price (dollars), vendor, category. */
export type CatalogItem = OfficeConfig['supplies']['catalog'][number];

/** Where a supply request stands: pending → approved → ordered → received, or denied / cancelled. */
export type SupplyStatus = 'pending' | 'approved' | 'ordered' | 'received' | 'denied' | 'cancelled';

/** A status a person can move a request to. */
export type SupplyStep = Exclude<SupplyStatus, 'pending'>;

/** How soon it is needed: routine, needed this week, or urgent today. */
export type SupplyUrgency = 'routine' | 'this_week' | 'today';

/** A quantity read from text: a whole number from 1 (0 where a count allows it) to MAX_SUPPLY_QUANTITY. */
export type QuantityParse =
  | { ok: true; quantity: number }
  | { ok: false; reason: 'not_a_number' | 'zero' | 'negative' | 'fractional' | 'too_many' };

/**
 * What item a request's text names: one catalog item (the rest of the text is the note), several close
 * catalog items to choose from, or nothing in the catalog (the text is filed as a non-catalog item).
 */
export type CatalogMatch =
  | { kind: 'item'; item: CatalogItem; note: string }
  | { kind: 'close'; items: CatalogItem[]; note: string; asWritten: WrittenItem }
  | { kind: 'none'; asWritten: WrittenItem };

/** A non-catalog item as the person wrote it: the item, and a note after ` - `, `:` or `;`. */
export type WrittenItem = { itemText: string; note: string };

/** A step is allowed, or refused: the request is closed, already past that step, not there yet, or decided. */
export type StepCheck =
  | { ok: true }
  | { ok: false; reason: 'closed' | 'already_done' | 'already_decided' }
  | { ok: false; reason: 'not_yet'; needs: 'approved' | 'ordered' };

/** A cancellation is allowed, or refused with a reason. */
export type SupplyCancelCheck = { ok: true } | { ok: false; reason: 'not_permitted' | 'not_pending' };

/** A counted catalog item below its par level, with what to order: par − on hand − on order, never below 0. */
export type ReorderSuggestion = {
  sku: string;
  name: string;
  unit: string;
  par: number;
  onHand: number;
  /** marked ordered, not yet received */
  onOrder: number;
  /** approved, not yet marked ordered */
  toOrder: number;
  suggested: number;
};

/** Units of an item coming: marked ordered (on order) and approved but not yet ordered (to order). */
export type Incoming = { onOrder: number; toOrder: number };

/** Month-to-date approved spend against the monthly budget, in cents; `afterCents` adds the line in question. */
export type BudgetSummary = {
  spentCents: number;
  afterCents: number;
  budgetCents: number | undefined;
  remainingCents: number | undefined;
  overAfter: boolean;
};

/** A request as spend is counted: its status, when it was approved, and its cost parts. */
export type SpendEntry = {
  status: SupplyStatus;
  approvedAt: Date | null;
  quantity: number;
  unitPriceCents: number | null;
};

/** The most units one request, or one stock count, may name; more is surely a typo. */
export const MAX_SUPPLY_QUANTITY = 1000;

/** How many close matches a person is offered to choose from. */
export const MAX_CLOSE_MATCHES = 5;

const TRANSITIONS: Readonly<Record<SupplyStatus, readonly SupplyStatus[]>> = {
  pending: ['approved', 'denied', 'cancelled'],
  approved: ['ordered', 'cancelled'],
  ordered: ['received', 'cancelled'],
  received: [],
  denied: [],
  cancelled: [],
};
const PROGRESS: Readonly<Record<SupplyStatus, number>> = {
  pending: 0,
  approved: 1,
  ordered: 2,
  received: 3,
  denied: -1,
  cancelled: -1,
};
const SPENT: ReadonlySet<SupplyStatus> = new Set(['approved', 'ordered', 'received']);

// A person writes "medium gloves" as often as "gloves m".
const SYNONYMS: Readonly<Record<string, string>> = {
  small: 's',
  sm: 's',
  medium: 'm',
  med: 'm',
  large: 'l',
  lg: 'l',
  xlarge: 'xl',
};
// Words that may stand between the quantity and the item, besides the catalog's units: "4 boxes of gloves".
const LEAD_WORDS = ['x', 'of', 'more', 'extra', 'new', 'the', 'case', 'pack', 'box', 'unit'];
const NOTE_SEPARATOR = /\s[-–—]\s|[;:]/;
// Words that start a note rather than continue an item's name: "masks for the front desk", "gloves l urgent".
const NOTE_WORDS = new Set(
  'for in to at on by from please pls thanks urgent asap stat this next need needed we our running because since before so'.split(
    ' ',
  ),
);
// The longest run of words read as an item name; what follows is the note.
const MAX_ITEM_WORDS = 12;
// Fuse scores 0 (exact) to 1; a word this close to a catalog word is treated as a typo of it.
const TYPO_SCORE = 0.34;

/** Reads a whole quantity: `4`, `4x`, `1,000`; zero, negative, fractional and over 1,000 are refused. */
export function parseQuantity(text: string, options: { allowZero?: boolean } = {}): QuantityParse {
  const cleaned = text.trim().replace(/^[x×]/i, '').replace(/[x×]$/i, '');
  if (/^[+-]?\d+\/\d+$/.test(cleaned) || /[½¼¾⅓⅔]/.test(cleaned)) {
    return cleaned.startsWith('-') ? { ok: false, reason: 'negative' } : { ok: false, reason: 'fractional' };
  }
  // A comma followed by one or two digits is a decimal comma (2,5), not a thousands separator (1,000).
  if (/^[+-]?\d+,\d{1,2}$/.test(cleaned)) return { ok: false, reason: 'fractional' };
  const plain = /^[+-]?\d{1,3}(,\d{3})+(\.\d*)?$/.test(cleaned) ? cleaned.replaceAll(',', '') : cleaned;
  if (!/^[+-]?(\d+(\.\d*)?|\.\d+)$/.test(plain)) return { ok: false, reason: 'not_a_number' };
  const value = Number(plain);
  if (value < 0 || (plain.startsWith('-') && value === 0)) return { ok: false, reason: 'negative' };
  if (!Number.isInteger(value)) return { ok: false, reason: 'fractional' };
  if (value === 0 && !options.allowZero) return { ok: false, reason: 'zero' };
  if (value > MAX_SUPPLY_QUANTITY) return { ok: false, reason: 'too_many' };
  return { ok: true, quantity: value };
}

/** Lower-cased, accent-free, singular words of a text: `Nitrile gloves (M)` → `nitrile glove m`. */
export function normalizeWords(text: string): string[] {
  return text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((word) => word !== '')
    .map((word) => SYNONYMS[word] ?? singularize(word));
}

function singularize(word: string): string {
  if (/^\d/.test(word) || word.length <= 3) return word;
  if (word.endsWith('ies') && word.length > 4) return `${word.slice(0, -3)}y`;
  if (/(x|ch|sh|ss)es$/.test(word)) return word.slice(0, -2);
  if (word.endsWith('s') && !word.endsWith('ss')) return word.slice(0, -1);
  return word;
}

type Candidate = { item: CatalogItem; words: Set<string>; nameWords: string[] };
type WordHit = 'exact' | 'typo' | undefined;

/**
 * Finds the catalog item a request's text names, by sku (first word) or by name words (case, plural and
 * punctuation tolerant, sizes like `medium` → `m`, typos through fuse.js). The longest run of leading words
 * that fits catalog items names the item and the rest is the note. It is one item only when exactly one item
 * fits without a typo and either every word was used or the words cover the whole item name; otherwise the
 * close items are offered, so a guess is never filed without the person choosing it.
 */
export function matchCatalogItem(text: string, catalog: readonly CatalogItem[]): CatalogMatch {
  const trimmed = text.trim();
  const tokens = trimmed.split(/\s+/).filter((token) => token !== '');
  const asWritten = splitWrittenItem(trimmed);
  const [first = ''] = tokens;
  const bySku = catalog.find((item) => item.sku.toLowerCase() === first.toLowerCase());
  if (bySku) return { kind: 'item', item: bySku, note: cleanNote(tokens.slice(1).join(' ')) };

  const candidates: Candidate[] = catalog.map((item) => {
    const nameWords = normalizeWords(item.name);
    return { item, nameWords, words: new Set([...nameWords, ...normalizeWords(item.sku)]) };
  });
  const fixTypo = buildTypoFixer(candidates);
  const leadWords = new Set([...LEAD_WORDS, ...catalog.flatMap((item) => normalizeWords(item.unit))]);
  let start = 0;
  while (start < tokens.length - 1 && normalizeWords(tokens[start] ?? '').every((w) => leadWords.has(w))) {
    start += 1;
  }
  const last = Math.min(tokens.length, start + MAX_ITEM_WORDS);
  for (let end = last; end > start; end -= 1) {
    const words = tokens.slice(start, end).flatMap(normalizeWords);
    if (words.length === 0) continue;
    const fits = candidates.flatMap((candidate) => {
      const hits = words.map((word) => findWord(word, candidate.words, fixTypo));
      if (hits.some((hit) => hit === undefined)) return [];
      const typo = hits.includes('typo');
      const used = new Set(words.flatMap((word) => [word, fixTypo(word) ?? word]));
      const covered = candidate.nameWords.every((nameWord) =>
        [...used].some((word) => nameWord === word || (word.length >= 3 && nameWord.startsWith(word))),
      );
      return [{ candidate, typo, covered }];
    });
    if (fits.length === 0) continue;
    const note = cleanNote(tokens.slice(end).join(' '));
    const bounded = end === tokens.length || isNoteBoundary(tokens, end, leadWords);
    const sure = fits.filter((fit) => !fit.typo && (bounded || fit.covered));
    const [only] = sure;
    if (only && (fits.length === 1 || (sure.length === 1 && only.covered))) {
      return { kind: 'item', item: only.candidate.item, note };
    }
    const items = fits.slice(0, MAX_CLOSE_MATCHES).map((fit) => fit.candidate.item);
    return { kind: 'close', items, note, asWritten };
  }
  return { kind: 'none', asWritten };
}

/** The item name clearly ends before `tokens[end]`: after punctuation, or where a note word or a unit starts. */
function isNoteBoundary(tokens: readonly string[], end: number, unitWords: ReadonlySet<string>): boolean {
  const before = tokens[end - 1] ?? '';
  if (normalizeWords(before).length === 0 || /[,;:)]$/.test(before)) return true;
  const [next = ''] = normalizeWords(tokens[end] ?? '');
  return NOTE_WORDS.has(next) || unitWords.has(next) || /^[-–—(:;]/.test(tokens[end] ?? '');
}

function findWord(
  word: string,
  itemWords: ReadonlySet<string>,
  fixTypo: (word: string) => string | undefined,
): WordHit {
  if (itemWords.has(word)) return 'exact';
  if (word.length >= 3 && [...itemWords].some((itemWord) => itemWord.startsWith(word))) return 'exact';
  const fixed = fixTypo(word);
  return fixed !== undefined && itemWords.has(fixed) ? 'typo' : undefined;
}

/** The catalog word a misspelt word (4+ letters, no exact or prefix match) most likely meant. */
function buildTypoFixer(candidates: readonly Candidate[]): (word: string) => string | undefined {
  const vocabulary = [...new Set(candidates.flatMap((candidate) => [...candidate.words]))];
  // Anchored at the start of the word and close in length, so "room" does not match inside "thermometer".
  const fuse = new Fuse(vocabulary, { includeScore: true, threshold: TYPO_SCORE, location: 0, distance: 8 });
  const fixes = new Map<string, string | undefined>();
  return (word) => {
    if (word.length < 4 || /^\d/.test(word)) return undefined;
    if (vocabulary.some((known) => known === word || known.startsWith(word))) return undefined;
    if (!fixes.has(word)) {
      const best = fuse
        .search(word)
        .find(
          (result) => Math.abs(result.item.length - word.length) <= 2 && (result.score ?? 1) <= TYPO_SCORE,
        );
      fixes.set(word, best?.item);
    }
    return fixes.get(word);
  };
}

/** Splits `printer toner - the HP one` into the item and the note; without a separator it is all item. */
export function splitWrittenItem(text: string): WrittenItem {
  const match = NOTE_SEPARATOR.exec(text);
  if (!match) return { itemText: text.trim(), note: '' };
  return {
    itemText: text.slice(0, match.index).trim(),
    note: text.slice(match.index + match[0].length).trim(),
  };
}

function cleanNote(text: string): string {
  return text.replace(/^\s*(?:[-–—:;,]\s*)+/, '').trim();
}

/** `urgent` in a note means today, `this week` means this week; otherwise routine. */
export function readUrgency(note: string): SupplyUrgency {
  if (/\b(urgent|asap|stat)\b/i.test(note)) return 'today';
  if (/\bthis\s+week\b/i.test(note)) return 'this_week';
  return 'routine';
}

/** Pending goes to approved, denied or cancelled; approved only to ordered; ordered only to received; the rest are final. */
export function canTransitionSupply(from: SupplyStatus, to: SupplyStatus): boolean {
  return TRANSITIONS[from].includes(to);
}

/** Why a step cannot be taken now: closed (denied, cancelled), already past it, already decided, or a step skipped (naming the next one due). */
export function checkSupplyStep(from: SupplyStatus, to: SupplyStep): StepCheck {
  if (canTransitionSupply(from, to)) return { ok: true };
  if (from === 'denied' || from === 'cancelled') return { ok: false, reason: 'closed' };
  if (to === 'denied' || to === 'cancelled') return { ok: false, reason: 'already_decided' };
  if (PROGRESS[from] >= PROGRESS[to]) return { ok: false, reason: 'already_done' };
  return { ok: false, reason: 'not_yet', needs: from === 'approved' ? 'ordered' : 'approved' };
}

/**
 * The requester or a manager may cancel a request while it is pending; once approved it is the manager's
 * order, which a manager may still cancel (with a reason) until it is received.
 */
export function canCancelSupplyRequest(
  status: SupplyStatus,
  byRole: 'requester' | 'manager' | 'other',
): SupplyCancelCheck {
  if (byRole === 'other') return { ok: false, reason: 'not_permitted' };
  if (!canTransitionSupply(status, 'cancelled')) return { ok: false, reason: 'not_pending' };
  if (status !== 'pending' && byRole !== 'manager') return { ok: false, reason: 'not_pending' };
  return { ok: true };
}

/** par − on hand − on order, never below zero. */
export function suggestReorderQuantity(par: number, onHand: number, onOrder: number): number {
  return Math.max(0, par - onHand - onOrder);
}

/**
 * Counted catalog items with fewer on hand than par, emptiest first; an item never counted is left out,
 * since nobody knows it is low. `onOrder` counts approved and ordered requests not yet received.
 */
export function listReorderSuggestions(
  catalog: readonly CatalogItem[],
  onHand: ReadonlyMap<string, number>,
  incoming: ReadonlyMap<string, Incoming>,
): ReorderSuggestion[] {
  const suggestions: ReorderSuggestion[] = [];
  for (const item of catalog) {
    const have = onHand.get(item.sku);
    if (have === undefined || have >= item.par) continue;
    const { onOrder, toOrder } = incoming.get(item.sku) ?? { onOrder: 0, toOrder: 0 };
    suggestions.push({
      sku: item.sku,
      name: item.name,
      unit: item.unit,
      par: item.par,
      onHand: have,
      onOrder,
      toOrder,
      // What is approved will be ordered anyway: suggesting it again would order it twice.
      suggested: suggestReorderQuantity(item.par, have, onOrder + toOrder),
    });
  }
  return suggestions.sort((a, b) => a.onHand / a.par - b.onHand / b.par || a.sku.localeCompare(b.sku));
}

/** How the quantities of open requests are coming, per sku: ordered (on order) or approved (to order). */
export function sumIncoming(
  rows: readonly { sku: string | null; status: SupplyStatus; quantity: number }[],
): Map<string, Incoming> {
  const incoming = new Map<string, Incoming>();
  for (const row of rows) {
    if (!row.sku || (row.status !== 'ordered' && row.status !== 'approved')) continue;
    const sum = incoming.get(row.sku) ?? { onOrder: 0, toOrder: 0 };
    if (row.status === 'ordered') sum.onOrder += row.quantity;
    else sum.toOrder += row.quantity;
    incoming.set(row.sku, sum);
  }
  return incoming;
}

/** `2 on order, 1 approved to order`, or '' when nothing is coming. */
export function describeIncoming(incoming: Incoming | undefined): string {
  if (!incoming) return '';
  return [
    ...(incoming.onOrder > 0 ? [`${incoming.onOrder} on order`] : []),
    ...(incoming.toOrder > 0 ? [`${incoming.toOrder} approved to order`] : []),
  ].join(', ');
}

/** A catalog price in dollars as whole cents, rounded half up: 12.5 → 1250. */
export function toCents(dollars: number): number {
  // Shifting the decimal point in the text avoids binary error: 1.005 * 100 is 100.49999…
  const text = String(dollars);
  return Math.round(text.includes('e') ? dollars * 100 : Number(`${text}e2`));
}

/** Unit price × quantity in cents, or null when the item has no price. */
export function computeLineCostCents(unitPriceCents: number | null, quantity: number): number | null {
  return unitPriceCents === null ? null : unitPriceCents * quantity;
}

/** Cents as dollars: 125000 → `$1,250.00`. */
export function formatMoney(cents: number): string {
  const sign = cents < 0 ? '-' : '';
  const whole = Math.floor(Math.abs(cents) / 100).toLocaleString('en-US');
  return `${sign}$${whole}.${String(Math.abs(cents) % 100).padStart(2, '0')}`;
}

/** Cost of requests approved within [start, end) that still stand (approved, ordered or received); unpriced lines count 0. */
export function sumApprovedSpend(entries: readonly SpendEntry[], start: DateTime, end: DateTime): number {
  const from = start.toMillis();
  const to = end.toMillis();
  let cents = 0;
  for (const entry of entries) {
    if (!entry.approvedAt || !SPENT.has(entry.status)) continue;
    const at = entry.approvedAt.getTime();
    if (at < from || at >= to) continue;
    cents += computeLineCostCents(entry.unitPriceCents, entry.quantity) ?? 0;
  }
  return cents;
}

/** Month-to-date spend, spend with one more line, and what is left of the budget; over when spend with the line exceeds it. */
export function summarizeBudget(params: {
  spentCents: number;
  lineCents: number;
  budgetCents: number | undefined;
}): BudgetSummary {
  const { spentCents, lineCents, budgetCents } = params;
  const afterCents = spentCents + lineCents;
  return {
    spentCents,
    afterCents,
    budgetCents,
    remainingCents: budgetCents === undefined ? undefined : budgetCents - afterCents,
    overAfter: budgetCents !== undefined && afterCents > budgetCents,
  };
}

/** `4 boxes`, `1 roll`, `3 each`, or just `4` for an item with no unit. */
export function formatQuantity(quantity: number, unit: string | null): string {
  if (!unit) return String(quantity);
  if (quantity === 1 || unit === 'each') return `${quantity} ${unit}`;
  return `${quantity} ${/(x|ch|sh|s)$/.test(unit) ? `${unit}es` : `${unit}s`}`;
}

/** The huddle's supply sections: approved requests still to order, and counted items below par. */
export function describeSupplySections(
  toOrder: readonly { reference: string; summary: string }[],
  belowPar: readonly { name: string; onHand: number; par: number; suggested: number; unit: string }[],
): DigestSection[] {
  return [
    { heading: 'Supplies to order', lines: toOrder.map((item) => `${item.reference} · ${item.summary}`) },
    {
      heading: 'Below par',
      lines: belowPar.map(
        (item) =>
          `${item.name}: ${item.onHand} of ${item.par} on hand, order ${formatQuantity(item.suggested, item.unit)}`,
      ),
    },
  ];
}
