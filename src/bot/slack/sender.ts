import { ErrorCode, type WebAPICallError, WebClient } from '@slack/web-api';
import type { Logger } from 'pino';
import type { Message } from '../../handlers/reply.ts';
import { DeliveryError } from '../delivery-error.ts';
import type { PlatformSender } from '../outbox-deliverer.ts';
import { replyToSlackMessage } from './render.ts';
import { toSlackLogger } from './slack-logger.ts';

// Slack errors that clear up on their own; anything else (channel_not_found, not_in_channel…) will not.
const TRANSIENT_PLATFORM_ERRORS = new Set([
  'ratelimited',
  'internal_error',
  'fatal_error',
  'service_unavailable',
  'request_timeout',
]);

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
 * by two retry loops) and rate limits reported at once instead of pausing the whole queue.
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

  async function call<T>(send: () => Promise<T>): Promise<T> {
    try {
      return await send();
    } catch (error) {
      throw classifySlackError(error);
    }
  }

  async function postMessage(channel: string, message: Message) {
    const result = await call(() =>
      client.chat.postMessage({
        channel,
        ...replyToSlackMessage(message),
        unfurl_links: false,
      }),
    );
    if (!result.ts || !result.channel) throw new DeliveryError('no_ts', false);
    return { channel: result.channel, messageId: result.ts };
  }

  return {
    post: postMessage,
    // Posting to a user id lands in the app's direct message with that user.
    sendDirect: postMessage,
    async update(ref, message) {
      await call(() =>
        client.chat.update({
          channel: ref.channel,
          ts: ref.messageId,
          ...replyToSlackMessage(message),
        }),
      );
    },
  };
}
