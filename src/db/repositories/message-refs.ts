import { and, eq, sql } from 'drizzle-orm';
import type { Db } from '../client.ts';
import { messageRefs } from '../schema/index.ts';

export interface MessageRef {
  channel: string;
  messageId: string;
}

/** Where one card landed on one platform. */
export interface PostedCard {
  key: { officeId: string; cardKey: string; platform: string };
  ref: MessageRef;
}

/** Remembers where cards were posted, in one statement; a repost of the same card replaces its reference. */
export async function saveMessageRefs(db: Db, cards: readonly PostedCard[]): Promise<void> {
  if (cards.length === 0) return;
  await db
    .insert(messageRefs)
    .values(cards.map(({ key, ref }) => ({ ...key, ...ref })))
    .onConflictDoUpdate({
      target: [messageRefs.officeId, messageRefs.cardKey, messageRefs.platform],
      set: { channel: sql`excluded.channel`, messageId: sql`excluded.message_id`, postedAt: new Date() },
    });
}

/** Where a card was posted on a platform, if it was. */
export async function getMessageRef(
  db: Db,
  key: { officeId: string; cardKey: string; platform: string },
): Promise<MessageRef | undefined> {
  const [row] = await db
    .select({ channel: messageRefs.channel, messageId: messageRefs.messageId })
    .from(messageRefs)
    .where(
      and(
        eq(messageRefs.officeId, key.officeId),
        eq(messageRefs.cardKey, key.cardKey),
        eq(messageRefs.platform, key.platform),
      ),
    );
  return row;
}
