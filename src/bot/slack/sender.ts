import { ErrorCode, type WebAPICallError, WebClient } from '@slack/web-api';
import type { Logger } from 'pino';
import type { Message } from '../../handlers/kernel/message.ts';
import { DeliveryError } from '../delivery-error.ts';
import type { OutboxTag, PlatformSender } from '../outbox-deliverer.ts';
import { createSlackJsonWrites, TRANSIENT_PLATFORM_ERRORS } from './json-writes.ts';
import { replyToSlackMessage } from './render.ts';
import { toSlackLogger } from './slack-logger.ts';

/** The metadata event type that tags every message the outbox posts with its outbox row id. */
export const OUTBOX_EVENT_TYPE = 'frontdesk_outbox';

const HISTORY_PAGE_SIZE = 200;
/** How many pages of history a lookup reads at most; a channel busier than this since the row was queued is rare. */
const HISTORY_MAX_PAGES = 5;

/** Turns a Web API failure into a DeliveryError the outbox knows how to retry. */
export function classifySlackError(error: unknown): DeliveryError {
  const failure = error as WebAPICallError & {
    retryAfter?: number;
    statusCode?: number;
    data?: { error?: string };
  };
  switch (failure.code) {
    case ErrorCode.RateLimitedError:
      return new DeliveryError('ratelimited', true, (failure.retryAfter ?? 1) * 1000);
    case ErrorCode.HTTPError: {
      const status = failure.statusCode ?? 0;
      return new DeliveryError(`http_${status}`, status === 429 || status >= 500);
    }
    case ErrorCode.RequestError:
      return new DeliveryError('network', true);
    case ErrorCode.PlatformError: {
      const code = failure.data?.error ?? 'platform_error';
      return new DeliveryError(code, TRANSIENT_PLATFORM_ERRORS.has(code));
    }
    default:
      return new DeliveryError('unknown', true);
  }
}

/**
 * The outbox's Slack client: no retries of its own (the outbox retries, so a post is never sent twice
 * by two retry loops) and rate limits reported at once instead of pausing the whole queue. Cards go out
 * as JSON (`json-writes.ts`); the rare look-up of an earlier try's post reads through @slack/web-api.
 */
export function createSlackSender(params: {
  token: string;
  apiUrl: string | undefined;
  logger: Logger;
}): PlatformSender {
  const client = new WebClient(params.token, {
    ...(params.apiUrl ? { slackApiUrl: params.apiUrl } : {}),
    retryConfig: { retries: 0 },
    rejectRateLimitedCalls: true,
    allowAbsoluteUrls: false,
    logger: toSlackLogger(params.logger),
    timeout: 10_000,
  });
  const writes = createSlackJsonWrites(params);

  async function call<T>(send: () => Promise<T>): Promise<T> {
    try {
      return await send();
    } catch (error) {
      throw classifySlackError(error);
    }
  }

  async function postMessage(channel: string, message: Message, tag?: OutboxTag) {
    const result = await writes.send('chat.postMessage', {
      channel,
      ...replyToSlackMessage(message),
      unfurl_links: false,
      ...(tag
        ? { metadata: { event_type: OUTBOX_EVENT_TYPE, event_payload: { outbox_id: tag.outboxId } } }
        : {}),
    });
    if (!result.ts || !result.channel) throw new DeliveryError('no_ts', false);
    return { channel: result.channel, messageId: result.ts };
  }

  /** The conversation to search: a channel id as is, a user id's direct messages with the app (U… or W…). */
  async function conversationOf(target: string): Promise<string | undefined> {
    if (!/^[UW]/.test(target)) return target;
    const opened = await call(() => client.conversations.open({ users: target, return_im: true }));
    return opened.channel?.id;
  }

  async function findPosted(target: string, outboxId: number, since: Date) {
    try {
      const channel = await conversationOf(target);
      if (!channel) return undefined;
      let cursor: string | undefined;
      for (let page = 0; page < HISTORY_MAX_PAGES; page += 1) {
        const history = await call(() =>
          client.conversations.history({
            channel,
            oldest: (since.getTime() / 1000).toFixed(6),
            include_all_metadata: true,
            limit: HISTORY_PAGE_SIZE,
            ...(cursor ? { cursor } : {}),
          }),
        );
        const found = history.messages?.find(
          (posted) =>
            posted.metadata?.event_type === OUTBOX_EVENT_TYPE &&
            // The SDK types the payload as an empty object; it holds what we posted.
            Number((posted.metadata.event_payload as { outbox_id?: unknown } | undefined)?.outbox_id) ===
              outboxId,
        );
        if (found?.ts) return { channel, messageId: found.ts };
        cursor = history.response_metadata?.next_cursor;
        if (!history.has_more || !cursor) return undefined;
      }
      return undefined;
    } catch (error) {
      // A lookup Slack will not answer (missing_scope on an app installed before the history scopes,
      // not_in_channel…) means "cannot tell", not "try later": the message is then sent again, as it
      // would have been without the lookup, rather than kept from its channel.
      if (!(error instanceof DeliveryError) || error.retryable) throw error;
      params.logger.warn(
        { code: error.code },
        'could not check whether a message was already posted (the app needs channels:history, groups:history, im:history and im:write); sending it again',
      );
      return undefined;
    }
  }

  return {
    post: postMessage,
    // Posting to a user id lands in the app's direct message with that user.
    sendDirect: postMessage,
    findPosted,
    async update(ref, message) {
      await writes.send('chat.update', {
        channel: ref.channel,
        ts: ref.messageId,
        ...replyToSlackMessage(message),
      });
    },
  };
}
