import { sql } from 'drizzle-orm';
import {
  bigint,
  bigserial,
  date,
  index,
  integer,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
} from 'drizzle-orm/pg-core';
import type { CallOutKind, CallOutStatus, CoverState } from '../../domain/call-outs.ts';
import type { PlatformName } from '../../domain/people.ts';

/**
 * Same-day absences (`/out`), recorded at once; `number` is the human reference (CO-3). The cover columns
 * hold the one volunteer: `cover_state` moves asking → offered → confirmed by conditional updates only,
 * so of two volunteers pressing at once exactly one becomes the cover.
 */
export const callOuts = pgTable(
  'call_outs',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    officeId: text('office_id').notNull(),
    number: integer('number').notNull().default(sql`nextval('call_out_ref_seq')`),
    personKey: text('person_key').notNull(),
    personName: text('person_name').notNull(),
    personRole: text('person_role'),
    personPlatform: text('person_platform').$type<PlatformName>().notNull(),
    personUserId: text('person_user_id').notNull(),
    day: date('day').notNull(),
    kind: text('kind').$type<CallOutKind>().notNull(),
    /** `HH:mm`: away from this time (leaving early); null from opening */
    fromTime: text('from_time'),
    /** `HH:mm`: away until this time (in late); null until closing */
    untilTime: text('until_time'),
    reason: text('reason').notNull().default(''),
    recordedByKey: text('recorded_by_key').notNull(),
    recordedByName: text('recorded_by_name').notNull(),
    status: text('status').$type<CallOutStatus>().notNull().default('active'),
    cancelledByName: text('cancelled_by_name'),
    cancelledAt: timestamp('cancelled_at', { withTimezone: true }),
    coverState: text('cover_state').$type<CoverState>().notNull().default('not_needed'),
    /** the round of asking: "Ask again" starts the next, and each round escalates at most once */
    askRound: integer('ask_round').notNull().default(0),
    askedAt: timestamp('asked_at', { withTimezone: true }),
    /** the last round the managers were told had no cover */
    escalatedRound: integer('escalated_round').notNull().default(0),
    coverKey: text('cover_key'),
    coverName: text('cover_name'),
    coverRole: text('cover_role'),
    coverOfferedAt: timestamp('cover_offered_at', { withTimezone: true }),
    coverConfirmedByName: text('cover_confirmed_by_name'),
    coverConfirmedAt: timestamp('cover_confirmed_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    uniqueIndex('call_outs_number_idx').on(table.officeId, table.number),
    index('call_outs_day_idx').on(table.officeId, table.day, table.status),
  ],
);

/**
 * How one person asked to cover answered: not yet, no, or yes (the first yes is the cover); `withdrawn` when
 * they turned out to be away then themselves (they called out), so their ask or their yes no longer stands.
 */
export type CoverAnswer = 'asked' | 'declined' | 'volunteered' | 'withdrawn';

/** Everyone asked to cover a call-out, with their answer; asked at most once per person and call-out. */
export const coverAsks = pgTable(
  'cover_asks',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    callOutId: bigint('call_out_id', { mode: 'number' })
      .notNull()
      .references(() => callOuts.id),
    personKey: text('person_key').notNull(),
    personName: text('person_name').notNull(),
    answer: text('answer').$type<CoverAnswer>().notNull().default('asked'),
    askedAt: timestamp('asked_at', { withTimezone: true }).notNull(),
    answeredAt: timestamp('answered_at', { withTimezone: true }),
  },
  (table) => [uniqueIndex('cover_asks_person_idx').on(table.callOutId, table.personKey)],
);
