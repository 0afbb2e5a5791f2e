import {
  bigserial,
  doublePrecision,
  index,
  integer,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
} from 'drizzle-orm/pg-core';

/** A manager's correction to one person's bank for one year (`/timeoff adjust`), kept with its reason. */
export const leaveAdjustments = pgTable(
  'leave_adjustments',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    officeId: text('office_id').notNull(),
    personKey: text('person_key').notNull(),
    personName: text('person_name').notNull(),
    bank: text('bank').notNull(),
    year: integer('year').notNull(),
    days: doublePrecision('days').notNull(),
    reason: text('reason').notNull(),
    byKey: text('by_key').notNull(),
    byName: text('by_name').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
  },
  (table) => [index('leave_adjustments_person_idx').on(table.officeId, table.personKey, table.year)],
);

/**
 * What the year-end run moved into `year` from the year before, per person and bank, and what lapsed:
 * written once (the unique index), so a second run or a second process changes nothing.
 */
export const leaveCarryOvers = pgTable(
  'leave_carry_overs',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    officeId: text('office_id').notNull(),
    personKey: text('person_key').notNull(),
    bank: text('bank').notNull(),
    year: integer('year').notNull(),
    carriedDays: doublePrecision('carried_days').notNull(),
    forfeitedDays: doublePrecision('forfeited_days').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
  },
  (table) => [
    uniqueIndex('leave_carry_overs_idx').on(table.officeId, table.personKey, table.bank, table.year),
  ],
);
