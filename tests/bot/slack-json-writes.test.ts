import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createSlackJsonWrites } from '../../src/bot/slack/json-writes.ts';
import { failureOf } from '../helpers/delivery-failure.ts';
import { findFreePort } from '../helpers/processes.ts';
import { type RecordingSlackApi, startRecordingSlackApi } from '../helpers/slack-api-server.ts';

/** A server that answers every request with `status` and `body`, as a broken proxy or a captive portal might. */
async function startOddServer(status: number, body: string): Promise<{ apiUrl: string; server: Server }> {
  const server = createServer((request, response) => {
    request.resume();
    request.on('end', () => response.writeHead(status, { 'content-type': 'text/html' }).end(body));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { apiUrl: `http://127.0.0.1:${port}/api/`, server };
}

describe('createSlackJsonWrites', () => {
  let slackApi: RecordingSlackApi;

  beforeAll(async () => {
    slackApi = await startRecordingSlackApi();
  });
  afterAll(async () => {
    await slackApi?.close();
  });
  beforeEach(() => {
    slackApi.reset();
  });

  it('sends the arguments as a JSON body with the bot token, and returns what Slack answered', async () => {
    const writes = createSlackJsonWrites({ token: 'xoxb-json', apiUrl: slackApi.apiUrl });
    const blocks = [{ type: 'section', text: { type: 'mrkdwn', text: '&lt;!channel&gt;' } }];

    const answer = await writes.send('chat.postMessage', { channel: 'C0APPROVALS', text: 'TO-1', blocks });

    expect(answer).toMatchObject({
      ok: true,
      channel: 'C0APPROVALS',
      ts: expect.stringMatching(/^\d+\.\d+$/),
    });
    const [call] = slackApi.callsTo('chat.postMessage');
    expect(call?.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(call?.headers.authorization).toBe('Bearer xoxb-json');
    // Sent as JSON once: the blocks arrive as an array, not as a JSON string inside a form field.
    expect(call?.body).toEqual({ channel: 'C0APPROVALS', text: 'TO-1', blocks });
  });

  it('takes SLACK_API_URL with or without its last slash', async () => {
    const writes = createSlackJsonWrites({ token: 'xoxb-json', apiUrl: slackApi.apiUrl.replace(/\/$/, '') });

    await writes.send('chat.update', { channel: 'C0APPROVALS', ts: '1700000000.000001', text: 'TO-1' });

    expect(slackApi.callsTo('chat.update')).toHaveLength(1);
  });

  it.each([
    {
      answer: 'a 429 without Retry-After',
      status: 429,
      body: '',
      failure: { code: 'ratelimited', retryable: true, retryAfterMs: 1_000 },
    },
    {
      answer: 'a 4xx other than 429',
      status: 404,
      body: 'not here',
      failure: { code: 'http_404', retryable: false },
    },
    {
      answer: 'a 200 that is not Slack’s answer',
      status: 200,
      body: '<html>Sign in to the Wi-Fi</html>',
      failure: { code: 'unreadable_answer', retryable: true },
    },
  ])('reports $answer as $failure.code', async ({ status, body, failure }) => {
    const odd = await startOddServer(status, body);
    try {
      const writes = createSlackJsonWrites({ token: 'xoxb-json', apiUrl: odd.apiUrl });
      expect(await failureOf(writes.send('chat.update', { channel: 'C1', ts: '1.2' }))).toEqual(
        expect.objectContaining(failure),
      );
    } finally {
      odd.server.close();
    }
  });

  it('reports a refused connection as a retryable network failure', async () => {
    const port = await findFreePort();
    const writes = createSlackJsonWrites({ token: 'xoxb-json', apiUrl: `http://127.0.0.1:${port}/api/` });

    expect(await failureOf(writes.send('chat.postMessage', { channel: 'C1' }))).toMatchObject({
      code: 'network',
      retryable: true,
    });
  });
});
