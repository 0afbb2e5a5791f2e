import { randomBytes, randomUUID } from 'node:crypto';
import ical, { escape as escapeText } from 'ical-generator';
import { DateTime } from 'luxon';
import type { OfficeConfig } from '../../config/office.ts';
import type { Db } from '../../db/client.ts';
import { ensureInstallId, getInstallId } from '../../db/repositories/installation.ts';
import {
  createCalendarFeedToken,
  getCalendarFeedToken,
  listBookedRepMeetings,
} from '../../db/repositories/rep-meetings.ts';
import { listTimeOffBetween } from '../../db/repositories/time-off.ts';
import { addDays, getOfficeDay } from '../../domain/dates.ts';
import { formatReference } from '../../domain/references.ts';
import { describeRep, formatRepReference } from './card.ts';

// How far back and ahead the feed reaches: recent history for context, the booking window and more ahead.
const FEED_PAST_DAYS = 60;
const FEED_FUTURE_DAYS = 366;
const FEED_TTL_SECONDS = 15 * 60;
const PART_LABELS = { full: '', am: ' (morning)', pm: ' (afternoon)' } as const;

/** The calendar feed's secret: `reps.calendarToken` from the office config when set, else the stored one, if any. */
export async function readCalendarToken(db: Db, office: OfficeConfig): Promise<string | undefined> {
  return office.reps.calendarToken ?? (await getCalendarFeedToken(db, office.office.id));
}

/** The calendar feed's secret, generated (192 random bits) and stored on first use when the config names none. */
export async function ensureCalendarToken(db: Db, office: OfficeConfig, now: DateTime): Promise<string> {
  const existing = await readCalendarToken(db, office);
  if (existing) return existing;
  return createCalendarFeedToken(db, {
    officeId: office.office.id,
    token: randomBytes(24).toString('base64url'),
    createdAt: now.toJSDate(),
  });
}

/**
 * This installation's id, generated (a random UUID) and stored on first use. Event UIDs carry it, so two
 * installations (each with its own TO-1) never publish the same UID into one subscriber's calendar.
 */
export async function readInstallId(db: Db, now: DateTime): Promise<string> {
  return (
    (await getInstallId(db)) ?? ensureInstallId(db, { candidate: randomUUID(), createdAt: now.toJSDate() })
  );
}

/**
 * The iCalendar feed: booked rep visits as timed events and approved time off as all-day events (names
 * only, never the kind of leave), from 60 days back to a year ahead. Instants are written in UTC.
 */
export async function buildCalendarFeed(db: Db, office: OfficeConfig, now: DateTime): Promise<string> {
  const zone = office.office.timezone;
  const today = getOfficeDay(now, zone);
  const from = addDays(today, -FEED_PAST_DAYS);
  const to = addDays(today, FEED_FUTURE_DAYS);
  const visits = await listBookedRepMeetings(
    db,
    office.office.id,
    DateTime.fromISO(from, { zone }).toJSDate(),
    DateTime.fromISO(to, { zone }).toJSDate(),
  );
  const timeOff = await listTimeOffBetween(db, office.office.id, from, to, ['approved']);
  const calendar = ical({
    // ical-generator 10 writes NAME and X-WR-CALNAME as given, so the text is escaped here (RFC 5545 3.3.11).
    name: escapeText(`${office.office.name}: rep visits and time off`, false),
    prodId: { company: 'frontdesk', product: 'frontdesk', language: 'EN' },
    ttl: FEED_TTL_SECONDS,
  });
  const stamp = now.toJSDate();
  const domain = `${office.office.id}.${await readInstallId(db, now)}.frontdesk`;
  for (const visit of visits) {
    calendar.createEvent({
      id: `${formatRepReference(visit)}@${domain}`,
      start: visit.slotStart,
      end: visit.slotEnd,
      stamp,
      summary: `Rep visit: ${describeRep(visit)}`,
      description: [
        `${formatRepReference(visit)}, booked by ${visit.bookerName}`,
        ...(visit.topic ? [`Topic: ${visit.topic}`] : []),
        ...(visit.contact ? [`Contact: ${visit.contact}`] : []),
        ...(visit.providerNames.length > 0 ? [`Providers expected: ${visit.providerNames.join(', ')}`] : []),
        `Lunch provided: ${visit.lunch ? 'yes' : 'no'}`,
      ].join('\n'),
    });
  }
  for (const off of timeOff) {
    // An all-day event ends on the day after its last day (RFC 5545); dates are written as UTC calendar days.
    calendar.createEvent({
      id: `${formatReference('TO', off.number)}@${domain}`,
      allDay: true,
      start: DateTime.fromISO(off.startDay, { zone: 'utc' }).toJSDate(),
      end: DateTime.fromISO(addDays(off.endDay, 1), { zone: 'utc' }).toJSDate(),
      stamp,
      summary: `Off${PART_LABELS[off.part]}: ${off.requesterName}`,
    });
  }
  // RFC 5545 ends every content line, the last one too, with CRLF; ical-generator leaves the last one bare.
  const text = calendar.toString();
  return text.endsWith('\r\n') ? text : `${text}\r\n`;
}
