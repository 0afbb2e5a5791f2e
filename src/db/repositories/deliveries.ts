import { and, eq, sql } from 'drizzle-orm';
import type { Db } from '../client.ts';
import { fixedQuery } from '../fixed-query.ts';
import { deliveries, type StoredMessage } from '../schema/index.ts';

/**
 * Records a platform delivery id with the answer it was given, inside the caller's transaction; the
 * statement is issued at once. A retried delivery fails on the first one's key (a unique violation), and
 * the caller's transaction with it: the caller then gives the first answer (`findDeliveryReply`). A
 * concurrent duplicate waits on the key until the first transaction ends, so of two at once exactly one
 * commits.
 */
export async function claimDelivery(
  db: Db,
  key: { platform: string; deliveryId: string; officeId: string },
  reply: StoredMessage | null,
): Promise<void> {
  await insertDelivery(db, { ...key, reply: reply === null ? null : JSON.stringify(reply) });
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
  unknown
>((db) =>
  db.insert(deliveries).values({
    platform: sql.placeholder('platform'),
    deliveryId: sql.placeholder('deliveryId'),
    officeId: sql.placeholder('officeId'),
    // As text, read as jsonb by the server: both drivers send a string parameter as it is.
    result: sql`${sql.placeholder('reply')}::text::jsonb`,
  }),
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
