import { and, eq, sql } from 'drizzle-orm';
import type { Db } from '../client.ts';
import { fixedQuery } from '../fixed-query.ts';
import { deliveries, type StoredMessage } from '../schema/index.ts';

/**
 * Records a platform delivery id with the answer it was given, inside the caller's transaction. Returns
 * `{ duplicate: false }` when this is the first delivery, or the answer stored by the first one: the caller
 * then rolls back. A concurrent duplicate waits on the unique key until the first transaction ends, so of
 * two at once exactly one commits. `Reply` is the caller's message model; the stored JSON is returned as it
 * was written, unchecked.
 */
export async function claimDelivery<Reply extends StoredMessage = StoredMessage>(
  db: Db,
  key: { platform: string; deliveryId: string; officeId: string },
  reply: StoredMessage | null,
): Promise<{ duplicate: false } | { duplicate: true; reply: Reply | null }> {
  const inserted = await insertDelivery(db, {
    ...key,
    reply: reply === null ? null : JSON.stringify(reply),
  });
  if (inserted.length > 0) return { duplicate: false };
  return { duplicate: true, reply: (await findDeliveryReply<Reply>(db, key))?.reply ?? null };
}

/** The answer a delivery was given, if it was claimed (`claimDelivery`) by a committed transaction. */
export async function findDeliveryReply<Reply extends StoredMessage = StoredMessage>(
  db: Db,
  key: { platform: string; deliveryId: string },
): Promise<{ reply: Reply | null } | undefined> {
  const [first] = await selectDeliveryResult(db, key);
  return first && { reply: (first.result as Reply | null) ?? null };
}

const insertDelivery = fixedQuery<
  { platform: string; deliveryId: string; officeId: string; reply: string | null },
  { deliveryId: string }[]
>((db) =>
  db
    .insert(deliveries)
    .values({
      platform: sql.placeholder('platform'),
      deliveryId: sql.placeholder('deliveryId'),
      officeId: sql.placeholder('officeId'),
      // As text, read as jsonb by the server: both drivers send a string parameter as it is.
      result: sql`${sql.placeholder('reply')}::text::jsonb`,
    })
    .onConflictDoNothing()
    .returning({ deliveryId: deliveries.deliveryId }),
);

const selectDeliveryResult = fixedQuery<{ platform: string; deliveryId: string }, { result: unknown }[]>(
  (db) =>
    db
      .select({ result: deliveries.result })
      .from(deliveries)
      .where(
        and(
          eq(deliveries.platform, sql.placeholder('platform')),
          eq(deliveries.deliveryId, sql.placeholder('deliveryId')),
        ),
      ),
);
