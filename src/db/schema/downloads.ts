import { bigserial, boolean, index, pgTable, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import type { PlatformName } from '../../domain/people.ts';

/**
 * Files a person asked for, waiting at `GET /exports/<token>.<ext>` in Teams and the sandbox (Slack gets
 * them uploaded). Only a hash of the token is stored, so the table cannot be read back into working links.
 * A CSV works once (its content is then cleared); a chart picture works until it expires, since a card may
 * be drawn again.
 */
export const downloads = pgTable(
  'downloads',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    officeId: text('office_id').notNull(),
    tokenHash: text('token_hash').notNull(),
    name: text('name').notNull(),
    contentType: text('content_type').notNull(),
    /** the file, base64; cleared once a single-use file is downloaded */
    content: text('content').notNull(),
    once: boolean('once').notNull(),
    actorKey: text('actor_key').notNull(),
    actorName: text('actor_name').notNull(),
    /** where the person asked for the file, as the download's audit entry says; rows made before it: sandbox */
    actorPlatform: text('actor_platform').$type<PlatformName>().notNull().default('sandbox'),
    actorUserId: text('actor_user_id').notNull().default(''),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    downloadedAt: timestamp('downloaded_at', { withTimezone: true }),
  },
  (table) => [
    uniqueIndex('downloads_token_idx').on(table.tokenHash),
    index('downloads_expires_idx').on(table.expiresAt),
  ],
);
