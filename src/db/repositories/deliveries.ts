import { and, eq, type SQL, sql } from 'drizzle-orm';
import type { Db } from '../client.ts';
import { fixedQuery } from '../fixed-query.ts';
import { deliveries, type StoredMessage } from '../schema/index.ts';
import { writeTogether } from '../write-together.ts';

/**
 * Records a platform delivery id with the answer it was given, inside the caller's transaction; the
 * statement is issued at once. A retried delivery fails on the first one's key (a unique violation), and
 * the caller's transaction with it: the caller then gives the first answer (`findDeliveryReply`). A
 * concurrent duplicate waits on the key until the first transaction ends, so of two at once exactly one
 * commits.
 */
export async function claimDelivery(db: Db, key: DeliveryKey, reply: StoredMessage | null): Promise<void> {
  await writeTogether(db, [claimDeliveryStatement(key, reply)]);
}

/** Which delivery of which platform, for which office. */
export interface DeliveryKey {
  platform: string;
  deliveryId: string;
  officeId: string;
}

/** The statement of `claimDelivery`, to be written alone or with others (`writeTogether`). */
export function claimDeliveryStatement(key: DeliveryKey, reply: StoredMessage | null): SQL {
  // The answer as text, read as jsonb by the server: both drivers send a string parameter as it is.
  return sql`insert into deliveries (platform, delivery_id, office_id, result)
    values (${key.platform}, ${key.deliveryId}, ${key.officeId},
      ${reply === null ? null : JSON.stringify(reply)}::text::jsonb)`;
}

/** The answer a delivery was given, if it was claimed (`claimDelivery`) by a committed transaction. */
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
