import { sql } from 'drizzle-orm';
import { check, pgTable, text, timestamp } from 'drizzle-orm/pg-core';

/** The one value that ties this key to the single row: every writer uses it, so two rows cannot exist. */
export const INSTALLATION_KEY = 'this';

/**
 * This installation's identity: one row holding a random id generated on first use, so that what it
 * publishes (calendar event UIDs) never collides with another installation's.
 */
export const installation = pgTable(
  'installation',
  {
    key: text('key').primaryKey().default(INSTALLATION_KEY),
    installId: text('install_id').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [check('installation_single_row', sql`${table.key} = 'this'`)],
);
