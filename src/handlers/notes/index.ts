import type { Feature } from '../kernel/feature.ts';
import { markDone } from './done.ts';
import { notesHome } from './home.ts';
import { NOTE_ACTIONS, NOTE_FORMS } from './ids.ts';
import { fileFromText, openFromMessage, submitNoteForm } from './intake.ts';
import { listNotes } from './lists.ts';
import { noteRemindersJob } from './reminders.ts';
import { snooze } from './snooze.ts';

/** `/note`: anyone's private follow-ups, in their own morning message when due. */
export const notesFeature: Feature = {
  command: 'note',
  usage: {
    summary: 'Your private follow-ups, reminded the morning they are due',
    lines: [
      '/note <text> [by fri] — files a follow-up only you see (FU-3), due that day if you give one',
      '/note list — your open follow-ups, due first',
      '/note done FU-3 · /note snooze FU-3 mon — marks one done · moves it to another day',
      '/note — opens a form; in Slack, "Add to follow-ups" on any message opens it with the message’s link',
    ],
  },
  run: fileFromText,
  // A follow-up keeps its lines, as on the form's text box; `by <day>` is read across them.
  commandTextLines: 'multi-line',
  subcommands: [
    { words: ['list'], maxArgs: 0, run: (_rest, ctx) => listNotes(ctx) },
    { words: ['done'], maxArgs: 1, run: markDone },
    { words: ['snooze'], maxArgs: 4, run: snooze },
  ],
  actions: { [NOTE_ACTIONS.fromMessage]: openFromMessage },
  forms: { [NOTE_FORMS.add]: submitNoteForm },
  jobs: [noteRemindersJob],
  home: notesHome,
};
