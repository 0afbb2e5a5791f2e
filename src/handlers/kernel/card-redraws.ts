import type { DateTime } from 'luxon';
import { transactionPlannedForValues } from '../../db/client.ts';
import { takeCardRedraws } from '../../db/repositories/card-redraws.ts';
import { type DispatchDeps, queueEffects } from './dispatch.ts';
import type { CardRedrawer, Feature } from './feature.ts';

/**
 * Cards drawn per round at most, and so per second (`pacedRedraws` in src/bot/paced-redraws.ts runs a
 * round at most every second). Each filing asks to redraw every other pending card of its days, so under
 * a burst, drawing each card as asked cost more than the filings themselves. A refresh is a background
 * update Slack would not take faster anyway (chat.update is a Tier 3 method, some 50 a minute): the cards
 * asked most long ago go first, each once for all its asks, and a practice's handful of cards for a change
 * are all drawn in the first round.
 */
export const CARDS_PER_ROUND = 20;

/**
 * Redraws the cards changes asked for (`redraw` effects), up to one round’s worth, in one transaction: each
 * card is drawn once from the database as it now stands by the feature that owns its prefix, and its
 * updates are queued in the outbox, in the background, as the asks are taken, so a crash leaves the asks to
 * the next round. Returns how many cards it took.
 */
export async function redrawAskedCards(
  deps: Pick<DispatchDeps, 'db' | 'office' | 'logger' | 'platforms' | 'routeChannel'>,
  features: readonly Feature[],
  now: DateTime,
): Promise<number> {
  const drawers = new Map<string, CardRedrawer>(
    features.flatMap((feature) => (feature.cards ? [[feature.cards.prefix, feature.cards]] : [])),
  );
  return transactionPlannedForValues(deps.db, async (tx) => {
    const cardKeys = await takeCardRedraws(tx, deps.office.office.id, CARDS_PER_ROUND);
    const ctx = { db: tx, office: deps.office, now, logger: deps.logger };
    const effects = await Promise.all(
      [...drawers].map(([prefix, drawer]) => {
        const theirs = cardKeys.filter((cardKey) => cardKey.split('-')[0] === prefix);
        return theirs.length > 0 ? drawer.redraw(theirs, ctx) : [];
      }),
    );
    // Refreshes of cards already out: a new card or an answer someone waits for goes first.
    await queueEffects(deps, tx, effects.flat(), { background: true });
    return cardKeys.length;
  });
}
