import { bigserial, index, jsonb, pgTable, text, timestamp } from 'drizzle-orm/pg-core';

/** One row per state change or sensitive view: who did what to which entity, from which platform, when. */
export const auditLog = pgTable(
  'audit_log',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    officeId: text('office_id').notNull(),
    actor: text('actor').notNull(),
    actorName: text('actor_name').notNull(),
    platform: text('platform').notNull(),
    action: text('action').notNull(),
    entity: text('entity').notNull(),
    detail: jsonb('detail').$type<Record<string, unknown>>().notNull().default({}),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [index('audit_log_entity_idx').on(table.officeId, table.entity, table.at)],
);
