import { DateTime } from 'luxon';
import type { TeamIssueRow } from '../../db/repositories/team-issues.ts';
import { formatOfficeTime } from '../../domain/dates.ts';
import {
  countIssueAgeDays,
  describeIssueAge,
  ISSUE_CATEGORIES,
  ISSUE_CATEGORY_LABELS,
  type IssueStatus,
  MAX_ISSUE_TEXT,
} from '../../domain/issues.ts';
import { formatReference } from '../../domain/references.ts';
import { toOneLine } from '../../domain/visible-text.ts';
import { clip } from '../kernel/copy.ts';
import type { Button, Form, Message } from '../kernel/message.ts';
import { ISSUE_ACTIONS, ISSUE_FORMS } from './ids.ts';

/** Said wherever an issue is written: the card is seen by the whole team. */
export const PATIENT_DETAILS_WARNING =
  'Do not include patient names or other patient details: the whole team sees this card.';

export const ISSUE_STATUS_LABELS: Record<IssueStatus, string> = {
  open: 'not taken',
  taken: 'taken',
  done: 'done',
};

export function formatIssueReference(row: Pick<TeamIssueRow, 'number'>): string {
  return formatReference('IS', row.number);
}

/** The start of an issue's text on one line: a typed line break would start what reads as another issue. */
function quoteIssue(row: TeamIssueRow, length: number): string {
  return clip(toOneLine(row.description), length);
}

/** `IS-5 · Printer jams on every page`: the reference and the start of the text, for lists. */
export function describeIssueShort(row: TeamIssueRow): string {
  return `${formatIssueReference(row)} · ${quoteIssue(row, 60)}`;
}

/** The issue's state in a few words: who owns it, or who finished it. */
export function describeIssueState(row: TeamIssueRow): string {
  switch (row.status) {
    case 'open':
      return 'not taken';
    case 'taken':
      return `taken by ${row.ownerName ?? 'someone'}`;
    case 'done':
      return `done by ${row.doneByName ?? 'someone'}`;
  }
}

function buildButtons(row: TeamIssueRow): Button[] {
  const reference = formatIssueReference(row);
  const take: Button = { label: 'Take it', actionId: ISSUE_ACTIONS.take, value: reference, style: 'primary' };
  const done: Button = { label: 'Done', actionId: ISSUE_ACTIONS.done, value: reference };
  switch (row.status) {
    case 'open':
      return [take, done];
    case 'taken':
      return [done];
    case 'done':
      return [];
  }
}

function describeProgress(row: TeamIssueRow, zone: string): string {
  const at = (date: Date | null) => (date ? ` on ${formatOfficeTime(date, zone)}` : '');
  switch (row.status) {
    case 'open':
      return 'Not taken yet: press Take it to own it.';
    case 'taken':
      return `Taken by ${row.ownerName ?? 'someone'}${at(row.takenAt)}.`;
    case 'done':
      return `✅ Done by ${row.doneByName ?? 'someone'}${at(row.doneAt)}.`;
  }
}

/**
 * The huddle-channel card: the text, category, who raised it and when, who owns it, and the buttons its
 * state allows. No age: a card stays up for days and is redrawn only when the issue moves on, so an age
 * would go stale (the huddle and Home give it, drawn afresh).
 */
export function buildIssueCard(row: TeamIssueRow, zone: string): Message {
  const reference = formatIssueReference(row);
  const category = ISSUE_CATEGORY_LABELS[row.category];
  return {
    text: `Issue ${reference} (${category.toLowerCase()}): ${quoteIssue(row, 80)} — ${describeIssueState(row)}`,
    title: `${row.status === 'done' ? '✅ ' : ''}Issue ${reference} — ${category}`,
    lines: [row.description, ...(row.status === 'done' && row.doneNote ? [`Note: ${row.doneNote}`] : [])],
    fields: [
      { label: 'Raised by', value: row.raiserName },
      { label: 'Filed', value: formatOfficeTime(row.createdAt, zone) },
      { label: 'Owner', value: row.ownerName ?? 'not taken' },
      { label: 'State', value: ISSUE_STATUS_LABELS[row.status] },
    ],
    buttons: buildButtons(row),
    note: describeProgress(row, zone),
  };
}

/** The form a bare `/issue` opens. */
export function buildIssueForm(): Form {
  return {
    formId: ISSUE_FORMS.file,
    title: 'Raise an issue',
    submitLabel: 'Raise issue',
    lines: [PATIENT_DETAILS_WARNING],
    inputs: [
      {
        kind: 'select',
        id: 'category',
        label: 'Category',
        options: ISSUE_CATEGORIES.map((value) => ({ label: ISSUE_CATEGORY_LABELS[value], value })),
        initial: 'other',
      },
      { kind: 'textarea', id: 'text', label: 'What is wrong', maxLength: MAX_ISSUE_TEXT },
    ],
  };
}

/** The raiser's direct message when someone takes their issue. */
export function buildTakenNotice(row: TeamIssueRow): Message {
  const reference = formatIssueReference(row);
  return {
    text: `${row.ownerName ?? 'Someone'} took your issue ${reference}`,
    lines: [`${row.ownerName ?? 'Someone'} took your issue ${reference}: ${quoteIssue(row, 80)}`],
  };
}

/** The raiser's direct message when their issue is done, with the note left. */
export function buildDoneNotice(row: TeamIssueRow): Message {
  const reference = formatIssueReference(row);
  return {
    text: `${row.doneByName ?? 'Someone'} marked your issue ${reference} done`,
    lines: [
      `${row.doneByName ?? 'Someone'} marked your issue ${reference} done: ${quoteIssue(row, 80)}`,
      ...(row.doneNote ? [`Note: ${row.doneNote}`] : []),
    ],
  };
}

/** The managers' direct message when an issue has waited a working day with nobody taking it. */
export function buildUntakenFlag(row: TeamIssueRow, zone: string, now: DateTime): Message {
  const reference = formatIssueReference(row);
  return {
    text: `Nobody has taken issue ${reference} for a working day`,
    title: `Issue ${reference} is not taken`,
    lines: [
      `${ISSUE_CATEGORY_LABELS[row.category]} · raised by ${row.raiserName} on ${formatOfficeTime(row.createdAt, zone)}`,
      row.description,
      'Nobody has taken it for a working day. Take it, or ask someone to, from its card in the huddle channel.',
    ],
    buttons: buildButtons(row),
    note: describeIssueAge(countIssueAgeDays(DateTime.fromJSDate(row.createdAt), now, zone)),
  };
}
