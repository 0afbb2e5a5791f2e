import { DateTime } from 'luxon';
import type { OfficeConfig } from '../../config/office.ts';
import type { Db } from '../../db/client.ts';
import { listBookedRepMeetings } from '../../db/repositories/rep-meetings.ts';
import { addDays, getOfficeDay, type IsoDay } from '../../domain/dates.ts';
import { DIGEST_ORDER } from '../../domain/digest.ts';
import {
  describeRepVisitSection,
  findOpenRepSlots,
  formatSlotKey,
  type RepSlot,
  readRepRules,
} from '../../domain/rep-meetings.ts';
import type { FeatureDigest } from '../kernel/digest.ts';

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
