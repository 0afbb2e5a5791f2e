import { listActiveCallOutsBetween } from '../../db/repositories/call-outs.ts';
import { loadCredentialsForCoverage } from '../../db/repositories/credentials.ts';
import {
  cancelTimeOffRequest,
  decideTimeOffRequest,
  getTimeOffRequest,
  listTimeOffBetween,
  type TimeOffRow,
} from '../../db/repositories/time-off.ts';
import { formatOfficeTime } from '../../domain/dates.ts';
import { listManagers } from '../../domain/people.ts';
import { canCancel, formatCoverageGap } from '../../domain/time-off.ts';
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
import { loadLeaveFactsOf } from './balances.ts';
import { describeTimeOffDays, findAllowanceOverruns, findGapsIfApproved, toTimeOffRequest } from './card.ts';
import { TIME_OFF_ACTIONS, TIME_OFF_FORMS } from './ids.ts';
import { MAX_REASON } from './intake.ts';
import { loadTimeOffCard, refreshCardsAfter } from './loaders.ts';
import { recountCarryOverAfter } from './year-end.ts';

function describeDecidedAlready(row: TimeOffRow, reference: string, zone: string): string {
  if (row.status === 'cancelled') {
    return `${reference} was already withdrawn by ${row.cancelledByName ?? 'its requester'}. ${NOTHING_CHANGED}`;
  }
  const when = row.decidedAt ? ` on ${formatOfficeTime(row.decidedAt, zone)}` : '';
  return `${reference} was already ${row.status} by ${row.decidedByName ?? 'another manager'}${when}. ${NOTHING_CHANGED}`;
}

export const timeOffRequestKind: RequestKind<TimeOffRow> = {
  prefix: 'TO',
  noun: 'time-off request',
  referenceNoun: 'time-off',
  example: 'TO-12',
  load: (ctx, number, options) => getTimeOffRequest(ctx.db, ctx.officeId, number, options),
  card: (row, ctx) => loadTimeOffCard(ctx.db, ctx.office, row),
};

/** Approve or deny: managers from the office config, and not on their own request while another manager exists. */
function decision<Values>(
  status: 'approved' | 'denied',
  note: (values: Values) => string,
): Step<TimeOffRow, Values> {
  return {
    managerOnly: (managers) => `Only ${managers} can approve or deny time off. ${NOTHING_CHANGED}`,
    authorise({ row }, ctx) {
      const others = listManagers(ctx.office).filter((member) => member.name !== ctx.actor.name);
      if (row.requesterKey !== ctx.actor.key || others.length === 0) return undefined;
      return `Your own request needs another manager (${others.map((m) => m.name).join(' or ')}). ${NOTHING_CHANGED}`;
    },
    check: ({ row, reference }, ctx) =>
      row.status === 'pending' ? undefined : describeDecidedAlready(row, reference, ctx.zone),
    apply: ({ row }, values, { actor, db, now }) =>
      decideTimeOffRequest(db, {
        id: row.id,
        status,
        byKey: actor.key,
        byName: actor.name,
        at: now.toJSDate(),
        note: note(values) || null,
      }),
    async finish({ row: decided, reference }, _before, values, ctx) {
      const { actor, zone } = ctx;
      const days = describeTimeOffDays(decided, zone);
      const verdict = status === 'approved' ? 'approved ✅' : 'denied';
      const reason = note(values);
      const dm: Message = {
        text: `Your time off ${reference} (${days}) was ${status} by ${actor.name}.`,
        lines: [
          `Your time off ${reference} (${days}) was ${verdict} by ${actor.name}.`,
          ...(reason ? [`Note: ${reason}`] : []),
        ],
      };
      const effects: Effect[] = [
        {
          kind: 'dm',
          to: { platform: decided.requesterPlatform, userId: decided.requesterUserId },
          message: dm,
        },
        ...(await refreshCardsAfter(decided, ctx)),
      ];
      // A denied request the year-end counted as taken gives its days back to that carry-over.
      if (status === 'denied') effects.push(...(await recountCarryOverAfter(decided, ctx)));
      let gapText = '';
      if (status === 'approved') {
        effects.push(...(await ctx.publish({ kind: 'timeoff.approved', timeOff: decided })));
        // Evaluated now, not when the card was drawn: a gap or an overrun that arose since is named here.
        const warnings = await describeWarningsNow(decided, ctx);
        if (warnings.length > 0) gapText = ` ⚠️ This leaves ${warnings.join('; ')}.`;
      }
      return {
        audit: { action: `timeoff.${status}`, detail: reason ? { note: true } : {} },
        reply: {
          text: `${status === 'approved' ? 'Approved' : 'Denied'} ${reference} for ${decided.requesterName} (${days}).${gapText}`,
        },
        effects,
      };
    },
  };
}

export const approve = decision<undefined>('approved', () => '');

/**
 * What approving `row` would leave, from the approved leave, call-outs, credentials and the requester's
 * balance as they are now, in the words of the card's warnings: coverage gaps, then allowance overruns.
 */
async function describeWarningsNow(row: TimeOffRow, ctx: HandlerContext): Promise<string[]> {
  const [approved, callOuts, credentials, [leave]] = await Promise.all([
    listTimeOffBetween(ctx.db, ctx.officeId, row.startDay, row.endDay, ['approved']),
    listActiveCallOutsBetween(ctx.db, ctx.officeId, row.startDay, row.endDay),
    loadCredentialsForCoverage(ctx.db, ctx.office),
    loadLeaveFactsOf(ctx.db, ctx.office, [
      {
        personKey: row.requesterKey,
        fromYear: Number(row.startDay.slice(0, 4)),
        toYear: Number(row.endDay.slice(0, 4)),
      },
    ]),
  ]);
  const { gaps } = findGapsIfApproved(ctx.office, row, approved, callOuts, credentials);
  return [
    ...gaps.map((gap) => formatCoverageGap(gap, ctx.zone)),
    ...(leave ? findAllowanceOverruns(ctx.office, row, leave) : []),
  ];
}

/** Approve as pressed on a card, asked again when the card did not show what approving leaves now. */
export const approveButton = warnedApproveButton(timeOffRequestKind, approve, {
  actionId: TIME_OFF_ACTIONS.approve,
  describeNow: describeWarningsNow,
  ask: ({ row, reference }, gaps, { zone }) =>
    `Approving ${reference} (${row.requesterName}, ${describeTimeOffDays(row, zone)}) now leaves ${gaps.join('; ')}.`,
});
export const deny = withDenyReason(
  decision<{ reason: string }>('denied', (values) => values.reason),
  TIME_OFF_FORMS.denyReason,
  MAX_REASON,
);

/**
 * The requester withdraws (pending) or cancels (approved) before it starts; a manager may do it for them,
 * and cancelling someone's approved leave takes a reason, which they are told.
 */
function cancelStep<Values>(note: (values: Values) => string): Step<TimeOffRow, Values> {
  return {
    check({ row, reference }, ctx) {
      const { actor, now, office, zone } = ctx;
      const check = canCancel(toTimeOffRequest(row), now, zone, relationTo(row.requesterKey, actor));
      if (check.ok) return undefined;
      switch (check.reason) {
        case 'not_permitted':
          return `${reference} is not yours; only its requester or a manager can cancel it. ${NOTHING_CHANGED}`;
        case 'already_started':
          return `${reference} has already started, so it cannot be cancelled here. Please talk to ${managerNames(office)}.`;
        case 'already_closed':
          return `${reference} is already ${row.status}. ${NOTHING_CHANGED}`;
      }
    },
    apply: ({ row }, values, { actor, db, now }) =>
      cancelTimeOffRequest(db, {
        id: row.id,
        fromStatus: row.status === 'approved' ? 'approved' : 'pending',
        byName: actor.name,
        at: now.toJSDate(),
        note: note(values) || null,
      }),
    async finish({ row: cancelled, reference }, before, values, ctx) {
      const { actor, zone } = ctx;
      const wasApproved = before.status === 'approved';
      const days = describeTimeOffDays(cancelled, zone);
      const reason = note(values);
      const effects: Effect[] = [];
      if (wasApproved) {
        effects.push({
          kind: 'post',
          channel: 'approvals',
          message: {
            text: `${actor.name} cancelled approved time off ${reference}: ${cancelled.requesterName}, ${days}.`,
            lines: [
              `${actor.name} cancelled approved time off ${reference}: ${cancelled.requesterName}, ${days}. They will be in.`,
            ],
          },
        });
      }
      if (cancelled.requesterKey !== actor.key) {
        const text = `${actor.name} cancelled your time off ${reference} (${days}).`;
        effects.push({
          kind: 'dm',
          to: { platform: cancelled.requesterPlatform, userId: cancelled.requesterUserId },
          message: reason ? { text, lines: [text, `Reason: ${reason}`] } : { text },
        });
      }
      effects.push(...(await refreshCardsAfter(cancelled, ctx)));
      if (!wasApproved) effects.push(...(await recountCarryOverAfter(cancelled, ctx)));
      const told = wasApproved ? ' The managers have been told.' : '';
      return {
        audit: {
          action: wasApproved ? 'timeoff.cancelled' : 'timeoff.withdrawn',
          ...(reason ? { detail: { note: true } } : {}),
        },
        reply: { text: `${wasApproved ? 'Cancelled' : 'Withdrew'} ${reference} (${days}).${told}` },
        effects,
      };
    },
  };
}

export const cancelWithReason = withCancelReason(
  cancelStep<{ reason: string }>((values) => values.reason),
  { formId: TIME_OFF_FORMS.cancelReason, submitLabel: 'Cancel time off', maxLength: MAX_REASON },
);
/** `/timeoff cancel TO-3`: at once, or through the reason form when a manager cancels someone's approved leave. */
export const cancelCommand = stepCommandWithReason(
  timeOffRequestKind,
  { plain: cancelStep<undefined>(() => ''), withReason: cancelWithReason },
  (row, actor) => row.status === 'approved' && row.requesterKey !== actor.key,
  'Say which request to cancel, like /timeoff cancel TO-12. /timeoff list shows yours.',
);
