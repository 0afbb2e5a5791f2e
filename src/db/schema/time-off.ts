import { sql } from 'drizzle-orm';
import {
  bigserial,
  boolean,
  check,
  date,
  doublePrecision,
  index,
  integer,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
} from 'drizzle-orm/pg-core';
import type { PlatformName } from '../../domain/people.ts';
import type { DayPart, TimeOffStatus, TimeOffType } from '../../domain/time-off.ts';

/** Time-off requests; `number` is the human reference (TO-12) and is unique per office. */
export const timeOffRequests = pgTable(
  'time_off_requests',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    officeId: text('office_id').notNull(),
    number: integer('number').notNull().default(sql`nextval('time_off_ref_seq')`),
    requesterKey: text('requester_key').notNull(),
    requesterName: text('requester_name').notNull(),
    requesterRole: text('requester_role'),
    requesterPlatform: text('requester_platform').$type<PlatformName>().notNull(),
    requesterUserId: text('requester_user_id').notNull(),
    startDay: date('start_day').notNull(),
    endDay: date('end_day').notNull(),
    part: text('part').$type<DayPart>().notNull(),
    type: text('type').$type<TimeOffType>().notNull(),
    reason: text('reason').notNull().default(''),
    workingDays: doublePrecision('working_days').notNull(),
    overBalance: boolean('over_balance').notNull().default(false),
    status: text('status').$type<TimeOffStatus>().notNull().default('pending'),
    decidedByKey: text('decided_by_key'),
    decidedByName: text('decided_by_name'),
    decidedAt: timestamp('decided_at', { withTimezone: true }),
    decisionNote: text('decision_note'),
    cancelledByName: text('cancelled_by_name'),
    cancelledAt: timestamp('cancelled_at', { withTimezone: true }),
    /** why a manager cancelled someone's approved leave; they are told it */
    cancelNote: text('cancel_note'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    uniqueIndex('time_off_requests_number_idx').on(table.officeId, table.number),
    index('time_off_requests_person_idx').on(table.officeId, table.requesterKey, table.endDay),
    // Who is off between two days: the requests whose days overlap them. A btree on the end day had to walk
    // every request ending after the first day, all of them for a day ahead, on every card drawn; the range
    // index finds the overlapping ones alone.
    index('time_off_requests_days_idx').using(
      'gist',
      sql`daterange(${table.startDay}, ${table.endDay}, '[]')`,
    ),
    // The decisions waiting, oldest first (huddle, Home, reminders): few rows among years of decided ones.
    index('time_off_requests_pending_idx')
      .on(table.officeId, table.createdAt)
      .where(sql`${table.status} = 'pending'`),
    check('time_off_requests_range_check', sql`${table.endDay} >= ${table.startDay}`),
  ],
);
