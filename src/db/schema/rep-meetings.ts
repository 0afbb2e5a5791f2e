import { sql } from 'drizzle-orm';
import {
  bigserial,
  boolean,
  date,
  index,
  integer,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
} from 'drizzle-orm/pg-core';
import type { PlatformName } from '../../domain/people.ts';

/** A rep visit is booked until cancelled; a cancelled one frees its slot. */
export type RepMeetingStatus = 'booked' | 'cancelled';

/**
 * Sales-rep visits; `number` is the human reference (RM-5). A slot is booked at most once: the partial
 * unique index on the slot's start covers booked rows only, so a cancelled visit frees its slot.
 */
export const repMeetings = pgTable(
  'rep_meetings',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    officeId: text('office_id').notNull(),
    number: integer('number').notNull().default(sql`nextval('rep_meeting_ref_seq')`),
    slotStart: timestamp('slot_start', { withTimezone: true }).notNull(),
    slotEnd: timestamp('slot_end', { withTimezone: true }).notNull(),
    // The office-zone day and wall time of the slot, as booked, for lists, the digest and the cap.
    slotDay: date('slot_day').notNull(),
    slotTime: text('slot_time').notNull(),
    repName: text('rep_name').notNull(),
    company: text('company').notNull(),
    // The company with case, spaces and punctuation removed: what the monthly cap counts by.
    companyKey: text('company_key').notNull(),
    topic: text('topic').notNull().default(''),
    contact: text('contact').notNull().default(''),
    providerKeys: text('provider_keys').array().notNull().default(sql`'{}'::text[]`),
    providerNames: text('provider_names').array().notNull().default(sql`'{}'::text[]`),
    lunch: boolean('lunch').notNull().default(false),
    bookerKey: text('booker_key').notNull(),
    bookerName: text('booker_name').notNull(),
    bookerPlatform: text('booker_platform').$type<PlatformName>().notNull(),
    bookerUserId: text('booker_user_id').notNull(),
    status: text('status').$type<RepMeetingStatus>().notNull().default('booked'),
    cancelledByName: text('cancelled_by_name'),
    cancelledAt: timestamp('cancelled_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    uniqueIndex('rep_meetings_number_idx').on(table.officeId, table.number),
    uniqueIndex('rep_meetings_slot_idx')
      .on(table.officeId, table.slotStart)
      .where(sql`${table.status} = 'booked'`),
    index('rep_meetings_company_idx').on(table.officeId, table.companyKey, table.slotDay),
    index('rep_meetings_start_idx').on(table.officeId, table.status, table.slotStart),
  ],
);

/** The generated secret of each office's calendar feed, used when the office config names none. */
export const calendarFeeds = pgTable('calendar_feeds', {
  officeId: text('office_id').primaryKey(),
  token: text('token').notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});
