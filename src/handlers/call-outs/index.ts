import { findStaffByKey } from '../../domain/people.ts';
import type { HandlerContext } from '../kernel/context.ts';
import type { Feature } from '../kernel/feature.ts';
import type { Outcome } from '../kernel/message.ts';
import { stepCommand } from '../kernel/workflow.ts';
import { cancel } from './cancel.ts';
import {
  askAgain,
  callOutKind,
  confirmVolunteer,
  decline,
  releaseCoversForTimeOff,
  volunteer,
} from './cover.ts';
import { coverEscalationJob } from './escalation.ts';
import { CALL_OUT_ACTIONS, CALL_OUT_FORMS } from './ids.ts';
import { buildCallOutForm, recordFromText, refuseNonStaff, submitCallOutForm } from './intake.ts';
import { listCallOuts } from './lists.ts';
import { CONFIRM_COVER_AT, coverOffersHome, listCoverOffers } from './waiting.ts';

async function runOutCommand(text: string, ctx: HandlerContext): Promise<Outcome> {
  if (text !== '') return recordFromText(text, ctx);
  if (!findStaffByKey(ctx.office, ctx.actor.key)) return refuseNonStaff(ctx);
  return { form: buildCallOutForm(ctx), effects: [] };
}

/** `/out`: same-day absences recorded at once, and cover found in chat when a role falls short. */
export const callOutsFeature: Feature = {
  command: 'out',
  usage: {
    summary: 'Call out sick, late or leaving early',
    lines: [
      '/out — opens a form',
      '/out sick — you are out sick today; also /out sick tomorrow, /out sick dec 3',
      '/out late 10:30 [reason] — you will be in at 10:30 today',
      '/out leaving 14:00 [reason] — you leave at 14:00 today',
      '/out for Sam Lee sick today — (managers) records a call-out for someone who phoned in',
      '/out cancel CO-3 — cancels a call-out (yours, or anyone’s for managers)',
      '/out list — (managers) call-outs of the last 90 days, with a count per person',
    ],
  },
  run: runOutCommand,
  subcommands: [
    {
      words: ['list'],
      maxArgs: 0,
      managerOnly: (managers) => `Only ${managers} can see everyone’s call-outs.`,
      run: (_rest, ctx) => listCallOuts(ctx),
    },
    {
      words: ['cancel'],
      maxArgs: 1,
      run: stepCommand(callOutKind, cancel, 'Say which call-out to cancel, like /out cancel CO-3.'),
    },
  ],
  actions: {
    [CALL_OUT_ACTIONS.canCover]: volunteer,
    [CALL_OUT_ACTIONS.cannotCover]: decline,
    [CALL_OUT_ACTIONS.confirmCover]: confirmVolunteer,
    [CALL_OUT_ACTIONS.askAgain]: askAgain,
  },
  forms: {
    [CALL_OUT_FORMS.record]: submitCallOutForm,
  },
  jobs: [coverEscalationJob],
  // An offer of cover waits for a manager's Confirm cover: in the huddle, the reminders and managers' home.
  pending: listCoverOffers,
  home: coverOffersHome,
  homeButtonsAt: CONFIRM_COVER_AT,
  on: { 'timeoff.approved': (event, ctx) => releaseCoversForTimeOff(event.timeOff, ctx) },
};
