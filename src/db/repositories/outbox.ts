import { and, asc, eq, getTableColumns, inArray, isNull, lt, lte, or, type SQL, sql } from 'drizzle-orm';
import type { Db } from '../client.ts';
import { type OutboxKind, outbox, type StoredMessage, WAITING_UPDATE } from '../schema/index.ts';
import { writeTogether } from '../write-together.ts';
import type { MessageRef } from './message-refs.ts';

type OutboxRow = typeof outbox.$inferSelect;

/**
 * An outbox row whose message is the caller's own model `M`, which is what the caller queued, and for a
 * row about a card, where that card landed on the row's platform when the row was claimed.
 */
export type OutboxMessage<M extends StoredMessage = StoredMessage> = Omit<OutboxRow, 'message'> & {
  message: M;
  cardRef: MessageRef | undefined;
};

export interface NewOutboxMessage {
  officeId: string;
  platform: string;
  kind: OutboxKind;
  target: string;
  cardKey?: string | undefined;
  message: StoredMessage;
  /** a refresh no one waits for, sent after the messages people wait for (the column's note) */
  background?: boolean | undefined;
}

/** Queues messages in the caller's transaction (the statement is issued at once): they are sent only if it commits. */
export async function createOutboxMessages(db: Db, rows: NewOutboxMessage[]): Promise<void> {
  await writeTogether(db, [queueOutboxStatement(rows)]);
}

/**
 * The statement that queues `rows` (`createOutboxMessages`), to be written alone or with others
 * (`writeTogether`); undefined when there is nothing to queue.
 */
export function queueOutboxStatement(rows: NewOutboxMessage[]): SQL | undefined {
  // An update draws the whole card as it stands, so of the updates of one card on one platform that wait
  // unsent only the last one matters: a burst of changes to a card costs the platform one call. Rows keep
  // their order (an update queued before a DM is sent before it); only rows of other kinds never conflict.
  const updateKey = (row: NewOutboxMessage) =>
    row.kind === 'update' && row.cardKey ? `${row.officeId} ${row.cardKey} ${row.platform}` : undefined;
  const lastOfCard = new Map(rows.map((row, index) => [updateKey(row) ?? index, index]));
  const kept = rows.filter((row, index) => lastOfCard.get(updateKey(row) ?? index) === index);
  if (kept.length === 0) return undefined;
  // All rows as one JSON parameter (both drivers send a string as it is): one statement of one shape
  // however many rows, where drizzle built a many-row insert anew for each round of redraws.
  const rowsJson = JSON.stringify(
    kept.map((row) => ({
      office_id: row.officeId,
      platform: row.platform,
      kind: row.kind,
      target: row.target,
      card_key: row.cardKey ?? null,
      message: row.message,
      background: row.background ?? false,
    })),
  );
  // A change someone waits for (a decision) keeps its place when a background redraw replaces its message.
  return sql`insert into outbox (office_id, platform, kind, target, card_key, message, background)
      select * from jsonb_to_recordset(${rowsJson}::text::jsonb) as queued(office_id text, platform text,
        kind text, target text, card_key text, message jsonb, background boolean)
      on conflict (office_id, card_key, platform) where ${WAITING_UPDATE}
      do update set message = excluded.message, background = outbox.background and excluded.background`;
}

/**
 * Claims due messages for `leaseMs` with FOR UPDATE SKIP LOCKED, so replicas never claim the same row,
 * the oldest first and background ones after all others. Runs in the caller's transaction (a planner
 * setting is made for it).
 * A message waits while an earlier message about the same card is still pending, so an update never
 * overtakes the post it updates. A lease that runs out (a crashed replica) makes the row claimable again.
 * `M` is the message model the caller queues; the stored JSON is returned as it was written, unchecked.
 */
export async function claimDueOutboxMessages<M extends StoredMessage = StoredMessage>(
  db: Db,
  options: { now: Date; limit: number; leaseMs: number },
): Promise<OutboxMessage<M>[]> {
  const due = db
    .select({ id: outbox.id })
    .from(outbox)
    .where(
      and(
        // A constant, not a parameter: a plan made for any value of it could not use outbox_pending_idx.
        sql`${outbox.status} = 'pending'`,
        lte(outbox.nextAttemptAt, options.now),
        or(isNull(outbox.claimedUntil), lt(outbox.claimedUntil, options.now)),
        sql`not exists (select 1 from outbox earlier where earlier.office_id = ${outbox.officeId}
          and earlier.card_key = ${outbox.cardKey} and earlier.platform = ${outbox.platform}
          and earlier.id < ${outbox.id} and earlier.status = 'pending')`,
      ),
    )
    .orderBy(asc(outbox.background), asc(outbox.id))
    .limit(options.limit)
    .for('update', { skipLocked: true });
  // An update is claimed only once its card's post is settled, so where the card landed is known by then.
  // Written out with its own alias: drizzle names columns in RETURNING without their table.
  const landed = (column: 'channel' | 'message_id') =>
    sql<string | null>`(select ${sql.raw(`ref.${column}`)} from message_refs ref
      where ref.office_id = outbox.office_id and ref.card_key = outbox.card_key and ref.platform = outbox.platform)`;
  const [, claimed] = await Promise.all([
    // The waiting rows are walked in claim order until the batch is full. Believing few rows wait, the
    // planner would rather read every waiting row and sort them (3.3 ms against 0.3 ms with 650 waiting):
    // the outbox churns faster than its statistics follow, and PGlite never gathers them.
    db.execute(sql`set local enable_bitmapscan = off`).execute(),
    db
      .update(outbox)
      .set({
        claimedUntil: new Date(options.now.getTime() + options.leaseMs),
        attempts: sql`${outbox.attempts} + 1`,
      })
      .where(inArray(outbox.id, due))
      .returning({
        ...getTableColumns(outbox),
        cardChannel: landed('channel'),
        cardMessageId: landed('message_id'),
      })
      .execute(),
  ]);
  return claimed.map(({ cardChannel, cardMessageId, ...row }) => ({
    ...row,
    message: row.message as M,
    cardRef:
      cardChannel !== null && cardMessageId !== null
        ? { channel: cardChannel, messageId: cardMessageId }
        : undefined,
  }));
}

/** A message the platform took, and for a card's post, where it landed. */
export interface SentMessage {
  id: number;
  at: Date;
  ref?: MessageRef | undefined;
}

/**
 * Marks messages delivered and, for a card's post, remembers where it landed, in one statement: a crash
 * never leaves a card marked without its place, and an update claimed next always finds it. A claim never
 * holds two posts of one card on one platform, so no two rows here land on the same card.
 */
export async function markOutboxSent(db: Db, sent: readonly SentMessage[]): Promise<void> {
  if (sent.length === 0) return;
  // One JSON parameter for all rows: both drivers send a string as it is, whatever the rows hold.
  const rows = JSON.stringify(
    sent.map((message) => ({
      id: message.id,
      at: message.at.toISOString(),
      channel: message.ref?.channel ?? null,
      message_id: message.ref?.messageId ?? null,
    })),
  );
  await db.execute(sql`with sent as (
      select * from jsonb_to_recordset(${rows}::text::jsonb)
        as sent(id bigint, at timestamptz, channel text, message_id text)
    ), marked as (
      update outbox set status = 'sent', sent_at = sent.at, claimed_until = null, last_error = null
      -- The ids as an array as well: matched through the primary key, never by scanning every row sent.
      from sent where outbox.id = any(array(select id from sent)) and outbox.id = sent.id
      returning outbox.office_id, outbox.card_key, outbox.platform, sent.channel, sent.message_id, sent.at
    )
    insert into message_refs (office_id, card_key, platform, channel, message_id, posted_at)
    select office_id, card_key, platform, channel, message_id, at
    from marked where card_key is not null and channel is not null
    on conflict (office_id, card_key, platform) do update
    set channel = excluded.channel, message_id = excluded.message_id, posted_at = excluded.posted_at`);
}

/**
 * Extends the lease on rows this process still holds, so that a live sender keeps them and a dead one's
 * expire within one short lease. The claim's own expiry time identifies it: a row another process has
 * claimed since (or one already settled) is left alone. Returns how many rows were renewed.
 */
export async function renewOutboxClaims(
  db: Db,
  claim: { ids: readonly number[]; claimedUntil: Date; until: Date },
): Promise<number> {
  if (claim.ids.length === 0) return 0;
  const renewed = await db
    .update(outbox)
    .set({ claimedUntil: claim.until })
    .where(
      and(
        inArray(outbox.id, [...claim.ids]),
        eq(outbox.status, 'pending'),
        eq(outbox.claimedUntil, claim.claimedUntil),
      ),
    )
    .returning({ id: outbox.id });
  return renewed.length;
}

/** Puts a message back in the queue for another try at `at`; `error` is a code, never message text. */
export async function scheduleOutboxRetry(db: Db, id: number, at: Date, error: string): Promise<void> {
  await db
    .update(outbox)
    .set({ nextAttemptAt: at, claimedUntil: null, lastError: error })
    .where(eq(outbox.id, id));
}

/** Gives up on a message (`failed`) or drops one that has nothing left to do (`skipped`); the row is kept. */
export async function closeOutboxMessage(
  db: Db,
  id: number,
  status: 'failed' | 'skipped',
  error: string,
): Promise<void> {
  await db.update(outbox).set({ status, claimedUntil: null, lastError: error }).where(eq(outbox.id, id));
}

/** Counts messages by status, for health checks, tests and benchmarks. */
export async function countOutboxByStatus(db: Db): Promise<Record<string, number>> {
  const rows = await db
    .select({ status: outbox.status, count: sql<number>`count(*)::int` })
    .from(outbox)
    .groupBy(outbox.status);
  return Object.fromEntries(rows.map((row) => [row.status, Number(row.count)]));
}
