import { and, eq, sql } from 'drizzle-orm';
import type { Db } from '../client.ts';
import { fixedQuery } from '../fixed-query.ts';
import { deliveries, type StoredMessage } from '../schema/index.ts';

/**
 * Claims a platform delivery id inside the caller's transaction. Returns `null` when this is the first
 * delivery, or the answer stored by the first one. A concurrent duplicate waits on the unique key until
 * the first transaction ends, so it never runs alongside it. `Reply` is the message model the caller saves
 * with saveDeliveryReply; the stored JSON is returned as it was written, unchecked.
 */
export async function claimDelivery<Reply extends StoredMessage = StoredMessage>(
  db: Db,
  key: { platform: string; deliveryId: string; officeId: string },
): Promise<{ duplicate: false } | { duplicate: true; reply: Reply | null }> {
  const inserted = await insertDelivery(db, key);
  if (inserted.length > 0) return { duplicate: false };
  const [first] = await selectDeliveryResult(db, key);
  return { duplicate: true, reply: (first?.result as Reply | null | undefined) ?? null };
}

const insertDelivery = fixedQuery<
  { platform: string; deliveryId: string; officeId: string },
  { deliveryId: string }[]
>((db) =>
  db
    .insert(deliveries)
    .values({
      platform: sql.placeholder('platform'),
      deliveryId: sql.placeholder('deliveryId'),
      officeId: sql.placeholder('officeId'),
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

/** Stores the answer given to a delivery so that a retry of it gets the same answer. */
export async function saveDeliveryReply(
  db: Db,
  key: { platform: string; deliveryId: string },
  reply: StoredMessage | null,
): Promise<void> {
  await updateDeliveryResult(db, { ...key, reply: reply === null ? null : JSON.stringify(reply) });
}

const updateDeliveryResult = fixedQuery<
  { platform: string; deliveryId: string; reply: string | null },
  unknown
>((db) =>
  db
    .update(deliveries)
    // As text, read as jsonb by the server: both drivers send a string parameter as it is.
    .set({ result: sql`${sql.placeholder('reply')}::text::jsonb` })
    .where(
      and(
        eq(deliveries.platform, sql.placeholder('platform')),
        eq(deliveries.deliveryId, sql.placeholder('deliveryId')),
      ),
    ),
);
