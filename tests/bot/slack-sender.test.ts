import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { PlatformSender } from '../../src/bot/outbox-deliverer.ts';
import { createSlackSender } from '../../src/bot/slack/sender.ts';
import { failureOf } from '../helpers/delivery-failure.ts';
import { createRecordingLogger } from '../helpers/logger.ts';
import { type RecordingSlackApi, startRecordingSlackApi } from '../helpers/slack-api-server.ts';

const card = {
  text: 'Time off request TO-3',
  title: 'Sam Lee asks for Dec 1–3',
  lines: ['<@U0DANA> family visit'],
};

describe('createSlackSender', () => {
  let slackApi: RecordingSlackApi;
  let sender: PlatformSender;

  beforeAll(async () => {
    slackApi = await startRecordingSlackApi();
    sender = createSlackSender({
      token: 'xoxb-test',
      apiUrl: slackApi.apiUrl,
      logger: createRecordingLogger().logger,
    });
  });
  afterAll(async () => {
    await slackApi?.close();
  });
  beforeEach(() => {
    slackApi.reset();
  });

  it('posts the card with its text and escaped blocks and returns where it landed', async () => {
    const ref = await sender.post('C0APPROVALS', card);

    expect(ref).toEqual({ channel: 'C0APPROVALS', messageId: expect.stringMatching(/^\d+\.\d+$/) });
    const [call] = slackApi.callsTo('chat.postMessage');
    expect(call?.headers.authorization).toBe('Bearer xoxb-test');
    expect(call?.body).toMatchObject({
      channel: 'C0APPROVALS',
      text: 'Time off request TO-3',
      unfurl_links: false,
    });
    expect(call?.body.blocks).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          type: 'header',
          text: expect.objectContaining({ text: 'Sam Lee asks for Dec 1–3' }),
        }),
      ]),
    );
    expect(JSON.stringify(call?.body.blocks)).toContain('&lt;@U0DANA&gt; family visit');
  });

  it('edits a posted message in place', async () => {
    const ref = await sender.post('C0APPROVALS', card);
    await sender.update(ref, { text: 'Approved by Dana Reyes' });

    expect(slackApi.callsTo('chat.update')[0]?.body).toMatchObject({
      channel: 'C0APPROVALS',
      ts: ref.messageId,
      text: 'Approved by Dana Reyes',
    });
  });

  it('sends a direct message by posting to the user id', async () => {
    await sender.sendDirect('U0SAM', { text: 'Your request TO-3 was approved' });

    expect(slackApi.callsTo('chat.postMessage')[0]?.body).toMatchObject({ channel: 'U0SAM' });
  });

  it('reports a 5xx as retryable and tries only once', async () => {
    slackApi.failNext('chat.postMessage', 1, { status: 503 });

    expect(await failureOf(sender.post('C0APPROVALS', card))).toMatchObject({
      code: 'http_503',
      retryable: true,
    });
    expect(slackApi.callsTo('chat.postMessage')).toHaveLength(1);
  });

  it('reports a 429 as retryable after the Retry-After it gave, without waiting it out', async () => {
    slackApi.failNext('chat.postMessage', 1, { status: 429, retryAfter: 30 });

    expect(await failureOf(sender.post('C0APPROVALS', card))).toMatchObject({
      code: 'ratelimited',
      retryable: true,
      retryAfterMs: 30_000,
    });
    expect(slackApi.callsTo('chat.postMessage')).toHaveLength(1);
  });

  it('reports channel_not_found as final', async () => {
    slackApi.failNext('chat.postMessage', 1, { error: 'channel_not_found' });

    expect(await failureOf(sender.post('C0GONE', card))).toMatchObject({
      code: 'channel_not_found',
      retryable: false,
    });
  });

  it('reports a transient Slack error as retryable', async () => {
    slackApi.failNext('chat.update', 1, { error: 'internal_error' });

    expect(
      await failureOf(sender.update({ channel: 'C0APPROVALS', messageId: '1700000000.000001' }, card)),
    ).toMatchObject({ code: 'internal_error', retryable: true });
  });
  describe('finding a message an earlier try posted', () => {
    const aMinuteAgo = () => new Date(Date.now() - 60_000);

    it('tags every outbox post with its outbox id as message metadata', async () => {
      await sender.post('C0APPROVALS', card, { outboxId: 41 });
      await sender.sendDirect('U0SAM', card, { outboxId: 42 });

      expect(slackApi.callsTo('chat.postMessage').map((call) => call.body.metadata)).toEqual([
        { event_type: 'frontdesk_outbox', event_payload: { outbox_id: 41 } },
        { event_type: 'frontdesk_outbox', event_payload: { outbox_id: 42 } },
      ]);
    });

    it('finds the post of one outbox row in the channel and not that of another', async () => {
      const ref = await sender.post('C0APPROVALS', card, { outboxId: 7 });
      await sender.post('C0APPROVALS', card, { outboxId: 8 });
      await sender.post('C0APPROVALS', card);

      expect(await sender.findPosted?.('C0APPROVALS', 7, aMinuteAgo())).toEqual(ref);
      expect(await sender.findPosted?.('C0APPROVALS', 9, aMinuteAgo())).toBeUndefined();
      expect(await sender.findPosted?.('C0HUDDLE', 8, aMinuteAgo())).toBeUndefined();
      expect(slackApi.callsTo('conversations.history')[0]?.body).toMatchObject({
        channel: 'C0APPROVALS',
        include_all_metadata: 'true',
      });
    });

    it('looks only at messages posted since the time it is given', async () => {
      await sender.post('C0APPROVALS', card, { outboxId: 7 });

      expect(await sender.findPosted?.('C0APPROVALS', 7, new Date(Date.now() + 60_000))).toBeUndefined();
    });

    it('finds a direct message in the conversation it opens with the user', async () => {
      const ref = await sender.sendDirect('U0SAM', card, { outboxId: 12 });

      expect(await sender.findPosted?.('U0SAM', 12, aMinuteAgo())).toEqual(ref);
      expect(slackApi.callsTo('conversations.open')[0]?.body).toMatchObject({ users: 'U0SAM' });
    });

    it('reads further pages of a busy channel', async () => {
      const ref = await sender.post('C0APPROVALS', card, { outboxId: 3 });
      for (let index = 0; index < 250; index += 1) await sender.post('C0APPROVALS', card);

      expect(await sender.findPosted?.('C0APPROVALS', 3, aMinuteAgo())).toEqual(ref);
      expect(slackApi.callsTo('conversations.history')).toHaveLength(2);
    });

    it('answers "not found" when Slack refuses the look-up for good, and throws when it may answer later', async () => {
      const recording = createRecordingLogger();
      const logged = createSlackSender({
        token: 'xoxb-test',
        apiUrl: slackApi.apiUrl,
        logger: recording.logger,
      });
      slackApi.failNext('conversations.history', 1, { error: 'missing_scope' });
      slackApi.failNext('conversations.history', 1, { status: 503 });

      expect(await logged.findPosted?.('C0APPROVALS', 1, aMinuteAgo())).toBeUndefined();
      expect(recording.records()).toEqual([expect.objectContaining({ code: 'missing_scope' })]);
      expect(
        await failureOf(logged.findPosted?.('C0APPROVALS', 1, aMinuteAgo()) ?? Promise.resolve()),
      ).toMatchObject({
        code: 'http_503',
        retryable: true,
      });
    });
  });
});
