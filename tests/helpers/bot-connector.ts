import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One call the recording Bot Framework connector received. */
export interface ConnectorCall {
  method: string;
  path: string;
  conversationId: string;
  activityId: string | undefined;
  /** the id the connector gave the activity it received (or kept, for an update) */
  answeredId: string;
  body: Record<string, unknown>;
}

/** One "create conversation" call (how a bot opens a 1:1 chat) and the conversation id it was given. */
export interface CreatedConversation {
  body: { isGroup?: boolean; bot?: { id?: string }; members?: { id?: string }[]; tenantId?: string };
  /** undefined when the connector refused it */
  conversationId: string | undefined;
}

/**
 * A local Bot Framework connector (the activity's `serviceUrl`): records sends, replies and updates, and
 * answers each send with a new activity id, as Teams does. `POST /v3/conversations` creates a conversation
 * (a 1:1 chat) with a new id, or answers 403 for members it was told to refuse, as Teams does for a person
 * who cannot get the app; sends into a conversation it was told to refuse get 403 too.
 */
export async function startRecordingConnector() {
  const calls: ConnectorCall[] = [];
  const created: CreatedConversation[] = [];
  const refusedMembers = new Set<string>();
  const refusedConversations = new Set<string>();
  let next = 1;
  const server = createServer((request: IncomingMessage, response: ServerResponse) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      const body = raw ? (JSON.parse(raw) as Record<string, unknown>) : {};
      const path = new URL(request.url ?? '/', 'http://connector').pathname;
      if (path === '/v3/conversations' && request.method === 'POST') {
        const parameters = body as CreatedConversation['body'];
        if (parameters.members?.some((member) => refusedMembers.has(member.id ?? ''))) {
          created.push({ body: parameters, conversationId: undefined });
          response
            .writeHead(403, { 'content-type': 'application/json' })
            .end(JSON.stringify({ error: { code: 'Forbidden', message: 'the app is not installed' } }));
          return;
        }
        const conversationId = `a:1on1-${next++}`;
        created.push({ body: parameters, conversationId });
        response
          .writeHead(201, { 'content-type': 'application/json' })
          .end(JSON.stringify({ id: conversationId }));
        return;
      }
      const match = /^\/v3\/conversations\/([^/]+)\/activities(?:\/([^/]+))?$/.exec(path);
      if (!match) {
        response.writeHead(404).end();
        return;
      }
      const conversationId = decodeURIComponent(match[1] ?? '');
      if (refusedConversations.has(conversationId)) {
        response
          .writeHead(403, { 'content-type': 'application/json' })
          .end(JSON.stringify({ error: { code: 'Forbidden' } }));
        return;
      }
      const id = request.method === 'PUT' ? (match[2] ?? '') : `activity-${next++}`;
      calls.push({
        method: request.method ?? '',
        path,
        conversationId,
        activityId: match[2] ? decodeURIComponent(match[2]) : undefined,
        answeredId: id,
        body,
      });
      response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ id }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    calls,
    /** Every create-conversation call, in order. */
    created,
    /** Makes creating a conversation with this member (`29:…`) fail with 403. */
    refuseConversationsWith(memberId: string) {
      refusedMembers.add(memberId);
    },
    /** Makes every send into this conversation fail with 403, as for a chat whose app was removed. */
    refusePostsIn(conversationId: string) {
      refusedConversations.add(conversationId);
    },
    /** Activities posted into one conversation, in order. */
    postsIn(conversationId: string) {
      return calls.filter((call) => call.conversationId === conversationId && call.method === 'POST');
    },
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
      created.length = 0;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

export type RecordingConnector = Awaited<ReturnType<typeof startRecordingConnector>>;

/** A Teams message activity from `user` (Teams id `29:<user>`, AAD id `aad-<user>`), as Teams sends it. */
export function teamsActivity(
  serviceUrl: string,
  params: {
    user: string;
    conversation: string;
    kind?: 'personal' | 'channel' | 'groupChat';
    text?: string;
    value?: Record<string, unknown>;
    id?: string;
    tenant?: string;
    /** the display name Teams shows; `user` unless given */
    name?: string;
    /** the message whose card button was pressed */
    replyToId?: string;
  },
) {
  const tenant = params.tenant ?? '00000000-0000-4000-8000-000000000001';
  return {
    type: 'message',
    id: params.id ?? crypto.randomUUID(),
    timestamp: new Date().toISOString(),
    channelId: 'msteams',
    serviceUrl,
    from: { id: `29:${params.user}`, aadObjectId: `aad-${params.user}`, name: params.name ?? params.user },
    recipient: { id: '28:frontdesk', name: 'frontdesk' },
    conversation: { id: params.conversation, conversationType: params.kind ?? 'personal', tenantId: tenant },
    channelData: { tenant: { id: tenant } },
    ...(params.text !== undefined ? { text: params.text } : {}),
    ...(params.text?.includes('<at>')
      ? {
          entities: [
            {
              type: 'mention',
              text: '<at>frontdesk</at>',
              mentioned: { id: '28:frontdesk', name: 'frontdesk' },
            },
          ],
        }
      : {}),
    ...(params.value ? { value: params.value } : {}),
    ...(params.replyToId ? { replyToId: params.replyToId } : {}),
  };
}

/** Posts an activity to a running frontdesk's /api/messages, as the Bot Framework would. */
export function sendActivity(appUrl: string, body: unknown): Promise<Response> {
  return fetch(`${appUrl}/api/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
}
