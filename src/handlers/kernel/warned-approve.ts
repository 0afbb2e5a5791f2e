import { fingerprintWarnings, readApproveValue, writeApproveValue } from './approve-value.ts';
import type { HandlerContext } from './context.ts';
import type { ActionHandler } from './feature.ts';
import type { Outcome } from './message.ts';
import {
  type Found,
  findRequest,
  type RequestKind,
  redrawStaleCard,
  type Step,
  stepButton,
} from './workflow.ts';

/** The warnings a request's card shows before it is approved (a coverage gap, a budget overrun). */
export interface ApproveWarnings<Row> {
  /** the Approve button's action, for the "Approve anyway" button */
  actionId: string;
  /** the warnings approving `row` would raise now, in the words of its card */
  describeNow(row: Row, ctx: HandlerContext): Promise<string[]>;
  /** what approving now would do, as in `Approving TO-12 (Priya Shah, Thu Dec 3) now leaves …` */
  ask(found: Found<Row>, warnings: readonly string[], ctx: HandlerContext): string;
}

/**
 * Approve as pressed on a card. A card drawn before a warning arose (its redraw not yet landed, or a client
 * showing an old copy) asked for no confirmation: a manager pressing it is shown the warning and asked
 * again, with the card redrawn, and nothing is decided. A press made with the same warnings in view, or on a
 * request that approving would raise none for, is taken at once; the step's answer names any warning that
 * arises in between. A value without a fingerprint is taken at once too.
 */
export function warnedApproveButton<Row>(
  kind: RequestKind<Row>,
  step: Step<Row>,
  warnings: ApproveWarnings<Row>,
): ActionHandler {
  const asPressed = stepButton(kind, step);
  const decide = async (
    reference: string,
    shown: string | undefined,
    ctx: HandlerContext,
  ): Promise<Outcome> => {
    if (shown === undefined || !ctx.actor.isManager) return asPressed(reference, ctx);
    const looked = await findRequest(kind, reference, ctx);
    if (!looked.ok) return looked.outcome;
    const { found } = looked;
    if (step.authorise?.(found, ctx) ?? step.check(found, ctx)) return asPressed(reference, ctx);
    const now = await warnings.describeNow(found.row, ctx);
    if (now.length === 0 || fingerprintWarnings(now) === shown) return asPressed(reference, ctx);
    const asked = warnings.ask(found, now, ctx);
    return {
      reply: {
        text: `${asked} Nothing was approved yet.`,
        lines: [
          asked,
          'The card did not show this when you pressed Approve; it does now. Nothing was approved yet.',
        ],
        buttons: [
          {
            label: 'Approve anyway',
            actionId: warnings.actionId,
            value: writeApproveValue(found.reference, now, 'question'),
            style: 'primary',
          },
        ],
      },
      effects: await redrawStaleCard(kind, found, ctx),
    };
  };
  return async (value, ctx) => {
    const { reference, shown, again } = readApproveValue(value);
    const outcome = await decide(reference, shown, ctx);
    // Only a manager was ever asked again: anyone else pressing such a value is refused, with nothing redrawn.
    if (!again || !ctx.actor.isManager) return outcome;
    // The question asked again is the presser's own message: once pressed, it says what came of it, and its
    // button is gone, whether this press approved, was refused (another manager decided first) or asked anew.
    const question = `Approve ${reference} anyway?`;
    return { ...outcome, source: { text: question, lines: [question], note: outcome.reply?.text ?? '' } };
  };
}
