import { and, eq } from 'drizzle-orm';
import { DateTime } from 'luxon';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog, messageRefs, outbox, teamIssues } from '../../src/db/schema/index.ts';
import { databaseTargets } from '../helpers/databases.ts';
import { buildOfficeConfig } from '../helpers/office.ts';
import type { RecordedSlackCall } from '../helpers/slack-api-server.ts';
import { type SlackHarness, type SlashAnswer, startSlackHarness } from '../helpers/slack-harness.ts';
import { buildSlashCommandBody, postSignedSlack } from '../helpers/slack-signing.ts';
import { waitFor } from '../helpers/wait.ts';

const office = buildOfficeConfig();
const NOW = DateTime.fromISO('2026-11-30T09:00', { zone: office.office.timezone }); // Mon
const SAM = 'U0SAM';
const ANA = 'U0ANA';
const HOSTILE = '<!channel> <@U0DANA> <https://evil.example|click> the fridge door will not close';
const typed = (value: string) => ({ type: 'plain_text_input', value });

describe.each(databaseTargets())('team issues through signed Slack requests on $name', ({ open }) => {
  let slack: SlackHarness;

  beforeAll(async () => {
    slack = await startSlackHarness({
      command: '/issue',
      office,
      now: NOW,
      openDatabase: open,
      pressChannel: office.channels.huddle,
      tables: [outbox, teamIssues, auditLog],
    });
    await slack.reset();
  });
  afterAll(() => slack?.stop());

  /** `/huddle` as Sam: the digest, just for him, in the ack. */
  async function huddle(): Promise<string> {
    const response = await postSignedSlack(
      slack.url,
      slack.secret,
      buildSlashCommandBody({
        command: '/huddle',
        text: '',
        userId: SAM,
        channelId: 'C0GENERAL',
        responseUrl: slack.api.responseUrl('huddle'),
      }),
    );
    expect(response.status).toBe(200);
    const answer = (await response.json()) as SlashAnswer;
    return `${answer.text}\n${JSON.stringify(answer.blocks)}`;
  }

  it('files, takes and finishes an issue, with the huddle listing it until done, and never pings the channel', async () => {
    expect(await huddle()).not.toContain('Open issues');

    const answer = await slack.slash(HOSTILE, { userId: SAM, responseId: 'filed' });
    const reference = /IS-\d+/.exec(answer.text ?? '')?.[0] ?? '';
    expect(answer.text).toBe(`Issue raised: ${reference}`);
    expect(answer.response_type ?? 'ephemeral').toBe('ephemeral');

    const card = await waitFor(() => slack.postsTo(office.channels.huddle)[0], 'the issue card');
    const blocks = JSON.stringify(card.body.blocks);
    expect(blocks).toContain('&lt;!channel&gt; &lt;@U0DANA&gt; &lt;https://evil.example|click&gt;');
    expect(blocks).toContain('"action_id":"issue_take"');
    expect(blocks).toContain('"text":"Take it"');
    expect(blocks).toContain('"text":"Done"');

    const posted = await waitFor(async () => {
      const [ref] = await slack.db
        .select()
        .from(messageRefs)
        .where(and(eq(messageRefs.cardKey, reference), eq(messageRefs.platform, 'slack')));
      return ref;
    }, 'where the card was posted');
    expect(posted.channel).toBe(office.channels.huddle);

    const listed = await huddle();
    expect(listed).toContain(`Open issues (1)`);
    expect(listed).toContain(`${reference} · &lt;!channel&gt;`);
    expect(listed).toContain('not taken');

    await slack.press('issue_take', reference, ANA, 'take', { triggerId: 'trigger.take' });
    const taken = await waitFor(() => slack.api.callsTo('chat.update')[0], 'the taken card');
    expect(taken.body).toMatchObject({ channel: office.channels.huddle, ts: posted.messageId });
    expect(JSON.stringify(taken.body.blocks)).toContain('Taken by Ana Cruz');
    expect(JSON.stringify(taken.body.blocks)).not.toContain('"action_id":"issue_take"');
    await waitFor(
      () =>
        slack.dmsTo(SAM).find((call) => String(call.body.text) === `Ana Cruz took your issue ${reference}`),
      'the taken DM',
    );
    expect(await huddle()).toContain('· Ana Cruz ·');

    await slack.press('issue_done', reference, ANA, 'done', { triggerId: 'trigger.done' });
    const modal = await waitFor(() => slack.api.callsTo('views.open')[0], 'the done modal');
    const view = modal.body.view as { callback_id: string; private_metadata: string };
    expect(view.callback_id).toBe('issue_done_note');
    const submitted = await slack.submit({
      callbackId: 'issue_done_note',
      values: { note: { note: typed('Hinge replaced <!here>') } },
      userId: ANA,
      privateMetadata: view.private_metadata,
    });
    expect(submitted.status).toBe(200);
    const done = await waitFor(() => slack.api.callsTo('chat.update')[1], 'the done card');
    expect(done.body).toMatchObject({ channel: office.channels.huddle, ts: posted.messageId });
    expect(JSON.stringify(done.body.blocks)).toContain('Done by Ana Cruz');
    expect(JSON.stringify(done.body.blocks)).toContain('Note: Hinge replaced &lt;!here&gt;');
    expect(JSON.stringify(done.body.blocks)).not.toContain('"action_id"');
    const told = await waitFor(
      () => slack.dmsTo(SAM).find((call) => String(call.body.text).includes('marked your issue')),
      'the done DM',
    );
    expect(JSON.stringify(told.body.blocks)).toContain('Note: Hinge replaced &lt;!here&gt;');

    expect(await huddle()).not.toContain('Open issues');

    await slack.waitForOutboxDrained();
    await slack.api.settled();
    const sent = slack.api.calls.map((call: RecordedSlackCall) => call.body);
    expect(sent.length).toBeGreaterThanOrEqual(6);
    for (const body of sent) {
      const whole = JSON.stringify(body);
      expect(whole).not.toContain('<!channel>');
      expect(whole).not.toContain('<!here>');
      expect(whole).not.toContain('<@U0DANA>');
      expect(whole).not.toContain('<https://evil.example');
      expect(String(body.text ?? '')).not.toMatch(/<[!@h]/);
    }
    expect(slack.recording.lines.join('\n')).not.toContain('fridge door');
  });
});
