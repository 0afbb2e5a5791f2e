import { eq } from 'drizzle-orm';
import { DateTime } from 'luxon';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { messageRefs, outbox, supplyRequests, supplyStock } from '../../src/db/schema/index.ts';
import { SCHEDULED_JOBS } from '../../src/handlers/index.ts';
import { buildOfficeConfig } from '../helpers/office.ts';
import { type SlackHarness, startSlackHarness } from '../helpers/slack-harness.ts';
import { waitFor } from '../helpers/wait.ts';

const office = buildOfficeConfig();
const NOW = DateTime.fromISO('2026-11-25T10:00', { zone: office.office.timezone }); // Wed

describe('supplies through signed Slack requests', () => {
  let slack: SlackHarness;

  beforeAll(async () => {
    slack = await startSlackHarness({
      command: '/supplies',
      office,
      now: NOW,
      tables: [outbox, supplyRequests, supplyStock],
      jobs: SCHEDULED_JOBS,
    });
  });
  afterAll(() => slack?.stop());
  beforeEach(() => slack.reset());

  const storedRequests = () => slack.db.select().from(supplyRequests);
  const fileOne = async (text = '4 nitrile gloves m for exam room 2') => {
    const answer = await slack.slash(text);
    const reference = /SR-\d+/.exec(answer.text ?? '')?.[0];
    if (!reference) throw new Error(`no reference in ${answer.text}`);
    await waitFor(
      async () => (await slack.db.select().from(messageRefs).where(eq(messageRefs.cardKey, reference)))[0],
      'the card reference',
    );
    return reference;
  };

  it('files from text: an ephemeral confirmation and one approval card with Approve and Deny', async () => {
    const answer = await slack.slash('4 nitrile gloves m for exam room 2');
    expect(answer.response_type).toBe('ephemeral');
    expect(answer.text).toMatch(/^Supplies requested: SR-\d+, 4 boxes of Nitrile gloves \(M\)$/);
    const post = await waitFor(() => slack.api.callsTo('chat.postMessage')[0], 'the approval card');
    expect(post.body.channel).toBe(office.channels.approvals);
    const blocks = JSON.stringify(post.body.blocks);
    expect(blocks).toContain('"text":"Approve"');
    expect(blocks).toContain('"text":"Deny"');
    expect(blocks).toContain('"action_id":"supplies_approve"');
    expect(blocks).toContain('$50.00 (4 × $12.50)');
    expect(slack.recording.text()).not.toContain('exam room 2');
  });

  it('never turns typed text into a mention or a disguised link: not in the card, its update, the DM or the notification text', async () => {
    const LIVE_MARKUP = ['<!channel>', '<!here>', '<@U0MGR1>', '<https://evil.example'];
    const reference = await fileOne('1 <!channel> <!here> <@U0MGR1>');
    await slack.submit({
      callbackId: 'supplies_request',
      privateMetadata: JSON.stringify({ channel: 'C0GENERAL' }),
      values: {
        other: {
          other: { type: 'plain_text_input', value: '<https://evil.example/sso|Approve SR-2 here>' },
        },
        quantity: { quantity: { type: 'number_input', value: '1' } },
        urgency: { urgency: { type: 'static_select', selected_option: { value: 'routine' } } },
      },
    });
    await waitFor(() => slack.api.callsTo('chat.postMessage')[1], 'both approval cards');
    await slack.press('supplies_approve', reference, 'U0DANA', 'approve-hostile');
    await waitFor(() => slack.api.callsTo('chat.update')[0], 'the card update');
    await waitFor(() => slack.dmsTo('U0SAM')[0], 'the DM');
    const sent = slack.api.calls.filter((call) =>
      ['chat.postMessage', 'chat.update', 'chat.postEphemeral', 'response_url'].includes(call.method),
    );
    expect(sent.length).toBeGreaterThanOrEqual(4);
    for (const call of sent) {
      const body = JSON.stringify(call.body);
      for (const markup of LIVE_MARKUP) expect(body, call.method).not.toContain(markup);
    }
    const card = slack.api.callsTo('chat.postMessage')[0];
    expect(String(card?.body.text)).toContain('&lt;!channel&gt;');
  });

  it('files once when Slack delivers the same command twice', async () => {
    const first = await slack.slash('4 GLV-M', { triggerId: 'trigger.same' });
    const second = await slack.slash('4 GLV-M', { triggerId: 'trigger.same' });
    expect(second.text).toBe(first.text);
    expect(await storedRequests()).toHaveLength(1);
    await waitFor(() => slack.api.callsTo('chat.postMessage')[0], 'the approval card');
    await slack.waitForOutboxDrained();
    expect(slack.api.callsTo('chat.postMessage')).toHaveLength(1);
  });

  it('offers close matches as buttons and files the one pressed', async () => {
    const answer = await slack.slash('2 gloves');
    expect(answer.text).toMatch(/fits 3 catalog items/);
    const blocks = JSON.stringify(answer.blocks);
    expect(blocks).toContain('"action_id":"supplies_choose"');
    expect(blocks).toContain('"action_id":"supplies_choose#1"');
    expect(await storedRequests()).toHaveLength(0);
    const actions = (answer.blocks ?? []).find(
      (block): block is { type: 'actions'; elements: { value: string; text: { text: string } }[] } =>
        (block as { type?: string }).type === 'actions',
    );
    const large = actions?.elements.find((element) => element.text.text.includes('GLV-L'));
    await slack.press('supplies_choose#2', large?.value ?? '', 'U0SAM', 'choose');
    expect(await slack.answerTo('choose')).toMatch(
      /Supplies requested: SR-\d+, 2 boxes of Nitrile gloves \(L\)/,
    );
    expect((await storedRequests())[0]).toMatchObject({ sku: 'GLV-L', quantity: 2 });
  });

  it('opens a modal with the catalog and files from its submission', async () => {
    await slack.slash('', { triggerId: 'trigger.modal' });
    const open = await waitFor(() => slack.api.callsTo('views.open')[0], 'views.open');
    expect(open.body.trigger_id).toBe('trigger.modal');
    const view = open.body.view as { callback_id: string; private_metadata: string; blocks: unknown[] };
    expect(view.callback_id).toBe('supplies_request');
    expect(JSON.stringify(view.blocks)).toContain('Nitrile gloves (M) · box · GLV-M');
    const response = await slack.submit({
      callbackId: 'supplies_request',
      privateMetadata: view.private_metadata,
      values: {
        sku: { sku: { type: 'static_select', selected_option: { value: 'PPR-EX' } } },
        other: { other: { type: 'plain_text_input', value: null } },
        quantity: { quantity: { type: 'number_input', value: '6' } },
        urgency: { urgency: { type: 'static_select', selected_option: { value: 'today' } } },
        note: { note: { type: 'plain_text_input', value: 'rooms 1-3' } },
      },
    });
    expect(response.status).toBe(200);
    const ephemeral = await waitFor(() => slack.api.callsTo('chat.postEphemeral')[0], 'the confirmation');
    expect(ephemeral.body).toMatchObject({ channel: 'C0GENERAL', user: 'U0SAM' });
    expect(String(ephemeral.body.text)).toContain('6 rolls of Exam table paper');
    expect((await storedRequests())[0]).toMatchObject({ sku: 'PPR-EX', quantity: 6, urgency: 'today' });
  });

  it('keeps the modal open with an error on a zero quantity', async () => {
    const response = await slack.submit({
      callbackId: 'supplies_request',
      values: {
        sku: { sku: { type: 'static_select', selected_option: { value: 'GLV-M' } } },
        quantity: { quantity: { type: 'number_input', value: '0' } },
        urgency: { urgency: { type: 'static_select', selected_option: { value: 'routine' } } },
      },
    });
    const body = (await response.json()) as { response_action: string; errors: Record<string, string> };
    expect(body.response_action).toBe('errors');
    expect(body.errors.quantity).toMatch(/Zero/);
    expect(await storedRequests()).toHaveLength(0);
  });

  it('goes approve → ordered → received: the card updates in place and the requester hears each step', async () => {
    const reference = await fileOne();
    const [ref] = await slack.db.select().from(messageRefs).where(eq(messageRefs.cardKey, reference));

    await slack.press('supplies_approve', reference, 'U0DANA', 'approve');
    expect(await slack.answerTo('approve')).toContain(`Approved ${reference} for Sam Lee`);
    const approved = await waitFor(() => slack.api.callsTo('chat.update')[0], 'the first update');
    expect(approved.body).toMatchObject({ channel: office.channels.approvals, ts: ref?.messageId });
    expect(JSON.stringify(approved.body.blocks)).toContain('"action_id":"supplies_mark_ordered"');
    expect(JSON.stringify(approved.body.blocks)).not.toContain('supplies_approve');

    await slack.press('supplies_mark_ordered', reference, 'U0DANA', 'ordered');
    expect(await slack.answerTo('ordered')).toContain(`Marked ${reference} ordered`);
    const ordered = await waitFor(() => slack.api.callsTo('chat.update')[1], 'the second update');
    expect(JSON.stringify(ordered.body.blocks)).toContain('"action_id":"supplies_mark_received"');

    await slack.press('supplies_mark_received', reference, 'U0DANA', 'received');
    expect(await slack.answerTo('received')).toContain(
      'GLV-M was never counted, so how many are on hand is unknown; count it with /supplies stock GLV-M followed by the number on the shelf.',
    );
    const received = await waitFor(() => slack.api.callsTo('chat.update')[2], 'the third update');
    expect(JSON.stringify(received.body.blocks)).not.toContain('"type":"actions"');
    expect(JSON.stringify(received.body.blocks)).toContain('Received by Dana Reyes');

    const dms = await waitFor(
      () => (slack.dmsTo('U0SAM').length === 3 ? slack.dmsTo('U0SAM') : undefined),
      'three DMs',
    );
    expect(dms.map((call) => String(call.body.text))).toEqual([
      expect.stringContaining(`${reference} (4 boxes of Nitrile gloves (M)) was approved by Dana Reyes`),
      expect.stringContaining('has been ordered by Dana Reyes'),
      expect.stringContaining('has arrived'),
    ]);
    // Never counted: a delivery alone does not say how many are on the shelf, so no number is made up.
    expect(await slack.db.select().from(supplyStock).where(eq(supplyStock.sku, 'GLV-M'))).toEqual([]);
  });

  it('asks to confirm an Approve over budget, and asks again in private when pressed on a card drawn before', async () => {
    type Element = { action_id?: string; value?: string; confirm?: { title: { text: string } } };
    const approveOn = (call: { body: Record<string, unknown> } | undefined): Element | undefined =>
      (call?.body.blocks as { elements?: Element[] }[] | undefined)
        ?.flatMap((block) => block.elements ?? [])
        .find((element) => element.action_id === 'supplies_approve');
    const big = await fileOne('120 GLV-L');
    const small = await fileOne('8 nitrile gloves m');
    const asDrawn = approveOn(
      slack.api.callsTo('chat.postMessage').find((call) => String(call.body.text).includes(big)),
    );
    expect(asDrawn).toMatchObject({ value: `${big}~none` });
    expect(asDrawn?.confirm).toBeUndefined();

    await slack.press('supplies_approve', small, 'U0DANA', 'small');
    expect(await slack.answerTo('small')).not.toContain('⚠️');
    const redrawn = approveOn(
      await waitFor(
        () =>
          slack.api
            .callsTo('chat.update')
            .find((call) => String(call.body.text).includes(big) && approveOn(call)?.confirm),
        'the over-budget redraw',
      ),
    );
    expect(redrawn?.confirm?.title.text).toBe('Approve over budget?');

    await slack.press('supplies_approve', asDrawn?.value ?? '', 'U0OMAR', 'stale');
    expect(await slack.answerTo('stale')).toContain(
      `Approving ${big} (Sam Lee, 120 boxes of Nitrile gloves (L)) now goes $100.00 over the November 2026 budget. Nothing was approved yet.`,
    );
    expect((await storedRequests()).find((row) => row.status === 'pending')).toBeDefined();

    await slack.press('supplies_approve', redrawn?.value ?? '', 'U0OMAR', 'confirmed');
    expect(await slack.answerTo('confirmed')).toContain(
      `Approved ${big} for Sam Lee (120 boxes of Nitrile gloves (L)). ⚠️ November 2026's approved spend is now $1,600.00, $100.00 over its $1,500.00 budget.`,
    );
    expect((await storedRequests()).map((row) => row.status)).toEqual(['approved', 'approved']);
  });

  it('answers a non-manager press with an explanation and changes nothing', async () => {
    const reference = await fileOne();
    for (const actionId of [
      'supplies_approve',
      'supplies_deny',
      'supplies_mark_ordered',
      'supplies_mark_received',
    ]) {
      await slack.press(actionId, reference, 'U0PRIYA', `intruder-${actionId}`);
      expect(await slack.answerTo(`intruder-${actionId}`)).toMatch(
        /Only Dana Reyes or Dr\. Omar Haddad can approve/,
      );
    }
    expect((await storedRequests())[0]?.status).toBe('pending');
    await slack.waitForOutboxDrained();
    expect(slack.api.callsTo('chat.update')).toHaveLength(0);
    expect(slack.api.callsTo('views.open')).toHaveLength(0);
  });

  it('refuses receiving before ordering, and a second press, without changing anything', async () => {
    const reference = await fileOne();
    await slack.press('supplies_approve', reference, 'U0DANA', 'first');
    await slack.answerTo('first');
    await slack.press('supplies_mark_received', reference, 'U0DANA', 'early');
    expect(await slack.answerTo('early')).toMatch(
      /has not been marked ordered yet \(it is approved\): press Mark ordered first/,
    );
    await slack.press('supplies_approve', reference, 'U0OMAR', 'second');
    expect(await slack.answerTo('second')).toMatch(
      new RegExp(`${reference} was already approved by Dana Reyes`),
    );
    await waitFor(() => slack.api.callsTo('chat.update')[0], 'the approval update');
    await slack.waitForOutboxDrained();
    // Each refused press redraws the card it came from, as the approval left it.
    const [approval, ...redraws] = slack.api.callsTo('chat.update').map((call) => call.body.blocks);
    expect(JSON.stringify(approval)).toContain('Mark ordered');
    expect(redraws).toEqual([approval, approval]);
    expect(slack.dmsTo('U0SAM')).toHaveLength(1);
    expect((await storedRequests())[0]?.status).toBe('approved');
    expect(await slack.db.select().from(supplyStock)).toHaveLength(0);
  });

  it('makes exactly one change and one DM when two managers press at once', async () => {
    const reference = await fileOne();
    await Promise.all([
      slack.press('supplies_approve', reference, 'U0DANA', 'dana'),
      slack.press('supplies_approve', reference, 'U0OMAR', 'omar'),
    ]);
    const answers = [await slack.answerTo('dana'), await slack.answerTo('omar')];
    expect(answers.filter((text) => text.startsWith('Approved'))).toHaveLength(1);
    await waitFor(() => slack.api.callsTo('chat.update')[0], 'the card update');
    await slack.waitForOutboxDrained();
    // The refused press redraws the card too: sent apart when the approval's update went out first.
    const updates = slack.api.callsTo('chat.update').map((call) => JSON.stringify(call.body.blocks));
    expect(updates.length).toBeLessThanOrEqual(2);
    expect(new Set(updates).size).toBe(1);
    expect(updates[0]).not.toContain('supplies_approve');
    expect(slack.dmsTo('U0SAM')).toHaveLength(1);
  });

  it.each([
    ['zero', '0 nitrile gloves m', /Zero/],
    ['a negative quantity', '-3 nitrile gloves m', /below zero/],
    ['a fraction', '1.5 nitrile gloves m', /not a whole number/],
    ['over 1,000', '5000 nitrile gloves m', /more than 1,000/],
    ['empty item text', '4', /Say what you need/],
  ])('refuses %s in the text with an ephemeral answer and stores nothing', async (_label, text, expected) => {
    const answer = await slack.slash(text);
    expect(answer.response_type).toBe('ephemeral');
    expect(answer.text).toMatch(expected);
    expect(answer.text).toMatch(/Nothing was saved/);
    await slack.waitForOutboxDrained();
    expect(await storedRequests()).toHaveLength(0);
    expect(slack.api.callsTo('chat.postMessage')).toHaveLength(0);
  });

  it('lets a manager record a count and refuses a non-manager or an unknown sku', async () => {
    expect((await slack.slash('stock GLV-M 6', { userId: 'U0SAM' })).text).toMatch(
      /Only .* can record stock counts/,
    );
    expect((await slack.slash('stock GLV-XX 6', { userId: 'U0DANA' })).text).toMatch(
      /There is no item GLV-XX/,
    );
    expect(await slack.db.select().from(supplyStock)).toHaveLength(0);
    expect((await slack.slash('stock GLV-M 6', { userId: 'U0DANA' })).text).toBe('Recorded GLV-M: 6 on hand');
    const list = await slack.slash('list', { userId: 'U0SAM' });
    expect(JSON.stringify(list.blocks)).toContain(
      'Nitrile gloves (M) (GLV-M): 6 on hand of par 10 → order 4 boxes',
    );
  });
});
