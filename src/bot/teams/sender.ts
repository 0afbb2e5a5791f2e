import type { TeamsAdapter } from '@microsoft/teams-ai';
import { CardFactory, type ConversationReference, type TurnContext } from 'botbuilder';
import type { Db } from '../../db/client.ts';
import type { MessageRef } from '../../db/repositories/message-refs.ts';
import {
  getPersonalTeamsConversation,
  getTeamsConversation,
} from '../../db/repositories/teams-conversations.ts';
import { getTeamsAddress } from '../../db/repositories/teams-people.ts';
import type { Message } from '../../handlers/kernel/message.ts';
import { DeliveryError } from '../delivery-error.ts';
import type { PlatformSender } from '../outbox-deliverer.ts';
import { openPersonalChat, runProactiveTurn } from './proactive.ts';
import { escapeTeamsMarkdown, replyToAdaptiveCard } from './render.ts';

// Teams answers these when it is busy or briefly unavailable (PLATFORM.md); others will not clear up.
const RETRYABLE_STATUS = new Set([408, 412, 429, 500, 502, 503, 504]);

/** Turns a Bot Framework connector failure into a DeliveryError the outbox knows how to retry. */
export function classifyTeamsError(error: unknown): DeliveryError {
  const failure = error as {
    statusCode?: number;
    code?: string;
    response?: { headers?: { get?: (name: string) => string | undefined } };
  };
  const status = failure.statusCode;
  if (status === undefined) return new DeliveryError(failure.code ?? 'network', true);
  const retryAfter = Number(failure.response?.headers?.get?.('retry-after'));
  return new DeliveryError(
    `http_${status}`,
    RETRYABLE_STATUS.has(status),
    Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter * 1000 : undefined,
  );
}

/**
 * A message as the activity Teams shows: the card, with the summary as notification text. Teams reads that
 * text as markdown, so it is escaped like the card: typed text cannot become a link there either.
 */
export function toTeamsActivity(message: Message) {
  return {
    type: 'message',
    text: escapeTeamsMarkdown(message.text),
    attachments: [CardFactory.adaptiveCard(replyToAdaptiveCard(message))],
  };
}

type TurnLogic = (context: TurnContext) => Promise<void>;

/** Sends a message in a turn; the activity id Teams gave it, to update it later. */
async function sendMessage(context: TurnContext, message: Message): Promise<string> {
  const sent = await context.sendActivity(toTeamsActivity(message));
  if (!sent?.id) throw new DeliveryError('no_activity_id', false);
  return sent.id;
}

/**
 * Sends outbox messages to Teams proactively, through conversation references stored when the bot was
 * installed or spoken to. A person with no 1:1 chat stored gets one opened at the address the bot saw them
 * at, in a channel too. A channel or person the bot has never seen cannot be reached: that is final.
 */
export function createTeamsSender(params: {
  adapter: TeamsAdapter;
  appId: string;
  db: Db;
  officeId: string;
}): PlatformSender {
  const { adapter, appId, db, officeId } = params;

  async function withConversation(reference: Record<string, unknown>, logic: TurnLogic): Promise<void> {
    try {
      await runProactiveTurn(
        (turn) => adapter.continueConversationAsync(appId, reference as Partial<ConversationReference>, turn),
        logic,
      );
    } catch (error) {
      throw error instanceof DeliveryError ? error : classifyTeamsError(error);
    }
  }

  async function send(
    reference: Record<string, unknown>,
    conversationId: string,
    message: Message,
  ): Promise<MessageRef> {
    let messageId = '';
    await withConversation(reference, async (context) => {
      messageId = await sendMessage(context, message);
    });
    return { channel: conversationId, messageId };
  }

  /** Opens a 1:1 chat with someone the bot has seen only elsewhere, such as in a channel, and sends there. */
  async function sendToNewChat(userId: string, message: Message): Promise<MessageRef> {
    const address = await getTeamsAddress(db, officeId, userId);
    if (!address) throw new DeliveryError('no_personal_chat', false);
    let ref: MessageRef | undefined;
    try {
      await openPersonalChat({
        adapter,
        appId,
        db,
        officeId,
        userId,
        address,
        logic: async (chat) => {
          ref = { channel: chat.activity.conversation.id, messageId: await sendMessage(chat, message) };
        },
      });
    } catch (error) {
      throw error instanceof DeliveryError ? error : classifyTeamsError(error);
    }
    if (!ref) throw new DeliveryError('no_activity_id', false);
    return ref;
  }

  return {
    async post(conversationId, message) {
      const conversation = await getTeamsConversation(db, officeId, conversationId);
      if (!conversation) throw new DeliveryError('conversation_unknown', false);
      return send(conversation.reference, conversationId, message);
    },
    async sendDirect(userId, message) {
      const [conversation, address] = await Promise.all([
        getPersonalTeamsConversation(db, officeId, userId),
        getTeamsAddress(db, officeId, userId),
      ]);
      if (!conversation) return sendToNewChat(userId, message);
      // The address is refreshed by every activity of theirs, the chat's only by one in that chat: Teams may
      // have moved them to another service address since, and the old one may no longer answer.
      const reference = address
        ? { ...conversation.reference, serviceUrl: address.serviceUrl }
        : conversation.reference;
      return send(reference, conversation.conversationId, message);
    },
    async update(ref, message) {
      const conversation = await getTeamsConversation(db, officeId, ref.channel);
      if (!conversation) throw new DeliveryError('conversation_unknown', false);
      await withConversation(conversation.reference, async (context) => {
        await context.updateActivity({ ...toTeamsActivity(message), id: ref.messageId });
      });
    },
  };
}
