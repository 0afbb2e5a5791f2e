import { and, eq } from 'drizzle-orm';
import type { Db } from '../client.ts';
import { messageRefs } from '../schema/index.ts';

export interface MessageRef {
  channel: string;
  messageId: string;
}

/** Remembers where a card was posted on a platform; a repost of the same card replaces the reference. */
export async function saveMessageRef(
  db: Db,
  key: { officeId: string; cardKey: string; platform: string },
  ref: MessageRef,
): Promise<void> {
  await db
    .insert(messageRefs)
    .values({ ...key, ...ref })
    .onConflictDoUpdate({
      target: [messageRefs.officeId, messageRefs.cardKey, messageRefs.platform],
      set: { channel: ref.channel, messageId: ref.messageId, postedAt: new Date() },
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
