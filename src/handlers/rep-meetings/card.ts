import { DateTime } from 'luxon';
import type { OfficeConfig } from '../../config/office.ts';
import type { Db } from '../../db/client.ts';
import { listBookedRepMeetings, type RepMeetingRow } from '../../db/repositories/rep-meetings.ts';
import { addDays, getOfficeDay, type IsoDay } from '../../domain/dates.ts';
import { DIGEST_ORDER } from '../../domain/digest.ts';
import { formatReference } from '../../domain/references.ts';
import {
  describeRepVisitSection,
  findOpenRepSlots,
  formatSlotKey,
  type RepSlot,
  readRepRules,
} from '../../domain/rep-meetings.ts';
import type { FeatureDigest } from '../kernel/digest.ts';
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

/** The slot keys of every booked visit from the start of today through `days` days. */
async function loadTakenSlots(db: Db, office: OfficeConfig, now: DateTime, days: number) {
  const zone = office.office.timezone;
  const today = DateTime.fromISO(getOfficeDay(now, zone), { zone });
  const rows = await listBookedRepMeetings(
    db,
    office.office.id,
    today.toJSDate(),
    today.plus({ days: days + 1 }).toJSDate(),
  );
  return new Set(rows.map((row) => formatSlotKey({ day: row.slotDay, time: row.slotTime })));
}

/** The open slots of the next `days` days, from the rules and the bookings the database holds now. */
export async function loadOpenSlots(
  db: Db,
  office: OfficeConfig,
  now: DateTime,
  days: number,
): Promise<RepSlot[]> {
  const taken = await loadTakenSlots(db, office, now, days);
  return findOpenRepSlots({ now, office, taken, days });
}

/** The next open slots anywhere in the booking window (`reps.maxWeeksAhead`), earliest first. */
export async function loadNextOpenSlots(
  db: Db,
  office: OfficeConfig,
  now: DateTime,
  limit: number,
): Promise<RepSlot[]> {
  const days = readRepRules(office).maxWeeksAhead * 7 + 1;
  return (await loadOpenSlots(db, office, now, days)).slice(0, limit);
}

/** Today's booked visits as the huddle digest lists them. */
/** The huddle's rep visits of the day. */
export const repVisitsDigest: FeatureDigest = {
  order: DIGEST_ORDER.visitors,
  load: async ({ db, office, day }) => [
    describeRepVisitSection(await loadRepVisitsForDigest(db, office, day)),
  ],
};

async function loadRepVisitsForDigest(db: Db, office: OfficeConfig, day: IsoDay) {
  const zone = office.office.timezone;
  const rows = await listBookedRepMeetings(
    db,
    office.office.id,
    DateTime.fromISO(day, { zone }).toJSDate(),
    DateTime.fromISO(addDays(day, 1), { zone }).toJSDate(),
  );
  return rows.map((row) => ({
    time: DateTime.fromJSDate(row.slotStart).setZone(zone).toFormat('HH:mm'),
    repName: row.repName,
    company: row.company,
    lunch: row.lunch,
    providerNames: row.providerNames,
  }));
}
