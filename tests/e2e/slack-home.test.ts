import { DateTime } from 'luxon';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildOfficeConfig } from '../helpers/office.ts';
import { type SlackHarness, startSlackHarness } from '../helpers/slack-harness.ts';
import { buildPayloadBody, buildSlackHeaders } from '../helpers/slack-signing.ts';
import { waitFor } from '../helpers/wait.ts';

const office = buildOfficeConfig();
const NOW = DateTime.fromISO('2026-11-25T10:00', { zone: office.office.timezone }); // Wed

/** The text of every block of a view, as one string to look in. */
const shown = (view: unknown) => JSON.stringify(view);

describe('the Slack Home tab', () => {
  let slack: SlackHarness;

  beforeAll(async () => {
    slack = await startSlackHarness({ command: '/timeoff', office, now: NOW });
  });
  afterAll(() => slack?.stop());

  const openHome = (userId: string) => slack.openHome(userId);
  const publishedFor = (userId: string) => slack.homesOf(userId);

  /** A button on `userId`'s Home tab pressed, signed, as Slack sends it. */
  async function pressOnHome(userId: string, actionId: string, value: string, actionTs: string) {
    const payload = {
      type: 'block_actions',
      team: { id: 'T0TEST', domain: 'frontdesk-test' },
      user: { id: userId, username: userId, name: userId, team_id: 'T0TEST' },
      api_app_id: 'A0FRONTDESK',
      token: 'deprecated-verification-token',
      container: { type: 'view', view_id: 'V0HOME' },
      trigger_id: `trigger.home.${actionTs}`,
      view: { id: 'V0HOME', type: 'home' },
      actions: [{ action_id: actionId, block_id: 'b', type: 'button', value, action_ts: actionTs }],
    };
    const body = buildPayloadBody(payload);
    const response = await fetch(`${slack.url}/slack/events`, {
      method: 'POST',
      headers: buildSlackHeaders(slack.secret, body),
      body,
    });
    expect(response.status).toBe(200);
  }

  it('shows a person their own requests and balance, and a manager the decisions waiting with Approve and Deny', async () => {
    const answer = await slack.slash('dec 2 dentist <!channel>');
    const reference = /TO-\d+/.exec(answer.text ?? '')?.[0] ?? '';
    await waitFor(() => slack.postsTo(office.channels.approvals)[0], 'the approval card');

    await openHome('U0SAM');
    const sam = await waitFor(() => publishedFor('U0SAM').at(-1), 'Sam’s home');
    expect(shown(sam.body.view)).toContain(`${reference} · Wed Dec 2`);
    expect(shown(sam.body.view)).toContain('Balance 2026');
    expect(shown(sam.body.view)).not.toContain('"text":"Approve"');

    await openHome('U0DANA');
    const dana = await waitFor(() => publishedFor('U0DANA').at(-1), 'Dana’s home');
    const view = dana.body.view as { type: string; blocks: unknown[] };
    expect(view.type).toBe('home');
    expect(shown(view)).toContain(`Time off ${reference}`);
    expect(shown(view)).toContain('"text":"Approve"');
    expect(shown(view)).toContain('"action_id":"timeoff_approve"');
    expect(shown(view)).not.toContain('<!channel>');
  });

  it('approves from Home: the channel card updates, the answer comes privately, and Home is drawn again', async () => {
    await slack.api.settled();
    const card = slack.postsTo(office.channels.approvals)[0];
    const reference = /TO-\d+/.exec(String(card?.body.text))?.[0] ?? '';
    const before = publishedFor('U0DANA').length;
    await pressOnHome('U0DANA', 'timeoff_approve', reference, '1700000001.000001');
    const updated = await waitFor(
      () => slack.api.callsTo('chat.update').find((call) => String(call.body.text).includes('approved')),
      'the channel card updated',
    );
    expect(updated.body.channel).toBe(office.channels.approvals);
    const told = await waitFor(
      () => slack.api.callsTo('chat.postMessage').find((call) => call.body.channel === 'U0DANA'),
      'Dana’s private answer',
    );
    expect(String(told.body.text)).toContain(`Approved ${reference}`);
    // Home is drawn again without the decision: the request is no longer waiting.
    const redrawn = await waitFor(
      () =>
        publishedFor('U0DANA')
          .slice(before)
          .find((call) => !shown(call.body.view).includes('"action_id":"timeoff_approve"')),
      'Dana’s home redrawn without the decision',
    );
    expect(shown(redrawn.body.view)).toContain('frontdesk — Dana Reyes');
  });

  it('refuses Approve pressed on a Home drawn before another manager approved, and redraws the card and that Home', async () => {
    await slack.api.settled();
    const card = slack.postsTo(office.channels.approvals)[0];
    const reference = /TO-\d+/.exec(String(card?.body.text))?.[0] ?? '';
    await openHome('U0OMAR');
    await waitFor(() => publishedFor('U0OMAR').at(-1), 'Omar’s home');
    await slack.api.settled();
    const homes = publishedFor('U0OMAR').length;
    const updates = slack.api.callsTo('chat.update').length;
    await pressOnHome('U0OMAR', 'timeoff_approve', reference, '1700000002.000001');
    const told = await waitFor(
      () => slack.api.callsTo('chat.postMessage').find((call) => call.body.channel === 'U0OMAR'),
      'Omar’s private answer',
    );
    expect(String(told.body.text)).toContain(`${reference} was already approved by Dana Reyes`);
    const redrawn = await waitFor(
      () => slack.api.callsTo('chat.update').slice(updates)[0],
      'the channel card redrawn',
    );
    expect(redrawn.body.channel).toBe(office.channels.approvals);
    expect(String(redrawn.body.text)).toContain('approved');
    expect(JSON.stringify(redrawn.body.blocks)).not.toContain('"action_id":"timeoff_approve"');
    await waitFor(() => publishedFor('U0OMAR')[homes], 'Omar’s home drawn again');
  });
});
