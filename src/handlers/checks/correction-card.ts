import type { CheckConfig } from '../../config/office.ts';
import type { CheckReadingRow } from '../../db/repositories/checks.ts';
import type { CheckSlot } from '../../domain/checks.ts';
import type { Button, Form, Message } from '../kernel/message.ts';
import {
  buildFieldInputs,
  describeSlot,
  describeValue,
  describeValues,
  formatCheckReference,
  MAX_INPUT,
} from './card.ts';
import { CHECK_ACTIONS, CHECK_FORMS } from './ids.ts';

/** Longest reason a correction keeps: a few words ("typo: 4.9 not 9.4"). */
export const MAX_REASON = 200;

/** `12/0`: the reading a correction form is for, and the revision it was opened on. */
export function formatCorrectionKey(row: Pick<CheckReadingRow, 'number' | 'revision'>): string {
  return `${row.number}/${row.revision}`;
}

export function parseCorrectionKey(text: string): { number: number; revision: number } | undefined {
  const match = /^(\d{1,9})\/(\d{1,6})$/.exec(text.trim());
  if (!match?.[1] || !match[2]) return undefined;
  return { number: Number(match[1]), revision: Number(match[2]) };
}

export function correctButton(row: Pick<CheckReadingRow, 'number'>, label = 'Correct'): Button {
  return { label, actionId: CHECK_ACTIONS.correct, value: String(row.number) };
}

/** The correction form: the reading's values as saved, the action taken, and a required reason. */
export function buildCorrectionForm(
  check: CheckConfig,
  slot: CheckSlot,
  row: CheckReadingRow,
  zone: string,
): Form {
  return {
    formId: CHECK_FORMS.correction,
    title: `Correct ${formatCheckReference(row)}`,
    submitLabel: 'Save correction',
    lines: [
      `${describeSlot(check, slot, zone)}. Saved now: ${describeValues(row.values, check)}.`,
      'The log keeps what was first saved, and shows who corrected it, when and why.',
    ],
    inputs: [
      ...buildFieldInputs(check, row.values),
      {
        kind: 'textarea',
        id: 'action',
        label: 'Action taken (required if a value is out of range)',
        optional: true,
        maxLength: MAX_INPUT,
        ...(row.actionTaken ? { initial: row.actionTaken } : {}),
      },
      {
        kind: 'text',
        id: 'reason',
        label: 'Why correct it (e.g. typo: 4.9 not 9.4)',
        maxLength: MAX_REASON,
      },
    ],
    metadata: formatCorrectionKey(row),
  };
}

/** What a change of range means, said plainly; undefined when it did not change. */
function describeRangeChange(before: boolean, after: boolean, told: readonly string[]): string | undefined {
  if (before === after) return undefined;
  if (!after) return '✅ Now in range (it was out of range).';
  return told.length > 0
    ? `🔴 Now out of range (it was in range): ${told.join(' and ')} ${told.length === 1 ? 'has' : 'have'} been told.`
    : '🔴 Now out of range (it was in range).';
}

/** The answer to the person who corrected a reading: what it says now, what it said, and why. */
export function buildCorrectedReply(
  check: CheckConfig,
  slot: CheckSlot,
  before: CheckReadingRow,
  row: CheckReadingRow,
  told: readonly string[],
  zone: string,
): Message {
  const reference = formatCheckReference(row);
  const change = describeRangeChange(before.outOfRange, row.outOfRange, told);
  return {
    text: `Check corrected: ${reference}, ${describeSlot(check, slot, zone)}${row.outOfRange ? ' — out of range' : ''}`,
    title: `${row.outOfRange ? '🔴 ' : '✅ '}Check corrected — ${reference}`,
    lines: [
      ...row.values.map((value) => describeValue(value, check)),
      ...(row.actionTaken ? [`Action taken: ${row.actionTaken}`] : []),
      `Was: ${describeValues(before.values, check)}`,
      ...(change ? [change] : []),
      `Why: ${row.correctionReason ?? '—'}`,
    ],
    note: 'The log shows both: what was first saved, and this correction.',
  };
}
