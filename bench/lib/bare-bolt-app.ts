/**
 * The floors ack-load compares frontdesk with: a bare Bolt app on the same HTTP receiver settings whose
 * slash-command handler only acks (BARE_MODE=ack); or acks and then posts one approval-sized card through
 * the Web API (BARE_MODE=post), the least any bot must do for a filing; or first stores the filing with
 * one INSERT into PostgreSQL at DATABASE_URL, then acks and posts (BARE_MODE=insert-post), the least a bot
 * that loses nothing must do.
 *
 * Env: SLACK_SIGNING_SECRET, SLACK_API_URL, BARE_MODE, APPROVALS_CHANNEL, DATABASE_URL. Prints
 * `{"port":…}` when listening.
 */
import type { AddressInfo } from 'node:net';
import { App, HTTPReceiver, LogLevel } from '@slack/bolt';
import postgres from 'postgres';

const mode =
  (['ack', 'post', 'insert-post'] as const).find((name) => name === process.env.BARE_MODE) ?? 'ack';
const database = mode === 'insert-post' ? postgres(process.env.DATABASE_URL ?? '', { max: 10 }) : undefined;
if (database)
  await database`create table if not exists filings (id bigserial primary key, user_id text, text text)`;
const channel = process.env.APPROVALS_CHANNEL ?? 'C0APPROVALS';
let cards = 0;

const receiver = new HTTPReceiver({
  signingSecret: process.env.SLACK_SIGNING_SECRET ?? '',
  endpoints: '/slack/events',
  processBeforeResponse: false,
});
const app = new App({
  token: 'xoxb-bench',
  receiver,
  logLevel: LogLevel.ERROR,
  convoStore: false,
  clientOptions: {
    ...(process.env.SLACK_API_URL ? { slackApiUrl: process.env.SLACK_API_URL } : {}),
    retryConfig: { retries: 0 },
  },
});

app.command(/.*/, async ({ command, ack, client }) => {
  if (database)
    await database`insert into filings (user_id, text) values (${command.user_id}, ${command.text})`;
  await ack({ response_type: 'ephemeral', text: `Got it: ${command.text}` });
  if (mode === 'ack') return;
  cards += 1;
  const reference = `TO-${cards}`;
  await client.chat.postMessage({
    channel,
    text: `Time off ${reference}: ${command.user_name}, ${command.text} — pending`,
    blocks: [
      {
        type: 'section',
        text: { type: 'mrkdwn', text: `*Time off ${reference}* from <@${command.user_id}>` },
      },
      {
        type: 'section',
        fields: [
          { type: 'mrkdwn', text: `*When*\n${command.text}` },
          { type: 'mrkdwn', text: '*Working days*\n1' },
        ],
      },
      {
        type: 'actions',
        elements: [
          {
            type: 'button',
            action_id: 'approve',
            text: { type: 'plain_text', text: 'Approve' },
            value: reference,
          },
          { type: 'button', action_id: 'deny', text: { type: 'plain_text', text: 'Deny' }, value: reference },
        ],
      },
    ],
  });
});

const server = await receiver.start(0);
process.stdout.write(`${JSON.stringify({ port: (server.address() as AddressInfo).port })}\n`);
process.on('SIGTERM', () => {
  void receiver.stop().then(() => process.exit(0));
});
