import { sql } from 'drizzle-orm';
import {
  bigint,
  bigserial,
  boolean,
  check,
  date,
  index,
  integer,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
} from 'drizzle-orm/pg-core';
import type {
  ComplaintAbout,
  ComplaintCategory,
  ComplaintSeverity,
  ComplaintStatus,
} from '../../domain/complaints.ts';
import type { PlatformName } from '../../domain/people.ts';

/**
 * Complaints; `number` is the human reference (CP-3), unique per office. The reporter is always stored,
 * but for an anonymous complaint only for abuse handling: it is never shown. Due days are fixed when filed,
 * so a later config edit does not move a running clock. `description`, `occurred_when`, `desired_outcome`,
 * `callback_name`, `callback_phone` and `resolution` are confidential: shown only to managers, never logged.
 */
export const complaints = pgTable(
  'complaints',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    officeId: text('office_id').notNull(),
    number: integer('number').notNull().default(sql`nextval('complaint_ref_seq')`),
    reporterKey: text('reporter_key').notNull(),
    reporterName: text('reporter_name').notNull(),
    reporterPlatform: text('reporter_platform').$type<PlatformName>().notNull(),
    reporterUserId: text('reporter_user_id').notNull(),
    anonymous: boolean('anonymous').notNull().default(false),
    about: text('about').$type<ComplaintAbout>().notNull(),
    category: text('category').$type<ComplaintCategory>().notNull(),
    severity: text('severity').$type<ComplaintSeverity>().notNull(),
    description: text('description').notNull(),
    occurredWhen: text('occurred_when').notNull().default(''),
    desiredOutcome: text('desired_outcome').notNull().default(''),
    wantsCallback: boolean('wants_callback').notNull().default(false),
    callbackName: text('callback_name').notNull().default(''),
    callbackPhone: text('callback_phone').notNull().default(''),
    status: text('status').$type<ComplaintStatus>().notNull().default('new'),
    ackDueDay: date('ack_due_day').notNull(),
    resolveDueDay: date('resolve_due_day').notNull(),
    ownerKey: text('owner_key'),
    ownerName: text('owner_name'),
    ownerPlatform: text('owner_platform').$type<PlatformName>(),
    ownerUserId: text('owner_user_id'),
    acknowledgedAt: timestamp('acknowledged_at', { withTimezone: true }),
    resolvedByName: text('resolved_by_name'),
    resolvedAt: timestamp('resolved_at', { withTimezone: true }),
    resolution: text('resolution'),
    patientContacted: boolean('patient_contacted'),
    reopenedByName: text('reopened_by_name'),
    reopenedAt: timestamp('reopened_at', { withTimezone: true }),
    reopenCount: integer('reopen_count').notNull().default(0),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    uniqueIndex('complaints_number_idx').on(table.officeId, table.number),
    // Open complaints for /complaint list, the reminders and the digest; filing time for the export.
    index('complaints_status_idx').on(table.officeId, table.status, table.createdAt),
    index('complaints_created_idx').on(table.officeId, table.createdAt),
    check('complaints_description_check', sql`char_length(${table.description}) between 1 and 3000`),
  ],
);

/**
 * Every resolution a complaint was given, one row per resolve, written in the resolve's transaction: the
 * complaint keeps only its latest, this keeps them all for the quality log. `round` is 1 for the first
 * resolve and one more after each reopen, so a round is resolved at most once. `resolution` is confidential
 * like the complaint's text. `resolved_by_key` is null only for a resolution carried over from before this
 * table (migration 0027) whose resolver the audit log did not name; `patient_contacted` likewise.
 */
export const complaintResolutions = pgTable(
  'complaint_resolutions',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    officeId: text('office_id').notNull(),
    complaintId: bigint('complaint_id', { mode: 'number' })
      .notNull()
      .references(() => complaints.id),
    round: integer('round').notNull(),
    resolution: text('resolution').notNull(),
    patientContacted: boolean('patient_contacted'),
    resolvedByKey: text('resolved_by_key'),
    resolvedByName: text('resolved_by_name').notNull(),
    resolvedAt: timestamp('resolved_at', { withTimezone: true }).notNull(),
  },
  (table) => [uniqueIndex('complaint_resolutions_round_idx').on(table.complaintId, table.round)],
);
