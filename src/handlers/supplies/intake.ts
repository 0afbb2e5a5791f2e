import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { catalogGroupOf, type OfficeConfig } from '../../config/office.ts';
import { createAuditEntry } from '../../db/repositories/audit.ts';
import { createSupplyRequest, getSupplyRequestByDraft } from '../../db/repositories/supplies.ts';
import {
  type CatalogItem,
  type CatalogMatch,
  computeLineCostCents,
  formatMoney,
  MAX_SUPPLY_QUANTITY,
  matchCatalogItem,
  normalizeWords,
  parseQuantity,
  type QuantityParse,
  readUrgency,
  type SupplyUrgency,
} from '../../domain/supplies.ts';
import { hasVisibleText, toOneLine } from '../../domain/visible-text.ts';
import type { HandlerContext } from '../kernel/context.ts';
import { clip, managerNames, NOTHING_SAVED, refusal } from '../kernel/copy.ts';
import { oneLineText, readFormErrors } from '../kernel/forms.ts';
import type { Button, Form, Outcome, SelectOption } from '../kernel/message.ts';
import { replyOnly } from '../kernel/message.ts';
import {
  describeSupplyLine,
  findUnitPriceCents,
  formatSupplyReference,
  SUPPLY_URGENCY_LABELS,
} from './card.ts';
import { SUPPLIES_ACTIONS, SUPPLIES_FORMS } from './ids.ts';
import { loadSupplyCard } from './loaders.ts';

const MAX_ITEM = 200;
export const MAX_NOTE = 500;
const FILE_HINT =
  'Write it like /supplies 4 nitrile gloves m, /supplies 2 GLV-M for room 3, or /supplies 1 printer toner - the HP one.';
const URGENCIES = ['routine', 'this_week', 'today'] as const satisfies readonly SupplyUrgency[];

const supplyFormSchema = z.object({
  sku: z.string().trim().default(''),
  other: oneLineText
    .pipe(
      z.string().max(MAX_ITEM, `Keep the description under ${MAX_ITEM} characters; details go in the note.`),
    )
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
export function explainQuantity(
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
    // Undrawn characters alone are no note: the card would show an empty one.
    note: hasVisibleText(draft.note) ? draft.note : '',
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
        message: await loadSupplyCard(db, office, row, ctx.now),
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

export async function fileFromText(text: string, ctx: HandlerContext): Promise<Outcome> {
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

export async function chooseFromButton(value: string, ctx: HandlerContext): Promise<Outcome> {
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
  // One line, as the other ways of filing store it: the value came back from a button, and could be made up.
  const itemText = item?.name ?? toOneLine(choice.i);
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

/** The name the catalog's choices are searched under, on platforms that search a long list. */
export const CATALOG_CHOICES = 'supplies-catalog';

/** The catalog as the request form's choices; Slack lists a catalog of more than 100 items under its categories. */
export function listCatalogChoices(office: OfficeConfig): SelectOption[] {
  return office.supplies.catalog.map((item) => {
    const group = catalogGroupOf(item);
    return {
      label: `${item.name} · ${item.unit} · ${item.sku}`,
      value: item.sku,
      ...(group ? { group } : {}),
    };
  });
}

export function buildRequestForm(office: OfficeConfig): Form {
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
              options: listCatalogChoices(office),
              searchList: CATALOG_CHOICES,
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

export async function submitRequestForm(
  values: Record<string, string>,
  _metadata: string | undefined,
  ctx: HandlerContext,
): Promise<Outcome> {
  const parsed = supplyFormSchema.safeParse(values);
  if (!parsed.success) {
    const formErrors = readFormErrors(parsed.error, 'quantity');
    return { formErrors, effects: [] };
  }
  const { sku, other, urgency, note } = parsed.data;
  const formErrors: Record<string, string> = {};
  const item = sku ? ctx.office.supplies.catalog.find((entry) => entry.sku === sku) : undefined;
  if (sku && !item) formErrors.sku = 'That item is no longer in the catalog; choose another.';
  if (!sku && !other) formErrors.sku = 'Choose an item, or describe one that is not in the catalog below.';
  if (sku && other) formErrors.other = 'Choose a catalog item or describe another one, not both.';
  // As from text: punctuation or undrawn characters alone name nothing.
  else if (other && normalizeWords(other).length === 0)
    formErrors.other = 'Describe the item in words, like "label printer tape".';
  const quantity = parseQuantity(parsed.data.quantity);
  if (!quantity.ok) {
    formErrors.quantity = explainQuantity(quantity, parsed.data.quantity, 'request', ctx.office);
  }
  if (Object.keys(formErrors).length > 0 || !quantity.ok) return { formErrors, effects: [] };
  return fileSupply({ item, itemText: item?.name ?? other, quantity: quantity.quantity, urgency, note }, ctx);
}
