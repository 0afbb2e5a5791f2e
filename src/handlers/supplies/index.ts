import { randomUUID } from 'node:crypto';
import { DateTime } from 'luxon';
import { z } from 'zod';
import type { OfficeConfig } from '../../config/office.ts';
import { createAuditEntry } from '../../db/repositories/audit.ts';
import {
  addReceivedStock,
  createStockCount,
  createSupplyRequest,
  getSupplyRequest,
  getSupplyRequestByDraft,
  listOpenSupplyRequests,
  listSupplyRequestsFiledBetween,
  listSupplyStock,
  type SupplyRow,
  updateSupplyRequestStatus,
} from '../../db/repositories/supplies.ts';
import { formatOfficeTime } from '../../domain/dates.ts';
import {
  type CatalogItem,
  type CatalogMatch,
  canCancelSupplyRequest,
  checkSupplyStep,
  computeLineCostCents,
  describeIncoming,
  formatMoney,
  formatQuantity,
  getOfficeMonth,
  listReorderSuggestions,
  MAX_SUPPLY_QUANTITY,
  matchCatalogItem,
  normalizeWords,
  parseOfficeMonth,
  parseQuantity,
  type QuantityParse,
  readUrgency,
  type StepCheck,
  type SupplyStatus,
  type SupplyStep,
  type SupplyUrgency,
  suggestReorderQuantity,
  sumIncoming,
} from '../../domain/supplies.ts';
import type { HandlerContext } from '../kernel/context.ts';
import { clip, managerNames, NOTHING_CHANGED, NOTHING_SAVED, refusal } from '../kernel/copy.ts';
import { formatCsvRow } from '../kernel/csv.ts';
import type { Feature } from '../kernel/feature.ts';
import type { Button, Effect, Form, Message, Outcome } from '../kernel/message.ts';
import { replyOnly } from '../kernel/message.ts';
import {
  type RequestKind,
  relationTo,
  type Step,
  stepButton,
  stepCommandWithReason,
  stepFormHandler,
  withCancelReason,
  withDenyReason,
} from '../kernel/workflow.ts';
import {
  buildSupplyCard,
  describeReorderSuggestion,
  describeSupplyLine,
  findUnitPriceCents,
  formatSupplyReference,
  listPendingSupplies,
  SUPPLY_URGENCY_LABELS,
  suppliesDigest,
} from './card.ts';
import { SUPPLIES_ACTIONS, SUPPLIES_FORMS } from './ids.ts';

const MAX_ITEM = 200;
const MAX_NOTE = 500;
const LIST_LIMIT = 15;
// A CSV answer is one message: ~40 rows and under Slack's 3,000 characters per section.
const EXPORT_ROWS = 40;
const EXPORT_CHARS = 2_800;
const FILE_HINT =
  'Write it like /supplies 4 nitrile gloves m, /supplies 2 GLV-M for room 3, or /supplies 1 printer toner - the HP one.';
const STOCK_HINT =
  'Write it like /supplies stock GLV-M 6 or /supplies stock nitrile gloves m 6 (the item, then how many are on the shelf).';
const URGENCIES = ['routine', 'this_week', 'today'] as const satisfies readonly SupplyUrgency[];
const STEP_BUTTONS = { approved: 'Approve', ordered: 'Mark ordered' } as const;
const STEP_VERBS: Record<SupplyStep, string> = {
  approved: 'approved',
  denied: 'denied',
  ordered: 'marked ordered',
  received: 'marked received',
  cancelled: 'cancelled',
};

const supplyFormSchema = z.object({
  sku: z.string().trim().default(''),
  other: z
    .string()
    .trim()
    .max(MAX_ITEM, `Keep the description under ${MAX_ITEM} characters; details go in the note.`)
    .default(''),
  quantity: z.string({ error: 'Say how many.' }).trim().min(1, 'Say how many.'),
  urgency: z.enum(URGENCIES, { error: 'Choose how soon it is needed.' }).default('routine'),
  note: z.string().trim().max(MAX_NOTE, `Keep the note under ${MAX_NOTE} characters.`).default(''),
});
// What a "did you mean" button carries: the draft the person typed, with the item they may choose.
const choiceSchema = z.object({
  d: z.string().min(1).max(64),
  s: z.string().max(30).nullable(),
  q: z.number(),
  i: z.string().max(MAX_ITEM),
  n: z.string().max(MAX_NOTE),
});
type Choice = z.infer<typeof choiceSchema>;

interface Draft {
  item: CatalogItem | undefined;
  itemText: string;
  quantity: number;
  urgency: SupplyUrgency;
  note: string;
  draftKey?: string;
}

/** Why a quantity was refused, for a request or a stock count, in plain words. */
function explainQuantity(
  parsed: Exclude<QuantityParse, { ok: true }>,
  text: string,
  purpose: 'request' | 'count',
  office: OfficeConfig,
): string {
  const shown = clip(text, 20);
  const max = MAX_SUPPLY_QUANTITY.toLocaleString('en-US');
  switch (parsed.reason) {
    case 'not_a_number':
      return purpose === 'request'
        ? `Start with how many you need: "${shown}" is not a number.`
        : `"${shown}" is not a number; say how many are on the shelf.`;
    case 'zero':
      return 'Zero is nothing to order; ask for at least 1.';
    case 'negative':
      return purpose === 'request'
        ? `"${shown}" is below zero; ask for at least 1.`
        : `"${shown}" is below zero; count what is on the shelf (0 or more).`;
    case 'fractional':
      return `"${shown}" is not a whole number; supplies are counted in whole units (boxes, rolls, packs).`;
    case 'too_many':
      return purpose === 'request'
        ? `${shown} is more than ${max}, the most one request can hold. If you really need that many, talk to ${managerNames(office)}.`
        : `${shown} is more than ${max}; check the count and try again.`;
  }
}

/** Stores a request and queues its approval card: the one path for text, form and "did you mean" buttons. */
async function fileSupply(draft: Draft, ctx: HandlerContext): Promise<Outcome> {
  const { office, actor, db, officeId } = ctx;
  const row = await createSupplyRequest(db, {
    officeId: officeId,
    draftKey: draft.draftKey ?? null,
    requesterKey: actor.key,
    requesterName: actor.name,
    requesterPlatform: actor.platform,
    requesterUserId: actor.userId,
    sku: draft.item?.sku ?? null,
    itemName: draft.item?.name ?? draft.itemText,
    unit: draft.item?.unit ?? null,
    quantity: draft.quantity,
    unitPriceCents: draft.item ? findUnitPriceCents(draft.item) : null,
    urgency: draft.urgency,
    note: draft.note,
    createdAt: ctx.now.toJSDate(),
  });
  if (!row) {
    const earlier = draft.draftKey ? await getSupplyRequestByDraft(db, officeId, draft.draftKey) : undefined;
    const reference = earlier ? formatSupplyReference(earlier) : 'a request';
    return refusal(`You already chose for this one: it was filed as ${reference}. ${NOTHING_SAVED}`);
  }
  const reference = formatSupplyReference(row);
  await createAuditEntry(db, {
    officeId: officeId,
    actor,
    action: 'supplies.filed',
    entity: reference,
    detail: { sku: row.sku, quantity: row.quantity, urgency: row.urgency },
  });
  const line = describeSupplyLine(row);
  const cost = computeLineCostCents(row.unitPriceCents, row.quantity);
  const lines = [
    row.sku ? `${line} (${row.sku})` : line,
    ...(row.sku ? [] : ['This is not in the catalog, so a manager will look it up before ordering.']),
    ...(cost !== null ? [`Cost: ${formatMoney(cost)}`] : []),
    ...(row.urgency !== 'routine' ? [`Urgency: ${SUPPLY_URGENCY_LABELS[row.urgency]}`] : []),
    ...(row.note ? [`Note: ${row.note}`] : []),
    `${managerNames(office)} will decide; you will get a message when it is approved, ordered and received.`,
  ];
  return {
    reply: {
      text: `Supplies requested: ${reference}, ${line}`,
      title: `Supplies requested — ${reference}`,
      lines,
    },
    effects: [
      {
        kind: 'post',
        channel: 'approvals',
        cardKey: reference,
        message: await buildSupplyCard(db, office, row, ctx.now),
      },
    ],
  };
}

function encodeChoice(choice: Choice): string {
  return JSON.stringify(choice);
}

function readChoice(value: string): Choice | undefined {
  try {
    const parsed = choiceSchema.safeParse(JSON.parse(value));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

/** Several catalog items fit, or only a guess does: the person chooses; nothing is stored until then. */
function offerChoices(match: Extract<CatalogMatch, { kind: 'close' }>, quantity: number): Outcome {
  const draftKey = randomUUID();
  const buttons: Button[] = match.items.map((item) => ({
    label: `${item.name} (${item.sku})`,
    actionId: SUPPLIES_ACTIONS.choose,
    value: encodeChoice({ d: draftKey, s: item.sku, q: quantity, i: item.name, n: match.note }),
  }));
  const written = match.asWritten;
  if (written.itemText.length <= MAX_ITEM && written.note.length <= MAX_NOTE) {
    buttons.push({
      label: `Something else: "${clip(written.itemText, 40)}"`,
      actionId: SUPPLIES_ACTIONS.choose,
      value: encodeChoice({ d: draftKey, s: null, q: quantity, i: written.itemText, n: written.note }),
    });
  }
  const several = match.items.length > 1;
  const text = several
    ? `"${clip(written.itemText)}" fits ${match.items.length} catalog items. Which one do you need ${quantity} of?`
    : `Did you mean ${match.items[0]?.name ?? 'a catalog item'}?`;
  return replyOnly({
    text,
    lines: [text, 'Press the one you mean. Nothing is saved until you choose.'],
    buttons,
  });
}

async function fileFromText(text: string, ctx: HandlerContext): Promise<Outcome> {
  const [first = '', ...rest] = text.split(/\s+/);
  const quantity = parseQuantity(first);
  if (!quantity.ok) {
    return refusal(`${explainQuantity(quantity, first, 'request', ctx.office)} ${NOTHING_SAVED}`, FILE_HINT);
  }
  const itemText = rest.join(' ').trim();
  // Punctuation alone names nothing: "4 -" is as empty as "4".
  if (normalizeWords(itemText).length === 0)
    return refusal(`Say what you need after the number. ${NOTHING_SAVED}`, FILE_HINT);
  const match = matchCatalogItem(itemText, ctx.office.supplies.catalog);
  const note = match.kind === 'none' ? match.asWritten.note : match.note;
  if (note.length > MAX_NOTE) {
    return refusal(
      `Please keep the note under ${MAX_NOTE} characters (yours has ${note.length}). ${NOTHING_SAVED}`,
    );
  }
  switch (match.kind) {
    case 'item':
      return fileSupply(
        {
          item: match.item,
          itemText: match.item.name,
          quantity: quantity.quantity,
          urgency: readUrgency(note),
          note,
        },
        ctx,
      );
    case 'close':
      return offerChoices(match, quantity.quantity);
    case 'none': {
      const { itemText: written } = match.asWritten;
      if (written.length > MAX_ITEM) {
        return refusal(
          `Please describe the item in under ${MAX_ITEM} characters, and put details after " - " as a note. ${NOTHING_SAVED}`,
          FILE_HINT,
        );
      }
      if (normalizeWords(written).length === 0) {
        return refusal(`Say what you need before the note. ${NOTHING_SAVED}`, FILE_HINT);
      }
      return fileSupply(
        { item: undefined, itemText: written, quantity: quantity.quantity, urgency: readUrgency(note), note },
        ctx,
      );
    }
  }
}

async function chooseFromButton(value: string, ctx: HandlerContext): Promise<Outcome> {
  const choice = readChoice(value);
  if (!choice)
    return refusal(`That choice could not be read; please type the request again. ${NOTHING_SAVED}`);
  const quantity = parseQuantity(String(choice.q));
  if (!quantity.ok) {
    return refusal(`${explainQuantity(quantity, String(choice.q), 'request', ctx.office)} ${NOTHING_SAVED}`);
  }
  const item = choice.s ? ctx.office.supplies.catalog.find((entry) => entry.sku === choice.s) : undefined;
  if (choice.s && !item) {
    return refusal(
      `${choice.s} is no longer in the catalog; please type the request again. ${NOTHING_SAVED}`,
    );
  }
  const itemText = item?.name ?? choice.i.trim();
  if (normalizeWords(itemText).length === 0) return refusal(`Say what you need. ${NOTHING_SAVED}`, FILE_HINT);
  return fileSupply(
    {
      item,
      itemText,
      quantity: quantity.quantity,
      urgency: readUrgency(choice.n),
      note: choice.n,
      draftKey: choice.d,
    },
    ctx,
  );
}

function buildRequestForm(office: OfficeConfig): Form {
  const catalog = office.supplies.catalog;
  return {
    formId: SUPPLIES_FORMS.request,
    title: 'Ask for supplies',
    submitLabel: 'Send request',
    inputs: [
      ...(catalog.length > 0
        ? [
            {
              kind: 'select' as const,
              id: 'sku',
              label: 'Item from the catalog (type to search)',
              optional: true,
              options: catalog.map((item) => ({
                label: `${item.name} · ${item.unit} · ${item.sku}`,
                value: item.sku,
              })),
            },
          ]
        : []),
      {
        kind: 'text',
        id: 'other',
        label: 'Not in the catalog? Describe it',
        optional: true,
        maxLength: MAX_ITEM,
      },
      { kind: 'number', id: 'quantity', label: 'How many', min: 1, max: MAX_SUPPLY_QUANTITY, initial: 1 },
      {
        kind: 'select',
        id: 'urgency',
        label: 'How soon',
        initial: 'routine',
        options: URGENCIES.map((value) => ({ label: SUPPLY_URGENCY_LABELS[value], value })),
      },
      { kind: 'textarea', id: 'note', label: 'Note', optional: true, maxLength: MAX_NOTE },
    ],
  };
}

async function submitRequestForm(
  values: Record<string, string>,
  _metadata: string | undefined,
  ctx: HandlerContext,
): Promise<Outcome> {
  const parsed = supplyFormSchema.safeParse(values);
  if (!parsed.success) {
    const formErrors: Record<string, string> = {};
    for (const issue of parsed.error.issues)
      formErrors[String(issue.path[0] ?? 'quantity')] ??= issue.message;
    return { formErrors, effects: [] };
  }
  const { sku, other, urgency, note } = parsed.data;
  const formErrors: Record<string, string> = {};
  const item = sku ? ctx.office.supplies.catalog.find((entry) => entry.sku === sku) : undefined;
  if (sku && !item) formErrors.sku = 'That item is no longer in the catalog; choose another.';
  if (!sku && !other) formErrors.sku = 'Choose an item, or describe one that is not in the catalog below.';
  if (sku && other) formErrors.other = 'Choose a catalog item or describe another one, not both.';
  const quantity = parseQuantity(parsed.data.quantity);
  if (!quantity.ok) {
    formErrors.quantity = explainQuantity(quantity, parsed.data.quantity, 'request', ctx.office);
  }
  if (Object.keys(formErrors).length > 0 || !quantity.ok) return { formErrors, effects: [] };
  return fileSupply({ item, itemText: item?.name ?? other, quantity: quantity.quantity, urgency, note }, ctx);
}

function describeOpenRequest(row: SupplyRow): string {
  const urgency = row.urgency === 'routine' ? '' : ` · ${SUPPLY_URGENCY_LABELS[row.urgency]}`;
  return `${formatSupplyReference(row)} · ${describeSupplyLine(row)} · ${row.requesterName} · ${row.status}${urgency}`;
}

async function listOpen(ctx: HandlerContext): Promise<Outcome> {
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

async function recordStock(words: string[], ctx: HandlerContext): Promise<Outcome> {
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

function formatDollars(cents: number | null): string {
  return cents === null ? '' : (cents / 100).toFixed(2);
}

async function exportMonth(monthText: string, ctx: HandlerContext): Promise<Outcome> {
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

const supplyRequestKind: RequestKind<SupplyRow> = {
  prefix: 'SR',
  noun: 'supply request',
  referenceNoun: 'supply',
  example: 'SR-7',
  load: (ctx, number) => getSupplyRequest(ctx.db, ctx.officeId, number),
  card: (row, ctx) => buildSupplyCard(ctx.db, ctx.office, row, ctx.now),
};

/** Who took a step on a request and when, as `by Dana Reyes on Wed Nov 25 at 10:00 AM`. */
function describeWhoDid(row: SupplyRow, status: SupplyStatus, zone: string): string {
  const by: Record<SupplyStatus, [string | null, Date | null]> = {
    pending: [row.requesterName, row.createdAt],
    approved: [row.approvedByName, row.approvedAt],
    ordered: [row.orderedByName, row.orderedAt],
    received: [row.receivedByName, row.receivedAt],
    denied: [row.deniedByName, row.deniedAt],
    cancelled: [row.cancelledByName, row.cancelledAt],
  };
  const [name, at] = by[status];
  return `by ${name ?? 'someone'}${at ? ` on ${formatOfficeTime(at, zone)}` : ''}`;
}

function explainStepRefusal(
  row: SupplyRow,
  reference: string,
  step: SupplyStep,
  check: Exclude<StepCheck, { ok: true }>,
  zone: string,
): string {
  switch (check.reason) {
    case 'closed':
      return `${reference} was ${row.status} ${describeWhoDid(row, row.status, zone)}, so it cannot be ${STEP_VERBS[step]}. ${NOTHING_CHANGED}`;
    case 'already_done':
      return `${reference} was already ${STEP_VERBS[step]} ${describeWhoDid(row, step, zone)}. ${NOTHING_CHANGED}`;
    case 'already_decided':
      return `${reference} was already approved ${describeWhoDid(row, 'approved', zone)} and is now ${row.status}, so it cannot be ${STEP_VERBS[step]}. ${NOTHING_CHANGED}`;
    case 'not_yet':
      return `${reference} has not been ${STEP_VERBS[check.needs]} yet (it is ${row.status}): press ${STEP_BUTTONS[check.needs]} first. ${NOTHING_CHANGED}`;
  }
}

const STEP_NEWS: Record<Exclude<SupplyStep, 'cancelled'>, (by: string) => string> = {
  approved: (by) => `was approved by ${by} ✅`,
  denied: (by) => `was denied by ${by}`,
  ordered: (by) => `has been ordered by ${by} 🛒`,
  received: (by) => `has arrived 📦 (marked received by ${by})`,
};

/**
 * The other pending cards, redrawn after a step: an approval changes the month's approved spend their budget
 * line shows, and ordering or receiving changes what their stock line counts as on order.
 */
async function refreshPendingCards(changed: SupplyRow, ctx: HandlerContext): Promise<Effect[]> {
  const pending = (await listOpenSupplyRequests(ctx.db, ctx.officeId)).filter(
    (row) => row.status === 'pending' && row.id !== changed.id,
  );
  const effects: Effect[] = [];
  for (const row of pending) {
    effects.push({
      kind: 'update',
      cardKey: formatSupplyReference(row),
      message: await buildSupplyCard(ctx.db, ctx.office, row, ctx.now),
    });
  }
  return effects;
}

/** One manager's step on the card (approve, deny, mark ordered, mark received), as one conditional update. */
function managerStep<Values>(
  step: Exclude<SupplyStep, 'cancelled'>,
  note: (values: Values) => string,
): Step<SupplyRow, Values> {
  return {
    managerOnly: (managers) =>
      `Only ${managers} can approve, deny or mark supply requests ordered or received. ${NOTHING_CHANGED}`,
    check({ row, reference }, ctx) {
      const check = checkSupplyStep(row.status, step);
      return check.ok ? undefined : explainStepRefusal(row, reference, step, check, ctx.zone);
    },
    apply: ({ row }, values, { actor, db, now }) =>
      updateSupplyRequestStatus(db, {
        id: row.id,
        from: row.status,
        to: step,
        byName: actor.name,
        at: now.toJSDate(),
        note: note(values) || null,
      }),
    async finish({ row: updated, reference }, _before, values, ctx) {
      const { actor, db, now, officeId } = ctx;
      const reason = note(values);
      const stock =
        step === 'received' && updated.sku
          ? await addReceivedStock(db, {
              officeId,
              sku: updated.sku,
              quantity: updated.quantity,
              at: now.toJSDate(),
            })
          : undefined;
      const line = describeSupplyLine(updated);
      const news = `Your supply request ${reference} (${line}) ${STEP_NEWS[step](actor.name)}.`;
      const dm: Message = { text: news, lines: [news, ...(reason ? [`Reason: ${reason}`] : [])] };
      const neverCounted = ` ${updated.sku} was never counted, so how many are on hand is unknown; count it with /supplies stock ${updated.sku} followed by the number on the shelf.`;
      const stockText =
        step !== 'received' || !updated.sku
          ? ''
          : stock
            ? ` ${stock.sku} now has ${stock.onHand} on hand.`
            : neverCounted;
      const answers: Record<typeof step, string> = {
        approved: `Approved ${reference} for ${updated.requesterName} (${line}). Press Mark ordered on the card once it is ordered.`,
        denied: `Denied ${reference} for ${updated.requesterName} (${line}).`,
        ordered: `Marked ${reference} ordered (${line}). Press Mark received when it arrives.`,
        received: `Marked ${reference} received (${line}).${stockText}`,
      };
      return {
        audit: {
          action: `supplies.${step}`,
          detail: {
            quantity: updated.quantity,
            ...(reason ? { note: true } : {}),
            ...(stock ? { onHand: stock.onHand } : {}),
          },
        },
        reply: { text: answers[step] },
        effects: [
          {
            kind: 'dm',
            to: { platform: updated.requesterPlatform, userId: updated.requesterUserId },
            message: dm,
          },
          ...(step === 'denied' ? [] : await refreshPendingCards(updated, ctx)),
        ],
      };
    },
  };
}

const noNote = () => '';
const deny = withDenyReason(
  managerStep<{ reason: string }>('denied', (values) => values.reason),
  SUPPLIES_FORMS.denyReason,
  MAX_NOTE,
);

/**
 * The requester (or a manager) withdraws a request while it is pending; after approval it is the manager's
 * order, which a manager may still cancel until it is received, giving the requester a reason.
 */
function cancelStep<Values>(note: (values: Values) => string): Step<SupplyRow, Values> {
  return {
    check({ row, reference }, ctx) {
      const { actor, office, zone } = ctx;
      const check = canCancelSupplyRequest(row.status, relationTo(row.requesterKey, actor));
      if (check.ok) return undefined;
      if (check.reason === 'not_permitted') {
        return `${reference} is not yours; only its requester or a manager can cancel it. ${NOTHING_CHANGED}`;
      }
      const after =
        row.status === 'approved' || row.status === 'ordered'
          ? ` Only a pending request can be cancelled here; ask ${managerNames(office)} to stop the order.`
          : '';
      return `${reference} was already ${row.status} ${describeWhoDid(row, row.status, zone)}.${after} ${NOTHING_CHANGED}`;
    },
    apply: ({ row }, values, { actor, db, now }) =>
      updateSupplyRequestStatus(db, {
        id: row.id,
        from: row.status,
        to: 'cancelled',
        byName: actor.name,
        at: now.toJSDate(),
        note: note(values) || null,
      }),
    async finish({ row: cancelled, reference }, before, values, ctx) {
      const { actor } = ctx;
      const line = describeSupplyLine(cancelled);
      const reason = note(values);
      const text = `${actor.name} cancelled your supply request ${reference} (${line}).`;
      const effects: Effect[] =
        cancelled.requesterKey === actor.key
          ? []
          : [
              {
                kind: 'dm',
                to: { platform: cancelled.requesterPlatform, userId: cancelled.requesterUserId },
                message: reason ? { text, lines: [text, `Reason: ${reason}`] } : { text },
              },
            ];
      // An approved or ordered request counted in the month's spend and what is on order.
      if (before.status !== 'pending') effects.push(...(await refreshPendingCards(cancelled, ctx)));
      return {
        audit: { action: 'supplies.cancelled', ...(reason ? { detail: { note: true } } : {}) },
        reply: { text: `Cancelled ${reference} (${line}).` },
        effects,
      };
    },
  };
}

const cancelWithReason = withCancelReason(
  cancelStep<{ reason: string }>((values) => values.reason),
  { formId: SUPPLIES_FORMS.cancelReason, submitLabel: 'Cancel the order', maxLength: MAX_NOTE },
);
/** `/supplies cancel SR-7`: at once while pending; a manager stopping an approved order gives a reason first. */
const cancelCommand = stepCommandWithReason(
  supplyRequestKind,
  { plain: cancelStep<undefined>(() => ''), withReason: cancelWithReason },
  (row, actor) => (row.status === 'approved' || row.status === 'ordered') && actor.isManager,
  'Say which request to cancel, like /supplies cancel SR-7. /supplies list shows open ones.',
);

async function runSuppliesCommand(text: string, ctx: HandlerContext): Promise<Outcome> {
  return text === '' ? { form: buildRequestForm(ctx.office), effects: [] } : fileFromText(text, ctx);
}

/** `/supplies`: requests against the catalog; Approve / Deny, Mark ordered, Mark received; stock counts and export. */
export const suppliesFeature: Feature = {
  command: 'supplies',
  usage: {
    summary: 'Ask for supplies',
    lines: [
      '/supplies — opens a form with the catalog (type to search), quantity, urgency and a note',
      '/supplies 4 nitrile gloves m [note] — asks for an item by name or code (GLV-M); close matches are offered as buttons; "urgent" in the note marks it urgent',
      '/supplies 1 printer toner - the HP one — an item not in the catalog, with a note after " - "',
      '/supplies list — open requests and items below par with what to reorder',
      '/supplies cancel SR-7 — withdraws a pending request; a manager may cancel an approved order until it is received, with a reason',
      '/supplies stock GLV-M 6 · /supplies stock nitrile gloves m 6 — (managers) records a count, by code or name',
      '/supplies export [2026-11] — (managers) this or that month’s requests as CSV',
    ],
  },
  run: runSuppliesCommand,
  subcommands: [
    { words: ['list'], run: (_rest, ctx) => listOpen(ctx) },
    {
      words: ['stock', 'count'],
      managerOnly: (managers) => `Only ${managers} can record stock counts. ${NOTHING_SAVED}`,
      run: (rest, ctx) => recordStock(rest.split(' '), ctx),
    },
    {
      words: ['export', 'csv'],
      managerOnly: (managers) => `Only ${managers} can export supply requests.`,
      run: exportMonth,
    },
    {
      words: ['cancel', 'withdraw'],
      run: cancelCommand,
    },
  ],
  actions: {
    [SUPPLIES_ACTIONS.approve]: stepButton(supplyRequestKind, managerStep('approved', noNote)),
    [SUPPLIES_ACTIONS.deny]: stepButton(supplyRequestKind, deny),
    [SUPPLIES_ACTIONS.markOrdered]: stepButton(supplyRequestKind, managerStep('ordered', noNote)),
    [SUPPLIES_ACTIONS.markReceived]: stepButton(supplyRequestKind, managerStep('received', noNote)),
    [SUPPLIES_ACTIONS.choose]: chooseFromButton,
  },
  forms: {
    [SUPPLIES_FORMS.request]: submitRequestForm,
    [SUPPLIES_FORMS.denyReason]: stepFormHandler(supplyRequestKind, deny),
    [SUPPLIES_FORMS.cancelReason]: stepFormHandler(supplyRequestKind, cancelWithReason),
  },
  digest: suppliesDigest,
  pending: listPendingSupplies,
};
