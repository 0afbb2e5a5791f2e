import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One call the recording Bot Framework connector received. */
export interface ConnectorCall {
  method: string;
  path: string;
  conversationId: string;
  activityId: string | undefined;
  body: Record<string, unknown>;
}

/**
 * A local Bot Framework connector (the activity's `serviceUrl`): records sends, replies and updates, and
 * answers each send with a new activity id, as Teams does.
 */
export async function startRecordingConnector() {
  const calls: ConnectorCall[] = [];
  let next = 1;
  const server = createServer((request: IncomingMessage, response: ServerResponse) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      const path = new URL(request.url ?? '/', 'http://connector').pathname;
      const match = /^\/v3\/conversations\/([^/]+)\/activities(?:\/([^/]+))?$/.exec(path);
      if (!match) {
        response.writeHead(404).end();
        return;
      }
      calls.push({
        method: request.method ?? '',
        path,
        conversationId: decodeURIComponent(match[1] ?? ''),
        activityId: match[2] ? decodeURIComponent(match[2]) : undefined,
        body: raw ? (JSON.parse(raw) as Record<string, unknown>) : {},
      });
      const id = request.method === 'PUT' ? (match[2] ?? '') : `activity-${next++}`;
      response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ id }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    calls,
    /** Cards (Adaptive Card content) sent into one conversation, in order. */
    cardsIn(conversationId: string) {
      return calls
        .filter((call) => call.conversationId === conversationId && call.method === 'POST')
        .flatMap(
          (call) => (call.body.attachments as { content: Record<string, unknown> }[] | undefined) ?? [],
        )
        .map((attachment) => attachment.content);
    },
    updates: () => calls.filter((call) => call.method === 'PUT'),
    reset() {
      calls.length = 0;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

export type RecordingConnector = Awaited<ReturnType<typeof startRecordingConnector>>;
