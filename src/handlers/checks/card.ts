import { DateTime } from 'luxon';
import type { CheckConfig, CheckField } from '../../config/office.ts';
import type { CheckReadingRow } from '../../db/repositories/checks.ts';
import { type CheckSlot, type CheckValue, describeFieldRange, formatSlotKey } from '../../domain/checks.ts';
import { formatDay } from '../../domain/dates.ts';
import { formatReference } from '../../domain/references.ts';
import { type DueRun, explainLateRun } from '../kernel/jobs.ts';
import type { Form, FormInput, Message } from '../kernel/message.ts';
import { CHECK_ACTIONS, CHECK_FORMS } from './ids.ts';

/** The form input holding a field's answer; prefixed so a field id can never be `action` or `time`. */
export function fieldInputId(field: Pick<CheckField, 'id'>): string {
  return `field-${field.id}`;
}

/** Longest answer one field's input takes; a number never needs more. */
export const MAX_INPUT = 500;

export function formatCheckReference(row: Pick<CheckReadingRow, 'number'>): string {
  return formatReference('CK', row.number);
}

/** `8:00 AM`: a slot's time as the office reads it (after a DST jump, the time it is really due). */
export function formatSlotTime(slot: Pick<CheckSlot, 'dueAt'>, zone: string): string {
  return slot.dueAt.setZone(zone).toFormat('h:mm a');
}

/** `Vaccine fridge, 8:00 AM Mon Nov 30`. */
export function describeSlot(check: Pick<CheckConfig, 'name'>, slot: CheckSlot, zone: string): string {
  return `${check.name}, ${formatSlotTime(slot, zone)} ${formatDay(slot.day, zone)}`;
}

/** `9.1 °C`, `yes`: an answer with its unit. */
function formatAnswer(value: CheckValue, field: CheckField | undefined): string {
  return field?.type === 'number' && field.unit ? `${value.value} ${field.unit}` : value.value;
}

/** `Temperature °C: 9.1 🔴 out of range (2–8)`: one answer, an out-of-range one marked red. */
export function describeValue(value: CheckValue, check: Pick<CheckConfig, 'fields'>): string {
  const field = check.fields.find((candidate) => candidate.id === value.fieldId);
  const range = field ? describeFieldRange(field) : undefined;
  const shown = value.value === '' ? '—' : formatAnswer(value, field);
  const mark = value.outOfRange
    ? ` 🔴 out of range${range ? ` (${field?.type === 'yesno' ? `expected ${range}` : range})` : ''}`
    : '';
  return `${value.label}: ${shown}${mark}`;
}

/** `Recorded by Ana Cruz at 8:04 AM Mon Nov 30 (CK-3)`. */
export function describeRecorded(row: CheckReadingRow, zone: string): string {
  const at = DateTime.fromJSDate(row.recordedAt).setZone(zone);
  return `Recorded by ${row.recordedByName} at ${at.toFormat('h:mm a')} ${formatDay(at.toISODate() ?? row.day, zone)} (${formatCheckReference(row)})`;
}

/** `Temperature °C: 9.4 °C 🔴 out of range (2–8 °C)`: a set of values on one line. */
export function describeValues(values: readonly CheckValue[], check: Pick<CheckConfig, 'fields'>): string {
  return values.map((value) => describeValue(value, check)).join('; ');
}

/** `Corrected by Ana Cruz at 8:10 AM Mon Nov 30, was Temperature °C: 9.4 °C 🔴 out of range (2–8 °C)`, or undefined. */
export function describeCorrection(
  row: CheckReadingRow,
  check: Pick<CheckConfig, 'fields'>,
  zone: string,
): string | undefined {
  if (!row.correctedAt || !row.originalValues) return undefined;
  const at = DateTime.fromJSDate(row.correctedAt).setZone(zone);
  return `✏️ Corrected by ${row.correctedByName ?? 'someone'} at ${at.toFormat('h:mm a')} ${formatDay(at.toISODate() ?? row.day, zone)}, was ${describeValues(row.originalValues, check)}. Why: ${row.correctionReason ?? '—'}`;
}

/** The fields a check asks for, with their safe ranges, as a line each. */
function describeFields(check: CheckConfig): string[] {
  return check.fields.map((field) => {
    const range = describeFieldRange(field);
    if (!range) return field.label;
    return field.type === 'yesno'
      ? `${field.label} (expected: ${range})`
      : `${field.label} (safe range ${range})`;
  });
}

function recordButton(value: string) {
  return { label: 'Record', actionId: CHECK_ACTIONS.record, value, style: 'primary' as const };
}

/** The card the assignee gets at a check's time: what to check, and `Record`. */
export function buildPromptCard(
  check: CheckConfig,
  slot: CheckSlot,
  zone: string,
  due: Pick<DueRun, 'late' | 'retried'>,
): Message {
  const when = describeSlot(check, slot, zone);
  return {
    text: `Check due: ${when}`,
    title: `Check due — ${check.name}`,
    lines: [
      `Due ${formatSlotTime(slot, zone)} ${formatDay(slot.day, zone)}${due.late ? ` (this message is late: ${explainLateRun(due, 'at that time')})` : ''}.`,
      ...describeFields(check),
    ],
    buttons: [recordButton(formatSlotKey(slot))],
  };
}

/** The one reminder when a check is still not recorded `graceMinutes` after its time. */
export function buildReminderCard(check: CheckConfig, slot: CheckSlot, zone: string): Message {
  const when = describeSlot(check, slot, zone);
  return {
    text: `Reminder: ${when} is not recorded yet`,
    title: `Check not recorded — ${check.name}`,
    lines: [
      `⚠️ ${check.name} was due at ${formatSlotTime(slot, zone)} and is not recorded yet. It shows as missed in the huddle until it is.`,
      ...describeFields(check),
    ],
    buttons: [recordButton(formatSlotKey(slot))],
  };
}

/** A prompt or reminder of a day that has passed unrecorded, redrawn: only that day's checks can be recorded. */
export function buildPassedCard(check: CheckConfig, slot: CheckSlot, zone: string): Message {
  const when = describeSlot(check, slot, zone);
  return {
    text: `Not recorded: ${when}`,
    title: `Check not recorded — ${check.name}`,
    lines: [`${when} was not recorded, and that day has passed. It shows as missed.`],
  };
}

/** A prompt or reminder redrawn once the check is recorded: no button left to press. */
export function buildSettledCard(
  check: CheckConfig,
  slot: CheckSlot,
  row: CheckReadingRow,
  zone: string,
): Message {
  const when = describeSlot(check, slot, zone);
  return {
    text: `Check recorded: ${when}`,
    title: `Check recorded — ${check.name}`,
    lines: [
      ...row.values.map((value) => describeValue(value, check)),
      ...optional(describeCorrection(row, check, zone)),
    ],
    note: `✅ ${describeRecorded(row, zone)}`,
  };
}

export function optional(line: string | undefined): string[] {
  return line ? [line] : [];
}

/** One input per field of a check, prefilled with `recorded` when given (a correction starts from what was saved). */
export function buildFieldInputs(
  check: CheckConfig,
  recorded: readonly CheckValue[] | undefined,
): FormInput[] {
  const initial = (field: CheckField) => {
    const value = recorded?.find((candidate) => candidate.fieldId === field.id)?.value;
    return value === undefined || value === '' ? {} : { initial: value };
  };
  const inputs: FormInput[] = [];
  for (const field of check.fields) {
    const range = describeFieldRange(field);
    switch (field.type) {
      case 'number':
        inputs.push({
          kind: 'text',
          id: fieldInputId(field),
          label: range ? `${field.label} (${range})` : field.label,
          maxLength: 20,
          ...initial(field),
        });
        break;
      case 'yesno':
        inputs.push({
          kind: 'select',
          id: fieldInputId(field),
          label: field.label,
          options: [
            { label: 'Yes', value: 'yes' },
            { label: 'No', value: 'no' },
          ],
          ...initial(field),
        });
        break;
      case 'text':
        inputs.push({
          kind: 'textarea',
          id: fieldInputId(field),
          label: field.label,
          optional: true,
          maxLength: MAX_INPUT,
          ...initial(field),
        });
        break;
    }
  }
  return inputs;
}

/**
 * The form to record a check: one input per field (numbers as text, so a typo reaches the server and gets
 * a clear answer), the time when more than one is open today, and "Action taken".
 */
export function buildReadingForm(
  check: CheckConfig,
  open: readonly CheckSlot[],
  chosen: CheckSlot,
  zone: string,
): Form {
  const inputs: FormInput[] = [];
  if (open.length > 1)
    inputs.push({
      kind: 'select',
      id: 'time',
      label: 'Which time',
      options: open.map((slot) => ({ label: formatSlotTime(slot, zone), value: slot.time })),
      initial: chosen.time,
    });
  inputs.push(...buildFieldInputs(check, undefined));
  inputs.push({
    kind: 'textarea',
    id: 'action',
    label: 'Action taken (required if a value is out of range)',
    optional: true,
    maxLength: MAX_INPUT,
  });
  return {
    formId: CHECK_FORMS.reading,
    title: 'Record a check',
    submitLabel: 'Save',
    lines: [
      `${check.name}: ${open.length > 1 ? formatDay(chosen.day, zone) : describeSlot(check, chosen, zone)}`,
    ],
    inputs,
    metadata: formatSlotKey(chosen),
  };
}

/** The answer to the person who recorded a check. */
export function buildRecordedReply(
  check: CheckConfig,
  slot: CheckSlot,
  row: CheckReadingRow,
  told: readonly string[],
  zone: string,
): Message {
  const reference = formatCheckReference(row);
  const lines = [
    ...row.values.map((value) => describeValue(value, check)),
    ...(row.actionTaken ? [`Action taken: ${row.actionTaken}`] : []),
  ];
  if (row.outOfRange)
    lines.push(
      told.length > 0
        ? `🔴 Out of range: ${told.join(' and ')} ${told.length === 1 ? 'has' : 'have'} been told.`
        : '🔴 Out of range.',
    );
  return {
    text: `Check recorded: ${reference}, ${describeSlot(check, slot, zone)}${row.outOfRange ? ' — out of range' : ''}`,
    title: `${row.outOfRange ? '🔴 ' : '✅ '}Check recorded — ${reference}`,
    lines,
  };
}

/** The direct message every manager gets when a reading is out of range, with the action taken. */
export function buildManagerAlert(
  check: CheckConfig,
  slot: CheckSlot,
  row: CheckReadingRow,
  zone: string,
): Message {
  const reference = formatCheckReference(row);
  return {
    text: `🔴 Out of range: ${describeSlot(check, slot, zone)} (${reference})`,
    title: `🔴 Out of range — ${check.name} (${reference})`,
    lines: [
      ...row.values.map((value) => describeValue(value, check)),
      `Action taken: ${row.actionTaken ?? '—'}`,
      ...optional(describeCorrection(row, check, zone)),
      `Due ${formatSlotTime(slot, zone)} ${formatDay(slot.day, zone)}.`,
    ],
    note: describeRecorded(row, zone),
  };
}
