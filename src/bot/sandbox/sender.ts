import { eq } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { sandboxMessages } from '../../db/schema/index.ts';
import type { PlatformSender } from '../outbox-deliverer.ts';

/** The sandbox "platform": channels and direct messages are rows the sandbox page reads. */
export function createSandboxSender(db: Db, officeId: string): PlatformSender {
  async function insert(conversation: string, message: Parameters<PlatformSender['post']>[1]) {
    const [row] = await db
      .insert(sandboxMessages)
      .values({ officeId, conversation, message })
      .returning({ id: sandboxMessages.id });
    if (!row) throw new Error('sandbox message not stored');
    return { channel: conversation, messageId: String(row.id) };
  }
  return {
    post: (channel, message) => insert(channel, message),
    sendDirect: (userId, message) => insert(`dm:${userId}`, message),
    async update(ref, message) {
      await db
        .update(sandboxMessages)
        .set({ message, updatedAt: new Date() })
        .where(eq(sandboxMessages.id, Number(ref.messageId)));
    },
  };
}
