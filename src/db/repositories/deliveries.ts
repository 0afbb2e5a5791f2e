import { and, eq, sql } from 'drizzle-orm';
import type { Db } from '../client.ts';
import { fixedQuery } from '../fixed-query.ts';
import { deliveries, type StoredMessage } from '../schema/index.ts';

/** Which delivery of which platform, for which office. */
export interface DeliveryKey {
  platform: string;
  deliveryId: string;
  officeId: string;
}

/** The answer a delivery was given, if it was claimed (`writeChangeEffects`) by a committed transaction. */
export async function findDeliveryReply<Reply extends StoredMessage = StoredMessage>(
  db: Db,
  key: { platform: string; deliveryId: string },
): Promise<{ reply: Reply | null } | undefined> {
  const [first] = await selectDeliveryResult(db, key);
  return first && { reply: (first.result as Reply | null) ?? null };
}

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
