import { asc, eq, inArray, type SQL, sql } from 'drizzle-orm';
import type { Db } from '../client.ts';
import { cardRedraws } from '../schema/index.ts';

/**
 * The statement that asks for these cards to be redrawn once the caller's transaction commits (written
 * with `writeTogether`); it never waits for a redraw. Undefined when no card is named.
 */
export function askCardRedrawsStatement(officeId: string, cardKeys: readonly string[]): SQL | undefined {
  if (cardKeys.length === 0) return undefined;
  // The cards as one JSON parameter (both drivers send a string as it is): one statement of one shape
  // however many there are, where drizzle built a many-row insert anew for each filing.
  return sql`insert into card_redraws (office_id, card_key)
    select ${officeId}, jsonb_array_elements_text(${JSON.stringify([...new Set(cardKeys)])}::text::jsonb)`;
}

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
