import { sql } from 'drizzle-orm';
import {
  bigserial,
  boolean,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
} from 'drizzle-orm/pg-core';

/**
 * A chat message as it is stored in jsonb, to be rendered later. The message model itself
 * (src/handlers/kernel/message.ts) sits above db, so db names only the JSON shape every message fits:
 * writing a message checks it against this, and a reader that wrote it narrows it back to its own model.
 */
export interface StoredMessage {
  text: string;
  title?: string;
  lines?: string[];
  sections?: { heading: string; lines: string[] }[];
  fields?: { label: string; value: string }[];
  buttons?: { label: string; actionId: string; value: string; style?: 'primary' | 'danger' }[];
  note?: string;
}

/** Platform deliveries already handled; a retried delivery finds its row and gets the first answer back. */
export const deliveries = pgTable(
  'deliveries',
  {
    platform: text('platform').notNull(),
    deliveryId: text('delivery_id').notNull(),
    officeId: text('office_id').notNull(),
    result: jsonb('result').$type<StoredMessage>(),
    receivedAt: timestamp('received_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [primaryKey({ columns: [table.platform, table.deliveryId] })],
);

/** Where a card was posted on each platform, so a later decision can update it in place. */
export const messageRefs = pgTable(
  'message_refs',
  {
    officeId: text('office_id').notNull(),
    cardKey: text('card_key').notNull(),
    platform: text('platform').notNull(),
    channel: text('channel').notNull(),
    messageId: text('message_id').notNull(),
    postedAt: timestamp('posted_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [primaryKey({ columns: [table.officeId, table.cardKey, table.platform] })],
);

export type OutboxKind = 'post' | 'update' | 'dm';
export type OutboxStatus = 'pending' | 'sent' | 'failed' | 'skipped';

/** Messages a state change causes, written in its transaction and sent by the deliverer. */
/** An update not yet tried: the one row per card and platform that a newer update of it replaces. */
export const WAITING_UPDATE = sql`kind = 'update' and status = 'pending' and attempts = 0`;

export const outbox = pgTable(
  'outbox',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    officeId: text('office_id').notNull(),
    platform: text('platform').notNull(),
    kind: text('kind').$type<OutboxKind>().notNull(),
    target: text('target').notNull(),
    cardKey: text('card_key'),
    message: jsonb('message').$type<StoredMessage>().notNull(),
    // A refresh no one waits for (a card redrawn for another request's change): claimed after the
    // messages people wait for, a new card or an answer, which a burst of refreshes would otherwise delay.
    background: boolean('background').notNull().default(false),
    status: text('status').$type<OutboxStatus>().notNull().default('pending'),
    attempts: integer('attempts').notNull().default(0),
    nextAttemptAt: timestamp('next_attempt_at', { withTimezone: true }).notNull().defaultNow(),
    claimedUntil: timestamp('claimed_until', { withTimezone: true }),
    lastError: text('last_error'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    sentAt: timestamp('sent_at', { withTimezone: true }),
  },
  (table) => [
    // The claim takes the oldest due rows, background ones last: it walks the waiting ones alone in that
    // order, never the rows sent.
    index('outbox_pending_idx').on(table.background, table.id).where(sql`${table.status} = 'pending'`),
    index('outbox_card_idx').on(table.officeId, table.cardKey, table.platform, table.id),
    // One waiting update per card and platform: a newer one replaces its message (createOutboxMessages).
    uniqueIndex('outbox_waiting_update_idx')
      .on(table.officeId, table.cardKey, table.platform)
      .where(WAITING_UPDATE),
  ],
);

/**
 * Cards to redraw from the database as it now stands, asked for by the transaction that changed what they
 * show, taken by whichever process redraws first. A card has one waiting ask at a time: a change that finds
 * one holds it (share-locked) instead of writing another (`writeChangeEffects`), and writes its own only
 * when the waiting one is being taken, never waiting for the round that takes it. The redrawer takes a
 * card's asks together and draws it once.
 */
export const cardRedraws = pgTable(
  'card_redraws',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    officeId: text('office_id').notNull(),
    cardKey: text('card_key').notNull(),
    askedAt: timestamp('asked_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    index('card_redraws_office_idx').on(table.officeId, table.id),
    // A round takes every ask for the cards it draws, however far back they were asked.
    index('card_redraws_card_idx').on(table.officeId, table.cardKey),
  ],
);

/** Scheduled runs claimed by exactly one process: the replica whose insert wins does the work. */
export const jobRuns = pgTable(
  'job_runs',
  {
    officeId: text('office_id').notNull(),
    job: text('job').notNull(),
    runKey: text('run_key').notNull(),
    status: text('status').notNull().default('running'),
    claimedAt: timestamp('claimed_at', { withTimezone: true }).notNull().defaultNow(),
    finishedAt: timestamp('finished_at', { withTimezone: true }),
  },
  (table) => [uniqueIndex('job_runs_key_idx').on(table.officeId, table.job, table.runKey)],
);

/** The sandbox web chat's channels and direct messages (the sandbox "platform" delivers here). */
export const sandboxMessages = pgTable(
  'sandbox_messages',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    officeId: text('office_id').notNull(),
    conversation: text('conversation').notNull(),
    message: jsonb('message').$type<StoredMessage>().notNull(),
    postedAt: timestamp('posted_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [index('sandbox_messages_conversation_idx').on(table.officeId, table.conversation, table.id)],
);
