import { and, asc, eq, getTableColumns, inArray, isNull, lt, lte, or, sql } from 'drizzle-orm';
import type { Db } from '../client.ts';
import { fixedQuery } from '../fixed-query.ts';
import { type OutboxKind, outbox, type StoredMessage } from '../schema/index.ts';
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

/** Which of these cards were ever queued to be sent (a post or a direct message), whatever came of it since. */
export async function listQueuedCardKeys(
  db: Db,
  officeId: string,
  cardKeys: readonly string[],
): Promise<Set<string>> {
  if (cardKeys.length === 0) return new Set();
  const rows = await db
    .selectDistinct({ cardKey: outbox.cardKey })
    .from(outbox)
    .where(
      and(
        eq(outbox.officeId, officeId),
        inArray(outbox.cardKey, [...cardKeys]),
        inArray(outbox.kind, ['post', 'dm']),
      ),
    );
  return new Set(rows.flatMap((row) => row.cardKey ?? []));
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
  const [, claimed] = await Promise.all([
    // The waiting rows are walked in claim order until the batch is full. Believing few rows wait, the
    // planner would rather read every waiting row and sort them (3.3 ms against 0.3 ms with 650 waiting):
    // the outbox churns faster than its statistics follow, and PGlite never gathers them.
    db.execute(sql`set local enable_bitmapscan = off`).execute(),
    // Times as text: a placeholder's value reaches the driver without the column's encoding.
    claimDue(db, {
      now: options.now.toISOString(),
      until: new Date(options.now.getTime() + options.leaseMs).toISOString(),
      limit: options.limit,
    }),
  ]);
  // Every column by name: a rest copy given `cardRef` would make a hidden class per row (`withKeys`).
  return claimed.map((row) => ({
    id: row.id,
    officeId: row.officeId,
    platform: row.platform,
    kind: row.kind,
    target: row.target,
    cardKey: row.cardKey,
    message: row.message as M,
    background: row.background,
    status: row.status,
    attempts: row.attempts,
    nextAttemptAt: row.nextAttemptAt,
    claimedUntil: row.claimedUntil,
    lastError: row.lastError,
    createdAt: row.createdAt,
    sentAt: row.sentAt,
    cardRef:
      row.cardChannel !== null && row.cardMessageId !== null
        ? { channel: row.cardChannel, messageId: row.cardMessageId }
        : undefined,
  }));
}

const claimDue = fixedQuery<
  { now: string; until: string; limit: number },
  (OutboxRow & { cardChannel: string | null; cardMessageId: string | null })[]
>((db) => {
  const due = db
    .select({ id: outbox.id })
    .from(outbox)
    .where(
      and(
        // A constant, not a parameter: a plan made for any value of it could not use outbox_pending_idx.
        sql`${outbox.status} = 'pending'`,
        lte(outbox.nextAttemptAt, sql.placeholder('now')),
        or(isNull(outbox.claimedUntil), lt(outbox.claimedUntil, sql.placeholder('now'))),
        sql`not exists (select 1 from outbox earlier where earlier.office_id = ${outbox.officeId}
          and earlier.card_key = ${outbox.cardKey} and earlier.platform = ${outbox.platform}
          and earlier.id < ${outbox.id} and earlier.status = 'pending')`,
      ),
    )
    .orderBy(asc(outbox.background), asc(outbox.id))
    .limit(sql.placeholder('limit'))
    .for('update', { skipLocked: true });
  // An update is claimed only once its card's post is settled, so where the card landed is known by then.
  // Written out with its own alias: drizzle names columns in RETURNING without their table.
  const landed = (column: 'channel' | 'message_id') =>
    sql<string | null>`(select ${sql.raw(`ref.${column}`)} from message_refs ref
      where ref.office_id = outbox.office_id and ref.card_key = outbox.card_key and ref.platform = outbox.platform)`;
  return db
    .update(outbox)
    .set({ claimedUntil: sql`${sql.placeholder('until')}`, attempts: sql`${outbox.attempts} + 1` })
    .where(inArray(outbox.id, due))
    .returning({
      ...getTableColumns(outbox),
      cardChannel: landed('channel'),
      cardMessageId: landed('message_id'),
    });
});

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

/**
 * The claim a settling process holds on a row: its id and the claim's expiry as last stamped (claimed or
 * renewed). A process whose lease ran out and was taken over holds nothing: its settling changes nothing.
 */
export interface HeldClaim {
  id: number;
  claimedUntil: Date;
}

function isHeld(claim: HeldClaim) {
  return and(
    eq(outbox.id, claim.id),
    eq(outbox.status, 'pending'),
    eq(outbox.claimedUntil, claim.claimedUntil),
  );
}

/**
 * Puts a message back in the queue for another try at `at`; `error` is a code, never message text. False
 * when the claim was no longer held: the row is the business of the process that took it over.
 */
export async function scheduleOutboxRetry(
  db: Db,
  claim: HeldClaim,
  at: Date,
  error: string,
): Promise<boolean> {
  const settled = await db
    .update(outbox)
    .set({ nextAttemptAt: at, claimedUntil: null, lastError: error })
    .where(isHeld(claim))
    .returning({ id: outbox.id });
  return settled.length > 0;
}

/**
 * Gives up on a message (`failed`) or drops one that has nothing left to do (`skipped`); the row is kept.
 * False when the claim was no longer held, as for a retry.
 */
export async function closeOutboxMessage(
  db: Db,
  claim: HeldClaim,
  status: 'failed' | 'skipped',
  error: string,
): Promise<boolean> {
  const settled = await db
    .update(outbox)
    .set({ status, claimedUntil: null, lastError: error })
    .where(isHeld(claim))
    .returning({ id: outbox.id });
  return settled.length > 0;
}

/** Counts messages by status, for health checks, tests and benchmarks. */
export async function countOutboxByStatus(db: Db): Promise<Record<string, number>> {
  const rows = await db
    .select({ status: outbox.status, count: sql<number>`count(*)::int` })
    .from(outbox)
    .groupBy(outbox.status);
  return Object.fromEntries(rows.map((row) => [row.status, Number(row.count)]));
}
