import { and, asc, eq, inArray, or } from 'drizzle-orm';
import type { Db } from '../client.ts';
import { cardRedraws } from '../schema/index.ts';

/**
 * Takes the cards of the oldest asks, at most `limit` cards, in the caller's transaction, with every ask
 * for them, and returns each card once: a card asked again while a round held its ask is drawn once, and
 * its later asks are not left to draw it again. SKIP LOCKED leaves the asks another process is redrawing
 * to it, and those a change still in progress holds (it found them waiting and wrote none of its own) to a
 * round after that change; a rollback (a crash mid-redraw) puts them back. The asks are taken before the
 * cards are read, so every ask taken is for a change the drawing sees; one committed after this statement
 * stays for the next round.
 */
export async function takeCardRedraws(db: Db, officeId: string, limit: number): Promise<string[]> {
  const ofOffice = eq(cardRedraws.officeId, officeId);
  const oldest = db
    .$with('oldest')
    .as(
      db
        .select({ id: cardRedraws.id, cardKey: cardRedraws.cardKey })
        .from(cardRedraws)
        .where(ofOffice)
        .orderBy(asc(cardRedraws.id))
        .limit(limit)
        .for('update', { skipLocked: true }),
    );
  const sameCards = db.$with('same_cards').as(
    db
      .select({ id: cardRedraws.id })
      .from(cardRedraws)
      .where(and(ofOffice, inArray(cardRedraws.cardKey, db.select({ cardKey: oldest.cardKey }).from(oldest))))
      .for('update', { skipLocked: true }),
  );
  const taken = await db
    .with(oldest, sameCards)
    .delete(cardRedraws)
    .where(
      or(
        inArray(cardRedraws.id, db.select({ id: oldest.id }).from(oldest)),
        inArray(cardRedraws.id, db.select({ id: sameCards.id }).from(sameCards)),
      ),
    )
    .returning({ id: cardRedraws.id, cardKey: cardRedraws.cardKey });
  return [...new Set(taken.sort((a, b) => a.id - b.id).map((row) => row.cardKey))];
}
