import { request as httpRequest } from 'node:http';
import { DateTime } from 'luxon';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type Frontdesk, startFrontdesk } from '../../src/bot/frontdesk.ts';
import { loadEnv } from '../../src/config/env.ts';
import { type Database, openDatabase } from '../../src/db/client.ts';
import { timeOffRequests } from '../../src/db/schema/index.ts';
import { buildSlackTestEnv } from '../helpers/env.ts';
import { createRecordingLogger } from '../helpers/logger.ts';
import { buildOfficeConfig } from '../helpers/office.ts';
import { startRecordingSlackApi } from '../helpers/slack-api-server.ts';

const office = buildOfficeConfig();
const NOW = DateTime.fromISO('2026-11-25T10:00', { zone: office.office.timezone }); // Wed
const FILING = JSON.stringify({ as: 'dana-reyes', text: 'timeoff dec 1 family visit' });

/** A raw HTTP request, so the test can send the Host and Origin a browser on another site would. */
function send(
  url: string,
  params: { method: string; path: string; headers?: Record<string, string>; body?: string },
): Promise<{ status: number; body: string }> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const outgoing = httpRequest(
      { hostname, port, method: params.method, path: params.path, headers: params.headers ?? {} },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () =>
          resolve({ status: response.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }),
        );
      },
    );
    outgoing.on('error', reject);
    outgoing.end(params.body);
  });
}

describe('the sandbox refuses requests from other sites', () => {
  let database: Database;
  let app: Frontdesk;
  let origin: string;

  beforeAll(async () => {
    database = await openDatabase({ dataDir: null });
    app = await startFrontdesk({
      env: { ...loadEnv({ SANDBOX: '1' }), port: 0 },
      office,
      database,
      jobs: [],
      clock: () => NOW,
      logger: createRecordingLogger('warn').logger,
    });
    origin = app.url;
  });
  afterAll(async () => {
    await app?.stop();
    await database?.close();
  });
  beforeEach(async () => {
    await database.db.delete(timeOffRequests);
  });

  const post = (headers: Record<string, string>) =>
    send(app.url, { method: 'POST', path: '/sandbox/api/command', headers, body: FILING });

  it('files from its own page: JSON with its own origin', async () => {
    const answer = await post({
      'content-type': 'application/json',
      origin,
      'sec-fetch-site': 'same-origin',
    });
    expect(answer.status).toBe(200);
    expect(answer.body).toContain('Time off requested');
    expect(await database.db.select().from(timeOffRequests)).toHaveLength(1);
  });

  it('answers HEAD on the page like GET, without the body', async () => {
    const get = await send(app.url, { method: 'GET', path: '/' });
    const head = await send(app.url, { method: 'HEAD', path: '/' });
    expect([get.status, head.status]).toEqual([200, 200]);
    expect(get.body).toContain('<html');
    expect(head.body).toBe('');
  });

  it('refuses a text/plain post, which any web page can send without asking, and files nothing', async () => {
    const answer = await post({ 'content-type': 'text/plain', origin: 'https://evil.example' });
    expect(answer.status).toBe(403);
    expect(await database.db.select().from(timeOffRequests)).toHaveLength(0);
  });

  it('refuses JSON from another origin, and a cross-site fetch that names no origin', async () => {
    const foreign = await post({ 'content-type': 'application/json', origin: 'https://evil.example' });
    const crossSite = await post({ 'content-type': 'application/json', 'sec-fetch-site': 'cross-site' });
    expect([foreign.status, crossSite.status]).toEqual([403, 403]);
    expect(await database.db.select().from(timeOffRequests)).toHaveLength(0);
  });

  it('refuses a foreign Host name (DNS rebinding) on the page and on the conversations, complaints included', async () => {
    const host = { host: 'rebind.evil.example:3000' };
    const conversations = await send(app.url, {
      method: 'GET',
      path: '/sandbox/api/conversations?as=dana-reyes',
      headers: host,
    });
    const page = await send(app.url, { method: 'GET', path: '/', headers: host });
    expect([conversations.status, page.status]).toEqual([403, 403]);
    expect(conversations.body).not.toContain('channel:complaints');
    const local = await send(app.url, {
      method: 'GET',
      path: '/sandbox/api/conversations?as=dana-reyes',
      headers: { host: 'localhost:3000' },
    });
    expect(local.status).toBe(200);
    expect(local.body).toContain('channel:complaints');
  });
});

describe('the sandbox beside a chat platform', () => {
  it('logs a warning at start that anyone on this computer can act as anyone there', async () => {
    const slackApi = await startRecordingSlackApi();
    const database = await openDatabase({ dataDir: null });
    const recording = createRecordingLogger('warn');
    const app = await startFrontdesk({
      env: buildSlackTestEnv('sandbox-secret', slackApi.apiUrl, { SANDBOX: '1' }),
      office,
      database,
      jobs: [],
      clock: () => NOW,
      logger: recording.logger,
    });
    try {
      expect(recording.text()).toMatch(/sandbox web chat is on beside Slack or Teams/);
    } finally {
      await app.stop();
      await database.close();
      await slackApi.close();
    }
  });
});
