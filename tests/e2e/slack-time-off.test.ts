import { eq } from 'drizzle-orm';
import { DateTime } from 'luxon';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { messageRefs, outbox, timeOffRequests } from '../../src/db/schema/index.ts';
import { SCHEDULED_JOBS } from '../../src/handlers/index.ts';
import { buildOfficeConfig } from '../helpers/office.ts';
import { type SlackHarness, startSlackHarness } from '../helpers/slack-harness.ts';
import { waitFor } from '../helpers/wait.ts';

const office = buildOfficeConfig();
const NOW = DateTime.fromISO('2026-11-25T10:00', { zone: office.office.timezone }); // Wed

describe('time off through signed Slack requests', () => {
  let slack: SlackHarness;

  beforeAll(async () => {
    slack = await startSlackHarness({
      command: '/timeoff',
      office,
      now: NOW,
      tables: [outbox, timeOffRequests],
      jobs: SCHEDULED_JOBS,
    });
  });
  afterAll(() => slack?.stop());
  beforeEach(() => slack.reset());

  const fileOne = async (text = 'dec 1 to dec 3 family visit') => {
    const answer = await slack.slash(text);
    const reference = /TO-\d+/.exec(answer.text ?? '')?.[0];
    if (!reference) throw new Error(`no reference in ${answer.text}`);
    const post = await waitFor(() => slack.postsTo(office.channels.approvals)[0], 'the approval card');
    return { reference, post };
  };

  it('files from text: an ephemeral confirmation and one approval card with Approve and Deny', async () => {
    const answer = await slack.slash('dec 1 to dec 3 family visit');
    expect(answer.response_type).toBe('ephemeral');
    expect(answer.text).toMatch(/^Time off requested: TO-\d+, Tue Dec 1 – Thu Dec 3$/);
    const post = await waitFor(() => slack.api.callsTo('chat.postMessage')[0], 'the approval card');
    expect(post.body.channel).toBe(office.channels.approvals);
    const blocks = JSON.stringify(post.body.blocks);
    expect(blocks).toContain('"text":"Approve"');
    expect(blocks).toContain('"text":"Deny"');
    expect(blocks).toContain('"action_id":"timeoff_approve"');
    expect(slack.recording.text()).not.toContain('family visit');
  });

  it('stores & < > as typed when Slack sends them as entities, and escapes them once on the card', async () => {
    // Typed `/timeoff dec 1 R&D course <3 >`; a slash command's text arrives with & < > as entities.
    const answer = await slack.slash('dec 1 R&amp;D course &lt;3 &gt;');
    expect(answer.text).toMatch(/^Time off requested: TO-\d+/);
    const [stored] = await slack.db.select({ reason: timeOffRequests.reason }).from(timeOffRequests);
    expect(stored?.reason).toBe('R&D course <3 >');
    const post = await waitFor(() => slack.postsTo(office.channels.approvals)[0], 'the approval card');
    const blocks = JSON.stringify(post.body.blocks);
    expect(blocks).toContain('R&amp;D course &lt;3 &gt;');
    expect(blocks).not.toMatch(/&amp;(amp|lt|gt);/);
  });

  it('files once when Slack delivers the same command twice', async () => {
    const first = await slack.slash('dec 1', { triggerId: 'trigger.same' });
    const second = await slack.slash('dec 1', { triggerId: 'trigger.same' });
    expect(second.text).toBe(first.text);
    expect(await slack.db.select().from(timeOffRequests)).toHaveLength(1);
    await waitFor(() => slack.api.callsTo('chat.postMessage')[0], 'the approval card');
    await slack.waitForOutboxDrained();
    expect(slack.api.callsTo('chat.postMessage')).toHaveLength(1);
  });

  it('opens a modal with no text and files from its submission', async () => {
    await slack.slash('', { triggerId: 'trigger.modal' });
    const open = await waitFor(() => slack.api.callsTo('views.open')[0], 'views.open');
    expect(open.body.trigger_id).toBe('trigger.modal');
    const view = open.body.view as { callback_id: string; private_metadata: string };
    expect(view.callback_id).toBe('timeoff_request');
    const response = await slack.submit({
      callbackId: 'timeoff_request',
      privateMetadata: view.private_metadata,
      values: {
        start: { start: { type: 'datepicker', selected_date: '2026-12-07' } },
        end: { end: { type: 'datepicker', selected_date: '2026-12-08' } },
        part: { part: { type: 'static_select', selected_option: { value: 'full' } } },
        type: { type: { type: 'static_select', selected_option: { value: 'education' } } },
        reason: { reason: { type: 'plain_text_input', value: 'CME course' } },
      },
    });
    expect(response.status).toBe(200);
    const ephemeral = await waitFor(() => slack.api.callsTo('chat.postEphemeral')[0], 'the confirmation');
    expect(ephemeral.body).toMatchObject({ channel: 'C0GENERAL', user: 'U0SAM' });
    expect(String(ephemeral.body.text)).toContain('Mon Dec 7 – Tue Dec 8');
    expect((await slack.db.select().from(timeOffRequests))[0]).toMatchObject({ type: 'education' });
  });

  it('keeps the modal open with an error when the dates are backwards', async () => {
    const response = await slack.submit({
      callbackId: 'timeoff_request',
      values: {
        start: { start: { type: 'datepicker', selected_date: '2026-12-08' } },
        end: { end: { type: 'datepicker', selected_date: '2026-12-07' } },
        part: { part: { type: 'static_select', selected_option: { value: 'full' } } },
        type: { type: { type: 'static_select', selected_option: { value: 'vacation' } } },
      },
    });
    const body = (await response.json()) as { response_action: string; errors: Record<string, string> };
    expect(body.response_action).toBe('errors');
    expect(body.errors.end).toMatch(/before the first day/);
    expect(await slack.db.select().from(timeOffRequests)).toHaveLength(0);
  });

  it('files a corrected form: the same modal refused for a weekend goes through once its dates are fixed', async () => {
    const submit = (start: string, end: string) =>
      slack.submit({
        callbackId: 'timeoff_request',
        viewId: 'VCORRECTED',
        privateMetadata: JSON.stringify({ channel: 'C0GENERAL' }),
        values: {
          start: { start: { type: 'datepicker', selected_date: start } },
          end: { end: { type: 'datepicker', selected_date: end } },
          part: { part: { type: 'static_select', selected_option: { value: 'full' } } },
          type: { type: { type: 'static_select', selected_option: { value: 'vacation' } } },
        },
      });
    const refused = (await (await submit('2026-12-05', '2026-12-06')).json()) as { response_action: string };
    expect(refused.response_action).toBe('errors');
    expect(await slack.db.select().from(timeOffRequests)).toHaveLength(0);

    const corrected = await submit('2026-12-07', '2026-12-08');
    expect(corrected.status).toBe(200);
    expect(await corrected.text()).toBe('');
    const ephemeral = await waitFor(() => slack.api.callsTo('chat.postEphemeral')[0], 'the confirmation');
    expect(String(ephemeral.body.text)).toContain('Mon Dec 7 – Tue Dec 8');
    expect(await slack.db.select().from(timeOffRequests)).toHaveLength(1);

    // A true retry of the accepted submission changes nothing.
    await submit('2026-12-07', '2026-12-08');
    await waitFor(() => slack.api.callsTo('chat.postEphemeral')[1], 'the retry answer');
    expect(await slack.db.select().from(timeOffRequests)).toHaveLength(1);
    await waitFor(() => slack.api.callsTo('chat.postMessage')[0], 'the approval card');
    await slack.waitForOutboxDrained();
    expect(slack.postsTo(office.channels.approvals)).toHaveLength(1);
  });

  it('lets a manager approve: the card is updated in place and the requester gets a DM', async () => {
    const { reference } = await fileOne();
    const ref = await waitFor(
      async () => (await slack.db.select().from(messageRefs).where(eq(messageRefs.cardKey, reference)))[0],
      'the card reference',
    );
    await slack.press('timeoff_approve', reference, 'U0DANA', 'approve');
    const update = await waitFor(() => slack.api.callsTo('chat.update')[0], 'chat.update');
    expect(update.body).toMatchObject({ channel: office.channels.approvals, ts: ref.messageId });
    expect(JSON.stringify(update.body.blocks)).toContain('Approved by Dana Reyes');
    expect(JSON.stringify(update.body.blocks)).not.toContain('timeoff_approve');
    const dm = await waitFor(() => slack.dmsTo('U0SAM')[0], 'the DM');
    expect(String(dm.body.text)).toContain(`${reference} (Tue Dec 1 – Thu Dec 3) was approved by Dana Reyes`);
    const answer = await waitFor(() => slack.api.responsesTo('approve')[0], 'the ephemeral answer');
    expect(answer.body).toMatchObject({ response_type: 'ephemeral', replace_original: false });
  });

  /** Sam and Priya, both front desk, ask for Thu Dec 3; both cards are posted. */
  const fileBothForDecember3 = async () => {
    const sams = /TO-\d+/.exec((await slack.slash('dec 3', { userId: 'U0SAM' })).text ?? '')?.[0] ?? '';
    const priyas =
      /TO-\d+/.exec((await slack.slash('dec 3', { userId: 'U0PRIYA', responseId: 'p' })).text ?? '')?.[0] ??
      '';
    await waitFor(() => slack.postsTo(office.channels.approvals)[1], 'both cards');
    await slack.waitForOutboxDrained();
    return { sams, priyas };
  };

  it('two people asking for one day: approving one redraws the other card with the gap, and its Approve asks to confirm', async () => {
    const { sams, priyas } = await fileBothForDecember3();
    const priyaTs = (await slack.db.select().from(messageRefs).where(eq(messageRefs.cardKey, priyas)))[0]
      ?.messageId;
    const updatesOfPriya = () => slack.api.callsTo('chat.update').filter((call) => call.body.ts === priyaTs);
    // Priya's filing redrew Sam's card; Priya's own card already named Sam, with no warning yet.
    expect(JSON.stringify(slack.postsTo(office.channels.approvals)[1]?.body.blocks)).toContain(
      'Also asking: Sam Lee (pending) Thu Dec 3',
    );
    expect(JSON.stringify(slack.postsTo(office.channels.approvals)[1]?.body.blocks)).not.toContain(
      '"confirm"',
    );

    await slack.press('timeoff_approve', sams, 'U0DANA', 'approve-sam');
    expect(await slack.answerTo('approve-sam')).toBe(`Approved ${sams} for Sam Lee (Thu Dec 3).`);
    const redrawn = await waitFor(() => updatesOfPriya().at(-1), 'Priya’s card redrawn');
    const blocks = redrawn.body.blocks as {
      type: string;
      elements?: { text?: { text: string }; confirm?: unknown }[];
    }[];
    expect(JSON.stringify(blocks)).toContain('Coverage: Front desk: 0 of 1 needed on Thu Dec 3');
    const approve = blocks
      .flatMap((block) => (block.type === 'actions' ? (block.elements ?? []) : []))
      .find((element) => element.text?.text === 'Approve');
    expect(approve?.confirm).toEqual({
      title: { type: 'plain_text', text: 'Approve with a coverage gap?' },
      text: {
        type: 'plain_text',
        text: `Approving ${priyas} leaves Front desk: 0 of 1 needed on Thu Dec 3.`,
      },
      confirm: { type: 'plain_text', text: 'Approve anyway' },
      deny: { type: 'plain_text', text: 'Go back' },
    });

    await slack.press('timeoff_approve', priyas, 'U0DANA', 'approve-priya');
    expect(await slack.answerTo('approve-priya')).toBe(
      `Approved ${priyas} for Priya Shah (Thu Dec 3). ⚠️ This leaves Front desk: 0 of 1 needed on Thu Dec 3.`,
    );
  });

  it('an Approve anyway pressed after another manager approved is refused, and the question loses its button', async () => {
    const { sams, priyas } = await fileBothForDecember3();
    const approveValue = (blocks: unknown) =>
      (JSON.stringify(blocks).match(/"action_id":"timeoff_approve"[^}]*?"value":"([^"]+)"/) ?? [])[1] ?? '';
    // Priya's card as first drawn: no warning, so its Approve carries none.
    const drawnBefore = approveValue(slack.postsTo(office.channels.approvals)[1]?.body.blocks);
    expect(drawnBefore).toBe(`${priyas}~none`);

    await slack.press('timeoff_approve', sams, 'U0DANA', 'approve-sam');
    await slack.answerTo('approve-sam');
    await slack.press('timeoff_approve', drawnBefore, 'U0OMAR', 'omar-stale');
    expect(await slack.answerTo('omar-stale')).toMatch(/now leaves Front desk: 0 of 1 needed/);
    const question = slack.api.responsesTo('omar-stale')[0]?.body;
    const anyway = approveValue(question?.blocks);
    expect(anyway).toMatch(new RegExp(`^${priyas}~[^~]+~again$`));

    await slack.press('timeoff_approve', priyas, 'U0DANA', 'approve-priya');
    await slack.answerTo('approve-priya');
    await slack.press('timeoff_approve', anyway, 'U0OMAR', 'omar-anyway', { ephemeral: true });
    const [redrawn, answer] = await waitFor(() => {
      const responses = slack.api.responsesTo('omar-anyway');
      return responses.length === 2 ? responses : undefined;
    }, 'the question redrawn and the answer');
    expect(redrawn?.body).toMatchObject({ response_type: 'ephemeral', replace_original: true });
    expect(JSON.stringify(redrawn?.body.blocks)).not.toContain('timeoff_approve');
    expect(JSON.stringify(redrawn?.body)).toContain(`Approve ${priyas} anyway?`);
    expect(answer?.body).toMatchObject({ response_type: 'ephemeral', replace_original: false });
    expect(String(answer?.body.text)).toMatch(new RegExp(`^${priyas} was already approved by Dana Reyes`));
    expect(JSON.stringify(redrawn?.body)).toContain(`${priyas} was already approved by Dana Reyes`);

    // The same value pressed on the channel card (not the presser's own message) replaces nothing there.
    await slack.press('timeoff_approve', anyway, 'U0OMAR', 'on-the-card');
    expect(await slack.answerTo('on-the-card')).toMatch(new RegExp(`^${priyas} was already approved`));
    await slack.waitForOutboxDrained();
    expect(slack.api.responsesTo('on-the-card').map((call) => call.body.replace_original)).toEqual([false]);
  });

  it('answers a non-manager press with an explanation and changes nothing', async () => {
    const { reference } = await fileOne();
    await slack.press('timeoff_approve', reference, 'U0PRIYA', 'intruder');
    expect(await slack.answerTo('intruder')).toMatch(/Only Dana Reyes or Dr\. Omar Haddad can approve/);
    expect((await slack.db.select().from(timeOffRequests))[0]?.status).toBe('pending');
    await slack.waitForOutboxDrained();
    // Only this card's: the test before may still have a redraw of its own cards on the way.
    const updatesOfThisCard = slack.api
      .callsTo('chat.update')
      .filter((call) => JSON.stringify(call.body).includes(reference));
    expect(updatesOfThisCard).toHaveLength(0);
  });

  it('answers a second press with who decided first', async () => {
    const { reference } = await fileOne();
    await slack.press('timeoff_approve', reference, 'U0DANA', 'first');
    await slack.answerTo('first');
    await slack.press('timeoff_approve', reference, 'U0DANA', 'second');
    expect(await slack.answerTo('second')).toMatch(
      new RegExp(`${reference} was already approved by Dana Reyes`),
    );
    await slack.waitForOutboxDrained();
    // The refused press redraws the card it came from, as the approval left it: no Approve.
    const [approval, redraw] = slack.api.callsTo('chat.update').map((call) => call.body.blocks);
    expect(JSON.stringify(approval)).not.toContain('timeoff_approve');
    expect(redraw).toEqual(approval);
    expect(slack.dmsTo('U0SAM')).toHaveLength(1);
  });

  it('makes exactly one decision and one DM when two managers press at once', async () => {
    const { reference } = await fileOne();
    await Promise.all([
      slack.press('timeoff_approve', reference, 'U0DANA', 'dana'),
      slack.press('timeoff_deny', reference, 'U0OMAR', 'omar'),
    ]);
    await slack.answerTo('dana');
    // Omar's Deny either opened the reason modal before Dana's approval landed, or was told it is decided.
    await waitFor(
      () => slack.api.responsesTo('omar')[0] ?? slack.api.callsTo('views.open')[0],
      'the deny answer',
    );
    await waitFor(() => slack.api.callsTo('chat.update')[0], 'the card update');
    await slack.waitForOutboxDrained();
    // A Deny refused as decided redraws the card too: sent apart when the approval's update went out first.
    const updates = slack.api.callsTo('chat.update').map((call) => JSON.stringify(call.body.blocks));
    expect(updates.length).toBeLessThanOrEqual(2);
    expect(new Set(updates).size).toBe(1);
    expect(updates[0]).not.toContain('timeoff_approve');
    expect(slack.dmsTo('U0SAM')).toHaveLength(1);
    expect((await slack.db.select().from(timeOffRequests))[0]?.status).toBe('approved');
  });

  it('denies with a reason from the modal and tells the requester why', async () => {
    const { reference } = await fileOne();
    await slack.press('timeoff_deny', reference, 'U0DANA', 'deny');
    const open = await waitFor(() => slack.api.callsTo('views.open')[0], 'the reason modal');
    const view = open.body.view as { callback_id: string; private_metadata: string };
    expect(view.callback_id).toBe('timeoff_deny_reason');
    await slack.submit({
      callbackId: 'timeoff_deny_reason',
      privateMetadata: view.private_metadata,
      userId: 'U0DANA',
      values: { reason: { reason: { type: 'plain_text_input', value: 'Two people already off' } } },
    });
    const dm = await waitFor(() => slack.dmsTo('U0SAM')[0], 'the DM');
    expect(JSON.stringify(dm.body.blocks)).toContain('Two people already off');
    expect((await slack.db.select().from(timeOffRequests))[0]).toMatchObject({ status: 'denied' });
    expect(slack.recording.text()).not.toContain('Two people already off');
  });

  it('asks a manager cancelling someone’s approved leave for a reason, escaped in the person’s DM, and keeps the modal open when it is empty', async () => {
    const { reference } = await fileOne();
    await slack.press('timeoff_approve', reference, 'U0DANA', 'approve');
    await slack.answerTo('approve');
    await slack.slash(`cancel ${reference}`, { userId: 'U0DANA', triggerId: 'trigger.cancel' });
    const open = await waitFor(() => slack.api.callsTo('views.open')[0], 'the reason modal');
    const view = open.body.view as { callback_id: string; private_metadata: string };
    expect(view.callback_id).toBe('timeoff_cancel_reason');
    const submit = (value: string) =>
      slack.submit({
        callbackId: 'timeoff_cancel_reason',
        privateMetadata: view.private_metadata,
        userId: 'U0DANA',
        values: { reason: { reason: { type: 'plain_text_input', value } } },
      });
    const empty = await submit('   ');
    expect(await empty.json()).toEqual({
      response_action: 'errors',
      errors: { reason: 'Say why; the requester is told.' },
    });
    expect((await slack.db.select().from(timeOffRequests))[0]?.status).toBe('approved');
    await submit('<!channel> =HYPERLINK("x")');
    const dm = await waitFor(
      () => slack.dmsTo('U0SAM').find((call) => String(call.body.text).includes('cancelled your time off')),
      'the DM',
    );
    expect(JSON.stringify(dm.body)).not.toContain('<!channel>');
    expect(JSON.stringify(dm.body.blocks)).toContain('&lt;!channel&gt;');
    expect((await slack.db.select().from(timeOffRequests))[0]).toMatchObject({ status: 'cancelled' });
  });
});
