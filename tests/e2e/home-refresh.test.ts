import { DateTime } from 'luxon';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type RecordingConnector,
  sendActivity,
  startRecordingConnector,
  teamsActivity,
} from '../helpers/bot-connector.ts';
import { buildOfficeConfig, withTeamsIds } from '../helpers/office.ts';
import { type SlackHarness, startSlackHarness } from '../helpers/slack-harness.ts';
import { waitFor } from '../helpers/wait.ts';

const base = buildOfficeConfig();
const office = { ...base, staff: withTeamsIds(base.staff) };
const NOW = DateTime.fromISO('2026-11-25T10:00', { zone: office.office.timezone }); // Wed

// Slack, Teams and the sandbox in one process: a change made on any of them redraws the Slack Homes it may
// show, of people who opened Home since the process started, once.
describe('Slack Home tabs after a change made on any platform', () => {
  let slack: SlackHarness;
  let connector: RecordingConnector;

  beforeAll(async () => {
    connector = await startRecordingConnector();
    slack = await startSlackHarness({
      command: '/note',
      office,
      now: NOW,
      logLevel: 'warn',
      env: { TEAMS_EMULATOR: '1', SANDBOX: '1' },
    });
    // Only these have opened Home since the process started, so only their tabs are ever redrawn.
    for (const user of ['U0SAM', 'U0DANA', 'U0OMAR']) {
      await slack.openHome(user);
      await waitFor(() => slack.homesOf(user)[0], `${user}’s Home`);
    }
  });
  afterAll(async () => {
    await slack?.stop();
    await connector?.close();
  });

  const toTeams = async (user: string, text: string) => {
    const response = await sendActivity(
      slack.url,
      teamsActivity(connector.url, { user, conversation: `dm-${user}`, text }),
    );
    expect(response.status).toBeLessThan(300);
  };
  const teamsAnswers = (user: string) =>
    JSON.stringify(connector.postsIn(`dm-${user}`).map((post) => post.body));
  const toSandbox = async (as: string, text: string) => {
    const response = await fetch(`${slack.url}/sandbox/api/command`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: slack.url, 'sec-fetch-site': 'same-origin' },
      body: JSON.stringify({ as, text }),
    });
    expect(response.status).toBe(200);
    return ((await response.json()) as { reply: string | null }).reply ?? '';
  };
  const homeShowing = (userId: string, text: string, after: number) =>
    waitFor(
      () =>
        slack
          .homesOf(userId)
          .slice(after)
          .find((call) => JSON.stringify(call.body.view).includes(text)),
      `${userId}’s Home redrawn showing ${text}`,
    );
  /** Every Home redraw the app started has reached the recording API (loading a Home reads the database first). */
  const settled = async () => {
    await new Promise((resolve) => setTimeout(resolve, 300));
    await slack.api.settled();
  };

  it('redraws the writer’s Slack Home when they file a follow-up in Teams', async () => {
    const before = slack.homesOf('U0SAM').length;
    await toTeams('sam', 'note call the lab by fri');
    const reference = await waitFor(() => /FU-\d+/.exec(teamsAnswers('sam'))?.[0], 'the Teams answer');
    await homeShowing('U0SAM', reference, before);
  });

  it('redraws the writer’s Slack Home when they file a follow-up in the sandbox', async () => {
    const before = slack.homesOf('U0SAM').length;
    const reference = /FU-\d+/.exec(await toSandbox('sam-lee', '/note order toner by mon'))?.[0] ?? '';
    expect(reference).not.toBe('');
    await homeShowing('U0SAM', reference, before);
  });

  it('redraws every manager’s Slack Home when a request filed in Teams posts a card', async () => {
    const dana = slack.homesOf('U0DANA').length;
    const omar = slack.homesOf('U0OMAR').length;
    await toTeams('sam', 'timeoff dec 1');
    const reference = await waitFor(() => /TO-\d+/.exec(teamsAnswers('sam'))?.[0], 'the Teams answer');
    await homeShowing('U0DANA', `Time off ${reference}`, dana);
    await homeShowing('U0OMAR', `Time off ${reference}`, omar);
  });

  it('redraws a Home once for a change made in Slack', async () => {
    await settled();
    const before = slack.homesOf('U0SAM').length;
    const answer = await slack.slash('ring the landlord by thu');
    const reference = /FU-\d+/.exec(answer.text ?? '')?.[0] ?? '';
    expect(reference).not.toBe('');
    await homeShowing('U0SAM', reference, before);
    await settled();
    expect(slack.homesOf('U0SAM').slice(before)).toHaveLength(1);
  });

  it('draws no Home for a list or a refusal, which change nothing', async () => {
    await settled();
    const homes = slack.api.callsTo('views.publish').length;
    const answered = connector.postsIn('dm-sam').length;
    await toTeams('sam', 'note list');
    await waitFor(() => connector.postsIn('dm-sam')[answered], 'the Teams list');
    await toTeams('sam', 'timeoff whenever');
    const refusal = await waitFor(() => connector.postsIn('dm-sam')[answered + 1], 'the Teams refusal');
    expect(String(refusal.body.text)).toContain('Nothing was saved');
    expect(await toSandbox('dana-reyes', '/note list')).not.toBe('');
    await settled();
    expect(slack.api.callsTo('views.publish')).toHaveLength(homes);
  });
});
