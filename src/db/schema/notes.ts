import { sql } from 'drizzle-orm';
import { bigserial, date, index, integer, pgTable, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';

/**
 * A person's private follow-ups (`/note`, FU-3): only the writer ever reads one. `writerKey` is the staff key
 * (the same on every platform) or `<platform>:<user id>` for someone not on the staff list; `platform` and
 * `userId` are where a writer not on the staff list is reached.
 */
export const notes = pgTable(
  'notes',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    officeId: text('office_id').notNull(),
    number: integer('number').notNull().default(sql`nextval('note_ref_seq')`),
    writerKey: text('writer_key').notNull(),
    platform: text('platform').notNull(),
    userId: text('user_id').notNull(),
    text: text('text').notNull(),
    /** the chat message it came from (a Slack permalink), when filed from a message */
    link: text('link'),
    due: date('due'),
    /** `open` or `done` */
    status: text('status').notNull().default('open'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    doneAt: timestamp('done_at', { withTimezone: true }),
  },
  (table) => [
    uniqueIndex('notes_number_idx').on(table.officeId, table.number),
    index('notes_writer_idx').on(table.officeId, table.writerKey, table.status),
    index('notes_due_idx').on(table.officeId, table.status, table.due),
  ],
);
