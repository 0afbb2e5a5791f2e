import { type IncomingMessage, request } from 'node:http';
import { connect, type Socket } from 'node:net';
import { DateTime } from 'luxon';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildOfficeConfig } from '../helpers/office.ts';
import { type SlackHarness, startSlackHarness } from '../helpers/slack-harness.ts';
import { buildSlackHeaders, buildSlashCommandBody } from '../helpers/slack-signing.ts';

const office = buildOfficeConfig();
const NOW = DateTime.fromISO('2026-11-25T10:00', { zone: office.office.timezone }); // Wed
const filers = office.staff.flatMap((member) => (member.slack ? [member.slack] : [])).slice(0, 6);
const days = ['dec 1', 'dec 2', 'dec 3', 'dec 4', 'dec 7', 'dec 8'];

function openSocket(url: URL): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect(Number(url.port), url.hostname, () => resolve(socket));
    socket.once('error', reject);
  });
}

interface Answer {
  status: number;
  connection: string | undefined;
  text: string;
}

function readAnswer(response: IncomingMessage): Promise<Answer> {
  return new Promise((resolve, reject) => {
    let body = '';
    response.setEncoding('utf8');
    response.on('data', (chunk: string) => {
      body += chunk;
    });
    response.once('error', reject);
    response.once('end', () =>
      resolve({
        status: response.statusCode ?? 0,
        connection: response.headers.connection,
        text: String((JSON.parse(body) as { text?: unknown }).text),
      }),
    );
  });
}

describe('stopping while requests are sent but not yet read', () => {
  let slack: SlackHarness;

  beforeAll(async () => {
    slack = await startSlackHarness({ command: '/timeoff', office, now: NOW });
  });
  afterAll(() => slack?.stop());

  it('answers every request sent before the stop, each with Connection: close, and files each once', async () => {
    const url = new URL(slack.url);
    const sockets = await Promise.all(filers.map(() => openSocket(url)));
    const answers: Promise<Answer>[] = [];
    const written: Promise<void>[] = [];
    filers.forEach((userId, index) => {
      const body = buildSlashCommandBody({
        command: '/timeoff',
        text: `${days[index]} appointment`,
        userId,
        responseUrl: slack.api.responseUrl(`filing-${index}`),
      });
      const sent = request(`${slack.url}/slack/events`, {
        method: 'POST',
        headers: { ...buildSlackHeaders(slack.secret, body), 'content-length': Buffer.byteLength(body) },
        createConnection: () => sockets[index] as Socket,
      });
      answers.push(
        new Promise((resolve, reject) =>
          sent.once('response', (r) => resolve(readAnswer(r))).once('error', reject),
        ),
      );
      written.push(new Promise((resolve) => sent.once('finish', () => resolve())));
      sent.end(body);
    });
    // Every request is with the kernel, and the app has had no turn of its event loop to read one: the stop
    // comes as a signal would, between two reads.
    await Promise.all(written);
    const stopped = slack.stop();

    const results = await Promise.all(answers);
    await stopped;
    for (const result of results) {
      expect(result.status).toBe(200);
      expect(result.connection).toBe('close');
      expect(result.text).toMatch(/^Time off requested: TO-\d+/);
    }
    const references = results.map((result) => /TO-\d+/.exec(result.text)?.[0]);
    expect(new Set(references).size).toBe(filers.length);
  });
});
