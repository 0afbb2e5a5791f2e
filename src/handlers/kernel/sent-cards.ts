import type { Db } from '../../db/client.ts';
import { listQueuedCardKeys } from '../../db/repositories/outbox.ts';
import type { Effect, Message, Recipient } from './message.ts';

/** A personal card a person may have been sent, by its key. */
export interface PersonalCard {
  to: Recipient;
  cardKey: string;
}

/**
 * Updates drawing `message` on those of `cards` that were sent: callers list everyone who may have been
 * sent one, since who was asked can change after the sending (a call-out, a refined complaint).
 */
export async function redrawSentCards(
  ctx: { db: Db; officeId: string },
  cards: readonly PersonalCard[],
  message: Message,
): Promise<Effect[]> {
  const sent = await listQueuedCardKeys(
    ctx.db,
    ctx.officeId,
    cards.map(({ cardKey }) => cardKey),
  );
  return cards
    .filter(({ cardKey }) => sent.has(cardKey))
    .map(({ to, cardKey }): Effect => ({ kind: 'update', cardKey, message, platform: to.platform }));
}
