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

/** Whether `day` may be a follow-up's due day: today or later, inside the planning window. */
function checkDueDay(day: IsoDay, now: DateTime, zone: string): DueRead {
  const today = getOfficeDay(now, zone);
  if (day < today)
    return {
      ok: false,
      message: `${formatDayNamingYear(day, today, zone)} has passed; a follow-up is due today or later.`,
    };
  if (day > getPlanningWindow(now, zone).last) return { ok: false, message: `${day} is too far ahead.` };
  return { ok: true, due: day };
}

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
  return checkDueDay(parsed.start, now, zone);
}

// A time of day at the start of the text: `3pm`, `3:30 p.m.`, `15:00`, `5:30`, `at 2`, `noon`, `eod`. A bare
// hour is 1 to 12 (`by 15` is more likely a day of the month, and is refused as one).
const TIME_OF_DAY =
  /^(?:at\s+)?(?:(?:0?[1-9]|1[0-2])(?::[0-5]\d)?\s*(?:a\.?m\.?|p\.?m\.?)|(?:[01]?\d|2[0-3]):[0-5]\d|0?[1-9]|1[0-2]|noon|midday|midnight|eod|cob|end of (?:the )?day|lunch(?:time)?)(?=$|[\s,;!?]|\.(?:\s|$))/i;

/** What follows a note's ` by `: the due day if it names one, and whether the text keeps the `by` words. */
type ByRead = { ok: true; due: IsoDay | undefined; keepsBy: boolean } | { ok: false; message: string };

/**
 * Reads what follows a ` by `: a day (`fri`, due that day, the words dropped); a time of day, alone
 * (`3pm`, no due day) or with a day either side (`10am tomorrow`, `fri at 3`), or a half day (`mon am`):
 * due that day if one is named, the words kept in the text since the due day holds no time. `undefined` when
 * it names neither, so the `by` is part of the text (`stop by the lab`).
 */
function readByWords(text: string, now: DateTime, zone: string): ByRead | undefined {
  const time = TIME_OF_DAY.exec(text);
  if (time) {
    const after = text
      .slice(time[0].length)
      .replace(/^[\s,]+/, '')
      .replace(/[.!?]+$/, '');
    const day = after === '' ? undefined : readDueDay(after, now, zone);
    if (day && !day.ok) return day;
    return { ok: true, due: day?.due, keepsBy: true };
  }
  const parsed = parseDateRange(text, now, zone);
  if (parsed.ok && parsed.start === parsed.end) {
    const rest = parsed.rest.replace(/[.!?]+$/, '');
    const halfDay = parsed.part !== 'full' && rest === '';
    const timed = parsed.part === 'full' && rest !== '' && TIME_OF_DAY.exec(rest)?.[0].length === rest.length;
    if (halfDay || timed) {
      const day = checkDueDay(parsed.start, now, zone);
      return day.ok ? { ok: true, due: day.due, keepsBy: true } : day;
    }
  }
  const day = readDueDay(text, now, zone);
  return day?.ok ? { ok: true, due: day.due, keepsBy: false } : day;
}

/**
 * Reads `call the lab by fri`: the last ` by <day>` that names a day is the due day, the text before it the
 * note. A `by` that names no day (`stop by the lab`) stays part of the text. A time of day or a half day
 * stays part of the text too, the day named with it (if any) being the due day: `order boxes by 10am
 * tomorrow` is due tomorrow, `finish the schedule by 3pm` has no due day.
 */
export function readNote(typed: string, now: DateTime, zone: string): NoteRead {
  const text = typed.trim();
  const byWords = [...text.matchAll(/(?:^|\s+)by\s+/gi)].reverse();
  for (const by of byWords) {
    const due = readByWords(text.slice(by.index + by[0].length), now, zone);
    if (!due) continue;
    if (!due.ok) return due;
    return checkNoteText(due.keepsBy ? text : text.slice(0, by.index), due.due);
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
