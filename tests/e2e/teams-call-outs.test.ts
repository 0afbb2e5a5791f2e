import { DateTime } from 'luxon';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OfficeConfig } from '../../src/config/office.ts';
import type { Database } from '../../src/db/client.ts';
import { callOuts } from '../../src/db/schema/index.ts';
import type { ConnectorCall, RecordingConnector } from '../helpers/bot-connector.ts';
import { databaseTargets } from '../helpers/databases.ts';
import { buildOfficeConfig, withTeamsIds } from '../helpers/office.ts';
import { startTeamsHarness, type TeamsHarness } from '../helpers/teams-harness.ts';
import { waitFor, waitForOutboxDrained } from '../helpers/wait.ts';

const base = buildOfficeConfig();
const office: OfficeConfig = {
  ...base,
  staff: withTeamsIds(base.staff),
  // Two at the front desk: Sam in late leaves it short, so Priya and Luis (who covers it) are both asked.
  coverage: { ...base.coverage, 'front-desk': 2 },
};
// Before opening on a Monday, when people call out.
const NOW = DateTime.fromISO('2026-11-30T07:00', { zone: office.office.timezone });
const NOTICE = 'I sent you a private message.';
// What only the person and the managers may read: the kind of call-out and its reason.
const PRIVATE = /\blate\b|sick|car trouble|fever/i;
const everyone = ['sam', 'priya', 'ana', 'marcus', 'grace', 'luis', 'helen', 'dana', 'omar'];

interface CardAction {
  type: string;
  title: string;
  data: { verb: string; value?: string };
}
interface Card {
  body: { text?: string }[];
  actions?: CardAction[];
}

const text = (value: unknown) => JSON.stringify(value ?? {});
/** The first Adaptive Card of an activity the bot sent or updated. */
const cardOf = (call: ConnectorCall | undefined) =>
  (call?.body.attachments as { content: Card }[] | undefined)?.[0]?.content;
/** What a person reads on a card: its text blocks, without the markdown escapes. */
const shown = (card: Card | undefined) =>
  (card?.body ?? []).map((element) => (element.text ?? '').replace(/\\(.)/g, '$1')).join('\n');
const titles = (card: Card | undefined) => (card?.actions ?? []).map((action) => action.title);

describe.each(databaseTargets())('Teams call-outs at POST /api/messages on $name', (target) => {
  let teams: TeamsHarness;
  let connector: RecordingConnector;
  let database: Database;

  beforeAll(async () => {
    teams = await startTeamsHarness({ target, office, clock: () => NOW });
    ({ connector, database } = teams);
    await teams.install(everyone);
  });
  afterAll(() => teams?.stop());

  const activity: TeamsHarness['activity'] = (params) => teams.activity(params);
  const send = (body: unknown) => teams.send(body);

  /** Sends `body` and returns what was posted into `conversation` while it was handled. */
  async function postsWhile(conversation: string, body: unknown) {
    const before = connector.postsIn(conversation).length;
    await send(body);
    return connector.postsIn(conversation).slice(before);
  }
  /** The message in `conversation` whose card has `title`, once the outbox has delivered it. */
  const deliveredCard = (conversation: string, title: string) =>
    waitFor(
      () => connector.postsIn(conversation).find((post) => shown(cardOf(post)).includes(title)),
      `"${title}" in ${conversation}`,
    );
  /** The latest redraw of the message `posted`, once the outbox has sent it. */
  const redrawOf = (posted: ConnectorCall, until: (card: Card | undefined) => boolean, what: string) =>
    waitFor(
      () =>
        connector
          .updates()
          .filter(
            (call) => call.conversationId === posted.conversationId && call.activityId === posted.answeredId,
          )
          .map(cardOf)
          .findLast(until),
      what,
    );
  /** Presses a card button in `user`'s 1:1 chat, as Teams sends an Action.Submit: the data as the value. */
  async function press(user: string, posted: ConnectorCall, title: string) {
    const action = cardOf(posted)?.actions?.find((candidate) => candidate.title === title);
    expect(action?.type, `${title} on ${posted.conversationId}`).toBe('Action.Submit');
    return postsWhile(
      `dm-${user}`,
      activity({
        user,
        conversation: `dm-${user}`,
        value: { ...action?.data },
        replyToId: posted.answeredId,
      }),
    );
  }

  it('answers `out late 10:30` in a 1:1 chat with a CO- reference and asks the two who can cover, never saying why', async () => {
    const answer = await postsWhile(
      'dm-sam',
      activity({ user: 'sam', conversation: 'dm-sam', text: 'out late 10:30 car trouble' }),
    );
    expect(answer).toHaveLength(1);
    const confirmation = shown(cardOf(answer[0]));
    expect(String(answer[0]?.body.text)).toMatch(/^Call-out recorded: CO-1, In late Mon Nov 30: in at 10:30/);
    expect(confirmation).toContain('Call-out recorded — CO-1');
    expect(confirmation).toContain('Reason: car trouble');
    expect(confirmation).toContain('Priya Shah, Luis Ortega have been asked to cover');
    const [row] = await database.db.select().from(callOuts);
    expect(row).toMatchObject({ kind: 'late', untilTime: '10:30', day: '2026-11-30', coverState: 'asking' });

    for (const user of ['priya', 'luis']) {
      const ask = await deliveredCard(`dm-${user}`, 'Can you cover? — CO-1');
      const card = cardOf(ask);
      expect(shown(card)).toContain('Sam Lee is out Mon Nov 30, until 10:30. Can you cover front desk?');
      expect(titles(card)).toEqual(['I can cover', "Can't cover"]);
      expect(card?.actions?.map((action) => action.data)).toEqual([
        { verb: 'callout_can_cover', value: 'CO-1' },
        { verb: 'callout_cannot_cover', value: 'CO-1' },
      ]);
      // Neither the card nor the notification text says why Sam is out.
      expect(shown(card), user).not.toMatch(PRIVATE);
      expect(String(ask.body.text), user).not.toMatch(PRIVATE);
    }
    // The managers are told the kind and the reason, and who was asked.
    for (const manager of ['dana', 'omar']) {
      const notice = shown(
        cardOf(await deliveredCard(`dm-${manager}`, 'Call-out CO-1 — Sam Lee (front desk)')),
      );
      expect(notice).toContain('In late Mon Nov 30: in at 10:30');
      expect(notice).toContain('Reason: car trouble');
      expect(notice).toContain('Asked to cover: Priya Shah, Luis Ortega');
    }
    await waitForOutboxDrained(database.db);
    // Nobody else hears of it: the medical assistants, the nurse and the physician cannot cover the desk.
    for (const user of ['ana', 'marcus', 'grace', 'helen'])
      expect(connector.postsIn(`dm-${user}`), user).toEqual([]);
  });

  it('takes the first `I can cover` as the offer: the managers get a Confirm cover card, the other ask is closed', async () => {
    const luisAsk = await deliveredCard('dm-luis', 'Can you cover? — CO-1');
    const priyaAsk = await deliveredCard('dm-priya', 'Can you cover? — CO-1');

    const answer = await press('luis', luisAsk, 'I can cover');
    expect(answer).toHaveLength(1);
    expect(String(answer[0]?.body.text)).toContain(
      'Thank you: you offered to cover for Sam Lee (front desk), Mon Nov 30, until 10:30. Dana Reyes or Dr. Omar Haddad will confirm',
    );
    expect(await database.db.select().from(callOuts)).toEqual([
      expect.objectContaining({ coverState: 'offered', coverName: 'Luis Ortega' }),
    ]);

    for (const manager of ['dana', 'omar']) {
      const card = cardOf(await deliveredCard(`dm-${manager}`, 'Cover offered — CO-1'));
      expect(shown(card)).toContain(
        'Luis Ortega can cover for Sam Lee (front desk), Mon Nov 30, until 10:30',
      );
      expect(titles(card)).toEqual(['Confirm cover']);
      expect(card?.actions?.[0]?.data).toEqual({
        verb: 'callout_confirm_cover',
        value: 'CO-1/cover/staff:luis-ortega',
      });
    }
    // Priya's ask is redrawn in place: covered, with no buttons left to press.
    const closed = await redrawOf(
      priyaAsk,
      (card) => shown(card).includes('Covered by Luis Ortega'),
      'Priya’s ask redrawn',
    );
    expect(closed.actions ?? []).toEqual([]);
    expect(shown(closed)).not.toMatch(PRIVATE);
  });

  it('turns down a second `I can cover` pressed on an ask already taken, without changing the cover', async () => {
    const priyaAsk = await deliveredCard('dm-priya', 'Can you cover? — CO-1');
    const answer = await press('priya', priyaAsk, 'I can cover');
    expect(String(answer[0]?.body.text)).toContain('CO-1 is already covered by Luis Ortega');
    expect(await database.db.select().from(callOuts)).toEqual([
      expect.objectContaining({ coverState: 'offered', coverKey: 'staff:luis-ortega' }),
    ]);
  });

  it('tells the volunteer and the other person asked once a manager confirms, and redraws every card', async () => {
    const danaCard = await deliveredCard('dm-dana', 'Cover offered — CO-1');
    const omarCard = await deliveredCard('dm-omar', 'Cover offered — CO-1');
    const luisAsk = await deliveredCard('dm-luis', 'Can you cover? — CO-1');

    const answer = await press('dana', danaCard, 'Confirm cover');
    expect(String(answer[0]?.body.text)).toContain(
      'Confirmed: Luis Ortega covers for Sam Lee (front desk), Mon Nov 30, until 10:30. Everyone asked has been told.',
    );
    const [row] = await database.db.select().from(callOuts);
    expect(row).toMatchObject({
      coverState: 'confirmed',
      coverName: 'Luis Ortega',
      coverConfirmedByName: 'Dana Reyes',
    });

    const toldLuis = await waitFor(
      () => connector.postsIn('dm-luis').find((post) => /you are covering/.test(String(post.body.text))),
      'Luis told',
    );
    expect(String(toldLuis.body.text)).toBe(
      'Dana Reyes confirmed: you are covering for Sam Lee (front desk), Mon Nov 30, until 10:30. Thank you!',
    );
    const toldPriya = await waitFor(
      () => connector.postsIn('dm-priya').find((post) => /is covered/.test(String(post.body.text))),
      'Priya told',
    );
    expect(String(toldPriya.body.text)).toBe(
      'CO-1 is covered: Luis Ortega is covering for Sam Lee, Mon Nov 30, until 10:30. Thank you for answering.',
    );
    for (const told of [toldLuis, toldPriya]) expect(text(told.body)).not.toMatch(PRIVATE);

    const covering = await redrawOf(
      luisAsk,
      (card) => shown(card).includes('You are covering'),
      'Luis’s ask redrawn',
    );
    expect(covering.actions ?? []).toEqual([]);
    // Omar's card loses its button too, so nobody confirms twice.
    const settled = await redrawOf(
      omarCard,
      (card) => shown(card).includes('Cover: Luis Ortega, confirmed by Dana Reyes'),
      'Omar’s card redrawn',
    );
    expect(settled.actions ?? []).toEqual([]);
  });

  it('keeps `out sick` typed in a channel out of the channel: the answer goes to the person’s 1:1 chat', async () => {
    const before = connector.postsIn('dm-ana').length;
    const inChannel = await postsWhile(
      'team-general',
      activity({
        user: 'ana',
        conversation: 'team-general',
        kind: 'channel',
        text: '<at>frontdesk</at> out sick fever',
      }),
    );
    expect(inChannel.map((post) => post.body.text)).toEqual([NOTICE]);
    expect(inChannel[0]?.body.attachments).toBeUndefined();
    expect(text(inChannel)).not.toMatch(/CO-\d|sick|fever|Call-out/i);

    const answers = connector.postsIn('dm-ana').slice(before);
    expect(answers).toHaveLength(1);
    expect(String(answers[0]?.body.text)).toMatch(/^Call-out recorded: CO-2, Out sick Mon Nov 30, all day/);
    expect(shown(cardOf(answers[0]))).toContain('Reason: fever');
    // Her stored 1:1 chat was used; no other was opened.
    expect(connector.created).toEqual([]);
    const notice = shown(
      cardOf(await deliveredCard('dm-dana', 'Call-out CO-2 — Ana Cruz (medical assistant)')),
    );
    expect(notice).toContain('Out sick Mon Nov 30, all day');
    expect(notice).toContain('Coverage is still met.');
    // Nothing reaches the channel later either: the managers' notices are direct messages.
    await waitForOutboxDrained(database.db);
    expect(connector.postsIn('team-general').map((post) => post.body.text)).toEqual([NOTICE]);
  });
});
