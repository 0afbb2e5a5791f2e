import type { HandlerContext } from '../kernel/context.ts';
import type { Feature } from '../kernel/feature.ts';
import type { Outcome } from '../kernel/message.ts';
import { stepButton, stepFormHandler } from '../kernel/workflow.ts';
import { acknowledge, complaintKind, refine, reopen, resolve, viewDetails } from './decisions.ts';
import { COMPLAINT_ACTIONS, COMPLAINT_FORMS } from './ids.ts';
import { buildComplaintForm, fileFromText, submitIntakeForm } from './intake.ts';
import { exportCsv, listOpen } from './lists.ts';
import { complaintRemindersJob, complaintsDigest, redrawComplaintCards } from './reminders.ts';

async function runComplaintCommand(text: string, ctx: HandlerContext): Promise<Outcome> {
  return text === '' ? { form: buildComplaintForm(), effects: [] } : fileFromText(text, ctx);
}

/** Complaints are confidential: only managers list or export them. */
function refuseConfidential(doing: string) {
  return (managers: string) =>
    `Only managers (${managers}) can ${doing} complaints; they are confidential. /complaint <what happened> logs one.`;
}

/** A details view offers only Close; a submission anyway (a tampered client) changes nothing. */
async function ignoreDetailsSubmission(): Promise<Outcome> {
  return { effects: [] };
}

/** `/complaint`: confidential intake, Acknowledge / Resolve / Reopen on the card, details, list and export. */
export const complaintsFeature: Feature = {
  command: 'complaint',
  usage: {
    summary: 'Log a patient or staff complaint (kept confidential)',
    lines: [
      '/complaint — opens a confidential form: from (patient, visitor, staff), category, severity, what happened, when, the outcome wanted, call back, and for staff complaints "anonymous to the team"',
      '/complaint <what happened> — logs it as category other, severity medium; the confirmation’s Refine button completes it',
      '/complaint list — (managers) open complaints with owner, age and due days',
      '/complaint export [2026-03] — (managers) CSV for the quality log, one month or all; the only listing with the complaint text (cards show it under View details, to managers)',
    ],
  },
  run: runComplaintCommand,
  // What happened is told in paragraphs, as on the form's text box.
  commandTextLines: 'multi-line',
  // Text that starts with a subcommand's words and has more after them is refused with a pointer to the
  // form, never filed: a mistyped `/complaint export 2026-11 csv` must not become a complaint.
  subcommands: [
    {
      words: ['list'],
      maxArgs: 0,
      managerOnly: refuseConfidential('list'),
      run: (_rest, ctx) => listOpen(ctx),
    },
    { words: ['export'], maxArgs: 1, managerOnly: refuseConfidential('export'), run: exportCsv },
  ],
  actions: {
    [COMPLAINT_ACTIONS.details]: viewDetails,
    [COMPLAINT_ACTIONS.acknowledge]: stepButton(complaintKind, acknowledge),
    [COMPLAINT_ACTIONS.resolve]: stepButton(complaintKind, resolve),
    [COMPLAINT_ACTIONS.reopen]: stepButton(complaintKind, reopen),
    [COMPLAINT_ACTIONS.refine]: stepButton(complaintKind, refine),
  },
  forms: {
    [COMPLAINT_FORMS.intake]: submitIntakeForm,
    [COMPLAINT_FORMS.refine]: stepFormHandler(complaintKind, refine),
    [COMPLAINT_FORMS.resolve]: stepFormHandler(complaintKind, resolve),
    [COMPLAINT_FORMS.details]: ignoreDetailsSubmission,
  },
  jobs: [complaintRemindersJob],
  digest: complaintsDigest,
  cards: { prefix: 'CP', redraw: redrawComplaintCards },
};
