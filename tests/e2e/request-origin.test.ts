import { request } from 'node:http';
import { DateTime } from 'luxon';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type RecordingConnector,
  sendActivity,
  startRecordingConnector,
  teamsActivity,
} from '../helpers/bot-connector.ts';
import { buildOfficeConfig, withTeamsIds } from '../helpers/office.ts';
import { type SlackHarness, startSlackHarness } from '../helpers/slack-harness.ts';
import { buildSlackHeaders, buildSlashCommandBody } from '../helpers/slack-signing.ts';
import { waitFor } from '../helpers/wait.ts';

const TOKEN = 'request-origin-calendar-token-0123456789';
const base = buildOfficeConfig();
const office = {
  ...base,
  reps: { ...base.reps, calendarToken: TOKEN },
  staff: withTeamsIds(base.staff),
};
const NOW = DateTime.fromISO('2026-11-25T10:00', { zone: office.office.timezone });

// Each adapter reads the address from its own request and hands it to dispatch; nothing carries it across
// awaits, so every platform is asked here, twice in a row with different addresses.
describe('the calendar address in an answer, when PUBLIC_URL is not set', () => {
  let harness: SlackHarness;
  let connector: RecordingConnector;

  beforeAll(async () => {
    connector = await startRecordingConnector();
    harness = await startSlackHarness({
      office,
      now: NOW,
      logLevel: 'warn',
      env: { TEAMS_EMULATOR: '1', SANDBOX: '1' },
    });
  });
  afterAll(async () => {
    await harness?.stop();
    await connector?.close();
  });

  const feed = (origin: string) => `${origin}/calendar/${TOKEN}.ics`;

  it('names the address Slack reached, and https behind a proxy that says so', async () => {
    const ask = async (headers: Record<string, string>) => {
      const body = buildSlashCommandBody({ command: '/reps', text: 'calendar', userId: 'U0DANA' });
      const response = await fetch(`${harness.url}/slack/events`, {
        method: 'POST',
        headers: { ...buildSlackHeaders(harness.secret, body), ...headers },
        body,
      });
      expect(response.status).toBe(200);
      return JSON.stringify(await response.json());
    };
    const host = new URL(harness.url).host;
    expect(await ask({ 'x-forwarded-proto': 'https' })).toContain(feed(`https://${host}`));
    const plain = await ask({});
    expect(plain).toContain(feed(`http://${host}`));
    expect(plain).not.toContain('https://');
  });

  it('names the address Teams posted to', async () => {
    const host = new URL(harness.url).host;
    await sendActivity(
      harness.url,
      teamsActivity(connector.url, { user: 'dana', conversation: 'dm-dana', text: 'reps calendar' }),
    );
    const answer = await waitFor(
      () => connector.postsIn('dm-dana').find((call) => JSON.stringify(call.body).includes('/calendar/')),
      'the Teams answer',
    );
    expect(JSON.stringify(answer.body)).toContain(feed(`http://${host}`));
  });

  it('names the address the sandbox page was opened at', async () => {
    const response = await fetch(`${harness.url}/sandbox/api/command`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: harness.url, 'sec-fetch-site': 'same-origin' },
      body: JSON.stringify({ as: 'dana-reyes', text: '/reps calendar' }),
    });
    expect(response.status).toBe(200);
    expect(JSON.stringify(await response.json())).toContain(feed(harness.url));
  });

  it('names no address when the request came with a Host that is not a plain host name', async () => {
    const body = buildSlashCommandBody({ command: '/reps', text: 'calendar', userId: 'U0DANA' });
    const { port } = new URL(harness.url);
    // What a client can put in a link people click: it must not be taken for frontdesk's address.
    const answer = await new Promise<string>((resolve, reject) => {
      const sent = request(
        {
          host: '127.0.0.1',
          port,
          path: '/slack/events',
          method: 'POST',
          headers: { ...buildSlackHeaders(harness.secret, body), host: 'evil.example/phish?x=' },
        },
        (response) => {
          const chunks: Buffer[] = [];
          response.on('data', (chunk: Buffer) => chunks.push(chunk));
          response.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
        },
      );
      sent.on('error', reject);
      sent.end(body);
    });
    expect(answer).toContain(`Calendar feed: /calendar/${TOKEN}.ics on your frontdesk server`);
    expect(answer).not.toContain('evil.example');
  });
});
