import { DateTime } from 'luxon';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { callOuts, complaints, notes, outbox } from '../../src/db/schema/index.ts';
import { COMPLAINT_DEFAULTS } from '../../src/domain/complaints.ts';
import {
  type RecordingConnector,
  sendActivity,
  startRecordingConnector,
  teamsActivity,
} from '../helpers/bot-connector.ts';
import { buildOfficeConfig, withTeamsIds } from '../helpers/office.ts';
import { type SlackHarness, startSlackHarness } from '../helpers/slack-harness.ts';
import { buildSlashCommandBody, postSignedSlack } from '../helpers/slack-signing.ts';
import { waitFor } from '../helpers/wait.ts';

const base = buildOfficeConfig({ complaints: { ...COMPLAINT_DEFAULTS, showDetailsInChannel: true } });
const office = { ...base, staff: withTeamsIds(base.staff) };
const NOW = DateTime.fromISO('2026-11-25T10:00', { zone: office.office.timezone }); // Wed

// Slack, Teams and the sandbox in one process: each reads a message typed over several lines the same way.
describe('line breaks typed in a command, through each platform’s HTTP endpoint', () => {
  let slack: SlackHarness;
  let connector: RecordingConnector;

  beforeAll(async () => {
    connector = await startRecordingConnector();
    slack = await startSlackHarness({
      command: '/complaint',
      office,
      now: NOW,
      tables: [outbox, complaints, callOuts, notes],
      logLevel: 'warn',
      env: { TEAMS_EMULATOR: '1', SANDBOX: '1' },
    });
  });
  afterAll(async () => {
    await slack?.stop();
    await connector?.close();
  });
  beforeEach(() => slack.reset());

  const descriptions = async () => (await slack.db.select().from(complaints)).map((row) => row.description);

  it('stores a Slack /complaint typed with shift+enter with its lines, and its card shows them escaped', async () => {
    // Slack sends a typed `&` as `&amp;` (should_escape: false), and the line breaks as they were typed.
    const answer = await slack.slash('Waited two hours\nTom &amp; Jerry <b>were</b> rude\n\nLeft unseen');
    expect(answer.text).toMatch(/^Complaint logged: CP-\d+$/);
    expect(await descriptions()).toEqual(['Waited two hours\nTom & Jerry <b>were</b> rude\n\nLeft unseen']);
    const card = await waitFor(() => slack.postsTo(office.channels.complaints)[0], 'the complaint card');
    const sections = (card.body.blocks as { type: string; text?: { text: string } }[])
      .filter((block) => block.type === 'section' && block.text)
      .map((block) => block.text?.text);
    expect(sections).toContain(
      'What happened: Waited two hours\nTom &amp; Jerry &lt;b&gt;were&lt;/b&gt; rude\n\nLeft unseen',
    );
  });

  it('stores a Slack /out typed over lines with its reason on one line', async () => {
    const response = await postSignedSlack(
      slack.url,
      slack.secret,
      buildSlashCommandBody({
        command: '/out',
        text: 'sick\nfever\nand chills',
        responseUrl: slack.api.responseUrl('out'),
      }),
    );
    expect(response.status).toBe(200);
    await waitFor(async () => (await slack.db.select().from(callOuts))[0], 'the call-out');
    expect((await slack.db.select().from(callOuts)).map((row) => row.reason)).toEqual(['fever and chills']);
  });

  it('reads a Slack /complaint list followed by a line break as the list', async () => {
    const answer = await slack.slash('list\n', { userId: 'U0DANA' });
    expect(JSON.stringify(answer.blocks)).toContain('Open complaints');
    expect(await descriptions()).toEqual([]);
  });

  it('stores a complaint typed to the bot in Teams over lines with its lines', async () => {
    const response = await sendActivity(
      slack.url,
      teamsActivity(connector.url, {
        user: 'sam',
        conversation: 'dm-sam',
        text: 'complaint The front door sticks\r\nA patient fell',
      }),
    );
    expect(response.status).toBeLessThan(300);
    await waitFor(async () => (await descriptions())[0], 'the complaint');
    expect(await descriptions()).toEqual(['The front door sticks\nA patient fell']);
  });

  it('stores a follow-up typed in the sandbox over lines with its lines, and its due day', async () => {
    const response = await fetch(`${slack.url}/sandbox/api/command`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: slack.url, 'sec-fetch-site': 'same-origin' },
      body: JSON.stringify({ as: 'sam-lee', text: '/note call the lab\nabout the results by fri' }),
    });
    expect(response.status).toBe(200);
    expect(await slack.db.select().from(notes)).toMatchObject([
      { text: 'call the lab\nabout the results', due: '2026-11-27' },
    ]);
  });
});
