import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { DateTime } from 'luxon';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { notes } from '../../src/db/schema/index.ts';
import { NOTE_ACTIONS, NOTE_FORMS } from '../../src/handlers/notes/ids.ts';
import { buildOfficeConfig } from '../helpers/office.ts';
import { type SlackHarness, startSlackHarness } from '../helpers/slack-harness.ts';
import { buildPayloadBody, postSignedSlack } from '../helpers/slack-signing.ts';
import { waitFor } from '../helpers/wait.ts';

const office = buildOfficeConfig();
const NOW = DateTime.fromISO('2026-11-25T09:00', { zone: office.office.timezone }); // Wed
const SAM = 'U0SAM';
const PERMALINK = 'https://frontdesk-test.slack.com/archives/C0GENERAL/p1700000000000042';
// As Slack shows it: what looks like markup is escaped.
const UNREADABLE =
  'frontdesk could not read that message, so nothing was saved. Use /note &lt;text&gt; to add a follow-up instead.';

/** A `message_action` payload as Slack sends it when someone uses the shortcut on a message. */
function buildMessageShortcutBody(message: Record<string, unknown> | undefined): string {
  return buildPayloadBody({
    type: 'message_action',
    callback_id: NOTE_ACTIONS.fromMessage,
    team: { id: 'T0TEST', domain: 'frontdesk-test' },
    user: { id: SAM, username: 'sam', name: 'sam', team_id: 'T0TEST' },
    channel: { id: 'C0GENERAL', name: 'general' },
    ...(message ? { message } : {}),
    message_ts: '1700000000.000042',
    trigger_id: `trigger.${randomUUID()}`,
    response_url: 'https://hooks.slack.com/app/T0TEST/1/abc',
    action_ts: '1700000100.000001',
    token: 'deprecated-verification-token',
  });
}

type ModalInput = { type: string; block_id?: string; element?: { initial_value?: string } };

describe('follow-ups in Slack', () => {
  let slack: SlackHarness;
  beforeAll(async () => {
    slack = await startSlackHarness({ command: '/note', now: NOW, tables: [notes] });
  });
  afterAll(() => slack?.stop());
  beforeEach(() => slack.reset());

  const shortcut = (message?: Record<string, unknown>) =>
    postSignedSlack(slack.url, slack.secret, buildMessageShortcutBody(message));

  it('declares the message shortcut and the command in the manifest', () => {
    const manifest = parse(readFileSync(new URL('../../manifests/slack-app.yaml', import.meta.url), 'utf8'));
    expect(manifest.features.shortcuts).toEqual([
      expect.objectContaining({
        name: 'Add to follow-ups',
        type: 'message',
        callback_id: NOTE_ACTIONS.fromMessage,
      }),
    ]);
    expect(manifest.features.slash_commands).toContainEqual(expect.objectContaining({ command: '/note' }));
  });

  it('opens the form with a link to the message, and files the submitted follow-up with it', async () => {
    const response = await shortcut({
      ts: '1700000000.000042',
      text: 'Can someone call the lab?',
      user: 'U0ANA',
    });
    expect(response.status).toBe(200);
    const opened = await waitFor(() => slack.api.callsTo('views.open')[0], 'views.open');
    expect(slack.api.callsTo('chat.getPermalink')).toEqual([
      expect.objectContaining({
        body: expect.objectContaining({ channel: 'C0GENERAL', message_ts: '1700000000.000042' }),
      }),
    ]);
    const view = opened.body.view as { callback_id: string; private_metadata: string; blocks: ModalInput[] };
    expect(view.callback_id).toBe(NOTE_FORMS.add);
    const linkInput = view.blocks.find((block) => block.block_id === 'link');
    expect(linkInput?.element?.initial_value).toBe(PERMALINK);
    expect(await slack.db.select().from(notes)).toEqual([]);

    const submitted = await slack.submit({
      callbackId: NOTE_FORMS.add,
      privateMetadata: view.private_metadata,
      userId: SAM,
      values: {
        text: { text: { type: 'plain_text_input', value: 'call the lab back' } },
        due: { due: { type: 'datepicker', selected_date: '2026-11-27' } },
        link: { link: { type: 'plain_text_input', value: PERMALINK } },
      },
    });
    expect(submitted.status).toBe(200);
    const answer = await waitFor(() => slack.api.callsTo('chat.postEphemeral')[0], 'the confirmation');
    expect(answer.body).toMatchObject({
      channel: 'C0GENERAL',
      user: SAM,
      text: expect.stringMatching(/^Follow-up saved — FU-\d+$/),
    });
    expect(await slack.db.select().from(notes)).toEqual([
      expect.objectContaining({
        writerKey: 'staff:sam-lee',
        text: 'call the lab back',
        due: '2026-11-27',
        link: PERMALINK,
      }),
    ]);
  });

  it('uses the permalink the payload carries without asking Slack for one', async () => {
    const carried = 'https://frontdesk-test.slack.com/archives/C0GENERAL/p1700000000000077';
    await shortcut({ ts: '1700000000.000077', text: 'hi', permalink: carried });
    const opened = await waitFor(() => slack.api.callsTo('views.open')[0], 'views.open');
    expect(JSON.stringify(opened.body.view)).toContain(carried);
    expect(slack.api.callsTo('chat.getPermalink')).toEqual([]);
  });

  it('answers a shortcut on a message it cannot read, and stores nothing', async () => {
    expect((await shortcut(undefined)).status).toBe(200);
    const told = await waitFor(
      () => slack.api.callsTo('chat.postMessage').find((call) => call.body.channel === SAM),
      'the answer',
    );
    expect(told.body.text).toBe(UNREADABLE);

    slack.api.failNext('chat.getPermalink', 1, { error: 'channel_not_found' });
    await shortcut({ ts: '1700000000.000099', text: 'in a private channel frontdesk is not in' });
    await waitFor(
      () =>
        slack.api.callsTo('chat.postMessage').filter((call) => call.body.channel === SAM).length === 2
          ? true
          : undefined,
      'the second answer',
    );
    expect(slack.api.callsTo('views.open')).toEqual([]);
    expect(await slack.db.select().from(notes)).toEqual([]);
  });

  it('files by the slash command once, however often Slack delivers it', async () => {
    const triggerId = `trigger.${randomUUID()}`;
    const first = await slack.slash('call the lab by fri', { triggerId });
    expect(first.text).toMatch(/^Follow-up saved — FU-\d+$/);
    await slack.slash('call the lab by fri', { triggerId });
    expect(await slack.db.select().from(notes)).toHaveLength(1);
  });

  it('redraws the Home tab of its writer after a follow-up is filed, snoozed and done', async () => {
    await slack.openHome(SAM);
    await waitFor(() => slack.homesOf(SAM)[0], 'Sam’s home');
    const drawn = () => slack.homesOf(SAM).map((call) => JSON.stringify(call.body.view));
    const filed = await slack.slash('chase the lab results by fri');
    const reference = /FU-\d+/.exec(filed.text ?? '')?.[0] ?? '';
    await waitFor(
      () =>
        drawn()
          .slice(1)
          .find((view) => view.includes('chase the lab results')),
      'home with it',
    );
    await slack.slash(`snooze ${reference} mon`);
    await waitFor(
      () =>
        drawn()
          .slice(2)
          .find((view) => view.includes('Mon Nov 30')),
      'home with it moved',
    );
    await slack.slash(`done ${reference}`);
    const last = await waitFor(() => drawn()[3], 'home without it');
    expect(last).not.toContain('chase the lab results');
    // a list changes nothing and redraws nothing
    await slack.slash('list');
    await slack.api.settled();
    expect(drawn()).toHaveLength(4);
  });
});
