import { DateTime } from 'luxon';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Frontdesk, startFrontdesk } from '../../src/bot/frontdesk.ts';
import { type Database, openDatabase } from '../../src/db/client.ts';
import { buildSlackTestEnv } from '../helpers/env.ts';
import { createRecordingLogger } from '../helpers/logger.ts';
import { buildOfficeConfig } from '../helpers/office.ts';
import { type RecordingSlackApi, startRecordingSlackApi } from '../helpers/slack-api-server.ts';
import { buildSlackHeaders, buildSlashCommandBody } from '../helpers/slack-signing.ts';
import { waitForOutboxDrained } from '../helpers/wait.ts';

const SECRET = 'huddle-signing-secret';
const office = buildOfficeConfig();
const NOW = DateTime.fromISO('2026-11-25T11:00', { zone: office.office.timezone }); // Wed

describe('/huddle through signed Slack requests', () => {
  let slackApi: RecordingSlackApi;
  let database: Database;
  let app: Frontdesk;

  beforeAll(async () => {
    slackApi = await startRecordingSlackApi();
    database = await openDatabase({ dataDir: null });
    app = await startFrontdesk({
      env: buildSlackTestEnv(SECRET, slackApi.apiUrl),
      office,
      database,
      logger: createRecordingLogger('info').logger,
      clock: () => NOW,
      deliverer: { pollMs: 20 },
      jobs: [],
    });
  });
  afterAll(async () => {
    await app?.stop();
    await database?.close();
    await slackApi?.close();
  });

  async function huddle(text: string, userId: string) {
    const body = buildSlashCommandBody({
      command: '/huddle',
      text,
      userId,
      responseUrl: slackApi.responseUrl('h'),
    });
    const response = await fetch(`${app.url}/slack/events`, {
      method: 'POST',
      headers: buildSlackHeaders(SECRET, body),
      body,
    });
    expect(response.status).toBe(200);
    return (await response.json()) as { text: string; response_type: string; blocks: unknown[] };
  }

  it('shows today’s digest to the person who asked, ephemerally', async () => {
    const answer = await huddle('', 'U0SAM');
    expect(answer).toMatchObject({ response_type: 'ephemeral', text: 'Huddle — Wed Nov 25' });
    expect(JSON.stringify(answer.blocks)).toContain('Holidays this week');
  });

  it('shows another day’s digest', async () => {
    expect((await huddle('2026-12-03', 'U0SAM')).text).toBe('Huddle — Thu Dec 3');
    expect((await huddle('tomorrow', 'U0SAM')).text).toBe('Huddle — Thu Nov 26');
  });

  it('answers an unreadable date with how to write it', async () => {
    expect((await huddle('someday soon', 'U0SAM')).text).toMatch(/not one day I can read/);
  });

  it('refuses /huddle post from someone who is not a manager and posts nothing', async () => {
    const answer = await huddle('post', 'U0SAM');
    expect(answer.text).toMatch(/Only managers can post the huddle/);
    await waitForOutboxDrained(database.db);
    expect(slackApi.callsTo('chat.postMessage')).toHaveLength(0);
  });

  it('posts the digest to the huddle channel for a manager', async () => {
    const answer = await huddle('post', 'U0DANA');
    expect(answer.text).toBe('Posted the huddle for Wed Nov 25 to the huddle channel.');
    const deadline = Date.now() + 5000;
    while (slackApi.callsTo('chat.postMessage').length === 0 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    const [post] = slackApi.callsTo('chat.postMessage');
    expect(post?.body).toMatchObject({ channel: office.channels.huddle, text: 'Huddle — Wed Nov 25' });
  });
});
