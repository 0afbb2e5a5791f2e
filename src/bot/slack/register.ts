import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  App,
  type BufferedIncomingMessage,
  HTTPReceiver,
  isValidSlackRequest,
  SocketModeReceiver,
} from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import type { Logger } from 'pino';
import { z } from 'zod';
import type { SlackSettings } from '../../config/env.ts';
import type { OfficeConfig } from '../../config/office.ts';
import { findStaffByKey, listManagers, type Person, resolvePerson } from '../../domain/people.ts';
import { withKeys } from '../../domain/with-keys.ts';
import {
  ACTION_IDS,
  COMMAND_WORDS,
  describeEveryCommand,
  FORM_IDS,
  isActionId,
  isFormId,
  NOTE_ACTIONS,
} from '../../handlers/index.ts';
import type { Dispatch } from '../../handlers/kernel/dispatch.ts';
import { parseTypedCommand } from '../../handlers/kernel/input.ts';
import type { Message, Outcome } from '../../handlers/kernel/message.ts';
import { BodyTooLargeError, readBody, sendJson } from '../http-body.ts';
import { readRequestOrigin } from '../request-origin.ts';
import { buildHomeView, formToModal, fromSlackActionId, replyToSlackMessage } from './render.ts';
import { toSlackLogger } from './slack-logger.ts';
import { readSlashText } from './slash-text.ts';
import { uploadToDirectMessage } from './uploads.ts';

// Slack shows operation_timeout after 3 s; an answer not ready by then follows through response_url.
const ACK_BUDGET_MS = 2_500;
const STILL_WORKING: Message = { text: 'Working on it… the answer will follow here in a moment.' };

function formTooLate(command: string): Message {
  return {
    text: `Sorry, the form took too long to open. Please run ${command} again. Nothing was saved.`,
  };
}
// Slack refused to open a form (its trigger expired, or it was busy): without a word the person would see nothing.
const FORM_DID_NOT_OPEN: Message = {
  text: 'Sorry, the form could not open. Please try again. Nothing was saved.',
};
// Slack's payloads for our commands, cards and modals are a few kilobytes; as for Teams activities, anything
// over 256 KB is refused before it is buffered whole or its signature computed.
const MAX_BODY_BYTES = 256 * 1024;

const userSchema = z.object({
  id: z.string().min(1),
  name: z.string().optional(),
  username: z.string().optional(),
});
const blockActionSchema = z.object({
  user: userSchema,
  trigger_id: z.string().min(1),
  actions: z
    .array(
      z.object({
        action_id: z.string().min(1),
        value: z.string().max(2000).optional(),
        action_ts: z.string().min(1),
      }),
    )
    .min(1),
  channel: z.object({ id: z.string() }).optional(),
  container: z.object({ is_ephemeral: z.boolean().optional() }).optional(),
  response_url: z.url().optional(),
});
const viewSubmissionSchema = z.object({
  user: userSchema,
  view: z.object({
    id: z.string().min(1),
    callback_id: z.string(),
    private_metadata: z.string().max(3000).default(''),
    state: z.object({ values: z.record(z.string(), z.record(z.string(), z.unknown())) }),
  }),
});
const viewValueSchema = z.object({
  value: z.string().nullish(),
  selected_date: z.string().nullish(),
  selected_option: z.object({ value: z.string() }).nullish(),
});
const UPLOAD_FAILED: Message = {
  text: 'The file could not be put in your direct messages just now. Please ask for it again in a minute.',
};

// A message shortcut: the message it was used on, and where to answer the person who used it.
const messageShortcutSchema = z.object({
  user: userSchema,
  trigger_id: z.string().min(1),
  channel: z.object({ id: z.string().min(1) }),
  message: z.object({ ts: z.string().min(1), permalink: z.url().optional() }),
});
const UNREADABLE_MESSAGE: Message = {
  text: 'frontdesk could not read that message, so nothing was saved. Use /note <text> to add a follow-up instead.',
};

const UNREADABLE_FORM: Message = {
  text: 'That form could not be read. Nothing was saved. Please open it again and resubmit.',
};
const privateMetadataSchema = z.object({
  channel: z.string().optional(),
  metadata: z.string().optional(),
  /** the response URL of the message whose button opened the form, to redraw it once the form is saved */
  source: z.url().optional(),
  /** whether that message is an answer only its reader sees, rather than one in their direct messages */
  sourceEphemeral: z.boolean().optional(),
});

/** A pressed message that is the presser's own, as its response URL reaches it. */
interface OwnMessage {
  responseUrl: string;
  ephemeral: boolean;
}

/**
 * The pressed message, when it is the presser's own: an answer only they see, or a message in their direct
 * messages with frontdesk. Only such a message is redrawn from its response URL: a channel card replaced
 * that way would show one person's answer to everyone in the channel, until its next update.
 */
function readOwnMessage(data: z.infer<typeof blockActionSchema>): OwnMessage | undefined {
  if (!data.response_url) return undefined;
  const ephemeral = data.container?.is_ephemeral === true;
  const direct = data.channel?.id.startsWith('D') === true;
  return ephemeral || direct ? { responseUrl: data.response_url, ephemeral } : undefined;
}

/**
 * Whether a URL carried in a modal's metadata is one of Slack's response URLs (or, for a Slack API at
 * another address, that address's): the metadata made the round trip through Slack, but nothing else is
 * ever posted to.
 */
function isSlackResponseUrl(url: string, apiUrl: string | undefined): boolean {
  const { protocol, hostname, origin } = new URL(url);
  if (apiUrl && origin === new URL(apiUrl).origin) return true;
  return protocol === 'https:' && (hostname === 'hooks.slack.com' || hostname === 'hooks.slack-gov.com');
}

/** Values of a submitted modal by input id (block ids are the form's input ids). */
export function readModalValues(state: Record<string, Record<string, unknown>>): Record<string, string> {
  const values: Record<string, string> = {};
  for (const [blockId, actions] of Object.entries(state)) {
    for (const raw of Object.values(actions)) {
      const parsed = viewValueSchema.safeParse(raw);
      if (!parsed.success) continue;
      const value = parsed.data.value ?? parsed.data.selected_date ?? parsed.data.selected_option?.value;
      if (value !== null && value !== undefined) values[blockId] = value;
    }
  }
  return values;
}

/** The request's address the HTTP receiver put in a listener's context; none in Socket Mode. */
function originOf(context: Record<string, unknown>): string | undefined {
  return typeof context.origin === 'string' ? context.origin : undefined;
}

/** Whether Bolt can read the body: form fields, or a JSON object (directly or in the `payload` field). */
function holdsReadablePayload(raw: string, contentType: string | undefined): boolean {
  try {
    const json =
      contentType === 'application/x-www-form-urlencoded' ? new URLSearchParams(raw).get('payload') : raw;
    if (json === null) return true;
    const parsed: unknown = JSON.parse(json);
    return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed);
  } catch {
    return false;
  }
}

function readPrivateMetadata(raw: string): z.infer<typeof privateMetadataSchema> {
  try {
    const parsed = privateMetadataSchema.safeParse(JSON.parse(raw));
    return parsed.success ? parsed.data : {};
  } catch {
    return {};
  }
}

/** Opens the outcome's form, if it has one; false when Slack refused to open it. */
async function openForm(
  client: WebClient,
  logger: Logger,
  triggerId: string,
  outcome: Outcome,
  channel: string | undefined,
  source?: OwnMessage,
): Promise<boolean> {
  if (!outcome.form) return true;
  const privateMetadata = JSON.stringify({
    channel,
    metadata: outcome.form.metadata,
    source: source?.responseUrl,
    sourceEphemeral: source?.ephemeral,
  });
  try {
    await client.views.open({ trigger_id: triggerId, view: formToModal(outcome.form, privateMetadata) });
    return true;
  } catch (error) {
    // Slack's error code only (`expired_trigger_id`, `ratelimited`): nothing typed is in it.
    const code = (error as { data?: { error?: unknown } }).data?.error;
    logger.warn({ code: typeof code === 'string' ? code : undefined }, 'Slack did not open a form');
    return false;
  }
}

/**
 * Bolt with its HTTP receiver at /slack/events: signatures checked by Bolt, every listener acks, parses
 * the payload with zod, dispatches, and renders the outcome. Effects are the outbox's job, not this one's.
 */
export function createSlackApp(params: {
  settings: SlackSettings;
  office: OfficeConfig;
  logger: Logger;
  dispatch: Dispatch;
  /** a person's home, as each feature draws its part */
  loadHome: (person: Person) => Promise<Message[]>;
}) {
  const { settings, office, dispatch } = params;
  const logger = params.logger.child({ component: 'slack' });
  const slackLogger = toSlackLogger(params.logger);
  const httpReceiver =
    settings.mode === 'http'
      ? new HTTPReceiver({
          signingSecret: settings.signingSecret,
          endpoints: '/slack/events',
          logger: slackLogger,
          processBeforeResponse: false,
          unhandledRequestTimeoutMillis: 3_001,
          // Reaches every listener as `context.origin` (originOf).
          customPropertiesExtractor: (request) => ({ origin: readRequestOrigin(request) }),
          // Listener errors go to app.error; what reaches here is Bolt failing to read a payload (no view, no actions).
          processEventErrorHandler: async ({ response }) => {
            logger.warn('unreadable Slack payload refused');
            if (!response.headersSent) response.writeHead(400).end();
            return true;
          },
        })
      : undefined;
  // Socket Mode: frontdesk opens a WebSocket to Slack (apps.connections.open with the app-level token), so
  // a practice without a public HTTPS address can use Slack; every listener below is the same.
  const receiver =
    httpReceiver ??
    new SocketModeReceiver({
      appToken: settings.mode === 'socket' ? settings.appToken : '',
      logger: slackLogger,
      installerOptions: { clientOptions: settings.apiUrl ? { slackApiUrl: settings.apiUrl } : {} },
    });
  const app = new App({
    // Not `token`: Bolt would then call auth.test once at start and keep a failure forever, so a Slack
    // outage at boot would crash the process and, had it survived, fail every request after.
    authorize: async () => ({ botToken: settings.botToken }),
    receiver,
    logger: slackLogger,
    convoStore: false,
    clientOptions: {
      ...(settings.apiUrl ? { slackApiUrl: settings.apiUrl } : {}),
      // Interactive calls (views.open) must not wait out a rate limit: the trigger_id expires in 3 s.
      rejectRateLimitedCalls: true,
      retryConfig: { retries: 0 },
      allowAbsoluteUrls: false,
    },
  });

  // A listener goes on after its ack (a slow answer follows through response_url): stop() waits for the
  // ones in hand, or a person told "Working on it…" would never hear that the filing was saved.
  const inHand = new Set<Promise<void>>();
  app.use(async ({ next }) => {
    const run = next();
    inHand.add(run);
    try {
      await run;
    } finally {
      inHand.delete(run);
    }
  });

  const commandPattern = new RegExp(`^/(${COMMAND_WORDS.join('|')})s?$`);
  app.command(commandPattern, async ({ command, ack, respond, client, context }) => {
    const typed = parseTypedCommand(`${command.command} ${readSlashText(command.text ?? '')}`, COMMAND_WORDS);
    if (typed.kind !== 'command') {
      await ack({ response_type: 'ephemeral', ...replyToSlackMessage(describeEveryCommand()) });
      return;
    }
    const actor = resolvePerson(office, 'slack', command.user_id, command.user_name);
    const pending = dispatch(actor, withKeys(typed, { deliveryId: command.trigger_id }), originOf(context));
    let budget: ReturnType<typeof setTimeout> | undefined;
    const early = await Promise.race([
      pending,
      new Promise<undefined>((resolve) => {
        budget = setTimeout(() => resolve(undefined), ACK_BUDGET_MS);
      }),
    ]);
    clearTimeout(budget);
    if (early === undefined) {
      await ack({ response_type: 'ephemeral', text: STILL_WORKING.text });
      const outcome = await pending;
      // A form cannot be opened any more: Slack's trigger_id expired with the 3 s window.
      const reply = outcome.form ? formTooLate(command.command) : outcome.reply;
      if (reply) await respond({ response_type: 'ephemeral', ...replyToSlackMessage(reply) });
      await sendAttachments(client, command.user_id, outcome);
      return;
    }
    if (early.form) {
      await ack();
      const reply = (await openForm(client, logger, command.trigger_id, early, command.channel_id))
        ? early.reply
        : FORM_DID_NOT_OPEN;
      if (reply) await respond({ response_type: 'ephemeral', ...replyToSlackMessage(reply) });
      return;
    }
    await ack(early.reply ? { response_type: 'ephemeral', ...replyToSlackMessage(early.reply) } : undefined);
    await sendAttachments(client, command.user_id, early);
  });

  const actionPattern = new RegExp(`^(${ACTION_IDS.join('|')})(#\\d+)?$`);
  app.action(actionPattern, async ({ ack, body, respond, client, context }) => {
    await ack();
    const parsed = blockActionSchema.safeParse(body);
    const action = parsed.success ? parsed.data.actions[0] : undefined;
    const actionId = action ? fromSlackActionId(action.action_id) : '';
    if (!parsed.success || !action || !isActionId(actionId)) {
      await respond({
        response_type: 'ephemeral',
        replace_original: false,
        text: 'That button could not be read. Nothing was changed.',
      });
      return;
    }
    const actor = resolvePerson(office, 'slack', parsed.data.user.id, parsed.data.user.name);
    const outcome = await dispatch(
      actor,
      {
        kind: 'action',
        actionId,
        value: action.value ?? '',
        deliveryId: `action:${parsed.data.user.id}:${action.action_ts}`,
      },
      originOf(context),
    );
    const own = readOwnMessage(parsed.data);
    if (!(await openForm(client, logger, parsed.data.trigger_id, outcome, parsed.data.channel?.id, own))) {
      await respond({
        response_type: 'ephemeral',
        replace_original: false,
        ...replyToSlackMessage(FORM_DID_NOT_OPEN),
      });
      return;
    }
    // The pressed message as it reads now (its used button gone), then the answer below it.
    if (outcome.source && own)
      await respond({
        ...(own.ephemeral ? { response_type: 'ephemeral' as const } : {}),
        replace_original: true,
        ...replyToSlackMessage(outcome.source),
      });
    // A press on the Home tab comes with no response URL: the answer goes to the person's direct messages.
    if (outcome.reply && parsed.data.response_url) {
      await respond({
        response_type: 'ephemeral',
        replace_original: false,
        ...replyToSlackMessage(outcome.reply),
      });
    } else if (outcome.reply) {
      await answerPrivately(client, parsed.data.user.id, undefined, outcome.reply);
    }
    await sendAttachments(client, parsed.data.user.id, outcome);
  });

  const formPattern = new RegExp(`^(${FORM_IDS.join('|')})$`);
  app.view(formPattern, async ({ ack, body, client, context }) => {
    const parsed = viewSubmissionSchema.safeParse(body);
    const formId = parsed.success ? parsed.data.view.callback_id : '';
    if (!parsed.success || !isFormId(formId)) {
      await ack();
      logger.warn('unreadable view submission refused');
      const user = userSchema.safeParse((body as { user?: unknown }).user);
      if (user.success) await answerPrivately(client, user.data.id, undefined, UNREADABLE_FORM);
      return;
    }
    const { view, user } = parsed.data;
    const meta = readPrivateMetadata(view.private_metadata);
    const actor = resolvePerson(office, 'slack', user.id, user.name);
    const outcome = await dispatch(
      actor,
      {
        kind: 'form',
        formId,
        values: readModalValues(view.state.values),
        ...(meta.metadata !== undefined ? { metadata: meta.metadata } : {}),
        deliveryId: `view:${view.id}`,
      },
      originOf(context),
    );
    if (outcome.formErrors && Object.keys(outcome.formErrors).length > 0) {
      await ack({ response_action: 'errors', errors: outcome.formErrors });
      return;
    }
    await ack();
    // Given-back text goes to the person's direct messages, where it outlasts a reload.
    if (outcome.reply)
      await answerPrivately(client, user.id, outcome.keepReply ? undefined : meta.channel, outcome.reply);
    await sendAttachments(client, user.id, outcome);
    if (outcome.source && meta.source && isSlackResponseUrl(meta.source, settings.apiUrl)) {
      await redrawSource(
        { responseUrl: meta.source, ephemeral: meta.sourceEphemeral === true },
        outcome.source,
      );
    }
  });

  /**
   * Draws a person's Home tab as it stands; a failure costs a stale tab, nothing else. Through the app's own
   * client, with the token given: a change made in Teams or the sandbox comes with no listener's client.
   */
  async function publishHome(userId: string): Promise<void> {
    try {
      const person = resolvePerson(office, 'slack', userId);
      const messages = await params.loadHome(person);
      await app.client.views.publish({
        token: settings.botToken,
        user_id: userId,
        view: buildHomeView(person, messages),
      });
    } catch (error) {
      logger.warn({ type: error instanceof Error ? error.name : typeof error }, 'could not draw a Home tab');
    }
  }

  // Who has opened the Home tab since this process started. Slack draws a tab afresh each time it is opened,
  // so only these can be looking at one a change makes stale; redrawing everyone's would put each
  // manager's whole Home on the path of every filing.
  const homeViewers = new Set<string>();

  /**
   * Redraws the Slack Home tabs an answered input may have changed, on whichever platform it came in, of
   * people who use Home: the person who acted (by their Slack id), everyone it messaged in Slack, and the
   * managers when it posted or redrew a card (their tabs list the decisions waiting). Not awaited: Home
   * follows the answer.
   */
  function refreshHomes(actor: Person, outcome: Outcome): void {
    // Only a change sends messages or touches the actor's own things; an answer alone (a list, a refusal)
    // leaves every Home as it was.
    if (outcome.effects.length === 0 && !outcome.changesOwnHome) return;
    const users = new Set<string>();
    const actorSlackId = actor.platform === 'slack' ? actor.userId : findStaffByKey(office, actor.key)?.slack;
    if (actorSlackId) users.add(actorSlackId);
    for (const effect of outcome.effects)
      if (effect.kind === 'dm' && effect.to.platform === 'slack') users.add(effect.to.userId);
    if (outcome.effects.some((effect) => effect.kind !== 'dm'))
      for (const manager of listManagers(office)) if (manager.slack) users.add(manager.slack);
    const viewing = [...users].filter((user) => homeViewers.has(user));
    void Promise.all(viewing.map((user) => publishHome(user)));
  }

  app.event('app_home_opened', async ({ event }) => {
    if (event.tab !== 'home') return;
    homeViewers.add(event.user);
    await publishHome(event.user);
  });

  // `Add to follow-ups` on a message: the note form, with a link to the message (Slack's, or one asked for).
  app.shortcut(
    { type: 'message_action', callback_id: NOTE_ACTIONS.fromMessage },
    async ({ ack, body, client, context }) => {
      await ack();
      const parsed = messageShortcutSchema.safeParse(body);
      const link = parsed.success
        ? (parsed.data.message.permalink ??
          (await readPermalink(client, parsed.data.channel.id, parsed.data.message.ts)))
        : undefined;
      if (!parsed.success || !link) {
        logger.warn('unreadable message shortcut refused');
        const user = userSchema.safeParse((body as { user?: unknown }).user);
        if (user.success) await answerPrivately(client, user.data.id, undefined, UNREADABLE_MESSAGE);
        return;
      }
      const { user, trigger_id: triggerId, channel } = parsed.data;
      const actor = resolvePerson(office, 'slack', user.id, user.name);
      const outcome = await dispatch(
        actor,
        {
          kind: 'action',
          actionId: NOTE_ACTIONS.fromMessage,
          value: link,
          deliveryId: `shortcut:${triggerId}`,
        },
        originOf(context),
      );
      const reply = (await openForm(client, logger, triggerId, outcome, channel.id))
        ? outcome.reply
        : FORM_DID_NOT_OPEN;
      if (reply) await answerPrivately(client, user.id, undefined, reply);
    },
  );

  /** Uploads an outcome's files into the person's direct messages; if Slack will not take them, says so. */
  async function sendAttachments(client: WebClient, userId: string, outcome: Outcome): Promise<void> {
    if (!outcome.attachments || outcome.attachments.length === 0) return;
    const sent = await uploadToDirectMessage(client, {
      userId,
      attachments: outcome.attachments,
      apiUrl: settings.apiUrl,
      logger,
    });
    if (!sent) await answerPrivately(client, userId, undefined, UPLOAD_FAILED);
  }

  /** Redraws the message whose button opened the form; a failure costs a stale button, nothing else. */
  async function redrawSource(source: OwnMessage, message: Message): Promise<void> {
    try {
      const response = await fetch(source.responseUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          replace_original: true,
          ...(source.ephemeral ? { response_type: 'ephemeral' } : {}),
          ...replyToSlackMessage(message),
        }),
        signal: AbortSignal.timeout(5_000),
      });
      if (!response.ok) logger.warn({ status: response.status }, 'Slack refused to redraw a message');
    } catch (error) {
      logger.warn({ type: error instanceof Error ? error.name : typeof error }, 'could not redraw a message');
    }
  }

  app.error(async (error) => {
    logger.error({ code: error.code, type: error.name }, 'unhandled Slack listener error');
  });

  // Tells the operator at start whether Slack accepts the bot token; the app serves requests either way.
  app.client.auth.test({ token: settings.botToken }).then(
    (identity) => logger.info({ team: identity.team }, 'Slack accepted the bot token'),
    (error: { code?: string; data?: { error?: string } }) =>
      logger.error(
        { code: error.data?.error ?? error.code },
        'Slack did not accept SLACK_BOT_TOKEN or could not be reached; posts will be retried, check the token if this persists',
      ),
  );

  /**
   * POST /slack/events: refuses an oversized body (413) and, once the signature is checked, a payload that
   * is not a JSON object (400: Bolt would throw outside any handler on `payload=null`), then hands over to Bolt.
   */
  async function handleRequest(request: IncomingMessage, response: ServerResponse): Promise<void> {
    let raw: string;
    try {
      raw = await readBody(request, MAX_BODY_BYTES);
    } catch (error) {
      const tooLarge = error instanceof BodyTooLargeError;
      response.setHeader('connection', 'close');
      sendJson(response, tooLarge ? 413 : 400, {
        error: tooLarge ? 'request too large' : 'unreadable request',
      });
      return;
    }
    if (!httpReceiver || settings.mode !== 'http') {
      sendJson(response, 404, { error: 'not found' });
      return;
    }
    if (!holdsReadablePayload(raw, request.headers['content-type'])) {
      const signed = isValidSlackRequest({
        signingSecret: settings.signingSecret,
        body: raw,
        headers: {
          'x-slack-signature': String(request.headers['x-slack-signature'] ?? ''),
          'x-slack-request-timestamp': Number(request.headers['x-slack-request-timestamp']),
        },
      });
      response.writeHead(signed ? 400 : 401).end();
      return;
    }
    // Bolt reads a body already buffered in rawBody instead of the (now consumed) stream.
    (request as BufferedIncomingMessage).rawBody = Buffer.from(raw, 'utf8');
    httpReceiver.requestListener(request, response);
  }

  return {
    app,
    handleRequest,
    refreshHomes,
    /** Connects to Slack in Socket Mode; over HTTP there is nothing to start. */
    async start(): Promise<void> {
      if (settings.mode === 'socket') await app.start();
    },
    /** Stops taking events (Socket Mode) and waits for the listeners in hand to finish. */
    async stop(): Promise<void> {
      if (settings.mode === 'socket') await app.stop();
      await Promise.allSettled(inHand);
    },
  };
}

/** The link to a message, or undefined when Slack will not give it (frontdesk cannot see that conversation). */
async function readPermalink(
  client: WebClient,
  channel: string,
  messageTs: string,
): Promise<string | undefined> {
  try {
    const answer = await client.chat.getPermalink({ channel, message_ts: messageTs });
    return answer.permalink;
  } catch {
    return undefined;
  }
}

/** An ephemeral note where the person started, or a direct message when the bot cannot post there. */
async function answerPrivately(
  client: WebClient,
  userId: string,
  channel: string | undefined,
  reply: Message,
) {
  if (channel) {
    try {
      await client.chat.postEphemeral({ channel, user: userId, ...replyToSlackMessage(reply) });
      return;
    } catch {
      // The bot may not be in that channel; the direct message below still reaches the person.
    }
  }
  await client.chat.postMessage({ channel: userId, ...replyToSlackMessage(reply) });
}
