import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSlackApp } from '../../src/bot/slack/register.ts';
import type { Dispatch } from '../../src/handlers/kernel/dispatch.ts';
import { createRecordingLogger } from '../helpers/logger.ts';
import { buildOfficeConfig } from '../helpers/office.ts';
import { type RecordingSlackApi, startRecordingSlackApi } from '../helpers/slack-api-server.ts';
import { buildSlashCommandBody, postSignedSlack } from '../helpers/slack-signing.ts';
import { waitFor } from '../helpers/wait.ts';

const SECRET = 'slow-form-secret';

/** A dispatch that answers a bare /timeoff with its form, later than Slack's 3 s window allows. */
const slowFormDispatch: Dispatch = async () => {
  await new Promise((resolve) => setTimeout(resolve, 2_700));
  return {
    form: { formId: 'timeoff_request', title: 'Request time off', submitLabel: 'Request', inputs: [] },
    effects: [],
  };
};

describe('a form that misses Slack’s 3-second window', () => {
  let slackApi: RecordingSlackApi;
  let server: Server;
  let url: string;

  beforeAll(async () => {
    slackApi = await startRecordingSlackApi();
    const slack = createSlackApp({
      settings: { mode: 'http', signingSecret: SECRET, botToken: 'xoxb-test', apiUrl: slackApi.apiUrl },
      office: buildOfficeConfig(),
      logger: createRecordingLogger('warn').logger,
      dispatch: slowFormDispatch,
      loadHome: async () => [],
    });
    server = createServer((request, response) => void slack.handleRequest(request, response));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise((resolve) => server?.close(resolve));
    await slackApi?.close();
  });

  it('tells the person to run the command again instead of promising an answer that never comes', async () => {
    const response = await postSignedSlack(
      url,
      SECRET,
      buildSlashCommandBody({
        command: '/timeoff',
        text: '',
        userId: 'U0SAM',
        channelId: 'C0GENERAL',
        responseUrl: slackApi.responseUrl('slow'),
      }),
    );
    expect(((await response.json()) as { text: string }).text).toMatch(/Working on it/);
    const followUp = await waitFor(() => slackApi.responsesTo('slow')[0], 'the follow-up');
    expect(String(followUp.body.text)).toBe(
      'Sorry, the form took too long to open. Please run /timeoff again. Nothing was saved.',
    );
    expect(slackApi.callsTo('views.open')).toHaveLength(0);
  });
});
