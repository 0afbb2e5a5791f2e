import type { AddressInfo } from 'node:net';
import { eq } from 'drizzle-orm';
import { DateTime } from 'luxon';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type WebSocket, WebSocketServer } from 'ws';
import { type Frontdesk, startFrontdesk } from '../../src/bot/frontdesk.ts';
import { loadEnv } from '../../src/config/env.ts';
import { type Database, openDatabase } from '../../src/db/client.ts';
import { timeOffRequests } from '../../src/db/schema/index.ts';
import { createRecordingLogger } from '../helpers/logger.ts';
import { buildOfficeConfig } from '../helpers/office.ts';
import { type RecordingSlackApi, startRecordingSlackApi } from '../helpers/slack-api-server.ts';
import { waitFor } from '../helpers/wait.ts';

const office = buildOfficeConfig();
const NOW = DateTime.fromISO('2026-11-25T10:00', { zone: office.office.timezone }); // Wed

/**
 * Slack over Socket Mode with a local stand-in for Slack's side: apps.connections.open on the recording Web
 * API hands out a local WebSocket, which says hello and then sends envelopes as Slack does; frontdesk
 * answers each with an ack carrying its payload. No public address, no /slack/events.
 */
describe('Slack in Socket Mode', () => {
  let api: RecordingSlackApi;
  let sockets: WebSocketServer;
  let socket: WebSocket | undefined;
  const acks = new Map<string, Record<string, unknown>>();
  let database: Database;
  let app: Frontdesk;

  beforeAll(async () => {
    api = await startRecordingSlackApi();
    sockets = new WebSocketServer({ host: '127.0.0.1', port: 0 });
    await new Promise<void>((resolve) => sockets.once('listening', () => resolve()));
    api.socketUrl = `ws://127.0.0.1:${(sockets.address() as AddressInfo).port}/`;
    sockets.on('connection', (connection) => {
      socket = connection;
      connection.on('message', (data) => {
        const message = JSON.parse(String(data)) as {
          envelope_id?: string;
          payload?: Record<string, unknown>;
        };
        if (message.envelope_id) acks.set(message.envelope_id, message.payload ?? {});
      });
      connection.send(
        JSON.stringify({ type: 'hello', num_connections: 1, connection_info: { app_id: 'A0FRONTDESK' } }),
      );
    });
    database = await openDatabase({ dataDir: null });
    app = await startFrontdesk({
      env: {
        ...loadEnv({
          SLACK_BOT_TOKEN: 'xoxb-test',
          SLACK_APP_TOKEN: 'xapp-1-test',
          SLACK_API_URL: api.apiUrl,
        }),
        port: 0,
      },
      office,
      database,
      jobs: [],
      clock: () => NOW,
      deliverer: { pollMs: 20 },
      logger: createRecordingLogger('warn').logger,
    });
  });
  afterAll(async () => {
    await app?.stop();
    await database?.close();
    await new Promise<void>((resolve) => sockets?.close(() => resolve()));
    await api?.close();
  });

  function send(envelope: Record<string, unknown>) {
    if (!socket) throw new Error('frontdesk has not connected');
    socket.send(JSON.stringify(envelope));
  }

  it('connects out with the app-level token and serves no /slack/events', async () => {
    const opened = api.callsTo('apps.connections.open')[0];
    expect(opened?.headers.authorization).toBe('Bearer xapp-1-test');
    await waitFor(() => socket, 'the socket connection');
    expect((await fetch(`${app.url}/slack/events`, { method: 'POST', body: 'x' })).status).toBe(404);
  });

  it('answers a slash command in the ack of its envelope, and a button press arriving the same way', async () => {
    send({
      envelope_id: 'env-command',
      type: 'slash_commands',
      accepts_response_payload: true,
      payload: {
        token: 'x',
        team_id: 'T0TEST',
        channel_id: 'C0GENERAL',
        user_id: 'U0SAM',
        user_name: 'sam',
        command: '/timeoff',
        text: 'dec 2 dentist',
        api_app_id: 'A0FRONTDESK',
        response_url: api.responseUrl('socket-command'),
        trigger_id: 'trigger.socket',
      },
    });
    const answer = await waitFor(() => acks.get('env-command'), 'the command ack');
    expect(String(answer.text)).toMatch(/^Time off requested: TO-\d+, Wed Dec 2$/);
    const reference = /TO-\d+/.exec(String(answer.text))?.[0] ?? '';
    await waitFor(() => api.callsTo('chat.postMessage')[0], 'the approval card');

    send({
      envelope_id: 'env-press',
      type: 'interactive',
      accepts_response_payload: false,
      payload: {
        type: 'block_actions',
        team: { id: 'T0TEST', domain: 'frontdesk-test' },
        user: { id: 'U0DANA', username: 'dana', name: 'dana', team_id: 'T0TEST' },
        api_app_id: 'A0FRONTDESK',
        container: { type: 'message', message_ts: '1700000000.000001', channel_id: 'C0APPROVALS' },
        trigger_id: 'trigger.press',
        channel: { id: 'C0APPROVALS', name: 'approvals' },
        message: { ts: '1700000000.000001', text: 'card' },
        response_url: api.responseUrl('socket-press'),
        actions: [
          {
            action_id: 'timeoff_approve',
            block_id: 'b',
            type: 'button',
            value: reference,
            action_ts: '1700000002.000001',
          },
        ],
      },
    });
    await waitFor(() => acks.get('env-press'), 'the press ack');
    const told = await waitFor(() => api.responsesTo('socket-press')[0], 'the answer to the press');
    expect(String(told.body.text)).toContain(`Approved ${reference}`);
    const [row] = await database.db
      .select()
      .from(timeOffRequests)
      .where(eq(timeOffRequests.status, 'approved'));
    expect(row?.decidedByName).toBe('Dana Reyes');
  });
});
