import type { CommandWord } from './input.ts';
import type { Message } from './message.ts';

const USAGE: Record<CommandWord, { summary: string; lines: string[] }> = {
  timeoff: {
    summary: 'Ask for time off',
    lines: [
      '/timeoff — opens a form with date pickers',
      '/timeoff 2026-12-01 to 2026-12-03 family visit — asks for those days',
      '/timeoff dec 1 · /timeoff tomorrow · /timeoff fri pm dentist — one day, or a half day with am/pm',
      '/timeoff list — your requests and your balance',
      '/timeoff cancel TO-12 — withdraws a request',
    ],
  },
  supplies: {
    summary: 'Ask for supplies',
    lines: [
      '/supplies — opens a form with the catalog',
      '/supplies 4 nitrile gloves m [note] — asks for an item by name or code; "urgent" in the note marks it urgent',
      '/supplies 1 printer toner - the HP one — an item not in the catalog, with a note after " - "',
      '/supplies list — open requests and items below par',
      '/supplies cancel SR-7 — withdraws a pending request',
      '/supplies stock GLV-M 6 — (managers) records a count',
      '/supplies export · /supplies export 2026-11 — (managers) this or that month’s requests as CSV',
    ],
  },
  complaint: {
    summary: 'Log a patient or staff complaint (kept confidential)',
    lines: [
      '/complaint — opens a form: who it is from, category, severity, what happened, call back',
      '/complaint <what happened> — logs it from your text (category other, severity medium); Refine adds the rest',
      '/complaint list — (managers) open complaints with owner, age and due dates',
      '/complaint export [2026-03] — (managers) CSV for the quality log, one month or all',
    ],
  },
  reps: {
    summary: 'Book a sales-rep visit',
    lines: [
      '/reps — open rep slots of the next 14 days with Book buttons',
      '/reps book 2026-12-02 12:00 Jordan Smith from Acme Pharma — books a slot (also dec 2 noon, wed 12pm)',
      '/reps list — upcoming rep visits',
      '/reps cancel RM-5 — cancels a visit you booked (managers: any visit); the slot opens again',
      '/reps calendar — (managers) the address of the calendar feed of rep visits and time off',
    ],
  },
  huddle: {
    summary: "Today's huddle digest",
    lines: [
      '/huddle — today’s digest, just for you',
      '/huddle post — (managers) posts it to the huddle channel now',
    ],
  },
};

/** Usage of one command, the answer to `<command> help`. */
export function describeCommandUsage(command: CommandWord): Message {
  const usage = USAGE[command];
  return { text: `How to use /${command}`, title: `/${command} — ${usage.summary}`, lines: usage.lines };
}

/** Every command in one message, the answer to `help` and to an unknown command. */
export function describeAllCommands(preface?: string): Message {
  const lines = (Object.keys(USAGE) as CommandWord[]).map(
    (command) => `/${command} — ${USAGE[command].summary}`,
  );
  lines.push('Add help after any command to see how to write it, e.g. /timeoff help');
  return {
    text: preface ?? 'What frontdesk can do',
    title: 'frontdesk',
    lines: preface ? [preface, ...lines] : lines,
  };
}
