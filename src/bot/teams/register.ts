import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Application, TeamsAdapter } from '@microsoft/teams-ai';
import {
  type Activity,
  ActivityTypes,
  CardFactory,
  ConfigurationServiceClientCredentialFactory,
  type ConversationReference,
  TurnContext,
} from 'botbuilder';
import type { Logger } from 'pino';
import { z } from 'zod';
import type { Env } from '../../config/env.ts';
import type { OfficeConfig } from '../../config/office.ts';
import type { Db } from '../../db/client.ts';
import {
  getPersonalTeamsConversation,
  saveChannelBinding,
  saveTeamsConversation,
} from '../../db/repositories/teams-conversations.ts';
import { saveTeamsAddress, type TeamsAddress } from '../../db/repositories/teams-people.ts';
import { isOnStaffList, type Person, resolvePerson } from '../../domain/people.ts';
import { withKeys } from '../../domain/with-keys.ts';
import { COMMAND_WORDS, describeEveryCommand, isActionId, isFormId } from '../../handlers/index.ts';
import type { Dispatch } from '../../handlers/kernel/dispatch.ts';
import type { Input } from '../../handlers/kernel/input.ts';
import { parseTypedCommand } from '../../handlers/kernel/input.ts';
import type { ChannelRole, Message, Outcome, SelectOption } from '../../handlers/kernel/message.ts';
import { BodyTooLargeError, readBody, sendJson } from '../http-body.ts';
import { readRequestOrigin } from '../request-origin.ts';
import { readTypedText } from './mentions.ts';
import { openPersonalChat, runProactiveTurn } from './proactive.ts';
import { choiceInputId, formToAdaptiveCard } from './render.ts';
import { classifyTeamsError, toTeamsActivity } from './sender.ts';
import { answerSearch, isSearchInvoke } from './typeahead.ts';

const MAX_ACTIVITY_BYTES = 256 * 1024;
/** The turn state key of the address the activity was posted to (readRequestOrigin). */
const ORIGIN = 'frontdesk.origin';
const BIND_PATTERN = /^use this (?:channel|chat|conversation) for (approvals|huddle|complaints)$/i;
const PRIVATE_NOTICE = 'I sent you a private message.';
const OPEN_CHAT = 'Open a chat with frontdesk (Chat, then search for frontdesk)';
// Whether the command saved anything is part of the answer that cannot be shown here; asking again without
// looking could file it twice, and a refused press must not read as done.
const NO_PRIVATE_CHAT_NOTICE = `I could not send you my answer privately. ${OPEN_CHAT}. If you asked for something, it may already be saved: check there before asking again.`;
/** The channels frontdesk serves: Teams, and the Bot Framework Emulator while authentication is off. */
const TEAMS_CHANNEL = 'msteams';
const EMULATOR_CHANNEL = 'emulator';
const OUT_OF_DATE = 'That card is out of date or could not be read. Nothing was changed.';

const submitSchema = z
  .object({
    verb: z.string().min(1).max(100),
    value: z.string().max(2000).optional(),
    metadata: z.string().max(3000).optional(),
    source: z.string().max(500).optional(),
    instance: z.string().max(100).optional(),
  })
  .catchall(z.union([z.string().max(4000), z.number(), z.boolean()]));

/**
 * Who sent an activity: the staff entry whose `teams` id is the sender's Entra object id (`aadObjectId`,
 * which Teams sets), else someone not on the staff list. `from.id` names a staff member only in the Bot
 * Framework Emulator (`emulating`, with sign-in off), which sends no object id: outside Teams the client
 * chooses it.
 */
export function resolveTeamsPerson(
  office: OfficeConfig,
  from: { id?: string; aadObjectId?: string; name?: string },
  emulating = false,
): Person {
  if (from.aadObjectId) return resolvePerson(office, 'teams', from.aadObjectId, from.name);
  if (emulating && from.id) return resolvePerson(office, 'teams', from.id, from.name);
  // An empty staff list: the id is kept to answer them, and matches nobody.
  return resolvePerson({ staff: [] }, 'teams', from.id ?? 'unknown', from.name);
}

/**
 * Reads an Adaptive Card submission (Action.Submit data plus the inputs) into a neutral input, with the
 * delivery id `deliveryIdOf` gives for the form card's instance it carries (none on a button's press). On a
 * card with too many buttons for Teams, the chosen entry of the action's choice input is the button value.
 */
export function readCardSubmission(
  value: unknown,
  deliveryIdOf: (instance: string | undefined) => string,
): Input | undefined {
  const parsed = submitSchema.safeParse(value);
  if (!parsed.success) return undefined;
  const { verb, value: buttonValue, metadata, source: _source, instance, ...inputs } = parsed.data;
  const deliveryId = deliveryIdOf(instance);
  if (isActionId(verb)) {
    const chosen = inputs[choiceInputId(verb)];
    const pressed = buttonValue ?? (chosen === undefined ? '' : String(chosen));
    return { kind: 'action', actionId: verb, value: pressed, deliveryId };
  }
  if (isFormId(verb)) {
    const values = Object.fromEntries(Object.entries(inputs).map(([key, entry]) => [key, String(entry)]));
    return { kind: 'form', formId: verb, values, ...(metadata ? { metadata } : {}), deliveryId };
  }
  return undefined;
}

/**
 * The idempotency key of an activity. Teams activity ids are unique only within a conversation, so the
 * conversation and the sender are part of it; hashed, so any id lengths fit the deliveries key.
 * A press of a form card's Submit is keyed by the card's instance and the sender instead: the card stays live
 * and each press is a new activity, yet only the first submission that passes may be processed. A later press
 * gets that first answer; one refused with field errors rolls its claim back (dispatch), so the corrected
 * try on the same card is processed. Cards drawn before instance ids fall back to the activity id.
 */
function teamsDeliveryId(
  activity: Pick<Activity, 'id' | 'conversation' | 'from'>,
  instance?: string,
): string | undefined {
  const scoped = instance
    ? ['form card', activity.from?.id ?? '', instance]
    : activity.id && [activity.conversation?.id ?? '', activity.from?.id ?? '', activity.id];
  return scoped ? createHash('sha256').update(JSON.stringify(scoped)).digest('base64url') : undefined;
}

/** The tenants this bot serves (lower case): the app's own and office.yaml's `teams.tenants`; empty means any. */
export function servedTeamsTenants(credentials: Env['teams'], office: OfficeConfig): ReadonlySet<string> {
  return new Set(
    [...(credentials?.tenantId ? [credentials.tenantId] : []), ...(office.teams?.tenants ?? [])].map((id) =>
      id.toLowerCase(),
    ),
  );
}

/** Every tenant id an activity names (Teams puts it in channelData and in the conversation). */
function tenantsOf(activity: Activity): string[] {
  const channelData = activity.channelData as { tenant?: { id?: unknown } } | undefined;
  const named = [channelData?.tenant?.id, activity.conversation?.tenantId];
  // Tenant ids are GUIDs, which Teams and the Azure portal do not always write in the same case.
  return named
    .filter((id): id is string => typeof id === 'string' && id !== '')
    .map((id) => id.toLowerCase());
}

/** Where the sender can be reached in a 1:1 chat, from any of their activities (a channel's too). */
function senderAddress(activity: Activity): TeamsAddress | undefined {
  const { from, recipient, serviceUrl, channelId } = activity;
  if (!from?.id || !recipient?.id || !serviceUrl || !channelId) return undefined;
  const [tenantId] = tenantsOf(activity);
  return { memberId: from.id, botId: recipient.id, channelId, serviceUrl, tenantId: tenantId ?? null };
}

function describeFormErrors(errors: Record<string, string>): Message {
  return { text: 'Please check the form', title: 'Please check the form', lines: Object.values(errors) };
}

/**
 * The Teams bot: a teams-ai Application on the Bot Framework CloudAdapter. Messages and card submissions
 * go through the same router and handlers as Slack; conversation references are stored on every turn so the
 * outbox can post to bound channels and send direct messages. Answers meant for one person go to their 1:1
 * chat with the bot, never into a channel or group chat where others read them.
 */
export function createTeamsBot(params: {
  credentials: Env['teams'];
  office: OfficeConfig;
  db: Db;
  logger: Logger;
  dispatch: Dispatch;
  /** the options a form select lists under a `searchList` name, which a typeahead in its card searches */
  choicesOf: (list: string) => readonly SelectOption[] | undefined;
}) {
  const { credentials, office, db, dispatch, choicesOf } = params;
  const logger = params.logger.child({ component: 'teams' });
  const appId = credentials?.appId ?? '';
  const auth = credentials
    ? {
        MicrosoftAppId: credentials.appId,
        MicrosoftAppPassword: credentials.appPassword,
        MicrosoftAppType: credentials.appType,
        ...(credentials.tenantId ? { MicrosoftAppTenantId: credentials.tenantId } : {}),
      }
    : {};
  const adapter = new TeamsAdapter(auth, new ConfigurationServiceClientCredentialFactory(auth));
  // The bot's own mention is taken out by readTypedText, which keeps other people's mentions as names.
  const app = new Application({ adapter, removeRecipientMention: false, startTypingTimer: false });
  // frontdesk starts the Teams bot without credentials only for TEAMS_EMULATOR=1 (frontdesk.ts).
  const emulating = credentials === undefined;
  const tenants = servedTeamsTenants(credentials, office);
  if (tenants.size === 0) {
    logger.warn(
      'Teams: no tenant is set (MICROSOFT_APP_TENANT_ID or teams.tenants in office.yaml), so activities from every Microsoft 365 tenant are served',
    );
  }

  async function remember(context: TurnContext, actor: Person): Promise<void> {
    const activity = context.activity;
    if (!activity.conversation?.id || !activity.serviceUrl) return;
    const kind = activity.conversation.conversationType ?? 'personal';
    const reference = TurnContext.getConversationReference(activity);
    await saveTeamsConversation(db, {
      officeId: office.office.id,
      conversationId: activity.conversation.id,
      kind,
      userId: kind === 'personal' ? actor.userId : null,
      reference: reference as unknown as Record<string, unknown>,
    });
    // Wherever they wrote from, so direct messages can open a 1:1 chat with them later (sender.ts); only
    // staff are ever sent one, so nobody else's address is kept.
    const address = isOnStaffList(actor) ? senderAddress(activity) : undefined;
    if (address) await saveTeamsAddress(db, { officeId: office.office.id, userId: actor.userId, ...address });
  }

  /** Sends into the person's stored 1:1 chat; false when there is none or it cannot be reached. */
  async function sendToStoredChat(actor: Person, activities: Partial<Activity>[]): Promise<boolean> {
    const stored = await getPersonalTeamsConversation(db, office.office.id, actor.userId);
    if (!stored) return false;
    try {
      await runProactiveTurn(
        (turn) =>
          adapter.continueConversationAsync(appId, stored.reference as Partial<ConversationReference>, turn),
        async (chat) => {
          await chat.sendActivities(activities);
        },
      );
      return true;
    } catch (error) {
      // The person may have removed the app since; a new 1:1 is tried next.
      logger.warn(
        { code: classifyTeamsError(error).code },
        'Teams: the stored 1:1 chat could not be reached',
      );
      return false;
    }
  }

  /** Creates the bot's 1:1 chat with the sender, remembers it and sends there; false when Teams refuses. */
  async function sendToNewChat(
    context: TurnContext,
    actor: Person,
    activities: Partial<Activity>[],
  ): Promise<boolean> {
    const address = senderAddress(context.activity);
    if (!address) return false;
    try {
      await openPersonalChat({
        adapter,
        appId,
        db,
        officeId: office.office.id,
        userId: actor.userId,
        address,
        // The scope this turn's replies use; the adapter sets it on every incoming turn.
        audience: context.turnState.get(adapter.OAuthScopeKey) as string,
        logic: async (chat) => {
          await chat.sendActivities(activities);
        },
      });
      return true;
    } catch (error) {
      logger.warn(
        { code: classifyTeamsError(error).code },
        'Teams: could not open a 1:1 chat with the sender',
      );
      return false;
    }
  }

  /**
   * Answers the person who acted. In their 1:1 chat the answer is inline; in a channel or group chat it goes
   * to their 1:1 chat (stored, or created now) and the conversation gets only a notice without content.
   * When no 1:1 chat can be reached, the notice says so without the answer, and to look before asking again.
   */
  async function answerPrivately(
    context: TurnContext,
    actor: Person,
    activities: Partial<Activity>[],
  ): Promise<void> {
    if (activities.length === 0) return;
    if ((context.activity.conversation.conversationType ?? 'personal') === 'personal') {
      await context.sendActivities(activities);
      return;
    }
    const sent =
      (await sendToStoredChat(actor, activities)) || (await sendToNewChat(context, actor, activities));
    await context.sendActivity(sent ? PRIVATE_NOTICE : NO_PRIVATE_CHAT_NOTICE);
  }

  /** The answer's activities; a form opened by a button remembers that button's message, to redraw it later. */
  function outcomeActivities(outcome: Outcome, source?: string): Partial<Activity>[] {
    if (outcome.formErrors && Object.keys(outcome.formErrors).length > 0) {
      return [toTeamsActivity(describeFormErrors(outcome.formErrors))];
    }
    return [
      ...(outcome.reply ? [toTeamsActivity(outcome.reply)] : []),
      ...(outcome.form
        ? [
            {
              type: 'message',
              attachments: [CardFactory.adaptiveCard(formToAdaptiveCard(outcome.form, source))],
            },
          ]
        : []),
    ];
  }

  /**
   * Redraws the message whose button was pressed, or opened a saved form (a confirmation loses its used
   * Refine button). Only in a 1:1 chat, where the form and that message are; a failure costs a stale
   * button, nothing else.
   */
  async function redrawSource(
    context: TurnContext,
    outcome: Outcome,
    source: string | undefined,
  ): Promise<void> {
    if (!outcome.source || !source) return;
    if ((context.activity.conversation.conversationType ?? 'personal') !== 'personal') return;
    try {
      await context.updateActivity({ ...toTeamsActivity(outcome.source), id: source });
    } catch (error) {
      logger.warn({ code: classifyTeamsError(error).code }, 'Teams: could not redraw a message');
    }
  }

  async function bindChannel(context: TurnContext, actor: Person, role: ChannelRole): Promise<void> {
    if (!actor.isManager) {
      await answerPrivately(context, actor, [
        toTeamsActivity({
          text: 'Only a manager can choose the channels frontdesk posts to. Nothing was changed.',
        }),
      ]);
      return;
    }
    await saveChannelBinding(db, {
      officeId: office.office.id,
      platform: 'teams',
      role,
      target: context.activity.conversation.id,
      boundBy: actor.key,
    });
    // Said where it happened: everyone there should know frontdesk will post here.
    await context.sendActivity(`Done: this conversation is now the ${role} channel for frontdesk.`);
  }

  app.activity(ActivityTypes.ConversationUpdate, async (context) => {
    await remember(context, resolveTeamsPerson(office, context.activity.from ?? {}, emulating));
  });

  app.activity(ActivityTypes.Message, async (context) => {
    const activity = context.activity;
    const actor = resolveTeamsPerson(office, activity.from ?? {}, emulating);
    await remember(context, actor);
    if (activity.value !== undefined && activity.value !== null) {
      const input = readCardSubmission(
        activity.value,
        (instance) => teamsDeliveryId(activity, instance) ?? '',
      );
      if (!input) {
        await answerPrivately(context, actor, [toTeamsActivity({ text: OUT_OF_DATE })]);
        return;
      }
      const outcome = await dispatch(actor, input, context.turnState.get(ORIGIN));
      const pressedOn = input.kind === 'action' ? activity.replyToId : undefined;
      await answerPrivately(context, actor, outcomeActivities(outcome, pressedOn));
      await redrawSource(
        context,
        outcome,
        input.kind === 'form' ? submitSchema.safeParse(activity.value).data?.source : pressedOn,
      );
      return;
    }
    const text = readTypedText(activity);
    const binding = BIND_PATTERN.exec(text);
    if (binding?.[1]) {
      await bindChannel(context, actor, binding[1].toLowerCase() as ChannelRole);
      return;
    }
    const typed = parseTypedCommand(text, COMMAND_WORDS);
    if (typed.kind !== 'command') {
      const preface =
        typed.kind === 'unknown' ? `frontdesk does not know "${typed.word.slice(0, 40)}".` : undefined;
      await answerPrivately(context, actor, [toTeamsActivity(describeEveryCommand(preface))]);
      return;
    }
    const deliveryId = teamsDeliveryId(activity);
    const outcome = await dispatch(
      actor,
      deliveryId ? withKeys(typed, { deliveryId }) : typed,
      context.turnState.get(ORIGIN),
    );
    await answerPrivately(context, actor, outcomeActivities(outcome));
  });

  // A typeahead in a form card (the /supplies catalog) asks for choices as the person types. Whoever may open
  // the form may search it, and only lists a form names are searchable; nothing is stored or logged per keystroke.
  app.adaptiveCards.search(isSearchInvoke, async (context) =>
    answerSearch(context.activity.value, choicesOf),
  );

  app.error(async (_context, error) => {
    logger.error({ type: error instanceof Error ? error.name : typeof error }, 'Teams turn failed');
  });

  /**
   * Runs a turn only for Teams and a served tenant; anything else is dropped before anything is stored.
   * Answered 200 all the same: the activity was authentic, and an error would only make its channel retry.
   */
  async function runTurn(context: TurnContext, origin: string | undefined): Promise<void> {
    const channel = context.activity.channelId;
    // Web Chat and Direct Line reach this endpoint too, with a sender id their client picks.
    if (channel !== TEAMS_CHANNEL && !(emulating && channel === EMULATOR_CHANNEL)) {
      logger.warn(
        { channel: String(channel).slice(0, 40) },
        'Teams: refused an activity from another channel',
      );
      return;
    }
    const named = tenantsOf(context.activity);
    if (tenants.size > 0 && (named.length === 0 || named.some((id) => !tenants.has(id)))) {
      logger.warn(
        { tenant: named[0] ?? null },
        'Teams: refused an activity from a tenant this bot does not serve',
      );
      return;
    }
    context.turnState.set(ORIGIN, origin);
    await app.run(context);
  }

  /** Handles POST /api/messages: Bot Framework authentication (unless emulating), then the turn. */
  async function handleRequest(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const origin = readRequestOrigin(request);
    let body: Record<string, unknown>;
    try {
      body = JSON.parse(await readBody(request, MAX_ACTIVITY_BYTES)) as Record<string, unknown>;
    } catch (error) {
      const tooLarge = error instanceof BodyTooLargeError;
      sendJson(response, tooLarge ? 413 : 400, { error: tooLarge ? 'activity too large' : 'not JSON' });
      return;
    }
    if (
      typeof body.type !== 'string' ||
      typeof body.serviceUrl !== 'string' ||
      !body.conversation ||
      !body.from
    ) {
      sendJson(response, 400, { error: 'not a Bot Framework activity' });
      return;
    }
    await adapter.process(
      {
        body,
        headers: request.headers as Record<string, string | string[] | undefined>,
        method: request.method ?? 'POST',
      },
      toBotResponse(response),
      (context) => runTurn(context, origin),
    );
  }

  return { adapter, appId, handleRequest };
}

/** botbuilder's express-like response on top of node's ServerResponse. */
function toBotResponse(response: ServerResponse) {
  let status = 200;
  return {
    socket: response.socket,
    status(code: number) {
      status = code;
      return this;
    },
    header(name: string, value: unknown) {
      response.setHeader(name, String(value));
      return this;
    },
    send(body?: unknown) {
      if (response.headersSent) return this;
      if (body === undefined || body === null) {
        response.writeHead(status).end();
      } else if (typeof body === 'string' || Buffer.isBuffer(body)) {
        response.writeHead(status).end(body);
      } else {
        response
          .writeHead(status, { 'content-type': 'application/json; charset=utf-8' })
          .end(JSON.stringify(body));
      }
      return this;
    },
    end() {
      if (!response.headersSent) response.writeHead(status);
      response.end();
      return this;
    },
  };
}
