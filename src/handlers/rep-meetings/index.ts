import type { HandlerContext } from '../kernel/context.ts';
import { clip, NOTHING_CHANGED, NOTHING_SAVED } from '../kernel/copy.ts';
import type { Feature } from '../kernel/feature.ts';
import type { Outcome } from '../kernel/message.ts';
import { stepCommand } from '../kernel/workflow.ts';
import { bookFromText, listOpenSlots, openBookForm, refuseWith, submitBookForm } from './booking.ts';
import { cancel, repVisitKind } from './decisions.ts';
import { flagRepVisitsForTimeOff } from './events.ts';
import { REPS_ACTIONS, REPS_FORMS } from './ids.ts';
import { listUpcoming, showCalendar } from './lists.ts';
import { repVisitsDigest } from './loaders.ts';
import { repRemindersJob } from './reminders.ts';

async function runRepsCommand(text: string, ctx: HandlerContext): Promise<Outcome> {
  if (text === '') return listOpenSlots(ctx);
  return refuseWith(`I don’t know "/reps ${clip(text)}". ${NOTHING_SAVED}`, {
    lines: [
      '/reps shows the open slots; /reps book, /reps list, /reps cancel RM-5 and /reps help explain the rest.',
    ],
  });
}

/** `/reps`: open slots with Book buttons, booking by text or form, the list, cancelling, and the calendar feed. */
export const repMeetingsFeature: Feature = {
  command: 'reps',
  usage: {
    summary: 'Book a sales-rep visit',
    lines: [
      '/reps — open rep slots of the next 14 days, each with a Book button that opens a form: rep, company, product or topic, email or phone, providers expected, lunch yes/no',
      '/reps book 2026-12-02 12:00 Jordan Smith from Acme Pharma — books that slot by text (also dec 2 noon, wed 12pm); a refusal says why and offers the next open slots',
      'A booking is refused, with the reason, when it is not a slot, on a holiday or closed day, too soon or too far ahead, already taken, or the company already has its visits for that month',
      '/reps list — upcoming rep visits',
      '/reps cancel RM-5 — cancels a visit (whoever booked it, or a manager); the slot opens again',
      '/reps calendar — (managers) the address of the calendar feed of rep visits and approved time off',
    ],
  },
  run: runRepsCommand,
  subcommands: [
    { words: ['slots', 'open'], run: (_rest, ctx) => listOpenSlots(ctx) },
    { words: ['list'], run: (_rest, ctx) => listUpcoming(ctx) },
    {
      words: ['cancel'],
      run: stepCommand(
        repVisitKind,
        cancel,
        'Say which visit to cancel, like /reps cancel RM-5. /reps list shows them.',
      ),
    },
    {
      words: ['calendar'],
      managerOnly: (managers) => `Only ${managers} can get the calendar feed’s address. ${NOTHING_CHANGED}`,
      run: (_rest, ctx) => showCalendar(ctx),
    },
    { words: ['book'], run: bookFromText },
  ],
  actions: { [REPS_ACTIONS.book]: openBookForm },
  forms: { [REPS_FORMS.book]: submitBookForm },
  jobs: [repRemindersJob],
  digest: repVisitsDigest,
  on: { 'timeoff.approved': (event, ctx) => flagRepVisitsForTimeOff(ctx, event.timeOff) },
};
