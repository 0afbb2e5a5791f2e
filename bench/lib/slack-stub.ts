/**
 * A Slack Web API stand-in for the load benchmarks, run as its own process so its work does not share an
 * event loop with the load generator. It answers like Slack and counts: calls per method, and approval
 * cards per request reference, so a run can prove that every filing got exactly one card.
 *
 * Prints `{"port":…}` on its first stdout line. GET /__stats returns the counts; POST /__reset clears them.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface SlackStubStats {
  calls: Record<string, number>;
  /** approval-channel posts whose text names a time-off or supply reference, per reference */
  cardsPerReference: Record<string, number>;
}

const approvalsChannel = process.env.APPROVALS_CHANNEL ?? 'C0APPROVALS';
const calls = new Map<string, number>();
let cardsPerReference = new Map<string, number>();
let sequence = 0;

function readField(body: string, contentType: string | undefined, field: string): string | undefined {
  if (contentType?.includes('application/json')) {
    const value = (JSON.parse(body) as Record<string, unknown>)[field];
    return typeof value === 'string' ? value : undefined;
  }
  return new URLSearchParams(body).get(field) ?? undefined;
}

function send(response: ServerResponse, body: unknown): void {
  response.writeHead(200, { 'content-type': 'application/json; charset=utf-8' });
  response.end(JSON.stringify(body));
}

async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  const body = Buffer.concat(chunks).toString('utf8');
  const path = new URL(request.url ?? '/', 'http://slack').pathname;
  if (path === '/__stats') {
    const stats: SlackStubStats = {
      calls: Object.fromEntries(calls),
      cardsPerReference: Object.fromEntries(cardsPerReference),
    };
    return send(response, stats);
  }
  if (path === '/__reset') {
    calls.clear();
    cardsPerReference = new Map();
    return send(response, { ok: true });
  }
  const method = path.startsWith('/api/') ? path.slice('/api/'.length) : 'response_url';
  calls.set(method, (calls.get(method) ?? 0) + 1);
  const contentType = request.headers['content-type'];
  switch (method) {
    case 'chat.postMessage': {
      const channel = readField(body, contentType, 'channel');
      if (channel === approvalsChannel) {
        const reference = /\b(TO|SR)-\d+\b/.exec(readField(body, contentType, 'text') ?? '')?.[0];
        if (reference) cardsPerReference.set(reference, (cardsPerReference.get(reference) ?? 0) + 1);
      }
      sequence += 1;
      return send(response, { ok: true, channel, ts: `1700000000.${String(sequence).padStart(6, '0')}` });
    }
    case 'auth.test':
      return send(response, { ok: true, team_id: 'T0BENCH', user_id: 'U0BOT', bot_id: 'B0BOT' });
    default:
      return send(response, { ok: true });
  }
}

const server = createServer((request, response) => {
  handle(request, response).catch(() => {
    response.writeHead(500);
    response.end();
  });
});
server.keepAliveTimeout = 60_000;
server.listen(0, '127.0.0.1', () => {
  process.stdout.write(`${JSON.stringify({ port: (server.address() as AddressInfo).port })}\n`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
