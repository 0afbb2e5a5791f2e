import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DeliveryError } from '../../src/bot/delivery-error.ts';
import {
  createOutboxDeliverer,
  type DelivererOptions,
  type PlatformSender,
} from '../../src/bot/outbox-deliverer.ts';
import { createSlackSender } from '../../src/bot/slack/sender.ts';
import type { Database } from '../../src/db/client.ts';
import { getMessageRef, type MessageRef } from '../../src/db/repositories/message-refs.ts';
import { createOutboxMessages, type NewOutboxMessage } from '../../src/db/repositories/outbox.ts';
import { outbox } from '../../src/db/schema/index.ts';
import type { Message } from '../../src/handlers/reply.ts';
import { databaseTargets } from '../helpers/databases.ts';
import { createRecordingLogger } from '../helpers/logger.ts';
import { startRecordingSlackApi } from '../helpers/slack-api-server.ts';

const OFFICE = 'main';
// Text that must never reach a log line: it stands for a patient detail in a card.
const SECRET = 'Jane Roe called about her biopsy results';

interface SentCall {
  kind: 'post' | 'update' | 'dm';
  target: string;
  ref?: MessageRef;
  message: Message;
}

/** A PlatformSender that records successful sends and throws the scripted failures first, per target. */
function createFakeSender() {
  const sent: SentCall[] = [];
  const attempts: SentCall[] = [];
  const scripted = new Map<string, Error[]>();
  let posted = 0;

  async function attempt(call: SentCall): Promise<void> {
    attempts.push(call);
    // A tiny pause lets concurrent batches interleave, as real network calls would.
    await new Promise((resolve) => setTimeout(resolve, 1));
    const failure = scripted.get(call.target)?.shift();
    if (failure) throw failure;
    sent.push(call);
  }

  const sender: PlatformSender = {
    async post(channel, message) {
      await attempt({ kind: 'post', target: channel, message });
      posted += 1;
      return { channel, messageId: `ts-${posted}` };
    },
    async sendDirect(userId, message) {
      await attempt({ kind: 'dm', target: userId, message });
      posted += 1;
      return { channel: `D-${userId}`, messageId: `ts-${posted}` };
    },
    async update(ref, message) {
      await attempt({ kind: 'update', target: ref.channel, ref, message });
    },
  };
  return {
    sender,
    sent,
    attempts,
    /** the next sends to `target` throw these, in order */
    failNext(target: string, ...errors: Error[]) {
      scripted.set(target, [...(scripted.get(target) ?? []), ...errors]);
    },
  };
}

function card(target: string, overrides: Partial<NewOutboxMessage> = {}): NewOutboxMessage {
  return {
    officeId: OFFICE,
    platform: 'slack',
    kind: 'post',
    target,
    message: { text: SECRET, title: 'Time off request', lines: [SECRET] },
    ...overrides,
  };
}

describe.each(databaseTargets())('createOutboxDeliverer on $name', (target) => {
  let database: Database;
  // The deliverer's clock; rows are queued at the database's real now, so it starts a little ahead.
  let clock: Date;
  const advance = (ms: number) => {
    clock = new Date(clock.getTime() + ms);
  };

  beforeAll(async () => {
    database = await target.open();
  });
  afterAll(async () => {
    await database?.close();
  });
  beforeEach(async () => {
    await database.db.execute(sql`delete from outbox`);
    await database.db.execute(sql`delete from message_refs`);
    clock = new Date(Date.now() + 5_000);
  });

  function buildDeliverer(sender: PlatformSender, options: Partial<DelivererOptions> = {}) {
    const recording = createRecordingLogger();
    const deliverer = createOutboxDeliverer({
      db: database.db,
      senders: { slack: sender },
      logger: recording.logger,
      options: {
        maxAttempts: 3,
        baseDelayMs: 10,
        maxDelayMs: 100,
        leaseMs: 60_000,
        now: () => clock,
        ...options,
      },
    });
    return { deliverer, recording };
  }

  async function queue(...rows: NewOutboxMessage[]) {
    await createOutboxMessages(database.db, rows);
  }

  async function readRows() {
    return database.db.select().from(outbox).orderBy(outbox.id);
  }

  /** Runs batches, a second apart on the deliverer's clock (well past the tiny backoff), `rounds` times. */
  async function runRounds(deliverer: { deliverBatch(): Promise<number> }, rounds: number) {
    for (let round = 0; round < rounds; round += 1) {
      await deliverer.deliverBatch();
      advance(1_000);
    }
  }

  it('delivers a post that failed twice with a retryable error exactly once, on the third try', async () => {
    const fake = createFakeSender();
    fake.failNext('C0APPROVALS', new DeliveryError('http_503', true), new DeliveryError('ratelimited', true));
    const { deliverer } = buildDeliverer(fake.sender);
    await queue(card('C0APPROVALS', { cardKey: 'TO-1' }));

    await runRounds(deliverer, 6);

    expect(fake.attempts).toHaveLength(3);
    expect(fake.sent).toHaveLength(1);
    expect(fake.sent[0]).toMatchObject({ kind: 'post', target: 'C0APPROVALS' });
    const [row] = await readRows();
    expect(row).toMatchObject({ status: 'sent', attempts: 3, claimedUntil: null, lastError: null });
    expect(row?.sentAt).toBeInstanceOf(Date);
    expect(
      await getMessageRef(database.db, { officeId: OFFICE, cardKey: 'TO-1', platform: 'slack' }),
    ).toEqual({
      channel: 'C0APPROVALS',
      messageId: 'ts-1',
    });
  });

  it('keeps a message that never gets through as failed after maxAttempts and logs no message text', async () => {
    const fake = createFakeSender();
    fake.failNext('C0HUDDLE', ...Array.from({ length: 10 }, () => new DeliveryError('http_500', true)));
    const { deliverer, recording } = buildDeliverer(fake.sender);
    await queue(card('C0HUDDLE'));

    await runRounds(deliverer, 6);

    expect(fake.attempts).toHaveLength(3);
    expect(fake.sent).toHaveLength(0);
    const rows = await readRows();
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      status: 'failed',
      attempts: 3,
      lastError: 'http_500',
      claimedUntil: null,
    });
    const errors = recording.records().filter((record) => record.level >= 50);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ outboxId: rows[0]?.id, code: 'http_500' });
    expect(recording.text()).not.toContain('Jane Roe');
    expect(recording.text()).not.toContain('biopsy');
  });

  it('fails a message at once on a non-retryable error', async () => {
    const fake = createFakeSender();
    fake.failNext('C0GONE', new DeliveryError('channel_not_found', false));
    const { deliverer, recording } = buildDeliverer(fake.sender);
    await queue(card('C0GONE'));

    await runRounds(deliverer, 3);

    expect(fake.attempts).toHaveLength(1);
    expect((await readRows())[0]).toMatchObject({
      status: 'failed',
      attempts: 1,
      lastError: 'channel_not_found',
    });
    expect(recording.text()).not.toContain('Jane Roe');
  });

  it('treats an unexpected exception as final and logs only its kind', async () => {
    const fake = createFakeSender();
    fake.failNext('C0BROKEN', new TypeError(`cannot render ${SECRET}`));
    const { deliverer, recording } = buildDeliverer(fake.sender);
    await queue(card('C0BROKEN'));

    await runRounds(deliverer, 2);

    expect(fake.attempts).toHaveLength(1);
    expect((await readRows())[0]).toMatchObject({ status: 'failed', attempts: 1, lastError: 'TypeError' });
    expect(recording.text()).not.toContain('Jane Roe');
  });

  it('does not claim a rate-limited message again before its Retry-After', async () => {
    const fake = createFakeSender();
    fake.failNext('C0APPROVALS', new DeliveryError('ratelimited', true, 30_000));
    const { deliverer } = buildDeliverer(fake.sender);
    await queue(card('C0APPROVALS'));

    expect(await deliverer.deliverBatch()).toBe(1);
    const [waiting] = await readRows();
    expect(waiting).toMatchObject({ status: 'pending', attempts: 1, lastError: 'ratelimited' });
    expect(waiting?.nextAttemptAt.getTime()).toBeGreaterThanOrEqual(clock.getTime() + 30_000);

    advance(29_000);
    expect(await deliverer.deliverBatch()).toBe(0);
    expect(fake.attempts).toHaveLength(1);

    advance(1_500);
    expect(await deliverer.deliverBatch()).toBe(1);
    expect(fake.sent).toHaveLength(1);
    expect((await readRows())[0]).toMatchObject({ status: 'sent', attempts: 2 });
  });

  it('sends an update only after the post of the same card and edits the posted message', async () => {
    const fake = createFakeSender();
    fake.failNext('C0APPROVALS', new DeliveryError('http_502', true));
    const { deliverer } = buildDeliverer(fake.sender);
    await queue(
      card('C0APPROVALS', { cardKey: 'TO-7' }),
      card('', { kind: 'update', cardKey: 'TO-7', message: { text: 'Approved by Dana Reyes' } }),
    );

    await runRounds(deliverer, 5);

    expect(fake.attempts.map((call) => call.kind)).toEqual(['post', 'post', 'update']);
    expect(fake.sent[1]).toMatchObject({
      kind: 'update',
      ref: { channel: 'C0APPROVALS', messageId: 'ts-1' },
      message: { text: 'Approved by Dana Reyes' },
    });
    const rows = await readRows();
    expect(rows.map((row) => row.status)).toEqual(['sent', 'sent']);
    // The update was never tried while the post was still pending.
    expect(rows[1]?.attempts).toBe(1);
  });

  it('skips an update of a card that was never posted', async () => {
    const fake = createFakeSender();
    const { deliverer } = buildDeliverer(fake.sender);
    await queue(card('', { kind: 'update', cardKey: 'TO-404', message: { text: 'Denied' } }));

    await runRounds(deliverer, 2);

    expect(fake.attempts).toHaveLength(0);
    expect((await readRows())[0]).toMatchObject({ status: 'skipped', lastError: 'card_not_posted' });
  });

  it('skips a message for a platform this process does not deliver to', async () => {
    const fake = createFakeSender();
    const { deliverer } = buildDeliverer(fake.sender);
    await queue(card('19:teams-channel', { platform: 'teams' }));

    await runRounds(deliverer, 1);

    expect(fake.attempts).toHaveLength(0);
    expect((await readRows())[0]).toMatchObject({ status: 'skipped', lastError: 'platform_off' });
  });

  it('never sends a row twice when two deliverers claim at the same time', async () => {
    const fake = createFakeSender();
    const first = buildDeliverer(fake.sender, { batchSize: 4 }).deliverer;
    const second = buildDeliverer(fake.sender, { batchSize: 4 }).deliverer;
    const targets = Array.from({ length: 40 }, (_, index) => `C0ROW${index}`);
    await queue(...targets.map((row) => card(row)));

    for (let round = 0; round < 30; round += 1) {
      const handled = await Promise.all([
        first.deliverBatch(),
        second.deliverBatch(),
        first.deliverBatch(),
        second.deliverBatch(),
      ]);
      if (handled.every((count) => count === 0)) break;
    }

    expect(fake.attempts).toHaveLength(40);
    expect(new Set(fake.sent.map((call) => call.target))).toEqual(new Set(targets));
    const rows = await readRows();
    expect(rows.every((row) => row.status === 'sent' && row.attempts === 1)).toBe(true);
  });

  it('counts attempts on the row, not in memory', async () => {
    const fake = createFakeSender();
    fake.failNext('C0APPROVALS', new DeliveryError('http_503', true));
    await queue(card('C0APPROVALS'));
    // A deliverer that fails once, then a fresh one (a restarted process) that succeeds.
    await buildDeliverer(fake.sender).deliverer.deliverBatch();
    advance(1_000);
    await buildDeliverer(fake.sender).deliverer.deliverBatch();

    const [row] = await database.db.select().from(outbox).where(eq(outbox.target, 'C0APPROVALS'));
    expect(row).toMatchObject({ status: 'sent', attempts: 2 });
  });

  it('posts through the Slack Web API once after two 5xx answers and edits that message later', async () => {
    const slackApi = await startRecordingSlackApi();
    try {
      const recording = createRecordingLogger();
      const sender = createSlackSender({
        token: 'xoxb-test',
        apiUrl: slackApi.apiUrl,
        logger: recording.logger,
      });
      const { deliverer } = buildDeliverer(sender);
      slackApi.failNext('chat.postMessage', 2, { status: 500 });
      await queue(
        card('C0APPROVALS', { cardKey: 'TO-9' }),
        card('', { kind: 'update', cardKey: 'TO-9', message: { text: 'Approved by Dana Reyes' } }),
      );

      await runRounds(deliverer, 6);

      const posts = slackApi.callsTo('chat.postMessage');
      expect(posts).toHaveLength(3);
      expect(posts.every((call) => call.body.channel === 'C0APPROVALS')).toBe(true);
      expect(slackApi.callsTo('chat.update')).toEqual([
        expect.objectContaining({
          body: expect.objectContaining({
            channel: 'C0APPROVALS',
            ts: '1700000000.000001',
            text: 'Approved by Dana Reyes',
          }),
        }),
      ]);
      expect((await readRows()).map((row) => row.status)).toEqual(['sent', 'sent']);
      expect(recording.text()).not.toContain('Jane Roe');
    } finally {
      await slackApi.close();
    }
  });
});
