import { and, desc, eq } from 'drizzle-orm';
import type { Db } from '../client.ts';
import { channelBindings, teamsConversations } from '../schema/index.ts';

/** Remembers (or refreshes) how to reach a Teams conversation later. */
export async function saveTeamsConversation(
  db: Db,
  row: {
    officeId: string;
    conversationId: string;
    kind: string;
    userId: string | null;
    reference: Record<string, unknown>;
  },
): Promise<void> {
  await db
    .insert(teamsConversations)
    .values({ ...row, updatedAt: new Date() })
    .onConflictDoUpdate({
      target: [teamsConversations.officeId, teamsConversations.conversationId],
      set: { kind: row.kind, userId: row.userId, reference: row.reference, updatedAt: new Date() },
    });
}

/** The stored reference of a conversation, if the bot has been there. */
export async function getTeamsConversation(db: Db, officeId: string, conversationId: string) {
  const [row] = await db
    .select()
    .from(teamsConversations)
    .where(
      and(eq(teamsConversations.officeId, officeId), eq(teamsConversations.conversationId, conversationId)),
    );
  return row;
}

/** The most recent personal chat with a user, where direct messages to them go. */
export async function getPersonalTeamsConversation(db: Db, officeId: string, userId: string) {
  const [row] = await db
    .select()
    .from(teamsConversations)
    .where(
      and(
        eq(teamsConversations.officeId, officeId),
        eq(teamsConversations.userId, userId),
        eq(teamsConversations.kind, 'personal'),
      ),
    )
    .orderBy(desc(teamsConversations.updatedAt))
    .limit(1);
  return row;
}

/** Binds a channel role to a platform conversation, replacing an earlier binding. */
export async function saveChannelBinding(
  db: Db,
  binding: { officeId: string; platform: string; role: string; target: string; boundBy: string },
): Promise<void> {
  await db
    .insert(channelBindings)
    .values(binding)
    .onConflictDoUpdate({
      target: [channelBindings.officeId, channelBindings.platform, channelBindings.role],
      set: { target: binding.target, boundBy: binding.boundBy, boundAt: new Date() },
    });
}

/** The conversation bound to a channel role on a platform, if any. */
export async function getChannelBinding(db: Db, officeId: string, platform: string, role: string) {
  const [row] = await db
    .select({ target: channelBindings.target })
    .from(channelBindings)
    .where(
      and(
        eq(channelBindings.officeId, officeId),
        eq(channelBindings.platform, platform),
        eq(channelBindings.role, role),
      ),
    );
  return row?.target;
}
