import type { IncomingMessage, ServerResponse } from 'node:http';
import { Application, TeamsAdapter } from '@microsoft/teams-ai';
import {
  ActivityTypes,
  CardFactory,
  ConfigurationServiceClientCredentialFactory,
  TurnContext,
} from 'botbuilder';
import type { Logger } from 'pino';
import { z } from 'zod';
import type { Env } from '../../config/env.ts';
import type { OfficeConfig } from '../../config/office.ts';
import type { Db } from '../../db/client.ts';
import { saveChannelBinding, saveTeamsConversation } from '../../db/repositories/teams-conversations.ts';
import { findStaffMember, type Person, resolvePerson } from '../../domain/people.ts';
import { isActionId, isFormId } from '../../handlers/action-ids.ts';
import type { Dispatch } from '../../handlers/dispatch.ts';
import type { Input } from '../../handlers/input.ts';
import { parseTypedCommand } from '../../handlers/input.ts';
import type { ChannelRole, Message, Outcome } from '../../handlers/reply.ts';
import { describeAllCommands } from '../../handlers/usage.ts';
import { BodyTooLargeError, readBody, sendJson } from '../http-body.ts';
import { formToAdaptiveCard } from './render.ts';
import { toTeamsActivity } from './sender.ts';

const MAX_ACTIVITY_BYTES = 256 * 1024;
const BIND_PATTERN = /^use this (?:channel|chat|conversation) for (approvals|huddle|complaints)$/i;

const submitSchema = z
  .object({
    verb: z.string().min(1).max(100),
    value: z.string().max(2000).optional(),
    metadata: z.string().max(3000).optional(),
  })
  .catchall(z.union([z.string().max(4000), z.number(), z.boolean()]));

/** Who sent an activity: a staff entry matched by AAD object id or Teams user id, else staff with no role. */
export function resolveTeamsPerson(
  office: OfficeConfig,
  from: { id?: string; aadObjectId?: string; name?: string },
): Person {
  for (const id of [from.aadObjectId, from.id]) {
    if (id && findStaffMember(office, 'teams', id)) return resolvePerson(office, 'teams', id);
  }
  return resolvePerson(office, 'teams', from.aadObjectId ?? from.id ?? 'unknown', from.name);
}

/** Reads an Adaptive Card submission (Action.Submit data plus the inputs) into a neutral input. */
export function readCardSubmission(value: unknown, deliveryId: string): Input | undefined {
  const parsed = submitSchema.safeParse(value);
  if (!parsed.success) return undefined;
  const { verb, value: buttonValue, metadata, ...inputs } = parsed.data;
  if (isActionId(verb)) return { kind: 'action', actionId: verb, value: buttonValue ?? '', deliveryId };
  if (isFormId(verb)) {
    const values = Object.fromEntries(Object.entries(inputs).map(([key, entry]) => [key, String(entry)]));
    return { kind: 'form', formId: verb, values, ...(metadata ? { metadata } : {}), deliveryId };
  }
  return undefined;
}

function describeFormErrors(errors: Record<string, string>): Message {
  return { text: 'Please check the form', title: 'Please check the form', lines: Object.values(errors) };
}

/**
 * The Teams bot: a teams-ai Application on the Bot Framework CloudAdapter. Messages and card submissions
 * go through the same router and handlers as Slack; conversation references are stored on every turn so the
 * outbox can post to bound channels and send direct messages.
 */
export function createTeamsBot(params: {
  credentials: Env['teams'];
  office: OfficeConfig;
  db: Db;
  logger: Logger;
  dispatch: Dispatch;
}) {
  const { credentials, office, db, dispatch } = params;
  const logger = params.logger.child({ component: 'teams' });
  const auth = credentials
    ? {
        MicrosoftAppId: credentials.appId,
        MicrosoftAppPassword: credentials.appPassword,
        MicrosoftAppType: credentials.appType,
        ...(credentials.tenantId ? { MicrosoftAppTenantId: credentials.tenantId } : {}),
      }
    : {};
  const adapter = new TeamsAdapter(auth, new ConfigurationServiceClientCredentialFactory(auth));
  const app = new Application({ adapter, removeRecipientMention: true, startTypingTimer: false });

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
  }

  async function answer(context: TurnContext, outcome: Outcome): Promise<void> {
    if (outcome.formErrors && Object.keys(outcome.formErrors).length > 0) {
      await context.sendActivity(toTeamsActivity(describeFormErrors(outcome.formErrors)));
      return;
    }
    if (outcome.reply) await context.sendActivity(toTeamsActivity(outcome.reply));
    if (outcome.form) {
      await context.sendActivity({
        attachments: [CardFactory.adaptiveCard(formToAdaptiveCard(outcome.form))],
      });
    }
  }

  async function bindChannel(context: TurnContext, actor: Person, role: ChannelRole): Promise<void> {
    if (!actor.isManager) {
      await context.sendActivity(
        'Only a manager can choose the channels frontdesk posts to. Nothing was changed.',
      );
      return;
    }
    await saveChannelBinding(db, {
      officeId: office.office.id,
      platform: 'teams',
      role,
      target: context.activity.conversation.id,
      boundBy: actor.key,
    });
    await context.sendActivity(`Done: this conversation is now the ${role} channel for frontdesk.`);
  }

  app.activity(ActivityTypes.ConversationUpdate, async (context) => {
    await remember(context, resolveTeamsPerson(office, context.activity.from ?? {}));
  });

  app.activity(ActivityTypes.Message, async (context) => {
    const activity = context.activity;
    const actor = resolveTeamsPerson(office, activity.from ?? {});
    await remember(context, actor);
    const deliveryId = activity.id ?? '';
    if (activity.value !== undefined && activity.value !== null) {
      const input = readCardSubmission(activity.value, deliveryId);
      if (!input) {
        await context.sendActivity('That card is out of date or could not be read. Nothing was changed.');
        return;
      }
      await answer(context, await dispatch(actor, input));
      return;
    }
    // teams-ai strips the mention it finds in the entities; a mention typed as plain <at> tags is cut here.
    const text = (activity.text ?? '').replace(/<at>[^<]*<\/at>/gi, '').trim();
    const binding = BIND_PATTERN.exec(text);
    if (binding?.[1]) {
      await bindChannel(context, actor, binding[1].toLowerCase() as ChannelRole);
      return;
    }
    const typed = parseTypedCommand(text);
    if (typed.kind !== 'command') {
      const preface =
        typed.kind === 'unknown' ? `frontdesk does not know "${typed.word.slice(0, 40)}".` : undefined;
      await context.sendActivity(toTeamsActivity(describeAllCommands(preface)));
      return;
    }
    await answer(context, await dispatch(actor, { ...typed, ...(deliveryId ? { deliveryId } : {}) }));
  });

  app.error(async (_context, error) => {
    logger.error({ type: error instanceof Error ? error.name : typeof error }, 'Teams turn failed');
  });

  /** Handles POST /api/messages: Bot Framework authentication (unless emulating), then the turn. */
  async function handleRequest(request: IncomingMessage, response: ServerResponse): Promise<void> {
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
      (context) => app.run(context).then(() => undefined),
    );
  }

  return { adapter, appId: credentials?.appId ?? '', handleRequest };
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
