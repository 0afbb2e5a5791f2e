import type { TeamsAdapter } from '@microsoft/teams-ai';
import { type ConversationParameters, TurnContext } from 'botbuilder';
import type { Db } from '../../db/client.ts';
import { saveTeamsConversation } from '../../db/repositories/teams-conversations.ts';
import type { TeamsAddress } from '../../db/repositories/teams-people.ts';

type TurnLogic = (context: TurnContext) => Promise<void>;

/**
 * Runs `logic` in a proactive turn that `start` opens, and rethrows what `logic` threw: the adapter hands
 * errors inside a turn to the application's error handler, which would hide a failed send from the caller.
 */
export async function runProactiveTurn(
  start: (logic: TurnLogic) => Promise<void>,
  logic: TurnLogic,
): Promise<void> {
  let failure: { error: unknown } | undefined;
  await start(async (context) => {
    try {
      await logic(context);
    } catch (error) {
      failure = { error };
    }
  });
  if (failure) throw failure.error;
}

/**
 * Opens the bot's 1:1 chat with a Teams user at `address` (Teams gives back the existing one if there is
 * one), stores it as their personal chat for later direct messages, and runs `logic` in it. Throws what
 * Teams answered when it refuses, such as 403 for a person who cannot get the app.
 */
export async function openPersonalChat(params: {
  adapter: TeamsAdapter;
  appId: string;
  db: Db;
  officeId: string;
  /** the id frontdesk knows the person by, whose personal chat this becomes */
  userId: string;
  address: TeamsAddress;
  /** the token scope to call Teams with; the adapter's default (the public cloud's) when not given */
  audience?: string;
  logic: TurnLogic;
}): Promise<void> {
  const { adapter, appId, db, officeId, userId, address } = params;
  const tenant = address.tenantId ? { tenantId: address.tenantId } : {};
  const parameters: ConversationParameters = {
    isGroup: false,
    bot: { id: address.botId, name: '' },
    members: [{ id: address.memberId, name: '' }],
    ...tenant,
    channelData: address.tenantId ? { tenant: { id: address.tenantId } } : {},
  };
  await runProactiveTurn(
    (turn) =>
      adapter.createConversationAsync(
        appId,
        address.channelId,
        address.serviceUrl,
        // botbuilder types the audience as required, yet falls back to the default scope without one.
        params.audience as string,
        parameters,
        turn,
      ),
    async (chat) => {
      const reference = {
        ...TurnContext.getConversationReference(chat.activity),
        user: { id: address.memberId, name: '' },
        conversation: { ...chat.activity.conversation, conversationType: 'personal' },
      };
      await saveTeamsConversation(db, {
        officeId,
        conversationId: chat.activity.conversation.id,
        kind: 'personal',
        userId,
        reference: reference as unknown as Record<string, unknown>,
      });
      await params.logic(chat);
    },
  );
}
