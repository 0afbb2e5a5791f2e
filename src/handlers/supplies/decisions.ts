import {
  addReceivedStock,
  getSupplyRequest,
  type SupplyRow,
  updateSupplyRequestStatus,
} from '../../db/repositories/supplies.ts';
import { formatOfficeTime } from '../../domain/dates.ts';
import {
  canCancelSupplyRequest,
  checkSupplyStep,
  type StepCheck,
  type SupplyStatus,
  type SupplyStep,
} from '../../domain/supplies.ts';
import type { HandlerContext } from '../kernel/context.ts';
import { managerNames, NOTHING_CHANGED } from '../kernel/copy.ts';
import type { Effect, Message } from '../kernel/message.ts';
import { warnedApproveButton } from '../kernel/warned-approve.ts';
import {
  type RequestKind,
  relationTo,
  type Step,
  stepCommandWithReason,
  withCancelReason,
  withDenyReason,
} from '../kernel/workflow.ts';
import { describeMonthOverrun, describeSupplyLine, formatSupplyReference } from './card.ts';
import { SUPPLIES_ACTIONS, SUPPLIES_FORMS } from './ids.ts';
import { MAX_NOTE } from './intake.ts';
import { describeBudgetWarningsNow, loadPendingCards, loadSupplyCard } from './loaders.ts';

const STEP_BUTTONS = { approved: 'Approve', ordered: 'Mark ordered' } as const;
const STEP_VERBS: Record<SupplyStep, string> = {
  approved: 'approved',
  denied: 'denied',
  ordered: 'marked ordered',
  received: 'marked received',
  cancelled: 'cancelled',
};

export const supplyRequestKind: RequestKind<SupplyRow> = {
  prefix: 'SR',
  noun: 'supply request',
  referenceNoun: 'supply',
  example: 'SR-7',
  load: (ctx, number, options) => getSupplyRequest(ctx.db, ctx.officeId, number, options),
  card: (row, ctx) => loadSupplyCard(ctx.db, ctx.office, row, ctx.now),
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
export async function refreshPendingCards(changed: SupplyRow, ctx: HandlerContext): Promise<Effect[]> {
  return redrawCards((await loadPendingCards(ctx.db, ctx.office, ctx.now, changed)).cards);
}

function redrawCards(cards: readonly { row: SupplyRow; message: Message }[]): Effect[] {
  return cards.map(
    ({ row, message }): Effect => ({ kind: 'update', cardKey: formatSupplyReference(row), message }),
  );
}

/** One manager's step on the card (approve, deny, mark ordered, mark received), as one conditional update. */
export function managerStep<Values>(
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
      // One read of the month's spend serves the answer's overrun and the other cards' budget lines.
      const pending = step === 'denied' ? undefined : await loadPendingCards(db, ctx.office, now, updated);
      const overrun =
        step === 'approved' && pending
          ? describeMonthOverrun(ctx.office, now, pending.monthSpentCents)
          : undefined;
      const answers: Record<typeof step, string> = {
        approved: `Approved ${reference} for ${updated.requesterName} (${line}).${overrun ? ` ⚠️ ${overrun}.` : ''} Press Mark ordered on the card once it is ordered.`,
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
          ...(pending ? redrawCards(pending.cards) : []),
        ],
      };
    },
  };
}

export const noNote = () => '';

/** Approve as pressed on a card, asked again when the card did not show the overrun approving makes now. */
export const approveButton = warnedApproveButton(supplyRequestKind, managerStep('approved', noNote), {
  actionId: SUPPLIES_ACTIONS.approve,
  describeNow: describeBudgetWarningsNow,
  ask: ({ row, reference }, warnings) =>
    `Approving ${reference} (${row.requesterName}, ${describeSupplyLine(row)}) now ${warnings.join('; ')}.`,
});
export const deny = withDenyReason(
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

export const cancelWithReason = withCancelReason(
  cancelStep<{ reason: string }>((values) => values.reason),
  { formId: SUPPLIES_FORMS.cancelReason, submitLabel: 'Cancel the order', maxLength: MAX_NOTE },
);
/** `/supplies cancel SR-7`: at once while pending; a manager stopping an approved order gives a reason first. */
export const cancelCommand = stepCommandWithReason(
  supplyRequestKind,
  { plain: cancelStep<undefined>(() => ''), withReason: cancelWithReason },
  (row, actor) => (row.status === 'approved' || row.status === 'ordered') && actor.isManager,
  'Say which request to cancel, like /supplies cancel SR-7. /supplies list shows open ones.',
);
