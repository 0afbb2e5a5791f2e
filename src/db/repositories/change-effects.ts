import { sql } from 'drizzle-orm';
import type { Db } from '../client.ts';
import { fixedQuery } from '../fixed-query.ts';
import { type StoredMessage, WAITING_UPDATE } from '../schema/index.ts';
import type { DeliveryKey } from './deliveries.ts';
import type { NewOutboxMessage } from './outbox.ts';

/** What a change leaves to be done once it commits, and the delivery it answered. */
export interface ChangeEffects {
  officeId: string;
  /** messages to send (`createOutboxMessages`) */
  rows: readonly NewOutboxMessage[];
  /** cards to redraw (`takeCardRedraws`) */
  redraws: readonly string[];
  /**
   * The platform's delivery id with the answer it was given. A retried delivery fails on the first one's
   * key (a unique violation), and the caller's transaction with it: the caller then gives the first answer
   * (`findDeliveryReply`). A concurrent duplicate waits on the key until the first transaction ends, so of
   * two at once exactly one commits.
   */
  claim?: { key: DeliveryKey; reply: StoredMessage | null } | undefined;
}

/**
 * Writes a change's outbox rows, redraw asks and delivery claim in the caller's transaction, as one
 * statement issued at once, so a COMMIT sent next goes out behind it. A failure of any part (a delivery
 * claimed twice) fails the whole, as it fails the transaction; with nothing to write, nothing is sent.
 *
 * It is one statement of one shape whatever the change: the rows and the cards are JSON parameters (both
 * drivers send a string as it is), the claim is written only when there is one, and the SQL is built once.
 * On PGlite every statement costs a pass through its protocol on the app's own thread (three as one took
 * 6 % off a filing's CPU); building the statement anew for each change took 1.5 % of it on PostgreSQL.
 */
export async function writeChangeEffects(db: Db, effects: ChangeEffects): Promise<void> {
  const rows = keepLastUpdateOfEachCard(effects.rows);
  if (rows.length === 0 && effects.redraws.length === 0 && !effects.claim) return;
  await insertChangeEffects(db, {
    officeId: effects.officeId,
    rows: JSON.stringify(
      rows.map((row) => ({
        office_id: row.officeId,
        platform: row.platform,
        kind: row.kind,
        target: row.target,
        card_key: row.cardKey ?? null,
        message: row.message,
        background: row.background ?? false,
      })),
    ),
    cards: JSON.stringify([...new Set(effects.redraws)]),
    platform: effects.claim?.key.platform ?? null,
    deliveryId: effects.claim?.key.deliveryId ?? null,
    reply: effects.claim?.reply ? JSON.stringify(effects.claim.reply) : null,
  });
}

/** Queues messages in the caller's transaction (the statement is issued at once): they are sent only if it commits. */
export async function createOutboxMessages(db: Db, rows: NewOutboxMessage[]): Promise<void> {
  const officeId = rows[0]?.officeId;
  if (officeId) await writeChangeEffects(db, { officeId, rows, redraws: [] });
}

/**
 * An update draws the whole card as it stands, so of the updates of one card on one platform that wait
 * unsent only the last one matters: a burst of changes to a card costs the platform one call. Rows keep
 * their order (an update queued before a DM is sent before it); only rows of other kinds never conflict.
 */
function keepLastUpdateOfEachCard(rows: readonly NewOutboxMessage[]): readonly NewOutboxMessage[] {
  const updateKey = (row: NewOutboxMessage) =>
    row.kind === 'update' && row.cardKey ? `${row.officeId} ${row.cardKey} ${row.platform}` : undefined;
  const lastOfCard = new Map(rows.map((row, index) => [updateKey(row) ?? index, index]));
  return rows.filter((row, index) => lastOfCard.get(updateKey(row) ?? index) === index);
}

const insertChangeEffects = fixedQuery<
  {
    officeId: string;
    /** JSON array of outbox rows, in the columns' names */
    rows: string;
    /** JSON array of card keys */
    cards: string;
    platform: string | null;
    deliveryId: string | null;
    /** JSON text of the answer, or null */
    reply: string | null;
  },
  unknown
>((db) => {
  // A change someone waits for (a decision) keeps its place when a background redraw replaces its message.
  const queued = db.$with('queued', {}).as(
    sql`insert into outbox (office_id, platform, kind, target, card_key, message, background)
      select * from jsonb_to_recordset(${sql.placeholder('rows')}::text::jsonb) as queued(office_id text,
        platform text, kind text, target text, card_key text, message jsonb, background boolean)
      on conflict (office_id, card_key, platform) where ${WAITING_UPDATE}
      do update set message = excluded.message, background = outbox.background and excluded.background`,
  );
  // A card whose ask still waits is not asked again: the waiting ask is share-locked until this transaction
  // ends, and a round skips locked asks (`takeCardRedraws`), so the round that takes it reads this change.
  // An ask a round holds is skipped here, never waited for, and a new one is written for the next round.
  const asked = db.$with('asked', {}).as(
    sql`insert into card_redraws (office_id, card_key)
      select ${sql.placeholder('officeId')}::text, card.key
      from jsonb_array_elements_text(${sql.placeholder('cards')}::text::jsonb) as card(key)
      where not exists (select 1 from card_redraws waiting
        where waiting.office_id = ${sql.placeholder('officeId')}::text and waiting.card_key = card.key
        for key share skip locked)`,
  );
  const claimed = db.$with('claimed', {}).as(
    sql`insert into deliveries (platform, delivery_id, office_id, result)
      select ${sql.placeholder('platform')}::text, ${sql.placeholder('deliveryId')}::text,
        ${sql.placeholder('officeId')}::text, ${sql.placeholder('reply')}::text::jsonb
      where ${sql.placeholder('deliveryId')}::text is not null`,
  );
  // Each WITH clause that writes runs once whether or not anything reads it.
  return db.with(queued, asked, claimed).select({ done: sql<number>`1` }).from(sql`(select 1) as done`);
});
