import { DateTime } from 'luxon';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { HUDDLE_ACTIONS } from '../../src/handlers/huddle/ids.ts';
import { buildOfficeConfig } from '../helpers/office.ts';
import { type SlackHarness, startSlackHarness } from '../helpers/slack-harness.ts';
import { waitFor } from '../helpers/wait.ts';

const office = buildOfficeConfig();
const NOW = DateTime.fromISO('2026-11-25T11:00', { zone: office.office.timezone }); // Wed

describe('/huddle through signed Slack requests', () => {
  let slack: SlackHarness;

  beforeAll(async () => {
    slack = await startSlackHarness({ command: '/huddle', office, now: NOW });
  });
  afterAll(() => slack?.stop());
  beforeEach(() => slack.reset());

  it('shows today’s digest to the person who asked, ephemerally', async () => {
    const answer = await slack.slash('', { userId: 'U0SAM' });
    expect(answer).toMatchObject({ response_type: 'ephemeral', text: 'Huddle — Wed Nov 25' });
    expect(JSON.stringify(answer.blocks)).toContain('Holidays this week');
  });

  it('shows another day’s digest', async () => {
    expect((await slack.slash('2026-12-03', { userId: 'U0SAM' })).text).toBe('Huddle — Thu Dec 3');
    // Thanksgiving is a holiday in the example office: the next working day's huddle, saying so.
    const closed = await slack.slash('tomorrow', { userId: 'U0SAM' });
    expect(closed.text).toBe('Huddle — Fri Nov 27');
    expect(JSON.stringify(closed.blocks)).toContain(
      'The office is closed Thu Nov 26. This is the huddle for Fri Nov 27, the next working day.',
    );
  });

  it('answers an unreadable date with how to write it', async () => {
    expect((await slack.slash('someday soon', { userId: 'U0SAM' })).text).toMatch(/not one day I can read/);
  });

  it('refuses /huddle post from someone who is not a manager and posts nothing', async () => {
    const answer = await slack.slash('post', { userId: 'U0SAM' });
    expect(answer.text).toMatch(/Only managers can post the huddle/);
    await slack.waitForOutboxDrained();
    expect(slack.api.callsTo('chat.postMessage')).toHaveLength(0);
  });

  it('posts the digest to the huddle channel for a manager', async () => {
    const answer = await slack.slash('post', { userId: 'U0DANA' });
    expect(answer.text).toBe('Posted the huddle for Wed Nov 25 to the huddle channel.');
    const post = await waitFor(() => slack.api.callsTo('chat.postMessage')[0], 'the huddle post');
    expect(post.body).toMatchObject({ channel: office.channels.huddle, text: 'Huddle — Wed Nov 25' });
  });
});

describe('/huddle post on a closed day through signed Slack requests', () => {
  let slack: SlackHarness;
  const saturday = DateTime.fromISO('2026-11-28T09:00', { zone: office.office.timezone });

  beforeAll(async () => {
    slack = await startSlackHarness({ command: '/huddle', office, now: saturday });
  });
  afterAll(() => slack?.stop());

  it('replaces the pressed question with one that has no button and says who posted, then answers below it', async () => {
    const asked = await slack.slash('post', { userId: 'U0DANA' });
    expect(JSON.stringify(asked.blocks)).toContain('Post anyway');
    await slack.press(HUDDLE_ACTIONS.postAnyway, '2026-11-28', 'U0DANA', 'pressed', { ephemeral: true });
    const [replaced, answer] = await waitFor(() => {
      const responses = slack.api.responsesTo('pressed');
      return responses.length >= 2 ? responses : undefined;
    }, 'the redraw and the answer');
    expect(replaced?.body).toMatchObject({ replace_original: true, response_type: 'ephemeral' });
    expect(JSON.stringify(replaced?.body)).toContain('Dana Reyes posted it (Sat Nov 28 at 9:00 AM)');
    expect(JSON.stringify(replaced?.body)).not.toContain('Post anyway');
    expect(answer?.body).toMatchObject({
      replace_original: false,
      text: 'Posted the huddle for Sat Nov 28 to the huddle channel.',
    });
  });
});
