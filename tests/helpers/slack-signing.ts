import { createHmac, randomUUID } from 'node:crypto';

/** Slack's v0 request signature: `v0=` + hex HMAC-SHA256(secret, `v0:<ts>:<body>`). */
export function signSlackBody(secret: string, timestamp: number, body: string): string {
  return `v0=${createHmac('sha256', secret).update(`v0:${timestamp}:${body}`).digest('hex')}`;
}

/** Headers of a signed Slack request; `timestamp` defaults to now (seconds). */
export function buildSlackHeaders(
  secret: string,
  body: string,
  timestamp = Math.floor(Date.now() / 1000),
): Record<string, string> {
  return {
    'content-type': 'application/x-www-form-urlencoded',
    'x-slack-request-timestamp': String(timestamp),
    'x-slack-signature': signSlackBody(secret, timestamp, body),
  };
}

/** A slash-command delivery as Slack posts it (form-encoded). */
export function buildSlashCommandBody(params: {
  command: string;
  text?: string;
  userId?: string;
  userName?: string;
  channelId?: string;
  triggerId?: string;
  responseUrl?: string;
}): string {
  return new URLSearchParams({
    token: 'deprecated-verification-token',
    team_id: 'T0TEST',
    team_domain: 'frontdesk-test',
    channel_id: params.channelId ?? 'C0GENERAL',
    channel_name: 'general',
    user_id: params.userId ?? 'U0SAM',
    user_name: params.userName ?? 'sam',
    command: params.command,
    text: params.text ?? '',
    api_app_id: 'A0FRONTDESK',
    response_url: params.responseUrl ?? 'https://hooks.slack.com/commands/T0TEST/1/abc',
    trigger_id: params.triggerId ?? `trigger.${randomUUID()}`,
  }).toString();
}

/** An interactive payload (block_actions, view_submission…) as Slack posts it: `payload=<json>`. */
export function buildPayloadBody(payload: Record<string, unknown>): string {
  return new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
}

let actionCount = 0;

/** A button press on a message. */
export function buildBlockActionsBody(params: {
  actionId: string;
  value: string;
  userId?: string;
  userName?: string;
  channelId?: string;
  messageTs?: string;
  responseUrl?: string;
  triggerId?: string;
  actionTs?: string;
  /** pressed on an answer only the presser sees, as Slack's container says */
  ephemeral?: boolean;
}): string {
  // Unique per press: Slack's action_ts differs for every click, and the app deduplicates on it.
  actionCount += 1;
  const actionTs =
    params.actionTs ?? `${Math.floor(Date.now() / 1000)}.${String(actionCount).padStart(6, '0')}`;
  return buildPayloadBody({
    type: 'block_actions',
    team: { id: 'T0TEST', domain: 'frontdesk-test' },
    user: { id: params.userId ?? 'U0DANA', username: 'dana', name: 'dana', team_id: 'T0TEST' },
    api_app_id: 'A0FRONTDESK',
    token: 'deprecated-verification-token',
    container: {
      type: 'message',
      message_ts: params.messageTs ?? '1700000000.000001',
      channel_id: params.channelId ?? 'C0APPROVALS',
      ...(params.ephemeral ? { is_ephemeral: true } : {}),
    },
    trigger_id: params.triggerId ?? `trigger.${randomUUID()}`,
    channel: { id: params.channelId ?? 'C0APPROVALS', name: 'approvals' },
    message: { ts: params.messageTs ?? '1700000000.000001', text: 'card' },
    response_url: params.responseUrl ?? 'https://hooks.slack.com/actions/T0TEST/1/abc',
    actions: [
      {
        type: 'button',
        action_id: params.actionId,
        block_id: 'actions',
        value: params.value,
        text: { type: 'plain_text', text: 'Approve' },
        action_ts: actionTs,
      },
    ],
  });
}

/** A modal submission; `values` maps block id → action id → element state, as Slack sends it. */
export function buildViewSubmissionBody(params: {
  callbackId: string;
  values: Record<string, Record<string, unknown>>;
  privateMetadata?: string;
  userId?: string;
  viewId?: string;
}): string {
  return buildPayloadBody({
    type: 'view_submission',
    team: { id: 'T0TEST', domain: 'frontdesk-test' },
    user: { id: params.userId ?? 'U0SAM', username: 'sam', name: 'sam', team_id: 'T0TEST' },
    api_app_id: 'A0FRONTDESK',
    token: 'deprecated-verification-token',
    trigger_id: `trigger.${randomUUID()}`,
    view: {
      id: params.viewId ?? `V${randomUUID().slice(0, 8).toUpperCase()}`,
      type: 'modal',
      callback_id: params.callbackId,
      private_metadata: params.privateMetadata ?? '',
      state: { values: params.values },
      hash: 'hash',
    },
  });
}

/** Posts a body to the app's /slack/events, signed as Slack signs it now. */
export function postSignedSlack(appUrl: string, secret: string, body: string): Promise<Response> {
  return fetch(`${appUrl}/slack/events`, { method: 'POST', headers: buildSlackHeaders(secret, body), body });
}
