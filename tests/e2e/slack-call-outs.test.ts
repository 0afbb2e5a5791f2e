import { and, eq } from 'drizzle-orm';
import { DateTime } from 'luxon';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createScheduler } from '../../src/bot/scheduler.ts';
import { auditLog, callOuts, coverAsks, messageRefs, outbox } from '../../src/db/schema/index.ts';
import { queueEffects } from '../../src/handlers/kernel/dispatch.ts';
import { databaseTargets } from '../helpers/databases.ts';
import { findScheduledJob } from '../helpers/jobs.ts';
import { buildOfficeConfig } from '../helpers/office.ts';
import type { RecordedSlackCall } from '../helpers/slack-api-server.ts';
import { type SlackHarness, type SlashAnswer, startSlackHarness } from '../helpers/slack-harness.ts';
import { buildBlockActionsBody, buildSlashCommandBody, postSignedSlack } from '../helpers/slack-signing.ts';
import { waitFor } from '../helpers/wait.ts';

const example = buildOfficeConfig();
// Grace (a nurse) can also stand in at the front desk, so a front-desk gap has two people to ask: her and
// Luis (billing), who covers the front desk in office.example.yaml.
const office = buildOfficeConfig({
  staff: example.staff.map((member) =>
    member.name === 'Grace Kim' ? { ...member, covers: ['medical-assistant', 'front-desk'] } : member,
  ),
});
const NOW = DateTime.fromISO('2026-11-30T07:00', { zone: office.office.timezone }); // Mon, before opening
const SAM = 'U0SAM'; // front desk
const PRIYA = 'U0PRIYA'; // front desk
const GRACE = 'U0GRACE'; // nurse, covers front desk
const LUIS = 'U0LUIS'; // billing, covers front desk
const DANA = 'U0DANA'; // manager
const OMAR = 'U0OMAR'; // physician, manager
const MANAGERS = [DANA, OMAR] as const;
const HELPERS = [GRACE, LUIS] as const;

interface SlackButton {
  label: string;
  actionId: string;
  value: string;
}

/** The buttons of a message as Slack got it (blocks from a Web API call, a response_url post or an ack). */
function buttonsOf(blocks: unknown): SlackButton[] {
  const list = Array.isArray(blocks) ? (blocks as { type?: string; elements?: unknown[] }[]) : [];
  return list
    .filter((block) => block.type === 'actions')
    .flatMap(
      (block) => (block.elements ?? []) as { text?: { text?: string }; action_id?: string; value?: string }[],
    )
    .map((element) => ({
      label: String(element.text?.text),
      actionId: String(element.action_id),
      value: String(element.value),
    }));
}

/** Everything a person sees of a message: its notification text and its blocks. */
const shownText = (body: Record<string, unknown>) => `${String(body.text)}\n${JSON.stringify(body.blocks)}`;

describe.each(databaseTargets())('call-outs through signed Slack requests on $name', ({ open }) => {
  let slack: SlackHarness;
  let responses = 0;

  beforeAll(async () => {
    slack = await startSlackHarness({
      command: '/out',
      office,
      now: NOW,
      openDatabase: open,
      // Children before the rows they point at; job runs are keyed by reference, which never repeats.
      tables: [outbox, coverAsks, callOuts, auditLog],
    });
  });
  afterAll(() => slack?.stop());
  beforeEach(() => slack.reset());

  /** `/out <text>` as `userId`; the answer and the CO reference it gives. */
  async function out(userId: string, text: string): Promise<{ answer: SlashAnswer; reference: string }> {
    const answer = await slack.slash(text, { userId, responseId: `slash-${++responses}` });
    const reference = /CO-\d+/.exec(answer.text ?? '')?.[0];
    if (!reference) throw new Error(`no reference in ${answer.text}`);
    return { answer, reference };
  }

  /** Where frontdesk posted the card or DM `cardKey` on Slack (its channel and ts), once it is there. */
  const messageOf = (cardKey: string) =>
    waitFor(async () => {
      const [ref] = await slack.db
        .select()
        .from(messageRefs)
        .where(and(eq(messageRefs.cardKey, cardKey), eq(messageRefs.platform, 'slack')));
      return ref ? { channel: ref.channel, ts: ref.messageId } : undefined;
    }, `the message ${cardKey}`);

  /**
   * Presses a button on the message at `on` (a DM: its channel is the user's id here) as `userId`, signed as
   * Slack signs it; the app answers through the response URL `responseId`.
   */
  async function press(
    actionId: string,
    value: string,
    userId: string,
    responseId: string,
    on: { channel: string; ts: string },
  ): Promise<void> {
    const response = await postSignedSlack(
      slack.url,
      slack.secret,
      buildBlockActionsBody({
        actionId,
        value,
        userId,
        channelId: on.channel,
        messageTs: on.ts,
        responseUrl: slack.api.responseUrl(responseId),
      }),
    );
    expect(response.status).toBe(200);
  }

  /** The ephemeral answer to a press (not a redraw of the pressed message). */
  const answerTo = (responseId: string) =>
    waitFor(
      () => slack.api.responsesTo(responseId).find((call) => call.body.replace_original === false),
      `the answer through ${responseId}`,
    );

  /** Direct messages to `userId` whose text or blocks contain `needle`. */
  const dmsAbout = (userId: string, needle: string) =>
    slack.dmsTo(userId).filter((call) => shownText(call.body).includes(needle));
  const asksTo = (userId: string, reference: string) =>
    slack.dmsTo(userId).filter((call) => String(call.body.text).startsWith(`Can you cover? ${reference}:`));
  const confirmCardsTo = (userId: string, reference: string) =>
    slack
      .dmsTo(userId)
      .filter((call) =>
        buttonsOf(call.body.blocks).some(
          (button) =>
            button.actionId === 'callout_confirm_cover' && button.value.startsWith(`${reference}/cover/`),
        ),
      );
  const updatesOf = (message: { channel: string; ts: string }) =>
    slack.api
      .callsTo('chat.update')
      .filter((call) => call.body.channel === message.channel && call.body.ts === message.ts);
  /** The ts Slack gave the message posted to `channel` whose text starts with `start`. */
  const postedTs = (channel: string, start: string) => {
    const posted = slack.api.messages.filter(
      (message) => message.channel === channel && String(message.text).startsWith(start),
    );
    expect(posted).toHaveLength(1);
    return String(posted[0]?.ts);
  };
  const storedCallOut = async (reference: string) =>
    (await slack.db.select().from(callOuts)).find((row) => `CO-${row.number}` === reference);

  /** Priya out sick (the front desk still has Sam), then Sam in late: the front desk is short until 10:30. */
  async function frontDeskShortUntil1030() {
    await out(PRIYA, 'sick');
    const sam = await out(SAM, 'late 10:30 flat tyre');
    await waitFor(() => {
      const asked = HELPERS.every((helper) => asksTo(helper, sam.reference).length === 1);
      return asked ? true : undefined;
    }, 'the asks to Grace and Luis');
    await slack.waitForOutboxDrained();
    return sam;
  }

  it('finds cover end to end: asks Grace and Luis without saying why, Luis offers, Dana confirms, everyone is told and the buttons go', async () => {
    // Priya out sick: Sam still covers the front desk, so the managers hear of it and nobody is asked.
    const priya = await out(PRIYA, 'sick');
    expect(priya.answer.response_type).toBe('ephemeral');
    expect(priya.answer.text).toBe(`Call-out recorded: ${priya.reference}, Out sick Mon Nov 30, all day`);
    for (const manager of MANAGERS) {
      const notice = await waitFor(() => dmsAbout(manager, priya.reference)[0], `${manager}'s notice`);
      expect(shownText(notice.body)).toContain('Coverage is still met.');
    }
    await slack.waitForOutboxDrained();
    expect(slack.dmsTo(GRACE)).toEqual([]);
    expect(slack.dmsTo(LUIS)).toEqual([]);

    // Sam in late: the front desk has nobody from 8:00 to 10:30.
    const { answer, reference } = await out(SAM, 'late 10:30 flat tyre');
    expect(answer.response_type).toBe('ephemeral');
    expect(answer.text).toBe(`Call-out recorded: ${reference}, In late Mon Nov 30: in at 10:30`);
    expect(JSON.stringify(answer.blocks)).toContain('Grace Kim, Luis Ortega have been asked to cover');
    expect(reference).not.toBe(priya.reference);

    for (const helper of HELPERS) {
      const [ask, ...more] = await waitFor(() => {
        const asks = asksTo(helper, reference);
        return asks.length > 0 ? asks : undefined;
      }, `the ask to ${helper}`);
      expect(more).toEqual([]);
      expect(ask?.body.channel).toBe(helper);
      expect(buttonsOf(ask?.body.blocks)).toEqual([
        { label: 'I can cover', actionId: 'callout_can_cover', value: reference },
        { label: "Can't cover", actionId: 'callout_cannot_cover', value: reference },
      ]);
      const shown = shownText(ask?.body ?? {});
      expect(shown).toContain('Sam Lee is out Mon Nov 30, until 10:30. Can you cover front desk?');
      // Why Sam is out is the managers' business only.
      expect(shown).not.toMatch(/late|sick|tyre/i);
    }
    for (const manager of MANAGERS) {
      const notice = await waitFor(
        () => dmsAbout(manager, reference)[0],
        `${manager}'s notice of ${reference}`,
      );
      const shown = shownText(notice.body);
      expect(shown).toContain(`In late Mon Nov 30: in at 10:30`);
      expect(shown).toContain('Front desk: 0 of 1 needed on duty 8:00–10:30');
      expect(shown).toContain('Reason: flat tyre');
      expect(shown).toContain('Asked to cover: Grace Kim, Luis Ortega');
    }
    await slack.waitForOutboxDrained();
    // Nobody else is told: Sam answered himself, Priya is out, Ana does not cover the front desk.
    expect(slack.dmsTo(SAM)).toEqual([]);
    expect(slack.dmsTo(PRIYA)).toEqual([]);
    expect(slack.dmsTo('U0ANA')).toEqual([]);

    // Luis presses `I can cover` on his ask.
    const luisAsk = await messageOf(`${reference}/ask/slack/${LUIS}`);
    const graceAsk = await messageOf(`${reference}/ask/slack/${GRACE}`);
    // The refs point at the asks as Slack stored them (a DM is kept under the user's id here).
    expect(luisAsk.ts).toBe(postedTs(LUIS, `Can you cover? ${reference}:`));
    expect(graceAsk.ts).toBe(postedTs(GRACE, `Can you cover? ${reference}:`));
    await press('callout_can_cover', reference, LUIS, 'luis-offers', luisAsk);
    const thanks = await answerTo('luis-offers');
    expect(thanks.body).toMatchObject({ response_type: 'ephemeral', replace_original: false });
    expect(String(thanks.body.text)).toBe(
      'Thank you: you offered to cover for Sam Lee (front desk), Mon Nov 30, until 10:30. Dana Reyes or Dr. Omar Haddad will confirm; you will get a message.',
    );
    // The ask he pressed loses its buttons in place, redrawn through the outbox.
    const luisRedrawn = await waitFor(
      () => updatesOf(luisAsk).find((call) => shownText(call.body).includes('You offered to cover')),
      'Luis’s ask redrawn',
    );
    expect(buttonsOf(luisRedrawn.body.blocks)).toEqual([]);
    expect(shownText(luisRedrawn.body)).toContain('You offered to cover; a manager will confirm.');
    expect(shownText(luisRedrawn.body)).not.toMatch(/late|sick|tyre/i);
    expect((await storedCallOut(reference))?.coverState).toBe('offered');

    // Each manager gets one card with `Confirm cover`; Grace's ask is redrawn without its buttons.
    for (const manager of MANAGERS) {
      const [card, ...more] = await waitFor(() => {
        const cards = confirmCardsTo(manager, reference);
        return cards.length > 0 ? cards : undefined;
      }, `${manager}'s Confirm cover card`);
      expect(more).toEqual([]);
      expect(buttonsOf(card?.body.blocks)).toEqual([
        {
          label: 'Confirm cover',
          actionId: 'callout_confirm_cover',
          value: `${reference}/cover/staff:luis-ortega`,
        },
      ]);
      expect(shownText(card?.body ?? {})).toContain(
        'Luis Ortega can cover for Sam Lee (front desk), Mon Nov 30, until 10:30',
      );
    }
    const graceOffered = await waitFor(() => updatesOf(graceAsk)[0], 'Grace’s ask redrawn');
    expect(buttonsOf(graceOffered.body.blocks)).toEqual([]);
    expect(shownText(graceOffered.body)).toContain('Covered by Luis Ortega');
    await slack.waitForOutboxDrained();

    // Dana confirms from her card.
    const danaCard = await messageOf(`${reference}/confirm/slack/${DANA}`);
    const omarCard = await messageOf(`${reference}/confirm/slack/${OMAR}`);
    await press('callout_confirm_cover', reference, DANA, 'dana-confirms', danaCard);
    expect(String((await answerTo('dana-confirms')).body.text)).toBe(
      'Confirmed: Luis Ortega covers for Sam Lee (front desk), Mon Nov 30, until 10:30. Everyone asked has been told.',
    );
    // The card she pressed loses its button in place, redrawn through the outbox.
    const danaRedrawn = await waitFor(
      () => updatesOf(danaCard).find((call) => shownText(call.body).includes('confirmed by Dana Reyes')),
      'Dana’s card redrawn',
    );
    expect(buttonsOf(danaRedrawn.body.blocks)).toEqual([]);
    expect(shownText(danaRedrawn.body)).toContain('Cover: Luis Ortega, confirmed by Dana Reyes');
    const told = await waitFor(() => dmsAbout(LUIS, 'Dana Reyes confirmed')[0], 'Luis told');
    expect(String(told.body.text)).toBe(
      'Dana Reyes confirmed: you are covering for Sam Lee (front desk), Mon Nov 30, until 10:30. Thank you!',
    );
    const covered = await waitFor(() => dmsAbout(GRACE, `${reference} is covered`)[0], 'Grace told');
    expect(String(covered.body.text)).toBe(
      `${reference} is covered: Luis Ortega is covering for Sam Lee, Mon Nov 30, until 10:30. Thank you for answering.`,
    );
    expect(shownText(covered.body)).not.toMatch(/late|sick|tyre/i);
    await slack.waitForOutboxDrained();
    const graceLast = updatesOf(graceAsk).at(-1);
    expect(updatesOf(graceAsk).length).toBeGreaterThanOrEqual(2);
    expect(buttonsOf(graceLast?.body.blocks)).toEqual([]);
    expect(shownText(graceLast?.body ?? {})).toContain('Covered by Luis Ortega');
    const luisLast = updatesOf(luisAsk).at(-1);
    expect(buttonsOf(luisLast?.body.blocks)).toEqual([]);
    expect(shownText(luisLast?.body ?? {})).toContain('You are covering. Thank you!');
    // Both managers' cards lose `Confirm cover` and say who confirmed.
    for (const card of [danaCard, omarCard]) {
      const redrawn = updatesOf(card).at(-1);
      expect(buttonsOf(redrawn?.body.blocks)).toEqual([]);
      expect(shownText(redrawn?.body ?? {})).toContain('Cover: Luis Ortega, confirmed by Dana Reyes');
    }
    expect(await storedCallOut(reference)).toMatchObject({
      coverState: 'confirmed',
      coverName: 'Luis Ortega',
      coverConfirmedByName: 'Dana Reyes',
    });

    // Grace's late yes (a stale button) is answered privately and changes nothing.
    await press('callout_can_cover', reference, GRACE, 'grace-late', graceAsk);
    const late = await answerTo('grace-late');
    expect(late.body).toMatchObject({ response_type: 'ephemeral', replace_original: false });
    expect(String(late.body.text)).toContain(`${reference} is already covered by Luis Ortega`);
    expect((await storedCallOut(reference))?.coverName).toBe('Luis Ortega');
    await slack.waitForOutboxDrained();
    expect(confirmCardsTo(DANA, reference)).toHaveLength(1);
    expect(confirmCardsTo(OMAR, reference)).toHaveLength(1);
  });

  it('makes exactly one cover, and one Confirm cover card per manager, when Grace and Luis press at once', async () => {
    const { reference } = await frontDeskShortUntil1030();
    const graceAsk = await messageOf(`${reference}/ask/slack/${GRACE}`);
    const luisAsk = await messageOf(`${reference}/ask/slack/${LUIS}`);
    await Promise.all([
      press('callout_can_cover', reference, GRACE, 'race-grace', graceAsk),
      press('callout_can_cover', reference, LUIS, 'race-luis', luisAsk),
    ]);
    const answers = await Promise.all([answerTo('race-grace'), answerTo('race-luis')]);
    const texts = answers.map((call) => String(call.body.text));
    const thanked = texts.filter((text) => text.startsWith('Thank you: you offered to cover'));
    const refused = texts.filter((text) => text.includes(`${reference} is already covered by`));
    expect([thanked.length, refused.length]).toEqual([1, 1]);

    const row = await storedCallOut(reference);
    expect(row?.coverState).toBe('offered');
    expect(['Grace Kim', 'Luis Ortega']).toContain(row?.coverName);
    const [winner, loser] =
      row?.coverName === 'Grace Kim' ? ['race-grace', 'race-luis'] : ['race-luis', 'race-grace'];
    expect(String((await answerTo(winner)).body.text)).toMatch(/^Thank you: you offered to cover/);
    expect(String((await answerTo(loser)).body.text)).toContain(`already covered by ${row?.coverName}`);
    const asks = await slack.db
      .select()
      .from(coverAsks)
      .where(eq(coverAsks.callOutId, row?.id ?? -1));
    expect(asks.filter((ask) => ask.answer === 'volunteered').map((ask) => ask.personName)).toEqual([
      row?.coverName,
    ]);

    for (const manager of MANAGERS)
      await waitFor(() => confirmCardsTo(manager, reference)[0], `${manager}'s Confirm cover card`);
    await slack.waitForOutboxDrained();
    await slack.api.settled();
    for (const manager of MANAGERS) {
      const cards = confirmCardsTo(manager, reference);
      expect(cards).toHaveLength(1);
      expect(shownText(cards[0]?.body ?? {})).toContain(`${row?.coverName} can cover for Sam Lee`);
    }
    // The loser's ask shows who covers, without buttons.
    const loserAsk = loser === 'race-grace' ? graceAsk : luisAsk;
    const loserLast = updatesOf(loserAsk).at(-1);
    expect(buttonsOf(loserLast?.body.blocks)).toEqual([]);
    expect(shownText(loserLast?.body ?? {})).toContain(`Covered by ${row?.coverName}`);
  });

  it('tells each manager once, 30 minutes after the asks, who was asked and who has not answered', async () => {
    const { reference } = await frontDeskShortUntil1030();
    const escalation = findScheduledJob('cover-escalation');
    // A second scheduler on the app's database at an injected clock; the app's deliverer sends what it queues.
    const schedulerAt = (at: DateTime) =>
      createScheduler({
        db: slack.db,
        office,
        logger: slack.recording.logger,
        clock: () => at,
        jobs: [escalation],
        queueEffects: (tx, effects) =>
          queueEffects(
            {
              office,
              platforms: ['slack'],
              routeChannel: async (_db, role) => [{ platform: 'slack', target: office.channels[role] }],
            },
            tx,
            effects,
          ),
      });
    const escalationsTo = (userId: string) =>
      slack
        .dmsTo(userId)
        .filter((call) => String(call.body.text).startsWith(`No cover yet for ${reference}:`));
    const postsBefore = slack.api.callsTo('chat.postMessage').length;

    expect(await schedulerAt(NOW.plus({ minutes: 29 })).tick()).toEqual({ 'cover-escalation': 'not-due' });
    await slack.waitForOutboxDrained();
    expect(slack.api.callsTo('chat.postMessage')).toHaveLength(postsBefore);

    const at = NOW.plus({ minutes: 31 });
    expect(await schedulerAt(at).tick()).toEqual({ 'cover-escalation': 'ran' });
    for (const manager of MANAGERS) await waitFor(() => escalationsTo(manager)[0], `${manager}'s escalation`);
    await slack.waitForOutboxDrained();
    for (const manager of MANAGERS) {
      const [message, ...more] = escalationsTo(manager);
      expect(more).toEqual([]);
      const shown = shownText(message?.body ?? {});
      expect(shown).toContain(`No cover yet — ${reference}`);
      expect(shown).toContain('Front desk: 0 of 1 needed on duty 8:00–10:30');
      expect(shown).toContain('Asked: Grace Kim, Luis Ortega');
      expect(shown).toContain('No answer: Grace Kim, Luis Ortega');
      expect(buttonsOf(message?.body.blocks)).toEqual([
        { label: 'Ask again', actionId: 'callout_ask_again', value: `${reference}/round-1` },
      ]);
    }
    // Only the managers heard of it.
    expect(slack.api.callsTo('chat.postMessage')).toHaveLength(postsBefore + MANAGERS.length);

    // The round was told once: ticking again, now or later, sends nothing more.
    expect(await schedulerAt(at).tick()).toEqual({ 'cover-escalation': 'not-due' });
    expect(await schedulerAt(at.plus({ minutes: 10 })).tick()).toEqual({ 'cover-escalation': 'not-due' });
    await slack.waitForOutboxDrained();
    expect(slack.api.callsTo('chat.postMessage')).toHaveLength(postsBefore + MANAGERS.length);

    // Dana asks again from her escalation: Grace and Luis get a fresh ask, and her button goes.
    await press('callout_ask_again', `${reference}/round-1`, DANA, 'ask-again', {
      channel: DANA,
      ts: postedTs(DANA, `No cover yet for ${reference}:`),
    });
    expect(String((await answerTo('ask-again')).body.text)).toBe(
      `Asked again for ${reference}: Grace Kim, Luis Ortega.`,
    );
    const danaEscalation = { channel: DANA, ts: postedTs(DANA, `No cover yet for ${reference}:`) };
    const escalationRedrawn = await waitFor(
      () =>
        updatesOf(danaEscalation).find((call) => shownText(call.body).includes('Asked again by Dana Reyes')),
      'Dana’s escalation redrawn',
    );
    expect(buttonsOf(escalationRedrawn.body.blocks)).toEqual([]);
    for (const helper of HELPERS) {
      const asks = await waitFor(() => {
        const found = asksTo(helper, reference);
        return found.length === 2 ? found : undefined;
      }, `the second ask to ${helper}`);
      expect(buttonsOf(asks[1]?.body.blocks).map((button) => button.label)).toEqual([
        'I can cover',
        "Can't cover",
      ]);
    }
  });

  it('escapes a hostile reason everywhere frontdesk sends it: no @channel, no mention, no disguised link', async () => {
    const hostile = '<!channel> <@U0DANA> <https://evil.example|click>';
    await out(PRIYA, 'sick');
    const { answer, reference } = await out(SAM, `sick ${hostile}`);
    // Stored as typed: the escaping is the renderer's job, and the managers still read what Sam wrote.
    expect((await storedCallOut(reference))?.reason).toBe(hostile);
    for (const manager of MANAGERS) {
      const notice = await waitFor(
        () => dmsAbout(manager, `Call-out ${reference}:`)[0],
        `${manager}'s notice`,
      );
      expect(JSON.stringify(notice.body.blocks)).toContain(
        'Reason: &lt;!channel&gt; &lt;@U0DANA&gt; &lt;https://evil.example|click&gt;',
      );
    }
    // Luis offers and Dana confirms, so every kind of message this feature sends is in the record.
    await waitFor(() => asksTo(LUIS, reference)[0], 'the ask to Luis');
    await press(
      'callout_can_cover',
      reference,
      LUIS,
      'hostile-offer',
      await messageOf(`${reference}/ask/slack/${LUIS}`),
    );
    await answerTo('hostile-offer');
    await press(
      'callout_confirm_cover',
      reference,
      DANA,
      'hostile-confirm',
      await messageOf(`${reference}/confirm/slack/${DANA}`),
    );
    await answerTo('hostile-confirm');
    await waitFor(() => dmsAbout(GRACE, `${reference} is covered`)[0], 'Grace told');
    await slack.waitForOutboxDrained();
    await slack.api.settled();

    const sent: Record<string, unknown>[] = [
      answer as Record<string, unknown>,
      ...slack.api.calls.map((call: RecordedSlackCall) => call.body),
    ];
    expect(sent.length).toBeGreaterThan(10);
    for (const body of sent) {
      const whole = JSON.stringify(body);
      expect(whole).not.toContain('<!channel>');
      expect(whole).not.toContain('<@U0DANA>');
      expect(whole).not.toContain('<https://evil.example');
      expect(String(body.text ?? '')).not.toMatch(/<[!@h]/);
    }
    // Sam's own answer shows his reason too, escaped.
    expect(JSON.stringify(answer.blocks)).toContain('&lt;!channel&gt;');
  });

  it('refuses `/out for` from someone who is not a manager and a badly signed request, and stores nothing', async () => {
    const refused = await slack.slash('for Priya Shah sick', { userId: SAM, responseId: 'not-a-manager' });
    expect(refused.response_type).toBe('ephemeral');
    expect(refused.text).toMatch(
      /^Only Dana Reyes or Dr\. Omar Haddad can record a call-out for someone else\..*Nothing was saved\.$/,
    );

    // Dana may record for Priya, but not through a request signed with anything but the signing secret.
    const danaForPriya = buildSlashCommandBody({
      command: '/out',
      text: 'for Priya Shah sick',
      userId: DANA,
      responseUrl: slack.api.responseUrl('forged'),
    });
    const forged = await postSignedSlack(slack.url, 'not-the-signing-secret', danaForPriya);
    expect(forged.status).toBe(401);
    const forgedPress = await postSignedSlack(
      slack.url,
      'not-the-signing-secret',
      buildBlockActionsBody({
        actionId: 'callout_confirm_cover',
        value: 'CO-1',
        userId: DANA,
        responseUrl: slack.api.responseUrl('forged-press'),
      }),
    );
    expect(forgedPress.status).toBe(401);

    await slack.waitForOutboxDrained();
    await slack.api.settled();
    expect(await slack.db.select().from(callOuts)).toEqual([]);
    expect(await slack.db.select().from(outbox)).toEqual([]);
    expect(await slack.db.select().from(auditLog)).toEqual([]);
    expect(slack.api.responsesTo('forged')).toEqual([]);
    expect(slack.api.responsesTo('forged-press')).toEqual([]);
    expect(slack.api.callsTo('chat.postMessage')).toEqual([]);

    // The very same request, signed with the real secret, is recorded: the refusal above was the signature's.
    const genuine = await postSignedSlack(slack.url, slack.secret, danaForPriya);
    expect(genuine.status).toBe(200);
    expect(String(((await genuine.json()) as SlashAnswer).text)).toMatch(/^Call-out recorded: CO-\d+/);
    expect(await slack.db.select().from(callOuts)).toEqual([
      expect.objectContaining({ personName: 'Priya Shah', recordedByName: 'Dana Reyes', kind: 'sick' }),
    ]);
  });
});
