import { and, eq } from 'drizzle-orm';
import type { Db } from '../client.ts';
import { messageRefs } from '../schema/index.ts';

export interface MessageRef {
  channel: string;
  messageId: string;
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
