import { and, eq, type SQL, sql } from 'drizzle-orm';
import type { Db } from '../client.ts';
import { fixedQuery } from '../fixed-query.ts';
import { deliveries, type StoredMessage } from '../schema/index.ts';

/** Which delivery of which platform, for which office. */
export interface DeliveryKey {
  platform: string;
  deliveryId: string;
  officeId: string;
}

/**
 * The statement that records a platform delivery id with the answer it was given, in the caller's
 * transaction (written with `writeTogether`). A retried delivery fails on the first one's key (a unique
 * violation), and the caller's transaction with it: the caller then gives the first answer
 * (`findDeliveryReply`). A concurrent duplicate waits on the key until the first transaction ends, so of
 * two at once exactly one commits.
 */
export function claimDeliveryStatement(key: DeliveryKey, reply: StoredMessage | null): SQL {
  // The answer as text, read as jsonb by the server: both drivers send a string parameter as it is.
  return sql`insert into deliveries (platform, delivery_id, office_id, result)
    values (${key.platform}, ${key.deliveryId}, ${key.officeId},
      ${reply === null ? null : JSON.stringify(reply)}::text::jsonb)`;
}

/** The answer a delivery was given, if it was claimed (`claimDeliveryStatement`) by a committed transaction. */
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
