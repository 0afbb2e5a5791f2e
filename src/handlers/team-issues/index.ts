import type { HandlerContext } from '../kernel/context.ts';
import type { Feature } from '../kernel/feature.ts';
import type { Outcome } from '../kernel/message.ts';
import { stepButton, stepFormHandler } from '../kernel/workflow.ts';
import { buildIssueForm } from './card.ts';
import { doneStep, issueKind, takeStep } from './decisions.ts';
import { issuesDigest } from './digest.ts';
import { untakenIssueJob } from './flags.ts';
import { issuesHome } from './home.ts';
import { ISSUE_ACTIONS, ISSUE_FORMS } from './ids.ts';
import { fileFromText, submitIssueForm } from './intake.ts';
import { listOpenIssues } from './lists.ts';

async function runIssueCommand(text: string, ctx: HandlerContext): Promise<Outcome> {
  return text === '' ? { form: buildIssueForm(), effects: [] } : fileFromText(text, ctx);
}

/** `/issue`: the team's issue board, as cards in the huddle channel that anyone may take. */
export const teamIssuesFeature: Feature = {
  command: 'issue',
  usage: {
    summary: 'Raise a team issue (broken equipment, IT, facilities, safety) for anyone to take',
    lines: [
      '/issue — opens a form with a category',
      '/issue <text> — raises an issue on the huddle channel; no patient details, please',
      '/issue list — issues not done yet, with who owns them',
    ],
  },
  run: runIssueCommand,
  // An issue keeps its lines, as on the form's text box; its one-line summaries are made from it.
  commandTextLines: 'multi-line',
  subcommands: [{ words: ['list'], maxArgs: 0, run: (_rest, ctx) => listOpenIssues(ctx) }],
  actions: {
    [ISSUE_ACTIONS.take]: stepButton(issueKind, takeStep),
    [ISSUE_ACTIONS.done]: stepButton(issueKind, doneStep),
  },
  forms: {
    [ISSUE_FORMS.file]: submitIssueForm,
    [ISSUE_FORMS.done]: stepFormHandler(issueKind, doneStep),
  },
  jobs: [untakenIssueJob],
  digest: issuesDigest,
  home: issuesHome,
  homeButtonsAt: 'Take or finish each issue from its card in the huddle channel.',
};
