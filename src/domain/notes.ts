import type { DateTime } from 'luxon';
import {
  formatDay,
  formatDayNamingYear,
  getOfficeDay,
  getPlanningWindow,
  type IsoDay,
  parseDateRange,
} from './dates.ts';
import { hasVisibleText } from './visible-text.ts';

/** The longest follow-up kept: a reminder to oneself, not a document (and well inside one chat message). */
export const MAX_NOTE_LENGTH = 500;

/** A follow-up as the rules see it. */
export interface Note {
  number: number;
  text: string;
  due: IsoDay | undefined;
}

/** What `/note <text> [by <day>]` says: the text and, from a trailing `by <day>`, the day it is due. */
export type NoteRead = { ok: true; text: string; due: IsoDay | undefined } | { ok: false; message: string };

/** A due day read for a note or a snooze, or why it cannot be one. */
export type DueRead = { ok: true; due: IsoDay } | { ok: false; message: string };

/**
 * Reads a due day (`fri`, `dec 4`, `2026-12-04`, `tomorrow`) in the office zone: one whole day, today or
 * later, inside the planning window. `undefined` when the text names no day at all.
 */
export function readDueDay(text: string, now: DateTime, zone: string): DueRead | undefined {
  const parsed = parseDateRange(text, now, zone);
  if (!parsed.ok && parsed.reason === 'no_date') return undefined;
  if (!parsed.ok && parsed.reason === 'unparseable')
    return { ok: false, message: `"${parsed.fragment}" is not a day I can read.` };
  if (!parsed.ok || parsed.start !== parsed.end || parsed.part !== 'full' || parsed.rest !== '')
    return undefined;
  const today = getOfficeDay(now, zone);
  if (parsed.start < today)
    return {
      ok: false,
      message: `${formatDayNamingYear(parsed.start, today, zone)} has passed; a follow-up is due today or later.`,
    };
  if (parsed.start > getPlanningWindow(now, zone).last)
    return { ok: false, message: `${parsed.start} is too far ahead.` };
  return { ok: true, due: parsed.start };
}

/**
 * Reads `call the lab by fri`: the last ` by <day>` that names a day is the due day, the text before it the
 * note. A `by` that names no day (`stop by the lab`) stays part of the text.
 */
export function readNote(typed: string, now: DateTime, zone: string): NoteRead {
  const text = typed.trim();
  const byWords = [...text.matchAll(/(?:^|\s+)by\s+/gi)].reverse();
  for (const by of byWords) {
    const due = readDueDay(text.slice(by.index + by[0].length), now, zone);
    if (!due) continue;
    if (!due.ok) return due;
    return checkNoteText(text.slice(0, by.index), due.due);
  }
  return checkNoteText(text, undefined);
}

/** A note's text, trimmed, with something visible in it and at most MAX_NOTE_LENGTH characters. */
export function checkNoteText(typed: string, due: IsoDay | undefined): NoteRead {
  const text = typed.trim();
  if (!hasVisibleText(text)) return { ok: false, message: 'Say what to follow up on.' };
  if (text.length > MAX_NOTE_LENGTH)
    return {
      ok: false,
      message: `That follow-up is ${text.length.toLocaleString('en-US')} characters; keep it under ${MAX_NOTE_LENGTH}.`,
    };
  return { ok: true, text, due };
}

/** Due on or before `today`: it belongs in the morning message. */
export function isDue(note: Pick<Note, 'due'>, today: IsoDay): boolean {
  return note.due !== undefined && note.due <= today;
}

/** Open notes as a person reads them: dated ones soonest first, then the undated ones oldest first. */
export function sortNotesDueFirst<T extends Note>(notes: readonly T[]): T[] {
  return [...notes].sort((a, b) => {
    if (a.due !== b.due) {
      if (a.due === undefined) return 1;
      if (b.due === undefined) return -1;
      return a.due.localeCompare(b.due);
    }
    return a.number - b.number;
  });
}

/** When a note is due, in words: `due today`, `due Fri Dec 4`, `overdue since Fri Nov 27`, or nothing. */
export function describeDue(due: IsoDay | undefined, today: IsoDay, zone: string): string | undefined {
  if (due === undefined) return undefined;
  if (due === today) return 'due today';
  if (due < today) return `overdue since ${formatDay(due, zone)}`;
  return `due ${formatDay(due, zone)}`;
}
