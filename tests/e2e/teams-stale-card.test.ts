import { and, eq, inArray } from 'drizzle-orm';
import { DateTime } from 'luxon';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OfficeConfig } from '../../src/config/office.ts';
import type { Database } from '../../src/db/client.ts';
import { auditLog, timeOffRequests } from '../../src/db/schema/index.ts';
import type { ConnectorCall, RecordingConnector } from '../helpers/bot-connector.ts';
import { databaseTargets } from '../helpers/databases.ts';
import { buildOfficeConfig, withTeamsIds } from '../helpers/office.ts';
import { startTeamsHarness, type TeamsHarness } from '../helpers/teams-harness.ts';
import { waitFor, waitForOutboxDrained } from '../helpers/wait.ts';

const base = buildOfficeConfig();
const office: OfficeConfig = { ...base, staff: withTeamsIds(base.staff) };
const NOW = DateTime.fromISO('2026-11-25T10:00', { zone: office.office.timezone }); // Wed
const NOTICE = 'I sent you a private message.';
const APPROVALS = 'team-approvals';
const everyone = ['sam', 'ana', 'marcus', 'dana', 'omar'];

interface CardAction {
  type: string;
  title: string;
  data: { verb: string; value?: string };
}
interface Card {
  body?: { text?: string; facts?: { title: string; value: string }[] }[];
  actions?: CardAction[];
}

const text = (value: unknown) => JSON.stringify(value ?? {});
/** The first Adaptive Card of an activity the bot sent or updated. */
const cardOf = (call: ConnectorCall | undefined) =>
  (call?.body.attachments as { content: Card }[] | undefined)?.[0]?.content;
/** What a person reads on a card: its text blocks and facts, without the markdown escapes. */
const shown = (card: Card | undefined) =>
  (card?.body ?? [])
    .flatMap((element) => [
      element.text ?? '',
      ...(element.facts ?? []).map((fact) => `${fact.title}: ${fact.value}`),
    ])
    .map((line) => line.replace(/\\(.)/g, '$1'))
    .join('\n');
const titles = (card: Card | undefined) => (card?.actions ?? []).map((action) => action.title);
/** What an answer reads: its text and its card's text. */
const said = (call: ConnectorCall | undefined) => `${String(call?.body.text ?? '')}\n${shown(cardOf(call))}`;

// A button pressed on a channel card after its request moved on is refused to the presser alone, and the
// card is redrawn in place as the request now stands, so nobody else presses the used button.
describe.each(databaseTargets())('Teams: a button pressed on a stale approval card on $name', (target) => {
  let teams: TeamsHarness;
  let connector: RecordingConnector;
  let database: Database;

  beforeAll(async () => {
    teams = await startTeamsHarness({ target, office, clock: () => NOW });
    ({ connector, database } = teams);
    await teams.install(everyone);
    await send(
      activity({
        user: 'dana',
        conversation: APPROVALS,
        kind: 'channel',
        text: 'use this channel for approvals',
      }),
    );
  });
  afterAll(() => teams?.stop());

  const activity: TeamsHarness['activity'] = (params) => teams.activity(params);
  const send = (body: unknown) => teams.send(body);

  /** Files time off from the person's 1:1 chat; its reference and its approval card as posted in the channel. */
  async function fileTimeOff(user: string, typed: string) {
    await send(activity({ user, conversation: `dm-${user}`, text: typed }));
    const reference = /TO-\d+/.exec(said(connector.postsIn(`dm-${user}`).at(-1)))?.[0] ?? '';
    expect(reference).toMatch(/^TO-\d+$/);
    const posted = await waitFor(
      () =>
        connector.postsIn(APPROVALS).find((post) => shown(cardOf(post)).includes(`Time off ${reference}`)),
      `the approval card of ${reference}`,
    );
    expect(titles(cardOf(posted))).toEqual(['Approve', 'Deny']);
    return { reference, posted };
  }

  /** Presses a button of the channel card `posted`, as Teams sends it: a new activity replying to the card. */
  async function press(user: string, posted: ConnectorCall, title: string) {
    const data = cardOf(posted)?.actions?.find((action) => action.title === title)?.data;
    expect(data).toBeDefined();
    await send(
      activity({ user, conversation: APPROVALS, kind: 'channel', value: data, replyToId: posted.answeredId }),
    );
  }

  /** Every update (PUT) of the channel card `posted`, in order. */
  const updatesOf = (posted: ConnectorCall) =>
    connector
      .updates()
      .filter((call) => call.conversationId === APPROVALS && call.activityId === posted.answeredId);

  /** What a press sent: posts into the channel and into the presser's 1:1 chat, and updates of the card. */
  async function pressed(user: string, posted: ConnectorCall, title: string) {
    const channelBefore = connector.postsIn(APPROVALS).length;
    const chatBefore = connector.postsIn(`dm-${user}`).length;
    const updatesBefore = updatesOf(posted).length;
    await press(user, posted, title);
    await waitForOutboxDrained(database.db);
    return {
      inChannel: connector.postsIn(APPROVALS).slice(channelBefore),
      inChat: connector.postsIn(`dm-${user}`).slice(chatBefore),
      updates: updatesOf(posted).slice(updatesBefore),
    };
  }

  async function decisionsOf(reference: string) {
    const [row] = await database.db
      .select()
      .from(timeOffRequests)
      .where(eq(timeOffRequests.number, Number(reference.slice(3))));
    const audit = await database.db
      .select()
      .from(auditLog)
      .where(
        and(eq(auditLog.entity, reference), inArray(auditLog.action, ['timeoff.approved', 'timeoff.denied'])),
      );
    return { row, audit };
  }

  /** Checks the card `update` is a redraw in place of `posted` that reads approved by Dana, with no button. */
  function expectApprovedRedraw(update: ConnectorCall | undefined, posted: ConnectorCall, reference: string) {
    expect(update?.method).toBe('PUT');
    expect(update?.path).toBe(`/v3/conversations/${APPROVALS}/activities/${posted.answeredId}`);
    const card = cardOf(update);
    expect(shown(card)).toContain(`Time off ${reference}`);
    expect(shown(card)).toContain('Approved by Dana Reyes');
    expect(titles(card)).toEqual([]);
    expect(text(update?.body)).not.toMatch(/timeoff_approve|timeoff_deny/);
  }

  it('refuses Approve pressed by a second manager privately and redraws the channel card without its buttons', async () => {
    const { reference, posted } = await fileTimeOff('sam', 'timeoff dec 1 family visit');

    const first = await pressed('dana', posted, 'Approve');
    expect(first.inChannel.map((post) => post.body.text)).toEqual([NOTICE]);
    expect(said(first.inChat.at(-1))).toContain(`Approved ${reference} for Sam Lee`);
    expect(first.updates).toHaveLength(1);
    expectApprovedRedraw(first.updates[0], posted, reference);

    // Omar still sees the card with its buttons (his copy was drawn before Dana's press) and presses Approve.
    const stale = await pressed('omar', posted, 'Approve');
    // The refusal is Omar's alone: in his 1:1 chat; the channel gets only the notice, with nothing in it.
    expect(stale.inChat).toHaveLength(1);
    expect(said(stale.inChat[0])).toContain(`${reference} was already approved by Dana Reyes`);
    expect(said(stale.inChat[0])).toContain('Nothing was changed');
    expect(stale.inChannel.map((post) => post.body.text)).toEqual([NOTICE]);
    expect(stale.inChannel[0]?.body.attachments).toBeUndefined();
    expect(text(stale.inChannel)).not.toContain(reference);
    expect(connector.created).toEqual([]);
    // The channel card is redrawn once more, in place, as it stands: approved by Dana, no buttons.
    expect(stale.updates).toHaveLength(1);
    expectApprovedRedraw(stale.updates[0], posted, reference);
    expect(updatesOf(posted)).toHaveLength(2);

    // Deny pressed on the same old copy opens no form: refused and redrawn the same way.
    const denied = await pressed('omar', posted, 'Deny');
    expect(denied.inChat).toHaveLength(1);
    expect(said(denied.inChat[0])).toContain(`${reference} was already approved by Dana Reyes`);
    expect(cardOf(denied.inChat[0])?.actions ?? []).toEqual([]);
    expect(denied.inChannel.map((post) => post.body.text)).toEqual([NOTICE]);
    expect(denied.updates).toHaveLength(1);
    expectApprovedRedraw(denied.updates[0], posted, reference);

    const { row, audit } = await decisionsOf(reference);
    expect(row).toMatchObject({ status: 'approved', decidedByName: 'Dana Reyes' });
    expect(audit).toEqual([expect.objectContaining({ action: 'timeoff.approved', actorName: 'Dana Reyes' })]);
    const told = connector.postsIn('dm-sam').filter((post) => said(post).includes('was approved'));
    expect(told).toHaveLength(1);
  });

  it('refuses a manager’s second press of Approve on the same card and redraws it once more', async () => {
    const { reference, posted } = await fileTimeOff('ana', 'timeoff dec 2');

    const first = await pressed('dana', posted, 'Approve');
    expect(said(first.inChat.at(-1))).toContain(`Approved ${reference} for Ana Cruz`);
    expect(first.updates).toHaveLength(1);
    expectApprovedRedraw(first.updates[0], posted, reference);

    // The same card pressed again (a new activity: Teams showed the old copy a moment longer).
    const again = await pressed('dana', posted, 'Approve');
    expect(again.inChat).toHaveLength(1);
    expect(said(again.inChat[0])).toContain(`${reference} was already approved by Dana Reyes`);
    expect(again.inChannel.map((post) => post.body.text)).toEqual([NOTICE]);
    expect(again.inChannel[0]?.body.attachments).toBeUndefined();
    expect(again.updates).toHaveLength(1);
    expectApprovedRedraw(again.updates[0], posted, reference);

    const { row, audit } = await decisionsOf(reference);
    expect(row).toMatchObject({ status: 'approved', decidedByName: 'Dana Reyes' });
    expect(audit).toEqual([expect.objectContaining({ action: 'timeoff.approved', actorName: 'Dana Reyes' })]);
    const told = connector.postsIn('dm-ana').filter((post) => said(post).includes('was approved'));
    expect(told).toHaveLength(1);
  });
});
