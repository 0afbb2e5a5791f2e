import { and, asc, eq, inArray } from 'drizzle-orm';
import type { Db } from '../client.ts';
import { cardRedraws } from '../schema/index.ts';

/** Asks for these cards to be redrawn once the caller's transaction commits; a card already asked for stays one row. */
export async function askCardRedraws(db: Db, officeId: string, cardKeys: readonly string[]): Promise<void> {
  if (cardKeys.length === 0) return;
  await db
    .insert(cardRedraws)
    .values([...new Set(cardKeys)].map((cardKey) => ({ officeId, cardKey })))
    .onConflictDoNothing();
}

/**
 * Takes up to `limit` cards to redraw, oldest ask first, in the caller's transaction: SKIP LOCKED leaves
 * those another process is redrawing to it, and a rollback (a crash mid-redraw) puts them back.
 */
export async function takeCardRedraws(db: Db, officeId: string, limit: number): Promise<string[]> {
  const due = db
    .select({ cardKey: cardRedraws.cardKey })
    .from(cardRedraws)
    .where(eq(cardRedraws.officeId, officeId))
    .orderBy(asc(cardRedraws.askedAt))
    .limit(limit)
    .for('update', { skipLocked: true });
  const taken = await db
    .delete(cardRedraws)
    .where(and(eq(cardRedraws.officeId, officeId), inArray(cardRedraws.cardKey, due)))
    .returning({ cardKey: cardRedraws.cardKey });
  return taken.map((row) => row.cardKey);
}
