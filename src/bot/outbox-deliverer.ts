import type { Logger } from 'pino';
import type { Db } from '../db/client.ts';
import {
  getMessageRef,
  type MessageRef,
  type PostedCard,
  saveMessageRefs,
} from '../db/repositories/message-refs.ts';
import {
  claimDueOutboxMessages,
  closeOutboxMessage,
  markOutboxSent,
  type OutboxMessage,
  scheduleOutboxRetry,
} from '../db/repositories/outbox.ts';
import type { Message, Platform } from '../handlers/reply.ts';
import { DeliveryError } from './delivery-error.ts';

/** Sends rendered messages to one platform; failures are thrown as DeliveryError. */
export interface PlatformSender {
  post(channel: string, message: Message): Promise<MessageRef>;
  update(ref: MessageRef, message: Message): Promise<void>;
  sendDirect(userId: string, message: Message): Promise<MessageRef>;
}

export interface DelivererOptions {
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
  pollMs: number;
  batchSize: number;
  leaseMs: number;
  now: () => Date;
}

const DEFAULTS: DelivererOptions = {
  maxAttempts: 8,
  baseDelayMs: 1_000,
  maxDelayMs: 5 * 60_000,
  pollMs: 1_000,
  batchSize: 25,
  leaseMs: 60_000,
  now: () => new Date(),
};

/** Exponential backoff with full jitter, never sooner than the platform's Retry-After. */
export function computeRetryDelay(attempt: number, options: DelivererOptions, retryAfterMs?: number): number {
  const ceiling = Math.min(options.maxDelayMs, options.baseDelayMs * 2 ** Math.max(0, attempt - 1));
  const jittered = ceiling / 2 + Math.random() * (ceiling / 2);
  return Math.max(jittered, retryAfterMs ?? 0);
}

/**
 * Sends outbox rows until stopped: claims due rows (SKIP LOCKED, so replicas share the work), sends each,
 * marks it sent, and records where a card landed so later updates find it. Retryable failures go back to
 * the queue with backoff; after the last attempt the row is kept as `failed` and logged without its text.
 */
export function createOutboxDeliverer(params: {
  db: Db;
  senders: Partial<Record<Platform, PlatformSender>>;
  logger: Logger;
  options?: Partial<DelivererOptions>;
}) {
  const options = { ...DEFAULTS, ...params.options };
  const { db, senders, logger } = params;
  let running = false;
  let wakeUp: (() => void) | undefined;
  let loop: Promise<void> | undefined;
  let pendingWake = false;

  /** Sends one row; resolves with what to record when it went out, or undefined when it was settled otherwise. */
  async function deliver(row: OutboxMessage): Promise<{ id: number; card?: PostedCard } | undefined> {
    const sender = senders[row.platform as Platform];
    const log = { outboxId: row.id, platform: row.platform, kind: row.kind, attempt: row.attempts };
    if (!sender) {
      await closeOutboxMessage(db, row.id, 'skipped', 'platform_off');
      return undefined;
    }
    try {
      if (row.kind === 'update') {
        const ref = row.cardKey
          ? await getMessageRef(db, { officeId: row.officeId, cardKey: row.cardKey, platform: row.platform })
          : undefined;
        if (!ref) {
          await closeOutboxMessage(db, row.id, 'skipped', 'card_not_posted');
          return undefined;
        }
        await sender.update(ref, row.message);
        return { id: row.id };
      }
      const ref =
        row.kind === 'post'
          ? await sender.post(row.target, row.message)
          : await sender.sendDirect(row.target, row.message);
      if (!row.cardKey) return { id: row.id };
      return {
        id: row.id,
        card: { key: { officeId: row.officeId, cardKey: row.cardKey, platform: row.platform }, ref },
      };
    } catch (error) {
      const failure =
        error instanceof DeliveryError
          ? error
          : new DeliveryError(error instanceof Error ? error.name : 'unknown', false);
      if (failure.retryable && row.attempts < options.maxAttempts) {
        const delay = computeRetryDelay(row.attempts, options, failure.retryAfterMs);
        await scheduleOutboxRetry(db, row.id, new Date(options.now().getTime() + delay), failure.code);
        logger.warn(
          { ...log, code: failure.code, retryInMs: Math.round(delay) },
          'delivery failed; will retry',
        );
      } else {
        await closeOutboxMessage(db, row.id, 'failed', failure.code);
        logger.error({ ...log, code: failure.code }, 'delivery failed for good; message kept as failed');
      }
      return undefined;
    }
  }

  /**
   * Claims and sends one batch; returns how many rows it handled. What went out is recorded for the whole
   * batch in two statements (card references first, so an update claimed next finds its card), because
   * under load each database round trip costs as much as the post itself.
   */
  async function deliverBatch(): Promise<number> {
    const rows = await claimDueOutboxMessages(db, {
      now: options.now(),
      limit: options.batchSize,
      leaseMs: options.leaseMs,
    });
    const sent = (await Promise.all(rows.map(deliver))).filter((result) => result !== undefined);
    await saveMessageRefs(
      db,
      sent.flatMap((result) => (result.card ? [result.card] : [])),
    );
    await markOutboxSent(
      db,
      sent.map((result) => result.id),
      options.now(),
    );
    return rows.length;
  }

  async function run(): Promise<void> {
    while (running) {
      // A wake from here on means rows were queued after this claim began, so they need another claim.
      pendingWake = false;
      let handled = 0;
      try {
        handled = await deliverBatch();
      } catch (error) {
        logger.error(
          { code: (error as { code?: unknown }).code },
          'outbox batch failed (database); will try again',
        );
      }
      // After a batch, claim again at once: an update held back behind its card's post is now due.
      if (handled > 0 || pendingWake || !running) continue;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, options.pollMs);
        wakeUp = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      wakeUp = undefined;
    }
  }

  return {
    deliverBatch,
    start(): void {
      if (running) return;
      running = true;
      loop = run();
    },
    /** Starts a new batch now instead of at the next poll. */
    wake(): void {
      pendingWake = true;
      wakeUp?.();
    },
    /** Stops after the batch in hand; rows not yet sent stay queued for the next start. */
    async stop(): Promise<void> {
      running = false;
      wakeUp?.();
      await loop;
    },
  };
}

export type OutboxDeliverer = ReturnType<typeof createOutboxDeliverer>;
