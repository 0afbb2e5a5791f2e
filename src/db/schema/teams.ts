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

/**
 * How to open a 1:1 chat with a Teams user the bot has seen anywhere (a channel too), kept from their latest
 * activity: their Teams id (`29:…`), the bot's id there, and the service and tenant to ask. `userId` is the
 * id frontdesk knows them by (the Entra object id of a staff member).
 */
export const teamsPeople = pgTable(
  'teams_people',
  {
    officeId: text('office_id').notNull(),
    userId: text('user_id').notNull(),
    memberId: text('member_id').notNull(),
    botId: text('bot_id').notNull(),
    channelId: text('channel_id').notNull(),
    serviceUrl: text('service_url').notNull(),
    tenantId: text('tenant_id'),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [primaryKey({ columns: [table.officeId, table.userId] })],
);
