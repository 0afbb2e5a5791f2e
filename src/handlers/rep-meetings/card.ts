import { DateTime } from 'luxon';
import type { RepMeetingRow } from '../../db/repositories/rep-meetings.ts';
import { formatReference } from '../../domain/references.ts';
import { formatSlotKey, type RepSlot } from '../../domain/rep-meetings.ts';
import type { Button } from '../kernel/message.ts';
import { REPS_ACTIONS } from './ids.ts';

/** Block Kit allows 25 buttons in one actions block; slots beyond get "and N more". */
export const MAX_BOOK_BUTTONS = 25;

/** A visit's reference, `RM-5`. */
export function formatRepReference(row: Pick<RepMeetingRow, 'number'>): string {
  return formatReference('RM', row.number);
}

/** A slot or visit start as the office reads it: `Tue Dec 1, 12:00 PM`. */
export function formatSlotStart(start: DateTime, zone: string): string {
  return start.setZone(zone).setLocale('en-US').toFormat('ccc LLL d, h:mm a');
}

/** A visit's start as the office reads it. */
export function describeVisitTime(row: Pick<RepMeetingRow, 'slotStart'>, zone: string): string {
  return formatSlotStart(DateTime.fromJSDate(row.slotStart), zone);
}

/** `Jordan Smith (Acme Pharma)`. */
export function describeRep(row: Pick<RepMeetingRow, 'repName' | 'company'>): string {
  return `${row.repName} (${row.company})`;
}

/** The `Book …` button of one slot; its value names the slot, who may book is decided when pressed. */
export function buildBookButton(slot: RepSlot, zone: string): Button {
  return {
    label: `Book ${formatSlotStart(slot.start, zone)}`,
    actionId: REPS_ACTIONS.book,
    value: formatSlotKey(slot),
  };
}
