import { describeDue, type Note, sortNotesDueFirst } from '../../domain/notes.ts';
import { formatReference } from '../../domain/references.ts';
import { toOneLine } from '../../domain/visible-text.ts';
import type { Message } from '../kernel/message.ts';

// Lists stay well inside a chat message; the rest is counted, not shown.
const LIST_LIMIT = 25;

/** A stored note with the link it came from, as the cards show it. */
export interface NoteFacts extends Note {
  link: string | undefined;
}

/** `FU-3 · call the lab · due Fri Dec 4 · https://…`, one line of a list whatever lines the note has */
export function describeNote(note: NoteFacts, today: string, zone: string): string {
  const due = describeDue(note.due, today, zone);
  return [formatReference('FU', note.number), toOneLine(note.text), due, note.link]
    .filter(Boolean)
    .join(' · ');
}

function listLines(notes: readonly NoteFacts[], today: string, zone: string): string[] {
  const lines = sortNotesDueFirst(notes).map((note) => describeNote(note, today, zone));
  return lines.length > LIST_LIMIT
    ? [...lines.slice(0, LIST_LIMIT - 1), `…and ${lines.length - LIST_LIMIT + 1} more`]
    : lines;
}

/** The writer's open follow-ups, due first: the answer to `/note list` and their part of home. */
export function buildNotesList(notes: readonly NoteFacts[], today: string, zone: string): Message {
  const title = 'Your follow-ups';
  if (notes.length === 0)
    return { text: `${title}: none open`, title, lines: ['None open. /note <text> [by fri] adds one.'] };
  return {
    text: `${title}: ${notes.length} open`,
    title,
    lines: listLines(notes, today, zone),
    note: 'Only you see these. /note done FU-3 when one is done, /note snooze FU-3 mon to move it.',
  };
}

/** The writer's morning message: what is due today or overdue. */
export function buildDueReminder(notes: readonly NoteFacts[], today: string, zone: string): Message {
  const title = notes.length === 1 ? 'One follow-up is due' : `${notes.length} follow-ups are due or overdue`;
  return {
    text: title,
    title,
    lines: listLines(notes, today, zone),
    note: '/note done FU-3 when one is done, /note snooze FU-3 mon to move it.',
  };
}
