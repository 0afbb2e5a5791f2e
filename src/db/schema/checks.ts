import { sql } from 'drizzle-orm';
import {
  bigserial,
  boolean,
  date,
  integer,
  jsonb,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
} from 'drizzle-orm/pg-core';
import type { CheckValue } from '../../domain/checks.ts';
import type { PlatformName } from '../../domain/people.ts';

/**
 * One reading of a recurring check (`/checks`) for one of its times on one day; `number` is the human
 * reference (CK-9). The unique slot index makes a check time recorded once, whoever presses first.
 */
export const checkReadings = pgTable(
  'check_readings',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    officeId: text('office_id').notNull(),
    number: integer('number').notNull().default(sql`nextval('check_ref_seq')`),
    /** the check's id in office.yaml (`fridge`) */
    checkId: text('check_id').notNull(),
    /** the check's name when recorded, so the log reads the same after the config changes */
    checkName: text('check_name').notNull(),
    day: date('day').notNull(),
    /** `HH:mm`: which of the check's times this reading is for */
    dueTime: text('due_time').notNull(),
    values: jsonb('values').$type<CheckValue[]>().notNull(),
    outOfRange: boolean('out_of_range').notNull(),
    actionTaken: text('action_taken'),
    recordedByKey: text('recorded_by_key').notNull(),
    recordedByName: text('recorded_by_name').notNull(),
    recordedByPlatform: text('recorded_by_platform').$type<PlatformName>().notNull(),
    recordedAt: timestamp('recorded_at', { withTimezone: true }).notNull(),
    /**
     * Corrections: `values`, `out_of_range` and `action_taken` always hold what the log says now; the
     * reading as first recorded is kept here from the first correction on, and never overwritten after.
     */
    originalValues: jsonb('original_values').$type<CheckValue[]>(),
    originalOutOfRange: boolean('original_out_of_range'),
    originalActionTaken: text('original_action_taken'),
    /** the latest correction: who, when and why (each correction's old and new values are in the audit log) */
    correctedByKey: text('corrected_by_key'),
    correctedByName: text('corrected_by_name'),
    correctedAt: timestamp('corrected_at', { withTimezone: true }),
    correctionReason: text('correction_reason'),
    /** how many times it was corrected: a correction names the revision it read, so a stale form is refused */
    revision: integer('revision').notNull().default(0),
  },
  (table) => [
    uniqueIndex('check_readings_number_idx').on(table.officeId, table.number),
    uniqueIndex('check_readings_slot_idx').on(table.officeId, table.checkId, table.day, table.dueTime),
  ],
);
