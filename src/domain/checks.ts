import { DateTime } from 'luxon';
import type { CheckConfig, CheckField, OfficeConfig, StaffMember } from '../config/office.ts';
import { isOpenDay, isScheduledOn } from './calendar.ts';
import { type DigestAbsence, findAbsentWindow } from './coverage.ts';
import type { IsoDay } from './dates.ts';
import { slugifyName } from './people.ts';
import { findScheduledInstant } from './schedule.ts';
import { hasVisibleText } from './visible-text.ts';
import { wholeCharactersWithin } from './whole-characters.ts';

/**
 * How far past a number field's limits a reading is refused as a typo rather than recorded out of range,
 * in the field's own units: a fridge kept at 2–8 °C may read 9 or -3 (out of range, managers alerted), but
 * 500 or -60 is a slip of the keyboard, not a reading.
 */
export const CHECK_SENSE_MARGIN = 50;

/** Longest note or "action taken" a reading keeps. */
export const MAX_CHECK_TEXT = 500;

/** One recorded answer: the field, what was entered (numbers normalised), and whether it is out of range. */
export interface CheckValue {
  fieldId: string;
  label: string;
  value: string;
  outOfRange: boolean;
}

/** One time a check is due on one day: `dueAt` in the office zone, and when it counts as missed. */
export interface CheckSlot {
  checkId: string;
  day: IsoDay;
  /** `HH:mm` as the config writes it: the slot's name, even when DST moved the instant */
  time: string;
  dueAt: DateTime;
  /** `graceMinutes` after `dueAt`: the assignee is reminded once and the huddle calls it missed */
  remindAt: DateTime;
}

/** A check is due on its `days` that are not office holidays (the office is closed then). */
export function isCheckDueOn(
  check: Pick<CheckConfig, 'days'>,
  day: IsoDay,
  office: Pick<OfficeConfig, 'timeoff'>,
): boolean {
  return isOpenDay(day, check.days, office.timeoff.holidays);
}

/**
 * The check's times on `day` as instants in the office zone, earliest first; none on a day it is not due.
 * A time that does not exist that day (clocks spring forward over it) moves forward by the jump; a time
 * that happens twice (clocks fall back) is due once, the second time, as every schedule in frontdesk reads it.
 */
export function listCheckSlots(
  check: Pick<CheckConfig, 'id' | 'times' | 'days' | 'graceMinutes'>,
  day: IsoDay,
  office: Pick<OfficeConfig, 'office' | 'timeoff'>,
): CheckSlot[] {
  const zone = office.office.timezone;
  if (!isCheckDueOn(check, day, office)) return [];
  // Any instant of the day in the office zone names the day; noon is never skipped by DST.
  const noon = DateTime.fromISO(`${day}T12:00`, { zone });
  return check.times
    .flatMap((time) => {
      const dueAt = findScheduledInstant(noon, {
        time,
        days: check.days,
        holidays: office.timeoff.holidays,
        zone,
      });
      return dueAt
        ? [{ checkId: check.id, day, time, dueAt, remindAt: dueAt.plus({ minutes: check.graceMinutes }) }]
        : [];
    })
    .sort((a, b) => a.dueAt.toMillis() - b.dueAt.toMillis());
}

/** `fridge/2026-11-30/08:00`: names one slot in button values, form metadata and job run keys. */
export function formatSlotKey(slot: Pick<CheckSlot, 'checkId' | 'day' | 'time'>): string {
  return `${slot.checkId}/${slot.day}/${slot.time}`;
}

/** Reads a slot key back; undefined for anything else. */
export function parseSlotKey(text: string): { checkId: string; day: IsoDay; time: string } | undefined {
  const match = /^([a-z][a-z0-9-]{0,29})\/(\d{4}-\d{2}-\d{2})\/(\d{2}:\d{2})$/.exec(text.trim());
  if (!match?.[1] || !match[2] || !match[3]) return undefined;
  return { checkId: match[1], day: match[2], time: match[3] };
}

/** Whether `absence` keeps its person away at `time` on `day`; a time outside office hours counts as the nearest open minute. */
function isAwayAt(absence: DigestAbsence, day: IsoDay, time: string, hours: OfficeConfig['office']['hours']) {
  const window = findAbsentWindow(absence, day, hours);
  if (!window) return false;
  const at = time < hours.open ? hours.open : time >= hours.close ? lastMinuteBefore(hours.close) : time;
  return window[0] <= at && at < window[1];
}

function lastMinuteBefore(clock: string): string {
  const [hour = 0, minute = 0] = clock.split(':').map(Number);
  const total = hour * 60 + minute - 1;
  return `${String(Math.floor(total / 60)).padStart(2, '0')}:${String(total % 60).padStart(2, '0')}`;
}

/** Days since 1970-01-01: a rotation's turn, the same on every process and every run. */
function countEpochDays(day: IsoDay): number {
  return Math.round(DateTime.fromISO(day, { zone: 'utc' }).toMillis() / 86_400_000);
}

/**
 * Who is asked to do a check at `time` on `day`: for a role, the first staff member of that role (in staff-list
 * order) scheduled that day and not away then; for a rotation, whose turn it is (one step per calendar day),
 * or the next in the rotation after them who is at work and not away. Undefined when nobody is.
 */
/** Everyone a check can be asked of: the staff of its rotation, in its order, or everyone in its role. */
export function listCheckCandidates(
  check: Pick<CheckConfig, 'assignee'>,
  office: Pick<OfficeConfig, 'staff'>,
): StaffMember[] {
  const { role, rotation } = check.assignee;
  if (!rotation) return office.staff.filter((member) => member.role === role);
  return rotation.flatMap((name) => {
    const member = office.staff.find((candidate) => slugifyName(candidate.name) === slugifyName(name));
    return member ? [member] : [];
  });
}

export function chooseCheckAssignee(
  check: Pick<CheckConfig, 'assignee'>,
  day: IsoDay,
  time: string,
  office: Pick<OfficeConfig, 'office' | 'timeoff' | 'staff'>,
  absences: readonly DigestAbsence[],
): StaffMember | undefined {
  const hours = office.office.hours;
  const available = (member: StaffMember) =>
    isScheduledOn(member, day, office) &&
    !absences.some((absence) => absence.name === member.name && isAwayAt(absence, day, time, hours));
  const members = listCheckCandidates(check, office);
  if (!check.assignee.rotation) return members.find(available);
  if (members.length === 0) return undefined;
  const turn = ((countEpochDays(day) % members.length) + members.length) % members.length;
  const order = [...members.slice(turn), ...members.slice(0, turn)];
  return order.find(available);
}

/** `2–8 °C`, `at least 2`, `at most 8`, or undefined for a number with no limits. */
export function describeFieldRange(field: CheckField): string | undefined {
  if (field.type === 'yesno') return field.expected;
  if (field.type !== 'number') return undefined;
  const unit = field.unit ? ` ${field.unit}` : '';
  if (field.min !== undefined && field.max !== undefined) return `${field.min}–${field.max}${unit}`;
  if (field.min !== undefined) return `at least ${field.min}${unit}`;
  if (field.max !== undefined) return `at most ${field.max}${unit}`;
  return undefined;
}

/** Whether a number lies outside a field's limits (the limits themselves are in range). */
export function isOutOfRange(field: Extract<CheckField, { type: 'number' }>, value: number): boolean {
  return (field.min !== undefined && value < field.min) || (field.max !== undefined && value > field.max);
}

/** Whether a number is so far past a field's limits (more than CHECK_SENSE_MARGIN units) that it must be a typo. */
export function isBeyondSense(field: Extract<CheckField, { type: 'number' }>, value: number): boolean {
  return (
    (field.min !== undefined && value < field.min - CHECK_SENSE_MARGIN) ||
    (field.max !== undefined && value > field.max + CHECK_SENSE_MARGIN)
  );
}

/**
 * A typed number (`4.5`, `-2`, `4,5`), or undefined when the text is not one. A comma is a decimal comma
 * before one or two digits only: `5,000` could be five thousand or five, so it is not read at all.
 */
export function parseReadingNumber(text: string): number | undefined {
  const normalised = text.trim().replace(/^(-?\d+),(\d{1,2})$/, '$1.$2');
  if (!/^[-+]?(\d{1,9}(\.\d{0,6})?|\.\d{1,6})$/.test(normalised)) return undefined;
  const value = Number(normalised);
  return Number.isFinite(value) ? value : undefined;
}

export type CheckReading =
  | { ok: true; values: CheckValue[]; outOfRange: boolean; actionTaken: string | undefined }
  | {
      ok: false;
      /** per field id (or `action`), what is wrong, in words a person reads at a glance */
      errors: Record<string, string>;
    };

function readField(field: CheckField, typed: string): { value: CheckValue } | { error: string } {
  const text = typed.trim();
  const base = { fieldId: field.id, label: field.label };
  switch (field.type) {
    case 'number': {
      if (text === '') return { error: `Enter ${field.label}.` };
      const value = parseReadingNumber(text);
      if (value === undefined)
        return { error: `"${wholeCharactersWithin(text, 20)}" is not a number. Write it like 4.5 or -2.` };
      if (isBeyondSense(field, value))
        return {
          error: `${value} is not a believable reading for ${field.label} (the safe range is ${describeFieldRange(field)}); readings more than ${CHECK_SENSE_MARGIN} beyond it are refused as typos. Check it and enter it again.`,
        };
      return { value: { ...base, value: String(value), outOfRange: isOutOfRange(field, value) } };
    }
    case 'yesno': {
      const answer = /^(yes|y)$/i.test(text) ? 'yes' : /^(no|n)$/i.test(text) ? 'no' : undefined;
      if (!answer) return { error: `Answer ${field.label} with yes or no.` };
      return {
        value: {
          ...base,
          value: answer,
          outOfRange: field.expected !== undefined && answer !== field.expected,
        },
      };
    }
    case 'text':
      if (text.length > MAX_CHECK_TEXT) return { error: `Keep it under ${MAX_CHECK_TEXT} characters.` };
      return { value: { ...base, value: hasVisibleText(text) ? text : '', outOfRange: false } };
  }
}

/**
 * Reads one submission of a check: every number a believable number, every yes/no a yes or no, and "action
 * taken" given whenever a value is out of range. Either every value, or what is wrong with each field.
 */
export function readCheckReading(
  check: Pick<CheckConfig, 'fields'>,
  typed: Readonly<Record<string, string>>,
  action: string,
): CheckReading {
  const errors: Record<string, string> = {};
  const values: CheckValue[] = [];
  for (const field of check.fields) {
    const read = readField(field, typed[field.id] ?? '');
    if ('error' in read) errors[field.id] = read.error;
    else values.push(read.value);
  }
  // Zero-width and other undrawn characters are no answer: the check's log would show an empty action.
  const actionTaken = hasVisibleText(action) ? action.trim() : '';
  if (actionTaken.length > MAX_CHECK_TEXT) errors.action = `Keep it under ${MAX_CHECK_TEXT} characters.`;
  const outOfRange = values.some((value) => value.outOfRange);
  if (Object.keys(errors).length > 0) return { ok: false, errors };
  if (outOfRange && actionTaken === '')
    return {
      ok: false,
      errors: {
        action: `${values
          .filter((value) => value.outOfRange)
          .map((value) => value.label)
          .join(', ')} is out of range: say what you did about it (required).`,
      },
    };
  return { ok: true, values, outOfRange, actionTaken: actionTaken === '' ? undefined : actionTaken };
}
