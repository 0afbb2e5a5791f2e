import { eq } from 'drizzle-orm';
import { DateTime } from 'luxon';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  auditLog,
  complaintResolutions,
  complaints,
  messageRefs,
  outbox,
} from '../../src/db/schema/index.ts';
import { buildOfficeConfig } from '../helpers/office.ts';
import { type SlackHarness, startSlackHarness } from '../helpers/slack-harness.ts';
import { waitFor } from '../helpers/wait.ts';

const office = buildOfficeConfig();
const NOW = DateTime.fromISO('2026-03-06T12:00', { zone: office.office.timezone }); // Fri
// A patient name nobody would type by accident, so finding it anywhere is a leak.
const PATIENT = 'Philomena Xanthopoulos-Brandvold';
const COMPLAINT = `${PATIENT} overheard her diagnosis discussed at the front desk`;

const select = (value: string) => ({ type: 'static_select', selected_option: { value } });
const typed = (value: string) => ({ type: 'plain_text_input', value });

function intakeValues(overrides: Record<string, string> = {}) {
  const values: Record<string, string> = {
    about: 'patient',
    category: 'privacy',
    severity: 'high',
    what: COMPLAINT,
    when: 'this morning',
    outcome: 'An apology',
    callback: 'yes',
    callbackName: 'Marta Quill',
    callbackPhone: '555-0100',
    anonymous: 'no',
    ...overrides,
  };
  const blocks: Record<string, Record<string, unknown>> = {};
  for (const [id, value] of Object.entries(values)) {
    const isSelect = ['about', 'category', 'severity', 'callback', 'anonymous'].includes(id);
    blocks[id] = { [id]: isSelect ? select(value) : typed(value) };
  }
  return blocks;
}

describe('complaints through signed Slack requests', () => {
  let slack: SlackHarness;

  beforeAll(async () => {
    slack = await startSlackHarness({
      command: '/complaint',
      office,
      now: NOW,
      tables: [outbox, complaintResolutions, complaints, auditLog],
      // Trace, so "never writes the complaint text to the log" holds for every line the app can write.
      logLevel: 'trace',
      // Short retry delays, so the card whose first two posts fail is posted within one wait.
      deliverer: { baseDelayMs: 20, maxDelayMs: 50 },
      pressChannel: office.channels.complaints,
    });
  });
  afterAll(() => slack?.stop());
  beforeEach(() => slack.reset());

  const cardPost = () => waitFor(() => slack.postsTo(office.channels.complaints)[0], 'the complaint card');
  async function fileFromText(text = 'Waited two hours past the appointment') {
    const answer = await slack.slash(text);
    const reference = /CP-\d+/.exec(answer.text ?? '')?.[0];
    if (!reference) throw new Error(`no reference in ${answer.text}`);
    await cardPost();
    await waitFor(
      async () => (await slack.db.select().from(messageRefs).where(eq(messageRefs.cardKey, reference)))[0],
      'the card reference',
    );
    return reference;
  }

  it('files from text: an ephemeral confirmation and a card in the complaints channel without the text', async () => {
    const answer = await slack.slash(COMPLAINT);
    expect(answer.response_type).toBe('ephemeral');
    expect(answer.text).toMatch(/^Complaint logged: CP-\d+$/);
    expect(JSON.stringify(answer.blocks)).toContain('"action_id":"complaint_refine"');
    const post = await cardPost();
    const blocks = JSON.stringify(post.body.blocks);
    expect(blocks).toContain('"text":"View details"');
    expect(blocks).toContain('"text":"Acknowledge"');
    expect(blocks).not.toContain(PATIENT);
    expect(String(post.body.text)).not.toContain(PATIENT);
  });

  it('opens the modal with no text and files from its submission, alerting managers of a privacy complaint', async () => {
    await slack.slash('', { triggerId: 'trigger.complaint-modal' });
    const open = await waitFor(() => slack.api.callsTo('views.open')[0], 'views.open');
    const view = open.body.view as {
      callback_id: string;
      private_metadata: string;
      submit: { text: string };
    };
    expect(view.callback_id).toBe('complaint_intake');
    expect(view.submit.text).toBe('Log complaint');
    const response = await slack.submit({
      callbackId: 'complaint_intake',
      values: intakeValues(),
      userId: 'U0SAM',
      privateMetadata: view.private_metadata,
    });
    expect(response.status).toBe(200);
    const ephemeral = await waitFor(() => slack.api.callsTo('chat.postEphemeral')[0], 'the confirmation');
    expect(ephemeral.body).toMatchObject({ channel: 'C0GENERAL', user: 'U0SAM' });
    expect(String(ephemeral.body.text)).toMatch(/^Complaint logged: CP-\d+$/);
    expect((await slack.db.select().from(complaints))[0]).toMatchObject({
      category: 'privacy',
      description: COMPLAINT,
      wantsCallback: true,
    });
    await cardPost();
    const dms = await waitFor(() => {
      const sent = slack.api
        .callsTo('chat.postMessage')
        .filter((call) => String(call.body.channel).startsWith('U'));
      return sent.length === 2 ? sent : undefined;
    }, 'the alerts');
    expect(dms.map((call) => call.body.channel).sort()).toEqual(['U0DANA', 'U0OMAR']);
    expect(JSON.stringify(dms)).not.toContain(PATIENT);
  });

  it('files an anonymous staff complaint without ever showing who filed it', async () => {
    await slack.submit({
      callbackId: 'complaint_intake',
      values: intakeValues({ about: 'staff', category: 'staff_conduct', anonymous: 'yes' }),
      userId: 'U0SAM',
    });
    const post = await cardPost();
    const blocks = JSON.stringify(post.body.blocks);
    expect(blocks).toContain('anonymous');
    expect(blocks).not.toContain('Sam Lee');
    expect((await slack.db.select().from(complaints))[0]).toMatchObject({
      anonymous: true,
      reporterName: 'Sam Lee',
    });
  });

  it('keeps the modal open with an error on a tampered category, and stores nothing', async () => {
    const response = await slack.submit({
      callbackId: 'complaint_intake',
      values: intakeValues({ category: 'made_up' }),
      userId: 'U0SAM',
    });
    const body = (await response.json()) as { response_action: string; errors: Record<string, string> };
    expect(body).toMatchObject({
      response_action: 'errors',
      errors: { category: 'Pick a category from the list.' },
    });
    expect(await slack.db.select().from(complaints)).toHaveLength(0);
  });

  it('acknowledges and resolves: the card is updated in place each time and the reporter is told', async () => {
    const reference = await fileFromText();
    const ref = (await slack.db.select().from(messageRefs).where(eq(messageRefs.cardKey, reference)))[0];
    await slack.press('complaint_acknowledge', reference, 'U0DANA', 'ack');
    const acknowledged = await waitFor(() => slack.api.callsTo('chat.update')[0], 'the acknowledged card');
    expect(acknowledged.body).toMatchObject({ channel: office.channels.complaints, ts: ref?.messageId });
    expect(JSON.stringify(acknowledged.body.blocks)).toContain('Acknowledged by Dana Reyes');
    expect(JSON.stringify(acknowledged.body.blocks)).toContain('"action_id":"complaint_resolve"');

    await slack.press('complaint_resolve', reference, 'U0DANA', 'resolve');
    const open = await waitFor(() => slack.api.callsTo('views.open')[0], 'the resolve modal');
    const view = open.body.view as { callback_id: string; private_metadata: string };
    expect(view.callback_id).toBe('complaint_resolve_form');
    await slack.submit({
      callbackId: 'complaint_resolve_form',
      values: {
        summary: { summary: typed('Called back and apologised') },
        contacted: { contacted: select('yes') },
      },
      userId: 'U0DANA',
      privateMetadata: view.private_metadata,
    });
    const resolved = await waitFor(() => slack.api.callsTo('chat.update')[1], 'the resolved card');
    expect(resolved.body).toMatchObject({ ts: ref?.messageId });
    expect(JSON.stringify(resolved.body.blocks)).toContain('Resolved by Dana Reyes');
    expect(JSON.stringify(resolved.body.blocks)).toContain('"action_id":"complaint_reopen"');
    const told = await waitFor(() => {
      const sent = slack.dmsTo('U0SAM');
      return sent.length === 2 ? sent : undefined;
    }, 'the reporter DMs');
    expect(String(told[1]?.body.text)).toBe(`Your complaint ${reference} was resolved by Dana Reyes.`);
    expect((await slack.db.select().from(auditLog)).map((row) => row.action)).toEqual([
      'complaint.filed',
      'complaint.acknowledged',
      'complaint.resolved',
    ]);
  });

  it('takes Acknowledge off every manager’s alert once one of them acknowledges', async () => {
    await slack.slash('', { triggerId: 'trigger.urgent-modal' });
    const open = await waitFor(() => slack.api.callsTo('views.open')[0], 'views.open');
    await slack.submit({
      callbackId: 'complaint_intake',
      values: intakeValues({ category: 'billing', severity: 'urgent' }),
      userId: 'U0SAM',
      privateMetadata: (open.body.view as { private_metadata: string }).private_metadata,
    });
    const reference = Math.max(...(await slack.db.select().from(complaints)).map((row) => row.number));
    const alerts = await waitFor(() => {
      const sent = slack.api
        .callsTo('chat.postMessage')
        .filter((call) => String(call.body.channel).startsWith('U'));
      return sent.length === 2 ? sent : undefined;
    }, 'the alerts');
    expect(JSON.stringify(alerts)).toContain('"action_id":"complaint_acknowledge"');
    await slack.waitForOutboxDrained();
    const alertRefs = (await slack.db.select().from(messageRefs)).filter(
      (row) => row.platform === 'slack' && row.cardKey.startsWith(`CP-${reference}/alert/`),
    );
    expect(alertRefs).toHaveLength(2);

    await slack.press('complaint_acknowledge', `CP-${reference}`, 'U0OMAR', 'ack');
    await slack.waitForOutboxDrained();
    const redrawn = slack.api
      .callsTo('chat.update')
      .filter((call) =>
        alertRefs.some((ref) => ref.channel === call.body.channel && ref.messageId === call.body.ts),
      );
    expect(redrawn).toHaveLength(2);
    for (const call of redrawn) {
      expect(JSON.stringify(call.body.blocks)).not.toContain('complaint_acknowledge');
      expect(JSON.stringify(call.body.blocks)).toContain('Acknowledged by Dr. Omar Haddad');
      expect(JSON.stringify(call.body)).not.toContain(PATIENT);
    }
  });

  it('takes Refine off the filing confirmation once the refinement is saved', async () => {
    const reference = await fileFromText();
    await slack.press('complaint_refine', reference, 'U0SAM', 'confirmation', {
      triggerId: 'trigger.refine',
      ephemeral: true,
    });
    const open = await waitFor(() => slack.api.callsTo('views.open')[0], 'the refine modal');
    const view = open.body.view as { callback_id: string; private_metadata: string };
    expect(view.callback_id).toBe('complaint_refine_form');
    expect(slack.api.responsesTo('confirmation')).toEqual([]);
    await slack.submit({
      callbackId: 'complaint_refine_form',
      values: intakeValues({ category: 'billing', severity: 'low', callback: 'no' }),
      userId: 'U0SAM',
      privateMetadata: view.private_metadata,
    });
    const redrawn = await waitFor(() => slack.api.responsesTo('confirmation')[0], 'the confirmation redrawn');
    expect(redrawn.body).toMatchObject({ replace_original: true, response_type: 'ephemeral' });
    expect(String(redrawn.body.text)).toBe(`Complaint logged: ${reference}`);
    expect(JSON.stringify(redrawn.body.blocks)).not.toContain('complaint_refine');
    expect(JSON.stringify(redrawn.body.blocks)).toContain(`Refined: ${reference} · Billing · Low`);
    expect(JSON.stringify(redrawn.body)).not.toContain(PATIENT);
  });

  it('opens View details for a manager as a read-only modal and writes an audit row', async () => {
    const reference = await fileFromText(COMPLAINT);
    await slack.press('complaint_details', reference, 'U0OMAR', 'details');
    const open = await waitFor(() => slack.api.callsTo('views.open')[0], 'the details modal');
    const view = open.body.view as {
      callback_id: string;
      submit?: unknown;
      close: { text: string };
      blocks: unknown;
    };
    expect(view.callback_id).toBe('complaint_details_view');
    expect(view.submit).toBeUndefined();
    expect(view.close.text).toBe('Close');
    expect(JSON.stringify(view.blocks)).toContain(PATIENT);
    const audit = await slack.db.select().from(auditLog).where(eq(auditLog.action, 'complaint.viewed'));
    expect(audit).toEqual([
      expect.objectContaining({ entity: reference, actor: 'staff:dr-omar-haddad', platform: 'slack' }),
    ]);
  });

  it.each([
    ['View details', 'complaint_details', /can read complaints/],
    ['Acknowledge', 'complaint_acknowledge', /can acknowledge complaints/],
  ])(
    'answers a non-manager pressing %s privately and changes nothing',
    async (_label, actionId, expected) => {
      const reference = await fileFromText();
      await slack.press(actionId, reference, 'U0PRIYA', 'intruder');
      const answer = await waitFor(() => slack.api.responsesTo('intruder')[0], 'the ephemeral answer');
      expect(answer.body).toMatchObject({ response_type: 'ephemeral', replace_original: false });
      expect(String(answer.body.text)).toMatch(expected);
      expect(slack.api.callsTo('views.open')).toHaveLength(0);
      expect((await slack.db.select().from(complaints))[0]?.status).toBe('new');
      expect(await slack.db.select().from(auditLog)).toHaveLength(1);
      await slack.waitForOutboxDrained();
      expect(slack.api.callsTo('chat.update')).toHaveLength(0);
    },
  );

  it('refuses to resolve before anyone acknowledges, and a second acknowledgement names the first', async () => {
    const reference = await fileFromText();
    await slack.press('complaint_resolve', reference, 'U0DANA', 'early');
    expect(await slack.answerTo('early')).toMatch(/has not been acknowledged yet/);
    expect(slack.api.callsTo('views.open')).toHaveLength(0);
    await slack.press('complaint_acknowledge', reference, 'U0DANA', 'first');
    await slack.answerTo('first');
    await slack.press('complaint_acknowledge', reference, 'U0OMAR', 'second');
    expect(await slack.answerTo('second')).toMatch(
      new RegExp(`${reference} was already acknowledged by Dana Reyes`),
    );
  });

  it('refuses a huge text, the list to a non-manager, and files a repeated delivery once', async () => {
    const huge = await slack.slash(`${PATIENT} ${'x'.repeat(3100)}`);
    expect(huge.text).toMatch(/a complaint can be at most 3,000\. .*Nothing was saved\.$/);
    expect(huge.text).not.toContain(PATIENT);
    expect((await slack.slash('list')).text).toMatch(/Only managers .* can list complaints/);
    const first = await slack.slash('Phone kept ringing out', { triggerId: 'trigger.same-complaint' });
    const second = await slack.slash('Phone kept ringing out', { triggerId: 'trigger.same-complaint' });
    expect(second.text).toBe(first.text);
    expect(await slack.db.select().from(complaints)).toHaveLength(1);
  });

  it('keeps a complaint whose channel post fails, tells the reporter it is logged, and posts it on retry', async () => {
    slack.api.failNext('chat.postMessage', 2, { status: 503 });
    const answer = await slack.slash('The card machine was broken again');
    expect(answer.text).toMatch(/^Complaint logged: CP-\d+$/);
    expect(await slack.db.select().from(complaints)).toHaveLength(1);
    await waitFor(() => {
      const posts = slack.api.callsTo('chat.postMessage');
      return posts.length === 3 ? posts : undefined;
    }, 'the retried card');
    // The row is marked sent once Slack's answer is back, a moment after the post arrived.
    const row = await waitFor(async () => {
      const [stored] = await slack.db.select().from(outbox);
      return stored?.status === 'sent' ? stored : undefined;
    }, 'the card marked sent');
    expect(row.attempts).toBe(3);
  });

  it('never writes the complaint text or the patient’s name to the log, nor posts it outside the complaints channel', async () => {
    const reference = await fileFromText(COMPLAINT);
    await slack.submit({
      callbackId: 'complaint_intake',
      values: intakeValues({ severity: 'urgent' }),
      userId: 'U0SAM',
    });
    await slack.submit({
      callbackId: 'complaint_intake',
      values: intakeValues({ category: 'nonsense' }),
      userId: 'U0SAM',
    });
    await slack.slash(`${COMPLAINT} ${'y'.repeat(3100)}`);
    await slack.press('complaint_details', reference, 'U0DANA', 'view');
    await slack.press('complaint_details', reference, 'U0SAM', 'peek');
    await slack.press('complaint_acknowledge', reference, 'U0DANA', 'ack');
    await slack.answerTo('ack');
    await slack.submit({
      callbackId: 'complaint_resolve_form',
      values: {
        summary: { summary: typed(`Apologised to ${PATIENT}`) },
        contacted: { contacted: select('yes') },
      },
      userId: 'U0DANA',
      privateMetadata: JSON.stringify({ metadata: reference }),
    });
    await slack.slash('export', { userId: 'U0DANA' });
    await waitFor(() => slack.api.callsTo('chat.update')[1], 'the card updates');
    await slack.waitForOutboxDrained();

    expect(slack.recording.lines.length).toBeGreaterThan(0);
    expect(slack.recording.text()).not.toContain(PATIENT);
    const outside = slack.api
      .callsTo('chat.postMessage')
      .concat(slack.api.callsTo('chat.update'))
      .filter((call) => call.body.channel !== office.channels.complaints);
    expect(outside.length).toBeGreaterThan(0);
    expect(JSON.stringify(outside.map((call) => call.body))).not.toContain(PATIENT);
    const channel = slack.api.calls.filter((call) => call.body.channel === office.channels.complaints);
    expect(JSON.stringify(channel.map((call) => call.body))).not.toContain(PATIENT);
  });
});
