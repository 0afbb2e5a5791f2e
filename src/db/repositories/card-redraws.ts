import { asc, eq, inArray } from 'drizzle-orm';
import type { Db } from '../client.ts';
import { cardRedraws } from '../schema/index.ts';

/**
 * Takes up to `limit` asks, oldest first, in the caller's transaction, and returns the cards they name, each
 * once: SKIP LOCKED leaves those another process is redrawing to it, and a rollback (a crash mid-redraw)
 * puts them back. An ask committed after this statement stays for the next round, which draws the card
 * again from what that ask's change wrote.
 */
export async function takeCardRedraws(db: Db, officeId: string, limit: number): Promise<string[]> {
  const picked = db
    .select({ id: cardRedraws.id })
    .from(cardRedraws)
    .where(eq(cardRedraws.officeId, officeId))
    .orderBy(asc(cardRedraws.id))
    .limit(limit)
    .for('update', { skipLocked: true });
  const taken = await db
    .delete(cardRedraws)
    .where(inArray(cardRedraws.id, picked))
    .returning({ cardKey: cardRedraws.cardKey });
  return [...new Set(taken.map((row) => row.cardKey))];
}
