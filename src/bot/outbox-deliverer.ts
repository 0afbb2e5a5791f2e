import { DateTime } from 'luxon';
import pRetry from 'p-retry';
import type { Logger } from 'pino';
import type { OfficeConfig } from '../config/office.ts';
import { type Db, transactionPlannedForValues } from '../db/client.ts';
import { createOutboxMessages } from '../db/repositories/change-effects.ts';
import { claimJobRun } from '../db/repositories/job-runs.ts';
import type { MessageRef } from '../db/repositories/message-refs.ts';
import {
  claimDueOutboxMessages,
  closeOutboxMessage,
  type HeldClaim,
  markOutboxSent,
  type OutboxMessage,
  renewOutboxClaims,
  type SentMessage,
  scheduleOutboxRetry,
} from '../db/repositories/outbox.ts';
import { listManagers } from '../domain/people.ts';
import type { Message, Platform } from '../handlers/kernel/message.ts';
import { DeliveryError } from './delivery-error.ts';

/** Which outbox row a send is for, so the platform can tag the message and find it again after a crash. */
export interface OutboxTag {
  outboxId: number;
}

/** Sends rendered messages to one platform; failures are thrown as DeliveryError. */
export interface PlatformSender {
  post(channel: string, message: Message, tag?: OutboxTag): Promise<MessageRef>;
  update(ref: MessageRef, message: Message): Promise<void>;
  sendDirect(userId: string, message: Message, tag?: OutboxTag): Promise<MessageRef>;
  /**
   * Where the message tagged with `outboxId` landed in `target`'s conversation (a channel, or a user's
   * direct messages), looking no further back than `since`; undefined when it is not there. Platforms
   * that cannot search their messages leave this out, and a row is then simply sent again.
   */
  findPosted?(target: string, outboxId: number, since: Date): Promise<MessageRef | undefined>;
}

export interface DelivererOptions {
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
  pollMs: number;
  batchSize: number;
  /** how long a claim lasts unless the sender renews it; a crashed sender's rows are free again after this */
  leaseMs: number;
  now: () => Date;
}

const DEFAULTS: DelivererOptions = {
  maxAttempts: 8,
  baseDelayMs: 1_000,
  maxDelayMs: 5 * 60_000,
  pollMs: 1_000,
  batchSize: 25,
  leaseMs: 5_000,
  now: () => new Date(),
};

/**
 * Refusals that last until a person acts (the bot is not in the channel, or cannot see it): retried
 * slowly for a day instead of given up at once, because inviting the bot fixes them.
 */
const REFUSALS_UNTIL_INVITED = new Set(['not_in_channel', 'channel_not_found']);
/** The waits between tries of a refused card: 5, 15, 30 minutes, then hourly. */
export const INVITE_RETRY_DELAYS_MS = [5, 15, 30, 60].map((minutes) => minutes * 60_000);
/** How long after it was queued a refused card is still tried. */
export const INVITE_WINDOW_MS = 24 * 60 * 60_000;
/** The job_runs name that makes the "please invite frontdesk" message go out once per channel and day. */
export const INVITE_NOTICE_JOB = 'outbox-invite-notice';
/** How far before a row was queued to look for its message: the platform's clock may run behind ours. */
const FIND_POSTED_MARGIN_MS = 5 * 60_000;

/** Exponential backoff with full jitter, never sooner than the platform's Retry-After. */
export function computeRetryDelay(attempt: number, options: DelivererOptions, retryAfterMs?: number): number {
  const ceiling = Math.min(options.maxDelayMs, options.baseDelayMs * 2 ** Math.max(0, attempt - 1));
  const jittered = ceiling / 2 + Math.random() * (ceiling / 2);
  return Math.max(jittered, retryAfterMs ?? 0);
}

/** The message asking managers to invite the bot where a card is waiting. */
export function buildInviteRequest(channel: string): Message {
  return {
    text: `Please invite frontdesk to #${channel} — a card is waiting to be posted there.`,
    lines: [
      `In #${channel}, type /invite @frontdesk. The card will be posted at the next try (within the hour).`,
    ],
  };
}

/**
 * Sends outbox rows until stopped: claims due rows (SKIP LOCKED, so replicas share the work) for a short
 * lease that it renews while sending, sends each, and marks each sent with where it landed as soon as it
 * went out. A row another process claimed and never settled (it crashed) is first looked for on the
 * platform, so a crash mid-send never doubles a message. Retryable failures go back to the queue with
 * backoff; a channel that refuses the bot is retried for a day while managers are asked to invite it;
 * anything else is kept as `failed` and logged without its text.
 */
export function createOutboxDeliverer(params: {
  db: Db;
  senders: Partial<Record<Platform, PlatformSender>>;
  office: Pick<OfficeConfig, 'office' | 'staff'>;
  logger: Logger;
  options?: Partial<DelivererOptions>;
  /**
   * Run before each claim, in the same loop: queues rows of its own (the cards changes asked to redraw)
   * and returns how much it did, so the claim that follows sends them at once.
   */
  beforeClaim?: () => Promise<number>;
}) {
  const options = { ...DEFAULTS, ...params.options };
  const { db, senders, office, logger } = params;
  let running = false;
  let wakeUp: (() => void) | undefined;
  let loop: Promise<void> | undefined;
  let pendingWake = false;
  const marks = groupMarks(db);

  /** Queues the invite request to every manager on the row's platform, once per channel and office day. */
  async function askManagersToInvite(tx: Db, row: OutboxMessage, channel: string): Promise<number> {
    const day = DateTime.fromJSDate(options.now()).setZone(office.office.timezone).toISODate();
    const claimed = await claimJobRun(tx, {
      officeId: row.officeId,
      job: INVITE_NOTICE_JOB,
      runKey: `${row.platform}:${channel}:${day}`,
    });
    if (!claimed) return 0;
    const platform = row.platform as Platform;
    const managers = listManagers(office).flatMap((member) =>
      platform === 'slack' || platform === 'teams' ? (member[platform] ?? []) : [],
    );
    await createOutboxMessages(
      tx,
      managers.map((userId) => ({
        officeId: row.officeId,
        platform: row.platform,
        kind: 'dm' as const,
        target: userId,
        message: buildInviteRequest(channel),
      })),
    );
    return managers.length;
  }

  /** Puts a failed row back in the queue, waits for an invite, or gives up on it, by what the platform said. */
  async function settleFailure(
    row: OutboxMessage,
    error: unknown,
    channel: string | undefined,
    held: HeldNow,
  ): Promise<void> {
    const log = { outboxId: row.id, platform: row.platform, kind: row.kind, attempt: row.attempts };
    const claim = await held();
    const failure =
      error instanceof DeliveryError
        ? error
        : new DeliveryError(error instanceof Error ? error.name : 'unknown', false);
    const now = options.now();
    if (
      channel !== undefined &&
      REFUSALS_UNTIL_INVITED.has(failure.code) &&
      now.getTime() - row.createdAt.getTime() < INVITE_WINDOW_MS
    ) {
      const delay = INVITE_RETRY_DELAYS_MS[Math.min(row.attempts, INVITE_RETRY_DELAYS_MS.length) - 1] ?? 0;
      const asked = await db.transaction(async (tx) =>
        (await scheduleOutboxRetry(tx, claim, new Date(now.getTime() + delay), failure.code))
          ? askManagersToInvite(tx, row, channel)
          : undefined,
      );
      if (asked === undefined) return reportLostClaim(row);
      logger.warn(
        { ...log, code: failure.code, retryInMs: delay, managersAsked: asked },
        'the channel refused the message; will retry until frontdesk is invited',
      );
      return;
    }
    // A card waiting for an invite is tried far more than maxAttempts times; a passing outage must not end its wait.
    const waitingForInvite =
      row.lastError !== null &&
      REFUSALS_UNTIL_INVITED.has(row.lastError) &&
      now.getTime() - row.createdAt.getTime() < INVITE_WINDOW_MS;
    if (failure.retryable && (row.attempts < options.maxAttempts || waitingForInvite)) {
      const delay = computeRetryDelay(row.attempts, options, failure.retryAfterMs);
      if (!(await scheduleOutboxRetry(db, claim, new Date(now.getTime() + delay), failure.code)))
        return reportLostClaim(row);
      logger.warn(
        { ...log, code: failure.code, retryInMs: Math.round(delay) },
        'delivery failed; will retry',
      );
      return;
    }
    if (!(await closeOutboxMessage(db, claim, 'failed', failure.code))) return reportLostClaim(row);
    logger.error({ ...log, code: failure.code }, 'delivery failed for good; message kept as failed');
  }

  /** A settling that found its claim taken over (this process stalled past its lease): the row is left alone. */
  function reportLostClaim(row: OutboxMessage): void {
    logger.warn(
      { outboxId: row.id, platform: row.platform, kind: row.kind },
      'lost the claim on a message while sending it; another process has it now',
    );
  }

  /** Sends one row and settles it: sent (with where it landed), retried, skipped or failed. */
  async function deliver(row: OutboxMessage<Message>, held: HeldNow): Promise<void> {
    const sender = senders[row.platform as Platform];
    if (!sender) {
      if (!(await closeOutboxMessage(db, await held(), 'skipped', 'platform_off'))) reportLostClaim(row);
      return;
    }
    const send = marks.startSend();
    const where: { channel?: string } = {};
    let sent: SentMessage | undefined;
    try {
      sent = await sendRow(row, sender, where, held);
    } catch (error) {
      // Settled before the failure is recorded, so the marks waiting for this send go out now.
      send.settle();
      await settleFailure(row, error, where.channel, held);
      return;
    }
    if (!sent) {
      send.settle();
      return;
    }
    try {
      await send.mark(sent);
    } catch (error) {
      // It reached the platform, so it must not be failed (every later update of its card would be skipped):
      // left claimed, it is tried again once its lease runs out, and that try finds it delivered where the
      // platform can look (findPosted), redoes an update, or sends it again.
      logger.warn(
        {
          outboxId: row.id,
          platform: row.platform,
          kind: row.kind,
          code: (error as { code?: unknown }).code,
        },
        'delivered, but could not record it; it is checked again when its lease runs out',
      );
    }
  }

  /**
   * Sends one row: where it landed when sent, undefined when it was settled without sending (an update of
   * a card never posted). `where` learns the channel first, for a refusal that asks for an invite.
   */
  async function sendRow(
    row: OutboxMessage<Message>,
    sender: PlatformSender,
    where: { channel?: string },
    held: HeldNow,
  ): Promise<SentMessage | undefined> {
    if (row.kind === 'update') {
      if (!row.cardRef) {
        if (!(await closeOutboxMessage(db, await held(), 'skipped', 'card_not_posted'))) reportLostClaim(row);
        return undefined;
      }
      where.channel = row.cardRef.channel;
      await sender.update(row.cardRef, row.message);
      return { id: row.id, at: options.now() };
    }
    if (row.kind === 'post') where.channel = row.target;
    // Tried before: the last try may have reached the platform without being recorded (a crash, a timeout).
    const earlier =
      row.attempts > 1 && sender.findPosted
        ? await sender.findPosted(
            row.target,
            row.id,
            new Date(row.createdAt.getTime() - FIND_POSTED_MARGIN_MS),
          )
        : undefined;
    if (earlier) {
      logger.info(
        { outboxId: row.id, platform: row.platform, kind: row.kind, attempt: row.attempts },
        'found the message already delivered by an earlier try; recorded it instead of sending again',
      );
    }
    const tag = { outboxId: row.id };
    const ref =
      earlier ??
      (row.kind === 'post'
        ? await sender.post(row.target, row.message, tag)
        : await sender.sendDirect(row.target, row.message, tag));
    return { id: row.id, at: options.now(), ref: row.cardKey ? ref : undefined };
  }

  /**
   * Claims and sends one batch; returns how many rows it claimed. While the batch is out, the claim is
   * renewed every third of a lease, so only a process that stopped renewing (it died) loses its rows.
   */
  async function deliverBatch(): Promise<number> {
    const now = options.now();
    // The claim stamps this same expiry on every row it takes; renewals match on it.
    let claimedUntil = new Date(now.getTime() + options.leaseMs);
    const rows = await transactionPlannedForValues(db, (tx) =>
      claimDueOutboxMessages<Message>(tx, { now, limit: options.batchSize, leaseMs: options.leaseMs }),
    );
    if (rows.length === 0) return 0;
    const ids = rows.map((row) => row.id);
    let renewing: Promise<void> = Promise.resolve();
    const heartbeat = setInterval(() => {
      renewing = renewing.then(async () => {
        const until = new Date(options.now().getTime() + options.leaseMs);
        try {
          if ((await renewOutboxClaims(db, { ids, claimedUntil, until })) > 0) claimedUntil = until;
        } catch (error) {
          logger.warn({ code: (error as { code?: unknown }).code }, 'could not renew the outbox lease');
        }
      });
    }, options.leaseMs / 3);
    // A row settled otherwise than sent is settled under the claim as last renewed, once a renewal in
    // flight has landed; a process taken over after a stall then changes nothing.
    const heldOn = (id: number) => async () => {
      await renewing;
      return { id, claimedUntil };
    };
    try {
      await Promise.all(rows.map((row) => deliver(row, heldOn(row.id))));
    } finally {
      clearInterval(heartbeat);
      await renewing;
    }
    return rows.length;
  }

  async function run(): Promise<void> {
    while (running) {
      // A wake from here on means rows were queued after this claim began, so they need another claim.
      pendingWake = false;
      let handled = 0;
      try {
        handled = (await params.beforeClaim?.()) ?? 0;
        handled += await deliverBatch();
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

/** The claim this process holds on a row now, read once any renewal in flight has landed. */
type HeldNow = () => Promise<HeldClaim>;

/** How long a sent message may wait to be marked together with the others of its batch still out. */
export const MARK_WAIT_MS = 50;

/** Tries again of a mark that failed, 100 ms and then 400 ms after. */
const MARK_RETRIES = 2;

/** One send to a platform, counted as out until it is marked sent or settles otherwise. */
interface Send {
  /** queues its mark; resolves once the statement that marks it has run */
  mark(sent: SentMessage): Promise<void>;
  /** the send ended without a mark (it failed, or there was nothing to send); does nothing after `mark` */
  settle(): void;
}

/**
 * Marks sent messages as they come back from the platform, in as few statements as they allow: a mark waits
 * until the sends still out have come back too, for at most MARK_WAIT_MS, and those marked while a
 * statement runs are marked together by the next. A batch's posts come back within a few milliseconds of
 * each other, and each statement (a transaction on PGlite, where it waits for the filings before it) cost
 * as much as a filing's insert.
 */
function groupMarks(db: Db): { startSend(): Send } {
  let waiting: { sent: SentMessage; resolve: () => void; reject: (error: unknown) => void }[] = [];
  let marking = false;
  let out = 0;
  let timer: NodeJS.Timeout | undefined;
  async function markWaiting(): Promise<void> {
    clearTimeout(timer);
    timer = undefined;
    marking = true;
    while (waiting.length > 0) {
      const group = waiting;
      waiting = [];
      try {
        // Tried again on a passing fault (a dropped connection, a failover): what it records was delivered.
        await pRetry(
          () =>
            transactionPlannedForValues(db, (tx) =>
              markOutboxSent(
                tx,
                group.map((entry) => entry.sent),
              ),
            ),
          { retries: MARK_RETRIES, minTimeout: 100, factor: 4 },
        );
        for (const entry of group) entry.resolve();
      } catch (error) {
        for (const entry of group) entry.reject(error);
      }
    }
    marking = false;
  }
  function markSoon(): void {
    if (marking || waiting.length === 0) return;
    if (out === 0) void markWaiting();
    else
      timer ??= setTimeout(() => {
        if (!marking) void markWaiting();
      }, MARK_WAIT_MS);
  }
  return {
    startSend() {
      out += 1;
      let settled = false;
      const settle = () => {
        if (settled) return;
        settled = true;
        out -= 1;
        markSoon();
      };
      return {
        mark(sent) {
          const marked = new Promise<void>((resolve, reject) => {
            waiting.push({ sent, resolve, reject });
          });
          settle();
          return marked;
        },
        settle,
      };
    },
  };
}
