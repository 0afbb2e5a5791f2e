import { and, eq } from 'drizzle-orm';
import type { Db } from '../client.ts';
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
  const inserted = await db
    .insert(deliveries)
    .values(key)
    .onConflictDoNothing()
    .returning({ deliveryId: deliveries.deliveryId });
  if (inserted.length > 0) return { duplicate: false };
  const [first] = await db
    .select({ result: deliveries.result })
    .from(deliveries)
    .where(and(eq(deliveries.platform, key.platform), eq(deliveries.deliveryId, key.deliveryId)));
  return { duplicate: true, reply: (first?.result as Reply | null | undefined) ?? null };
}

/** Stores the answer given to a delivery so that a retry of it gets the same answer. */
export async function saveDeliveryReply(
  db: Db,
  key: { platform: string; deliveryId: string },
  reply: StoredMessage | null,
): Promise<void> {
  await db
    .update(deliveries)
    .set({ result: reply })
    .where(and(eq(deliveries.platform, key.platform), eq(deliveries.deliveryId, key.deliveryId)));
}
