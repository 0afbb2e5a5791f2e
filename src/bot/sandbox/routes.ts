import { createHash, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { and, asc, eq, inArray } from 'drizzle-orm';
import { z } from 'zod';
import type { OfficeConfig } from '../../config/office.ts';
import type { Db } from '../../db/client.ts';
import { sandboxMessages } from '../../db/schema/index.ts';
import { resolvePerson, slugifyName } from '../../domain/people.ts';
import { withKeys } from '../../domain/with-keys.ts';
import { COMMAND_WORDS, describeEveryCommand, isActionId, isFormId } from '../../handlers/index.ts';
import type { Dispatch } from '../../handlers/kernel/dispatch.ts';
import type { Input } from '../../handlers/kernel/input.ts';
import { parseTypedCommand } from '../../handlers/kernel/input.ts';
import type { ChannelRole, Message, Outcome } from '../../handlers/kernel/message.ts';
import { BodyTooLargeError, readBody, sendJson } from '../http-body.ts';
import { readRequestOrigin } from '../request-origin.ts';
import { formToHtml, replyToHtml } from './render.ts';

const VISITOR_ID = 'visitor';
const CHANNELS: readonly ChannelRole[] = ['approvals', 'huddle', 'complaints'];

const asSchema = z.string().min(1).max(60);
const deliveryIdSchema = z.string().min(8).max(80).optional();
const commandBodySchema = z.object({
  as: asSchema,
  text: z.string().max(4000),
  deliveryId: deliveryIdSchema,
});
const actionBodySchema = z.object({
  as: asSchema,
  actionId: z.string().max(100),
  value: z.string().max(2000),
  deliveryId: deliveryIdSchema,
});
const formBodySchema = z.object({
  as: asSchema,
  formId: z.string().max(100),
  values: z.record(z.string().max(100), z.string().max(4000)),
  metadata: z.string().max(3000).optional(),
  deliveryId: deliveryIdSchema,
});

// The sandbox has no log-in, so it must not be reachable from another site: a page elsewhere could post to
// it (a "simple" text/plain POST needs no CORS preflight) or, through DNS rebinding, read it under its own name.
const LOOPBACK_HOST = /^(localhost|[a-z0-9-]+\.localhost|127(\.\d{1,3}){3}|\[::1\])(:\d{1,5})?$/i;

/** Why a request may not reach the sandbox, or undefined when it comes from its own page on this machine. */
export function refuseForeignRequest(request: IncomingMessage): string | undefined {
  const host = request.headers.host ?? '';
  if (!LOOPBACK_HOST.test(host)) return 'the sandbox answers only on this computer (localhost)';
  if (request.method !== 'POST') return undefined;
  const contentType = (request.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase();
  if (contentType !== 'application/json') return 'the sandbox accepts only JSON';
  // A browser always names the page's origin on a POST from another site; tools without a browser send none.
  const origin = request.headers.origin;
  if (origin !== undefined && origin !== `http://${host}`) return 'the sandbox accepts only its own page';
  const site = request.headers['sec-fetch-site'];
  if (site !== undefined && site !== 'same-origin' && site !== 'none') {
    return 'the sandbox accepts only its own page';
  }
  return undefined;
}

const page = readFileSync(new URL('./page.html', import.meta.url), 'utf8');
const script = readFileSync(new URL('./app.js', import.meta.url), 'utf8');
const ASSETS: Record<string, { type: string; body: string } | undefined> = {
  '/': { type: 'text/html; charset=utf-8', body: page },
  '/sandbox/app.js': { type: 'text/javascript; charset=utf-8', body: script },
};

/**
 * A message as the page keeps it: the page redraws a message only when its version changes, as a card does
 * when someone presses one of its buttons, so a poll leaves everything else on the page as it is.
 */
interface PostedMessage {
  id: string;
  version: string;
  at: string;
  html: string;
}

function renderOutcome(outcome: Outcome) {
  return {
    reply: outcome.reply ? replyToHtml(outcome.reply) : null,
    form: outcome.form ? formToHtml(outcome.form) : null,
    formErrors: outcome.formErrors ?? null,
    source: outcome.source ? replyToHtml(outcome.source) : null,
  };
}

/**
 * The local web chat: pick who you are, type commands, press buttons, and read the channels and your
 * direct messages as the outbox delivered them. Bound to 127.0.0.1 by default; it has no log-in.
 */
export function createSandboxRoutes(params: { db: Db; office: OfficeConfig; dispatch: Dispatch }) {
  const { db, office, dispatch } = params;
  const officeId = office.office.id;
  const people = [
    ...office.staff.map((member) => ({
      id: slugifyName(member.name),
      name: member.name,
      role: member.role ?? null,
      manager: member.manager,
    })),
    { id: VISITOR_ID, name: 'Visitor (not on the staff list)', role: null, manager: false },
  ];

  function actorFor(id: string) {
    return resolvePerson(office, 'sandbox', id, id === VISITOR_ID ? 'Visitor' : undefined);
  }

  async function readConversations(as: string) {
    const actor = actorFor(as);
    // Like the real complaints channel, the sandbox's is for managers only.
    const channels = CHANNELS.filter((channel) => channel !== 'complaints' || actor.isManager);
    const names = [...channels.map((channel) => `channel:${channel}`), `dm:${as}`];
    const rows = await db
      .select()
      .from(sandboxMessages)
      .where(and(eq(sandboxMessages.officeId, officeId), inArray(sandboxMessages.conversation, names)))
      .orderBy(asc(sandboxMessages.id));
    const conversations: Record<string, PostedMessage[]> = Object.fromEntries(
      names.map((name) => [name, []]),
    );
    for (const row of rows.slice(-500)) {
      // Only the sandbox sender writes these rows, and it writes a Message.
      const html = replyToHtml(row.message as Message);
      conversations[row.conversation]?.push({
        id: String(row.id),
        version: createHash('sha256').update(html).digest('base64url').slice(0, 16),
        at: row.postedAt.toISOString(),
        html,
      });
    }
    return conversations;
  }

  async function runInput(as: string, input: Input, request: IncomingMessage) {
    return renderOutcome(await dispatch(actorFor(as), input, readRequestOrigin(request)));
  }

  async function handleApi(path: string, request: IncomingMessage, response: ServerResponse): Promise<void> {
    if (request.method === 'GET' && path === '/sandbox/api/people') {
      sendJson(response, 200, { office: office.office.name, timezone: office.office.timezone, people });
      return;
    }
    if (request.method === 'GET' && path === '/sandbox/api/conversations') {
      const as = asSchema.safeParse(new URL(request.url ?? '/', 'http://sandbox').searchParams.get('as'));
      if (!as.success) return sendJson(response, 400, { error: 'choose who you are first' });
      sendJson(response, 200, { conversations: await readConversations(as.data) });
      return;
    }
    if (request.method !== 'POST') return sendJson(response, 405, { error: 'method not allowed' });
    let body: unknown;
    try {
      body = JSON.parse(await readBody(request, 64 * 1024));
    } catch (error) {
      const tooLarge = error instanceof BodyTooLargeError;
      return sendJson(response, tooLarge ? 413 : 400, { error: tooLarge ? 'message too long' : 'not JSON' });
    }
    if (path === '/sandbox/api/command') {
      const parsed = commandBodySchema.safeParse(body);
      if (!parsed.success) return sendJson(response, 400, { error: 'unreadable command' });
      const typed = parseTypedCommand(parsed.data.text, COMMAND_WORDS);
      if (typed.kind !== 'command') {
        const preface = typed.kind === 'unknown' ? `frontdesk does not know "${typed.word}".` : undefined;
        return sendJson(response, 200, renderOutcome({ reply: describeEveryCommand(preface), effects: [] }));
      }
      const deliveryId = parsed.data.deliveryId ?? randomUUID();
      return sendJson(
        response,
        200,
        await runInput(parsed.data.as, withKeys(typed, { deliveryId }), request),
      );
    }
    if (path === '/sandbox/api/action') {
      const parsed = actionBodySchema.safeParse(body);
      if (!parsed.success || !isActionId(parsed.data.actionId)) {
        return sendJson(response, 400, { error: 'unknown button' });
      }
      const { as, actionId, value } = parsed.data;
      const deliveryId = parsed.data.deliveryId ?? randomUUID();
      return sendJson(
        response,
        200,
        await runInput(as, { kind: 'action', actionId, value, deliveryId }, request),
      );
    }
    if (path === '/sandbox/api/form') {
      const parsed = formBodySchema.safeParse(body);
      if (!parsed.success || !isFormId(parsed.data.formId))
        return sendJson(response, 400, { error: 'unknown form' });
      const { as, formId, values, metadata } = parsed.data;
      const deliveryId = parsed.data.deliveryId ?? randomUUID();
      const input: Input = { kind: 'form', formId, values, deliveryId, ...(metadata ? { metadata } : {}) };
      return sendJson(response, 200, await runInput(as, input, request));
    }
    sendJson(response, 404, { error: 'not found' });
  }

  /** Serves the request when it is the sandbox's; returns false when it is not. */
  return async function handle(
    path: string,
    request: IncomingMessage,
    response: ServerResponse,
  ): Promise<boolean> {
    const isSandboxPath = path === '/' || path === '/sandbox/app.js' || path.startsWith('/sandbox/');
    if (!isSandboxPath) return false;
    const refusal = refuseForeignRequest(request);
    if (refusal) {
      sendJson(response, 403, { error: refusal });
      return true;
    }
    const asset = ASSETS[path];
    if (asset && (request.method === 'GET' || request.method === 'HEAD')) {
      // Node leaves the body out of an answer to HEAD; the headers are GET's.
      response.writeHead(200, {
        'content-type': asset.type,
        'content-length': Buffer.byteLength(asset.body),
        'cache-control': 'no-store',
      });
      response.end(asset.body);
      return true;
    }
    if (path.startsWith('/sandbox/api/')) {
      await handleApi(path, request, response);
      return true;
    }
    return false;
  };
}
