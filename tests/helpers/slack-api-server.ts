import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One call the recording server received. */
export interface RecordedSlackCall {
  /** Web API method (`chat.postMessage`), or `response_url` for posts to `/response/<id>` */
  method: string;
  path: string;
  /** the parsed body; JSON-encoded form fields (blocks, view) are parsed too */
  body: Record<string, unknown>;
  headers: IncomingHttpHeaders;
  /** when it arrived (epoch ms), for checking how long a client waited between tries */
  receivedAt: number;
}

/** How a scripted failure answers: an HTTP status (429 may carry Retry-After) or a Slack `ok: false` error. */
export type SlackFailure =
  | { status: 500 | 502 | 503 }
  | { status: 429; retryAfter: number }
  | { error: string };

/** A message the server holds, as conversations.history gives it back. */
export interface StoredSlackMessage {
  channel: string;
  ts: string;
  text: unknown;
  metadata?: unknown;
  /** when it was posted (epoch ms); `oldest` in conversations.history is compared with this */
  postedAt: number;
}

/** A file uploaded through files.getUploadURLExternal, its upload URL and files.completeUploadExternal. */
export interface UploadedSlackFile {
  id: string;
  filename: string;
  /** the bytes posted to the upload URL */
  bytes: Buffer;
  /** set once files.completeUploadExternal shared it */
  channel?: string;
  title?: string;
}

export interface RecordingSlackApi {
  /** the WebSocket URL apps.connections.open hands out, for Socket Mode tests */
  socketUrl: string;
  /** files uploaded, in the order their upload URLs were asked for */
  uploads: UploadedSlackFile[];
  /** base URL of the Web API, ending in `/api/` (Bolt's `slackApiUrl`, our SLACK_API_URL) */
  apiUrl: string;
  /** a response_url the tests can put in slash-command and action payloads */
  responseUrl(id: string): string;
  calls: RecordedSlackCall[];
  callsTo(method: string): RecordedSlackCall[];
  /** What was posted to the response URL `responseUrl(id)` gave out, oldest first. */
  responsesTo(id: string): RecordedSlackCall[];
  /** Every message chat.postMessage posted, oldest first (calls whose caller left before their turn never post). */
  messages: StoredSlackMessage[];
  /**
   * Makes `method` slow and one at a time, as Slack's per-channel rate makes posts: each call waits for
   * the previous one, then `ms`. A call whose caller hung up before its turn is dropped, as a request
   * Slack never got.
   */
  delay(method: string, ms: number): void;
  /** Makes the next `count` calls of `method` fail as `failure`. */
  failNext(method: string, count: number, failure: SlackFailure): void;
  /** Resolves once every call the server got has been answered (or dropped), so no late copy is on its way. */
  settled(): Promise<void>;
  reset(): void;
  close(): Promise<void>;
}

function parseBody(raw: string, contentType: string | undefined): Record<string, unknown> {
  if (raw === '') return {};
  if (contentType?.includes('application/json')) return JSON.parse(raw) as Record<string, unknown>;
  const body: Record<string, unknown> = {};
  for (const [key, value] of new URLSearchParams(raw)) {
    if (/^[[{]/.test(value)) {
      try {
        body[key] = JSON.parse(value);
        continue;
      } catch {
        // not JSON after all: keep the text
      }
    }
    body[key] = value;
  }
  return body;
}

function answer(
  response: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
) {
  response.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
  response.end(JSON.stringify(body));
}

/**
 * A local Slack Web API that records every call: auth.test, chat.postMessage (increasing ts; the message
 * and its metadata are kept for conversations.history), conversations.open, chat.update,
 * chat.getPermalink, chat.postEphemeral, views.open, and posts to response URLs (`/response/<id>`).
 */
export async function startRecordingSlackApi(): Promise<RecordingSlackApi> {
  const calls: RecordedSlackCall[] = [];
  const failures = new Map<string, SlackFailure[]>();
  const messages: StoredSlackMessage[] = [];
  const uploads: UploadedSlackFile[] = [];
  const delays = new Map<string, number>();
  /** per slow method, the call in hand: the next one waits for it */
  const lanes = new Map<string, Promise<void>>();
  let sequence = 0;
  // Known once the server listens; the upload URLs it hands out point back at it.
  let base = '';

  function nextTs(): string {
    sequence += 1;
    return `1700000000.${String(sequence).padStart(6, '0')}`;
  }

  function reply(method: string, body: Record<string, unknown>): unknown {
    switch (method) {
      case 'auth.test':
        return {
          ok: true,
          url: 'https://frontdesk-test.slack.com/',
          team: 'Frontdesk Test',
          user: 'frontdesk',
          team_id: 'T0TEST',
          user_id: 'U0BOT',
          bot_id: 'B0BOT',
        };
      case 'chat.postMessage': {
        const ts = nextTs();
        messages.push({
          channel: String(body.channel),
          ts,
          text: body.text,
          ...(body.metadata ? { metadata: body.metadata } : {}),
          postedAt: Date.now(),
        });
        return { ok: true, channel: body.channel, ts, message: { text: body.text, ts } };
      }
      case 'conversations.open':
        // Posts to a user id are kept under that id, so it stands for the direct message's channel too.
        return { ok: true, channel: { id: body.users } };
      case 'conversations.history':
        return history(body);
      case 'chat.update':
        return { ok: true, channel: body.channel, ts: body.ts, text: body.text };
      case 'chat.getPermalink':
        return {
          ok: true,
          channel: body.channel,
          permalink: `https://frontdesk-test.slack.com/archives/${String(body.channel)}/p${String(body.message_ts).replace('.', '')}`,
        };
      case 'chat.postEphemeral':
        return { ok: true, message_ts: nextTs() };
      case 'files.getUploadURLExternal': {
        const id = `F${String(uploads.length + 1).padStart(8, '0')}`;
        uploads.push({ id, filename: String(body.filename), bytes: Buffer.alloc(0) });
        return { ok: true, upload_url: `${base}/upload/${id}`, file_id: id };
      }
      case 'files.completeUploadExternal': {
        const listed = (body.files ?? []) as { id: string; title?: string }[];
        for (const file of listed) {
          const upload = uploads.find((candidate) => candidate.id === file.id);
          if (upload) Object.assign(upload, { channel: String(body.channel_id), title: file.title });
        }
        return { ok: true, files: listed.map((file) => ({ id: file.id })) };
      }
      case 'upload':
        return { ok: true };
      case 'apps.connections.open':
        return api.socketUrl ? { ok: true, url: api.socketUrl } : { ok: false, error: 'no_socket' };
      case 'views.publish':
        return { ok: true, view: { id: `V${String(sequence++).padStart(8, '0')}`, type: 'home' } };
      case 'views.open':
        return { ok: true, view: { id: `V${String(sequence++).padStart(8, '0')}` } };
      case 'response_url':
        return { ok: true };
      default:
        return { ok: false, error: 'unknown_method' };
    }
  }

  /** Newest first, as Slack answers; ts stay predictable (1700000000.N), so `oldest` is compared with postedAt. */
  function history(body: Record<string, unknown>): unknown {
    const oldestMs = Number(body.oldest ?? 0) * 1000;
    const found = messages
      .filter((message) => message.channel === body.channel && message.postedAt >= oldestMs)
      .reverse();
    const start = Number(body.cursor ?? 0);
    const limit = Number(body.limit ?? 100);
    const page = found.slice(start, start + limit).map(({ ts, text, metadata }) => ({
      type: 'message',
      ts,
      text,
      ...(metadata && String(body.include_all_metadata) === 'true' ? { metadata } : {}),
    }));
    const more = start + limit < found.length;
    return {
      ok: true,
      messages: page,
      has_more: more,
      response_metadata: { next_cursor: more ? String(start + limit) : '' },
    };
  }

  /** Waits for the slow method's previous call and then `ms`; false when the caller hung up before its turn. */
  async function waitForTurn(method: string, request: IncomingMessage): Promise<boolean> {
    const ms = delays.get(method);
    if (ms === undefined) return true;
    const previous = lanes.get(method) ?? Promise.resolve();
    let finished = () => {};
    const mine = new Promise<void>((resolve) => {
      finished = resolve;
    });
    lanes.set(method, mine);
    await previous;
    try {
      if (request.socket.destroyed) return false;
      await new Promise((resolve) => setTimeout(resolve, ms));
      return true;
    } finally {
      finished();
    }
  }

  async function handle(request: IncomingMessage, response: ServerResponse) {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const path = new URL(request.url ?? '/', 'http://slack').pathname;
    const method = path.startsWith('/api/')
      ? path.slice('/api/'.length)
      : path.startsWith('/response/')
        ? 'response_url'
        : path.startsWith('/upload/')
          ? 'upload'
          : path;
    if (method === 'upload') {
      const upload = uploads.find((candidate) => path === `/upload/${candidate.id}`);
      if (upload) upload.bytes = Buffer.concat(chunks);
    }
    const body =
      method === 'upload'
        ? {}
        : parseBody(Buffer.concat(chunks).toString('utf8'), request.headers['content-type']);
    calls.push({ method, path, body, headers: request.headers, receivedAt: Date.now() });
    const failure = failures.get(method)?.shift();
    if (failure) {
      if ('error' in failure) return answer(response, 200, { ok: false, error: failure.error });
      if (failure.status === 429) {
        return answer(
          response,
          429,
          { ok: false, error: 'ratelimited' },
          { 'retry-after': String(failure.retryAfter) },
        );
      }
      return answer(response, failure.status, { ok: false, error: 'internal_error' });
    }
    if (!(await waitForTurn(method, request))) return;
    // Slack acts on a request it got even when the caller is gone before the answer: reply posts regardless.
    answer(response, 200, reply(method, body));
  }

  const inFlight = new Set<Promise<void>>();
  const server = createServer((request, response) => {
    const handled = handle(request, response).catch(() =>
      answer(response, 500, { ok: false, error: 'test_server_error' }),
    );
    inFlight.add(handled);
    void handled.finally(() => inFlight.delete(handled));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const api: RecordingSlackApi = {
    socketUrl: '',
    apiUrl: `${base}/api/`,
    responseUrl: (id) => `${base}/response/${id}`,
    calls,
    messages,
    uploads,
    delay(method, ms) {
      delays.set(method, ms);
    },
    callsTo: (method) => calls.filter((call) => call.method === method),
    responsesTo: (id) =>
      calls.filter((call) => call.method === 'response_url' && call.path === `/response/${id}`),
    failNext(method, count, failure) {
      const queue = failures.get(method) ?? [];
      for (let index = 0; index < count; index += 1) queue.push(failure);
      failures.set(method, queue);
    },
    settled: async () => {
      await Promise.all([...inFlight]);
    },
    reset() {
      calls.length = 0;
      messages.length = 0;
      uploads.length = 0;
      failures.clear();
      delays.clear();
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  return api;
}
