import { jsonb, pgTable, primaryKey, text, timestamp } from 'drizzle-orm/pg-core';

/**
 * Teams conversation references, stored when the bot is installed or spoken to, so it can post proactively:
 * cards to bound channels and direct messages to people (`userId` is set for personal chats).
 */
export const teamsConversations = pgTable(
  'teams_conversations',
  {
    officeId: text('office_id').notNull(),
    conversationId: text('conversation_id').notNull(),
    kind: text('kind').notNull(),
    userId: text('user_id'),
    reference: jsonb('reference').$type<Record<string, unknown>>().notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [primaryKey({ columns: [table.officeId, table.conversationId] })],
);

/** Which platform conversation serves as the approvals, huddle or complaints channel (Teams binds at run time). */
export const channelBindings = pgTable(
  'channel_bindings',
  {
    officeId: text('office_id').notNull(),
    platform: text('platform').notNull(),
    role: text('role').notNull(),
    target: text('target').notNull(),
    boundBy: text('bound_by').notNull(),
    boundAt: timestamp('bound_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [primaryKey({ columns: [table.officeId, table.platform, table.role] })],
);
