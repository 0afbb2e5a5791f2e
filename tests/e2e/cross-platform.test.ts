import { randomUUID } from 'node:crypto';
import { DateTime } from 'luxon';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Frontdesk, startFrontdesk } from '../../src/bot/frontdesk.ts';
import { type Database, openDatabase } from '../../src/db/client.ts';
import { type RecordingConnector, startRecordingConnector } from '../helpers/bot-connector.ts';
import { buildSlackTestEnv } from '../helpers/env.ts';
import { createRecordingLogger } from '../helpers/logger.ts';
import { buildOfficeConfig, withTeamsIds } from '../helpers/office.ts';
import { type RecordingSlackApi, startRecordingSlackApi } from '../helpers/slack-api-server.ts';
import { buildBlockActionsBody, buildSlackHeaders } from '../helpers/slack-signing.ts';
import { waitFor } from '../helpers/wait.ts';

const SECRET = 'cross-platform-secret';
const base = buildOfficeConfig();
const office = {
  ...base,
  staff: withTeamsIds(base.staff),
};
const NOW = DateTime.fromISO('2026-11-25T10:00', { zone: office.office.timezone }); // Wed

describe('a request filed in Teams and decided in Slack', () => {
  let slackApi: RecordingSlackApi;
  let connector: RecordingConnector;
  let database: Database;
  let app: Frontdesk;

  beforeAll(async () => {
    slackApi = await startRecordingSlackApi();
    connector = await startRecordingConnector();
    database = await openDatabase({ dataDir: null });
    app = await startFrontdesk({
      env: buildSlackTestEnv(SECRET, slackApi.apiUrl, { TEAMS_EMULATOR: '1' }),
      office,
      database,
      logger: createRecordingLogger('warn').logger,
      clock: () => NOW,
      deliverer: { pollMs: 20 },
      jobs: [],
    });
  });
  afterAll(async () => {
    await app?.stop();
    await database?.close();
    await connector?.close();
    await slackApi?.close();
  });

  function activity(user: string, conversation: string, kind: 'personal' | 'channel', text: string) {
    return {
      type: 'message',
      id: randomUUID(),
      timestamp: new Date().toISOString(),
      channelId: 'msteams',
      serviceUrl: connector.url,
      from: { id: `29:${user}`, aadObjectId: `aad-${user}`, name: user },
      recipient: { id: '28:frontdesk', name: 'frontdesk' },
      conversation: { id: conversation, conversationType: kind, tenantId: 'tenant' },
      text,
    };
  }
  const toTeams = (body: unknown) =>
    fetch(`${app.url}/api/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });

  it('posts the card on both platforms and updates both when a manager approves in Slack', async () => {
    await toTeams(activity('dana', 'team-approvals', 'channel', 'use this channel for approvals'));
    await toTeams(activity('sam', 'dm-sam', 'personal', 'timeoff dec 1'));
    const reference = /TO-\d+/.exec(JSON.stringify(connector.cardsIn('dm-sam').at(-1)))?.[0] ?? '';
    expect(reference).not.toBe('');
    await waitFor(
      () => slackApi.callsTo('chat.postMessage').find((call) => call.body.channel === 'C0APPROVALS'),
      'Slack card',
    );
    await waitFor(
      () =>
        connector
          .cardsIn('team-approvals')
          .find((card) => JSON.stringify(card).includes(`Time off ${reference}`)),
      'Teams card',
    );

    const body = buildBlockActionsBody({
      actionId: 'timeoff_approve',
      value: reference,
      userId: 'U0DANA',
      responseUrl: slackApi.responseUrl('cross'),
    });
    const response = await fetch(`${app.url}/slack/events`, {
      method: 'POST',
      headers: buildSlackHeaders(SECRET, body),
      body,
    });
    expect(response.status).toBe(200);

    const slackUpdate = await waitFor(() => slackApi.callsTo('chat.update')[0], 'the Slack card update');
    expect(JSON.stringify(slackUpdate.body.blocks)).toContain('Approved by Dana Reyes');
    const teamsUpdate = await waitFor(() => connector.updates()[0], 'the Teams card update');
    expect(teamsUpdate.conversationId).toBe('team-approvals');
    expect(JSON.stringify(teamsUpdate.body)).toContain('Approved by Dana Reyes');
    // The requester filed in Teams, so the decision reaches them there.
    await waitFor(
      () => connector.cardsIn('dm-sam').find((card) => JSON.stringify(card).includes('was approved')),
      'the DM in Teams',
    );
  });
});
