import { sql } from 'drizzle-orm';
import { bigserial, date, index, integer, pgTable, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';

/**
 * Licences, certifications and practice documents with an expiry (`/creds`); `number` is the human
 * reference (CR-4). A renewal moves `expires` on; the audit log keeps the history. A removed one
 * (`removed_at` set: retired by a manager, such as the lapsed licence of someone who left) is kept for the
 * record and the export, and is nowhere else.
 */
export const credentials = pgTable(
  'credentials',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    officeId: text('office_id').notNull(),
    number: integer('number').notNull().default(sql`nextval('credential_ref_seq')`),
    /** a staff key, or `practice` */
    holderKey: text('holder_key').notNull(),
    holderName: text('holder_name').notNull(),
    /** a configured kind's id; null for a practice item named freely */
    kind: text('kind'),
    name: text('name').notNull(),
    expires: date('expires').notNull(),
    /** the licence or policy number: shown only to managers and the holder */
    credentialNumber: text('credential_number'),
    createdByName: text('created_by_name').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    renewedByName: text('renewed_by_name'),
    renewedAt: timestamp('renewed_at', { withTimezone: true }),
    removedByName: text('removed_by_name'),
    removedAt: timestamp('removed_at', { withTimezone: true }),
  },
  (table) => [
    uniqueIndex('credentials_number_idx').on(table.officeId, table.number),
    index('credentials_expires_idx').on(table.officeId, table.expires),
  ],
);
