import { and, eq, sql } from 'drizzle-orm';
import { DateTime } from 'luxon';
import { beforeEach, describe, expect, it } from 'vitest';
import { DeliveryError } from '../../src/bot/delivery-error.ts';
import {
  buildInviteRequest,
  createOutboxDeliverer,
  type DelivererOptions,
  INVITE_NOTICE_JOB,
  type PlatformSender,
} from '../../src/bot/outbox-deliverer.ts';
import { createSlackSender } from '../../src/bot/slack/sender.ts';
import type { Db } from '../../src/db/client.ts';
import { createOutboxMessages } from '../../src/db/repositories/change-effects.ts';
import type { MessageRef } from '../../src/db/repositories/message-refs.ts';
import { claimDueOutboxMessages, type NewOutboxMessage } from '../../src/db/repositories/outbox.ts';
import { jobRuns, messageRefs, outbox } from '../../src/db/schema/index.ts';
import type { Message } from '../../src/handlers/kernel/message.ts';
import { databaseTargets, openForSuite } from '../helpers/databases.ts';
import { createRecordingLogger } from '../helpers/logger.ts';
import { buildOfficeConfig } from '../helpers/office.ts';
import { startRecordingSlackApi } from '../helpers/slack-api-server.ts';
import { waitFor } from '../helpers/wait.ts';

const office = buildOfficeConfig();
const OFFICE = office.office.id;
const MINUTE = 60_000;
// Text that must never reach a log line: it stands for a patient detail in a card.
const SECRET = 'Jane Roe called about her biopsy results';

/** Where a card was posted on a platform, if it was. */
async function getMessageRef(
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

interface SentCall {
  kind: 'post' | 'update' | 'dm';
  target: string;
  ref?: MessageRef;
  message: Message;
  outboxId?: number | undefined;
}

/**
 * A PlatformSender that records successful sends and throws the scripted failures first, per target.
 * Sends to a held target wait until released; `findPosted` finds what this fake posted, by outbox id.
 */
function createFakeSender() {
  const sent: SentCall[] = [];
  const attempts: SentCall[] = [];
  const scripted = new Map<string, Error[]>();
  const held = new Map<string, Promise<void>>();
  const landed = new Map<number, MessageRef>();
  let posted = 0;

  async function attempt(call: SentCall): Promise<void> {
    attempts.push(call);
    // A tiny pause lets concurrent batches interleave, as real network calls would.
    await new Promise((resolve) => setTimeout(resolve, 1));
    await held.get(call.target);
    const failure = scripted.get(call.target)?.shift();
    if (failure) throw failure;
    sent.push(call);
  }

  function land(outboxId: number | undefined, ref: MessageRef): MessageRef {
    if (outboxId !== undefined) landed.set(outboxId, ref);
    return ref;
  }

  const sender: PlatformSender = {
    async post(channel, message, tag) {
      await attempt({ kind: 'post', target: channel, message, outboxId: tag?.outboxId });
      posted += 1;
      return land(tag?.outboxId, { channel, messageId: `ts-${posted}` });
    },
    async sendDirect(userId, message, tag) {
      await attempt({ kind: 'dm', target: userId, message, outboxId: tag?.outboxId });
      posted += 1;
      return land(tag?.outboxId, { channel: `D-${userId}`, messageId: `ts-${posted}` });
    },
    async update(ref, message) {
      await attempt({ kind: 'update', target: ref.channel, ref, message });
    },
    async findPosted(_target, outboxId) {
      return landed.get(outboxId);
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
    /** sends to `target` wait until the returned function is called */
    hold(target: string): () => void {
      let release = () => {};
      held.set(
        target,
        new Promise<void>((resolve) => {
          release = resolve;
        }),
      );
      return () => {
        held.delete(target);
        release();
      };
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
  const database = openForSuite(target);
  // The deliverer's clock; rows are queued at the database's real now, so it starts a little ahead.
  let clock: Date;
  const advance = (ms: number) => {
    clock = new Date(clock.getTime() + ms);
  };

  beforeEach(async () => {
    await database.db.execute(sql`delete from outbox`);
    await database.db.execute(sql`delete from message_refs`);
    await database.db.execute(sql`delete from job_runs`);
    clock = new Date(Date.now() + 5_000);
  });

  function buildDeliverer(sender: PlatformSender, options: Partial<DelivererOptions> = {}) {
    const recording = createRecordingLogger();
    const deliverer = createOutboxDeliverer({
      db: database.db,
      senders: { slack: sender },
      office,
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

  it('keeps one waiting update per card: a newer one replaces its message, and only that is sent', async () => {
    const fake = createFakeSender();
    const { deliverer } = buildDeliverer(fake.sender);
    await queue(card('C0APPROVALS', { cardKey: 'TO-1' }));
    await runRounds(deliverer, 1);
    const update = (cardKey: string, text: string) =>
      card('', { kind: 'update', cardKey, message: { text, lines: [text] } });
    await queue(update('TO-1', 'first redraw'));
    await queue(update('TO-1', 'second redraw'), update('TO-1', 'third redraw'));
    await queue(update('TO-1', 'fourth redraw'), update('TO-2', 'a card never posted'));

    await runRounds(deliverer, 3);

    expect(fake.sent.filter((call) => call.kind === 'update').map((call) => call.message.text)).toEqual([
      'fourth redraw',
    ]);
    const rows = (await readRows()).filter((row) => row.kind === 'update');
    expect(rows.map((row) => [row.cardKey, row.status, row.lastError])).toEqual([
      ['TO-1', 'sent', null],
      ['TO-2', 'skipped', 'card_not_posted'],
    ]);
  });

  it('claims with bitmap scans off for its own transaction only, so the waiting rows are walked in claim order', async () => {
    const bitmapScans = async (db: Db) => {
      const rows = (await db.execute(sql`select current_setting('enable_bitmapscan') as value`)) as unknown as
        | { value: string }[]
        | { rows: { value: string }[] };
      return (Array.isArray(rows) ? rows : rows.rows)[0]?.value;
    };
    await queue(card('C0APPROVALS', { cardKey: 'TO-1' }));
    const inside = await database.db.transaction(async (tx) => {
      const claimed = await claimDueOutboxMessages(tx, { now: clock, limit: 10, leaseMs: 1 });
      return { claimed: claimed.length, bitmapScans: await bitmapScans(tx) };
    });
    expect(inside).toEqual({ claimed: 1, bitmapScans: 'off' });
    expect(await bitmapScans(database.db)).toBe('on');
  });

  it('stores hostile text exactly as typed, one row or many, as the JSON parameter carries it', async () => {
    const hostile = [
      `'); delete from outbox; --`,
      '<!channel> <@U0DANA> *bold* `code`',
      '=HYPERLINK("http://evil.example","x")',
      'quote " backslash \\ tab \t line\u2028sep 🎉',
      'x'.repeat(5_000),
    ];
    await queue(card('C0ONE', { message: { text: hostile[0] ?? '', lines: hostile } }));
    await queue(
      ...hostile.map((text, index) => card(`C0MANY${index}`, { message: { text, lines: [text] } })),
    );

    const rows = await readRows();
    expect(rows.map((row) => row.message)).toEqual([
      { text: hostile[0], lines: hostile },
      ...hostile.map((text) => ({ text, lines: [text] })),
    ]);
  });

  it('sends new cards and direct messages before background refreshes queued earlier', async () => {
    const fake = createFakeSender();
    const { deliverer } = buildDeliverer(fake.sender, { batchSize: 1 });
    await queue(card('C0APPROVALS', { cardKey: 'TO-1' }));
    await runRounds(deliverer, 1);
    await queue(
      card('', { kind: 'update', cardKey: 'TO-1', message: { text: 'refresh' }, background: true }),
    );
    await queue(card('C0APPROVALS', { cardKey: 'TO-2', message: { text: 'new card' } }));
    await queue(card('U0NURSE', { kind: 'dm', message: { text: 'your answer' } }));

    await runRounds(deliverer, 3);

    expect(fake.sent.slice(1).map((call) => call.message.text)).toEqual([
      'new card',
      'your answer',
      'refresh',
    ]);
  });

  it('keeps a waiting update in front when a background refresh replaces its message, and not the other way', async () => {
    const update = (cardKey: string, text: string, background: boolean) =>
      card('', { kind: 'update', cardKey, message: { text }, background });
    await queue(update('TO-1', 'approved', false));
    await queue(update('TO-1', 'approved, redrawn', true));
    await queue(update('TO-2', 'redrawn', true));
    await queue(update('TO-2', 'denied', false));

    const rows = await readRows();
    expect(rows.map((row) => [row.cardKey, (row.message as Message).text, row.background])).toEqual([
      ['TO-1', 'approved, redrawn', false],
      ['TO-2', 'denied', false],
    ]);
  });

  it('queues a newer update as its own row while the waiting one is being sent, and sends both in order', async () => {
    const fake = createFakeSender();
    const { deliverer } = buildDeliverer(fake.sender);
    await queue(card('C0APPROVALS', { cardKey: 'TO-1' }));
    await runRounds(deliverer, 1);
    await queue(card('', { kind: 'update', cardKey: 'TO-1', message: { text: 'being sent' } }));
    const claimed = await claimDueOutboxMessages<Message>(database.db, { now: clock, limit: 10, leaseMs: 1 });
    expect(claimed.map((row) => row.message.text)).toEqual(['being sent']);
    await queue(card('', { kind: 'update', cardKey: 'TO-1', message: { text: 'newer' } }));

    advance(1_000);
    await runRounds(deliverer, 3);

    expect(fake.sent.filter((call) => call.kind === 'update').map((call) => call.message.text)).toEqual([
      'being sent',
      'newer',
    ]);
  });

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
    fake.failNext('C0BAD', new DeliveryError('invalid_blocks', false));
    const { deliverer, recording } = buildDeliverer(fake.sender);
    await queue(card('C0BAD'));

    await runRounds(deliverer, 3);

    expect(fake.attempts).toHaveLength(1);
    expect((await readRows())[0]).toMatchObject({
      status: 'failed',
      attempts: 1,
      lastError: 'invalid_blocks',
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
  it('marks the rows of a batch whose sends come back together in one statement', async () => {
    const fake = createFakeSender();
    let transactions = 0;
    const counted = new Proxy(database.db, {
      get(db, property, receiver) {
        if (property === 'transaction') transactions += 1;
        return Reflect.get(db, property, receiver);
      },
    });
    const deliverer = createOutboxDeliverer({
      db: counted,
      senders: { slack: fake.sender },
      office,
      logger: createRecordingLogger().logger,
      options: { leaseMs: 60_000, now: () => clock },
    });
    await queue(...['TO-1', 'TO-2', 'TO-3', 'TO-4', 'TO-5'].map((cardKey) => card('C0A', { cardKey })));

    expect(await deliverer.deliverBatch()).toBe(5);

    // The claim, then one mark for all five.
    expect(transactions).toBe(2);
    expect((await readRows()).map((row) => row.status)).toEqual(Array(5).fill('sent'));
    const refs = await database.db.select().from(messageRefs).where(eq(messageRefs.officeId, OFFICE));
    expect(refs.map((ref) => ref.cardKey).sort()).toEqual(['TO-1', 'TO-2', 'TO-3', 'TO-4', 'TO-5']);
  });

  it('marks each row sent as its post returns, while the rest of its batch is still out', async () => {
    const fake = createFakeSender();
    const release = fake.hold('C0SLOW');
    const { deliverer } = buildDeliverer(fake.sender);
    await queue(card('C0FAST', { cardKey: 'TO-1' }), card('C0SLOW', { cardKey: 'TO-2' }));

    const batch = deliverer.deliverBatch();
    await waitFor(
      async () => ((await readRows())[0]?.status === 'sent' ? true : undefined),
      'the first row to be marked sent',
    );
    expect((await readRows())[1]).toMatchObject({ status: 'pending', sentAt: null });
    expect(
      await getMessageRef(database.db, { officeId: OFFICE, cardKey: 'TO-1', platform: 'slack' }),
    ).toEqual({ channel: 'C0FAST', messageId: 'ts-1' });
    release();
    await batch;

    expect((await readRows()).map((row) => row.status)).toEqual(['sent', 'sent']);
  });

  it('takes over the rows of a process that died mid-send after its short lease, without re-sending what went out', async () => {
    const fake = createFakeSender();
    await queue(
      card('C0APPROVALS', { cardKey: 'TO-1' }),
      card('C0APPROVALS', { cardKey: 'TO-2' }),
      card('U0SAM', { kind: 'dm' }),
    );
    // The dead process: it claimed the rows, posted the first one and was killed before recording it.
    const claimed = await claimDueOutboxMessages<Message>(database.db, {
      now: clock,
      limit: 10,
      leaseMs: 5_000,
    });
    const first = claimed.find((row) => row.cardKey === 'TO-1');
    if (!first) throw new Error('nothing was claimed');
    await fake.sender.post(first.target, first.message, { outboxId: first.id });
    const { deliverer, recording } = buildDeliverer(fake.sender, { leaseMs: 5_000 });

    expect(await deliverer.deliverBatch()).toBe(0);
    advance(5_001);
    expect(await deliverer.deliverBatch()).toBe(3);

    // The batch's rows are sent at once, so they may land in any order.
    expect(fake.sent.map((call) => `${call.kind} ${call.target}`).sort()).toEqual([
      'dm U0SAM',
      'post C0APPROVALS',
      'post C0APPROVALS',
    ]);
    const rows = await readRows();
    expect(rows.map((row) => [row.status, row.attempts])).toEqual([
      ['sent', 2],
      ['sent', 2],
      ['sent', 2],
    ]);
    // TO-1 was found where the dead process posted it (ts-1); TO-2 went out with the DM, in either order.
    expect(
      await getMessageRef(database.db, { officeId: OFFICE, cardKey: 'TO-1', platform: 'slack' }),
    ).toEqual({ channel: 'C0APPROVALS', messageId: 'ts-1' });
    expect(
      await getMessageRef(database.db, { officeId: OFFICE, cardKey: 'TO-2', platform: 'slack' }),
    ).toEqual({ channel: 'C0APPROVALS', messageId: expect.stringMatching(/^ts-[23]$/) });
    expect(recording.text()).not.toContain('Jane Roe');
  });

  it.for([
    ['once, and the mark tried again records it', 1, 1],
    ['past its tries, and the next claim finds it posted', 3, 2],
  ] as const)(
    'keeps a card it posted when recording it fails %s; its later update still lands',
    async ([_label, failures, attempts]) => {
      const fake = createFakeSender();
      // The deliverer's database: the transactions after a post fail, as on a dropped connection.
      let failing = 0;
      const db = new Proxy(database.db, {
        get(real, key, receiver) {
          if (key !== 'transaction') return Reflect.get(real, key, receiver);
          return (work: (tx: Db) => Promise<unknown>) => {
            if (failing === 0) return real.transaction(work as never);
            failing -= 1;
            return Promise.reject(
              Object.assign(new Error('write CONNECTION_CLOSED'), { code: 'CONNECTION_CLOSED' }),
            );
          };
        },
      });
      const sender: PlatformSender = {
        ...fake.sender,
        async post(channel, message, tag) {
          const ref = await fake.sender.post(channel, message, tag);
          if (fake.sent.length === 1) failing = failures;
          return ref;
        },
      };
      const recording = createRecordingLogger();
      const deliverer = createOutboxDeliverer({
        db,
        senders: { slack: sender },
        office,
        logger: recording.logger,
        options: { maxAttempts: 3, baseDelayMs: 10, maxDelayMs: 100, leaseMs: 5_000, now: () => clock },
      });
      await queue(card('C0APPROVALS', { cardKey: 'TO-1' }));
      await deliverer.deliverBatch();
      advance(5_001);
      await deliverer.deliverBatch();
      await queue(card('', { kind: 'update', cardKey: 'TO-1', message: { text: 'Approved' } }));
      await runRounds(deliverer, 2);

      expect(fake.sent.map((call) => `${call.kind} ${call.message.text}`)).toEqual([
        `post ${SECRET}`,
        'update Approved',
      ]);
      expect((await readRows()).map((row) => [row.kind, row.status, row.attempts])).toEqual([
        ['post', 'sent', attempts],
        ['update', 'sent', 1],
      ]);
      expect(recording.text()).not.toContain('Jane Roe');
    },
  );

  it('renews its claim while a slow send is out, so another process does not take the row', async () => {
    const fake = createFakeSender();
    const release = fake.hold('C0SLOW');
    const first = buildDeliverer(fake.sender, { leaseMs: 300 }).deliverer;
    const second = buildDeliverer(fake.sender, { leaseMs: 300 }).deliverer;
    await queue(card('C0SLOW'));

    const batch = first.deliverBatch();
    await waitFor(async () => (await readRows())[0]?.claimedUntil ?? undefined, 'the claim');
    advance(1_000);
    // Past the first lease now: only a renewal (every third of a lease) keeps the row from the other process.
    await waitFor(async () => {
      const until = (await readRows())[0]?.claimedUntil;
      return until && until.getTime() > clock.getTime() ? until : undefined;
    }, 'the lease to be renewed');
    expect(await second.deliverBatch()).toBe(0);
    release();
    await batch;

    expect(fake.attempts).toHaveLength(1);
    expect((await readRows())[0]).toMatchObject({ status: 'sent', attempts: 1, claimedUntil: null });
  });

  it.for([
    ['a retryable failure', new DeliveryError('http_503', true)],
    ['a final failure', new DeliveryError('channel_not_found', false)],
  ] as const)(
    'leaves alone a row another process took over when a stalled one settles %s on it',
    async ([_label, failure]) => {
      const fake = createFakeSender();
      await queue(card('C0STALL'));
      fake.failNext('C0STALL', failure);
      const release = fake.hold('C0STALL');
      const stalled = buildDeliverer(fake.sender, { leaseMs: 5_000 });
      const batch = stalled.deliverer.deliverBatch();
      await waitFor(async () => (await readRows())[0]?.claimedUntil ?? undefined, 'the first claim');
      // The first process stalls past its lease; another claims the row and is sending it.
      advance(5_001);
      const [taken] = await claimDueOutboxMessages<Message>(database.db, {
        now: clock,
        limit: 1,
        leaseMs: 5_000,
      });
      expect(taken?.claimedUntil).toEqual(new Date(clock.getTime() + 5_000));
      release();
      await batch;

      // The stalled process's failure changed nothing: the row is still the other process's, so no third
      // process can claim it and send it a second time.
      expect((await readRows())[0]).toMatchObject({
        status: 'pending',
        claimedUntil: taken?.claimedUntil,
        lastError: null,
      });
      expect(await buildDeliverer(fake.sender, { leaseMs: 5_000 }).deliverer.deliverBatch()).toBe(0);
      expect(stalled.recording.text()).toContain('lost the claim on a message while sending it');
    },
  );

  it('finds in the Slack channel and the DM what a dead process posted, by its outbox id, and posts nothing twice', async () => {
    const slackApi = await startRecordingSlackApi();
    try {
      const sender = createSlackSender({
        token: 'xoxb-test',
        apiUrl: slackApi.apiUrl,
        logger: createRecordingLogger().logger,
      });
      await queue(card('C0APPROVALS', { cardKey: 'TO-5' }), card('U0SAM', { kind: 'dm' }));
      const claimed = (
        await claimDueOutboxMessages<Message>(database.db, { now: clock, limit: 10, leaseMs: 5_000 })
      ).sort((one, other) => one.id - other.id);
      for (const row of claimed) {
        const tag = { outboxId: row.id };
        if (row.kind === 'post') await sender.post(row.target, row.message, tag);
        else await sender.sendDirect(row.target, row.message, tag);
      }
      const { deliverer } = buildDeliverer(sender, { leaseMs: 5_000 });

      advance(5_001);
      expect(await deliverer.deliverBatch()).toBe(2);

      const posts = slackApi.callsTo('chat.postMessage');
      expect(posts).toHaveLength(2);
      expect(posts.map((call) => call.body.metadata)).toEqual(
        claimed.map((row) => ({ event_type: 'frontdesk_outbox', event_payload: { outbox_id: row.id } })),
      );
      expect(slackApi.callsTo('conversations.history').map((call) => call.body.channel)).toEqual(
        expect.arrayContaining(['C0APPROVALS', 'U0SAM']),
      );
      expect(slackApi.callsTo('conversations.open')[0]?.body).toMatchObject({ users: 'U0SAM' });
      expect((await readRows()).map((row) => row.status)).toEqual(['sent', 'sent']);
      expect(
        await getMessageRef(database.db, { officeId: OFFICE, cardKey: 'TO-5', platform: 'slack' }),
      ).toEqual({ channel: 'C0APPROVALS', messageId: '1700000000.000001' });
    } finally {
      await slackApi.close();
    }
  });

  /** Moves the clock out of the last hour of the office day, so a test spanning minutes stays in one day. */
  function keepClockOffMidnight() {
    const local = DateTime.fromJSDate(clock).setZone(office.office.timezone);
    if (local.hour === 23) clock = local.plus({ days: 1 }).set({ hour: 1 }).toJSDate();
  }

  async function drain(deliverer: { deliverBatch(): Promise<number> }) {
    while ((await deliverer.deliverBatch()) > 0);
  }

  it('keeps a card a channel refuses until frontdesk is invited, and asks the managers once across processes', async () => {
    keepClockOffMidnight();
    const fake = createFakeSender();
    const refused = () => new DeliveryError('not_in_channel', false);
    fake.failNext('C0APPROVALS', refused(), refused(), refused(), refused());
    const first = buildDeliverer(fake.sender, { batchSize: 1 }).deliverer;
    const second = buildDeliverer(fake.sender, { batchSize: 1 }).deliverer;
    await queue(card('C0APPROVALS', { cardKey: 'TO-3' }), card('C0APPROVALS', { cardKey: 'TO-4' }));
    const cards = async () => (await readRows()).filter((row) => row.target === 'C0APPROVALS');
    const invites = () => fake.sent.filter((call) => call.kind === 'dm');

    // Both processes are refused at once; the managers are asked once, by whichever claimed the notice.
    await Promise.all([first.deliverBatch(), second.deliverBatch()]);
    expect((await cards()).map((row) => [row.status, row.lastError])).toEqual([
      ['pending', 'not_in_channel'],
      ['pending', 'not_in_channel'],
    ]);
    for (const row of await cards()) {
      expect(row.nextAttemptAt.getTime()).toBeGreaterThanOrEqual(clock.getTime() + 5 * MINUTE);
    }
    await drain(first);
    expect(
      invites()
        .map((call) => call.target)
        .sort(),
    ).toEqual(['U0DANA', 'U0OMAR']);
    expect(invites()[0]?.message).toEqual(buildInviteRequest('C0APPROVALS'));
    expect(invites()[0]?.message.text).toBe(
      'Please invite frontdesk to #C0APPROVALS — a card is waiting to be posted there.',
    );

    // Still not invited five minutes later: tried again, the next try 15 minutes on, and nobody asked again.
    advance(5 * MINUTE);
    await drain(second);
    expect((await cards()).map((row) => [row.status, row.attempts])).toEqual([
      ['pending', 2],
      ['pending', 2],
    ]);
    expect(invites()).toHaveLength(2);
    const notices = await database.db
      .select()
      .from(jobRuns)
      .where(and(eq(jobRuns.officeId, OFFICE), eq(jobRuns.job, INVITE_NOTICE_JOB)));
    expect(notices).toHaveLength(1);
    expect(notices[0]?.runKey).toMatch(/^slack:C0APPROVALS:\d{4}-\d{2}-\d{2}$/);

    // Someone typed /invite @frontdesk: the next try posts both cards.
    advance(15 * MINUTE);
    await drain(first);
    expect((await cards()).map((row) => row.status)).toEqual(['sent', 'sent']);
    expect(fake.sent.filter((call) => call.kind === 'post')).toHaveLength(2);
    expect(invites()).toHaveLength(2);
  });

  it('keeps waiting for the invite through a passing outage, even after maxAttempts tries', async () => {
    const fake = createFakeSender();
    const refused = () => new DeliveryError('not_in_channel', false);
    fake.failNext('C0HUDDLE', refused(), refused(), refused(), new DeliveryError('http_503', true));
    const { deliverer } = buildDeliverer(fake.sender);
    await queue(card('C0HUDDLE'));
    const huddleRow = async () => (await readRows()).find((row) => row.target === 'C0HUDDLE');

    for (let round = 0; round < 5; round += 1) {
      await drain(deliverer);
      advance(60 * MINUTE);
    }

    expect(fake.attempts.filter((call) => call.target === 'C0HUDDLE')).toHaveLength(5);
    expect(await huddleRow()).toMatchObject({ status: 'sent', attempts: 5 });
  });

  it('tries a refused card after 5, 15, 30 and then every 60 minutes, and gives up 24 hours after it was queued', async () => {
    const fake = createFakeSender();
    fake.failNext(
      'C0GONE',
      ...Array.from({ length: 40 }, () => new DeliveryError('channel_not_found', false)),
    );
    const { deliverer, recording } = buildDeliverer(fake.sender);
    await queue(card('C0GONE'));
    const refusedRow = async () => (await readRows()).find((row) => row.target === 'C0GONE');

    const waits: number[] = [];
    for (let round = 0; round < 5; round += 1) {
      await drain(deliverer);
      const row = await refusedRow();
      expect(row).toMatchObject({ status: 'pending', lastError: 'channel_not_found' });
      const wait = (row?.nextAttemptAt.getTime() ?? 0) - clock.getTime();
      waits.push(wait / MINUTE);
      advance(wait);
    }
    expect(waits).toEqual([5, 15, 30, 60, 60]);

    advance(24 * 60 * MINUTE);
    await drain(deliverer);
    expect(await refusedRow()).toMatchObject({ status: 'failed', lastError: 'channel_not_found' });
    const errors = recording.records().filter((record) => record.level >= 50);
    expect(errors).toEqual([expect.objectContaining({ code: 'channel_not_found' })]);
    expect(recording.text()).not.toContain('Jane Roe');
  });
});
