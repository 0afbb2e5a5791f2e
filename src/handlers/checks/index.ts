import type { HandlerContext } from '../kernel/context.ts';
import { clip, refusal } from '../kernel/copy.ts';
import type { Feature } from '../kernel/feature.ts';
import type { Outcome } from '../kernel/message.ts';
import { correctCommand, pressCorrect, submitCorrection } from './correction.ts';
import { checksDigest } from './digest.ts';
import { exportCheckLog } from './export.ts';
import { CHECK_ACTIONS, CHECK_FORMS } from './ids.ts';
import { checkPromptJob, checkReminderJob } from './jobs.ts';
import { listToday } from './lists.ts';
import { pressRecord, recordCommand, submitReading } from './record.ts';

async function runChecksCommand(text: string, ctx: HandlerContext): Promise<Outcome> {
  if (text === '' || /^(today|list)$/i.test(text)) return listToday(ctx);
  return refusal(
    `"/checks ${clip(text, 40)}" is not something /checks does.`,
    'Write /checks for today’s checks, /checks record fridge, or /checks help.',
  );
}

/** `/checks`: recurring checks (a vaccine fridge twice a day), prompted, recorded with who and when, reminded once, exported for inspectors. */
export const checksFeature: Feature = {
  command: 'checks',
  usage: {
    summary: 'Recurring checks: record readings such as the vaccine fridge temperature',
    lines: [
      '/checks — today’s checks, done or not, each with a Record button (early, or for someone else, is fine)',
      '/checks record fridge [16:30] — opens the form for one of today’s checks by its id, at that time',
      '/checks correct CK-12 — fix a mistake in a saved reading, with a reason (whoever recorded it, that day; managers, any day); the log keeps both',
      '/checks export fridge [2026-11] — (managers) the inspector’s log of a month as CSV: when, who, values, in or out of range, action taken',
    ],
  },
  run: runChecksCommand,
  subcommands: [
    { words: ['record'], maxArgs: 2, run: recordCommand },
    { words: ['correct', 'fix'], maxArgs: 2, run: correctCommand },
    {
      words: ['export', 'csv'],
      maxArgs: 2,
      managerOnly: (managers) => `Only ${managers} can export a check’s log.`,
      run: exportCheckLog,
    },
  ],
  actions: {
    [CHECK_ACTIONS.record]: pressRecord,
    [CHECK_ACTIONS.correct]: pressCorrect,
  },
  forms: {
    [CHECK_FORMS.reading]: submitReading,
    [CHECK_FORMS.correction]: submitCorrection,
  },
  jobs: [checkPromptJob, checkReminderJob],
  digest: checksDigest,
};
