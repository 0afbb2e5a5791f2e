import type { HandlerContext } from '../kernel/context.ts';
import { DECIDE_IN_APPROVALS } from '../kernel/copy.ts';
import type { Feature } from '../kernel/feature.ts';
import type { Outcome } from '../kernel/message.ts';
import { stepButton, stepFormHandler } from '../kernel/workflow.ts';
import { adjustBalance, showBalance } from './adjustments.ts';
import { approveButton, cancelCommand, cancelWithReason, deny, timeOffRequestKind } from './decisions.ts';
import { listPendingTimeOff, timeOffDigest } from './digest.ts';
import { exportTimeOff } from './export.ts';
import { timeOffHome } from './home.ts';
import { TIME_OFF_ACTIONS, TIME_OFF_FORMS } from './ids.ts';
import { buildRequestForm, fileFromText, refuseNonStaff, submitRequestForm } from './intake.ts';
import { listEveryone, listMine } from './lists.ts';
import { redrawTimeOffCards, refreshCardsForCallOut, refreshCardsForCredential } from './loaders.ts';
import { leaveYearEndJob } from './year-end.ts';

async function runTimeOffCommand(text: string, ctx: HandlerContext): Promise<Outcome> {
  const refused = refuseNonStaff(ctx);
  if (refused) return refused;
  return text === '' ? { form: buildRequestForm(ctx), effects: [] } : fileFromText(text, ctx);
}

/** `/timeoff`: requests, decisions with Approve / Deny, balances and cancellations. */
export const timeOffFeature: Feature = {
  command: 'timeoff',
  usage: {
    summary: 'Ask for time off',
    lines: [
      '/timeoff — opens a form with date pickers',
      '/timeoff 2026-12-01 to 2026-12-03 family visit — asks for those days; also dec 1, tomorrow, fri, next monday, dec 8 pm (a half day with am/pm)',
      'sick, personal, education or one of the practice’s own leave types right after the dates sets the type (vacation if none)',
      '/timeoff list — your requests and your balance',
      '/timeoff balance — each of your leave banks as of today; /timeoff balance Sam Lee (managers) for someone else',
      '/timeoff adjust Sam Lee +1 vacation <reason> — (managers) corrects a balance for this year; the person is told',
      '/timeoff export 2026 — (managers) every request of a year or a month (2026-11) as CSV',
      '/timeoff list all — (managers) everyone’s time off in the next 30 days',
      '/timeoff cancel TO-12 — withdraws a pending request, or cancels an approved one that has not started; a manager cancelling someone’s approved time off gives a reason',
    ],
  },
  run: runTimeOffCommand,
  subcommands: [
    {
      words: ['list all'],
      maxArgs: 0,
      managerOnly: () => 'Only managers can see everyone’s time off. /timeoff list shows yours.',
      run: (_rest, ctx) => listEveryone(ctx),
    },
    { words: ['list'], run: (_rest, ctx) => listMine(ctx) },
    { words: ['balance', 'balances'], run: showBalance },
    {
      words: ['adjust'],
      managerOnly: (managers) => `Only ${managers} can adjust a balance. Nothing was changed.`,
      run: adjustBalance,
    },
    {
      words: ['export'],
      maxArgs: 1,
      managerOnly: (managers) => `Only ${managers} can export time off.`,
      run: exportTimeOff,
    },
    {
      words: ['cancel', 'withdraw'],
      run: cancelCommand,
    },
  ],
  actions: {
    [TIME_OFF_ACTIONS.approve]: approveButton,
    [TIME_OFF_ACTIONS.deny]: stepButton(timeOffRequestKind, deny),
  },
  forms: {
    [TIME_OFF_FORMS.request]: submitRequestForm,
    [TIME_OFF_FORMS.denyReason]: stepFormHandler(timeOffRequestKind, deny),
    [TIME_OFF_FORMS.cancelReason]: stepFormHandler(timeOffRequestKind, cancelWithReason),
  },
  jobs: [leaveYearEndJob],
  home: timeOffHome,
  homeButtonsAt: DECIDE_IN_APPROVALS,
  digest: timeOffDigest,
  pending: listPendingTimeOff,
  on: {
    // A call-out changes who is at work that day, so the pending cards' coverage warnings change with it.
    'callout.changed': (event, ctx) => refreshCardsForCallOut(event, ctx),
    // A credential recorded, corrected, renewed or removed changes who counts toward coverage, and so the warnings.
    'credential.changed': (event, ctx) => refreshCardsForCredential(event, ctx),
  },
  cards: { prefix: 'TO', redraw: redrawTimeOffCards },
};
