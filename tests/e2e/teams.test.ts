import { randomUUID } from 'node:crypto';
import { desc, eq } from 'drizzle-orm';
import { DateTime } from 'luxon';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Frontdesk, startFrontdesk } from '../../src/bot/frontdesk.ts';
import { loadEnv } from '../../src/config/env.ts';
import { type Database, openDatabase } from '../../src/db/client.ts';
import { supplyRequests, timeOffRequests } from '../../src/db/schema/index.ts';
import { type RecordingConnector, sendActivity } from '../helpers/bot-connector.ts';
import { findScheduledJob } from '../helpers/jobs.ts';
import { createRecordingLogger } from '../helpers/logger.ts';
import { buildOfficeConfig, withTeamsIds } from '../helpers/office.ts';
import { startTeamsHarness, type TeamsHarness } from '../helpers/teams-harness.ts';
import { waitFor } from '../helpers/wait.ts';

const huddleDigestJob = findScheduledJob('huddle-digest');

const base = buildOfficeConfig();
const office = {
  ...base,
  staff: withTeamsIds(base.staff),
};
const NOW = DateTime.fromISO('2026-11-25T10:00', { zone: office.office.timezone }); // Wed

function cardText(card: Record<string, unknown> | undefined): string {
  return JSON.stringify(card ?? {});
}

describe('Teams at POST /api/messages (TEAMS_EMULATOR=1)', () => {
  let teams: TeamsHarness;
  let connector: RecordingConnector;
  let database: Database;
  let app: Frontdesk;
  let now = NOW;

  beforeAll(async () => {
    teams = await startTeamsHarness({ office, clock: () => now, jobs: [huddleDigestJob] });
    ({ connector, database, app } = teams);
  });
  afterAll(() => teams?.stop());

  const activity: TeamsHarness['activity'] = (params) => teams.activity(params);
  const send = (body: unknown) => sendActivity(app.url, body);

  it('answers help with every command', async () => {
    const response = await send(activity({ user: 'sam', conversation: 'dm-sam', text: 'help' }));
    expect(response.status).toBeLessThan(300);
    expect(cardText(connector.cardsIn('dm-sam').at(-1))).toContain('/timeoff — Ask for time off');
  });

  it('strips an @mention in a channel and binds the channel for a manager only', async () => {
    await send(
      activity({
        user: 'sam',
        conversation: 'team-approvals',
        kind: 'channel',
        text: 'use this channel for approvals',
      }),
    );
    // The refusal is Sam's alone: it goes to his 1:1 chat, the channel gets only a notice.
    expect(connector.postsIn('team-approvals').at(-1)?.body.text).toBe('I sent you a private message.');
    expect(String(connector.postsIn('dm-sam').at(-1)?.body.text)).toMatch(/Only a manager/);
    await send(
      activity({
        user: 'dana',
        conversation: 'team-approvals',
        kind: 'channel',
        text: '<at>frontdesk</at> use this channel for approvals',
      }),
    );
    const bound = connector.calls.filter((call) => call.conversationId === 'team-approvals').at(-1);
    expect(String(bound?.body.text)).toMatch(/now the approvals channel/);
  });

  it('files time off, a manager approves from the card, the card is updated and the requester gets a DM', async () => {
    await send(
      activity({ user: 'sam', conversation: 'dm-sam', text: 'timeoff dec 1 to dec 3 family visit' }),
    );
    const confirmation = cardText(connector.cardsIn('dm-sam').at(-1));
    const reference = /TO-\d+/.exec(confirmation)?.[0];
    expect(confirmation).toContain('Tue Dec 1 – Thu Dec 3, 3 working days');
    const card = await waitFor(
      () =>
        connector
          .cardsIn('team-approvals')
          .find((entry) => cardText(entry).includes(`Time off ${reference}`)),
      'the approval card',
    );
    const actions = card.actions as { title: string; data: { verb: string; value: string } }[];
    expect(actions.map((action) => action.title)).toEqual(['Approve', 'Deny']);
    const approve = actions[0]?.data;

    await send(activity({ user: 'priya', conversation: 'team-approvals', kind: 'channel', value: approve }));
    // Priya never opened a chat with the bot: one is created for the refusal.
    const priyaChat = connector.created.find((entry) => entry.body.members?.[0]?.id === '29:priya');
    expect(cardText(connector.postsIn(priyaChat?.conversationId ?? '').at(-1)?.body)).toMatch(
      /Only Dana Reyes or Dr\. Omar Haddad can approve/,
    );
    expect(connector.postsIn('team-approvals').at(-1)?.body.text).toBe('I sent you a private message.');

    await send(activity({ user: 'dana', conversation: 'team-approvals', kind: 'channel', value: approve }));
    const update = await waitFor(() => connector.updates()[0], 'the card update');
    expect(update.conversationId).toBe('team-approvals');
    expect(cardText(update.body)).toContain('Approved by Dana Reyes');
    expect(cardText(update.body)).not.toContain('timeoff_approve');
    const dm = await waitFor(
      () => connector.cardsIn('dm-sam').find((entry) => cardText(entry).includes('was approved')),
      'the DM to the requester',
    );
    expect(cardText(dm)).toContain(`Your time off ${reference}`);
  });

  it('redraws a pending card in the Teams channel when someone else asks for the same day', async () => {
    await send(activity({ user: 'sam', conversation: 'dm-sam', text: 'timeoff dec 10' }));
    const sams = /TO-\d+/.exec(cardText(connector.cardsIn('dm-sam').at(-1)))?.[0];
    await waitFor(
      () => connector.cardsIn('team-approvals').find((entry) => cardText(entry).includes(`Time off ${sams}`)),
      'Sam’s approval card',
    );
    await send(activity({ user: 'priya', conversation: 'dm-priya', text: 'timeoff dec 10' }));
    const redrawn = await waitFor(
      () =>
        connector
          .updates()
          .find(
            (entry) =>
              cardText(entry.body).includes(`Time off ${sams}`) &&
              cardText(entry.body).includes('Also asking: Priya Shah (pending) Thu Dec 10'),
          ),
      'Sam’s card redrawn with Priya’s request',
    );
    expect(redrawn.conversationId).toBe('team-approvals');
    expect(cardText(redrawn.body)).toContain('timeoff_approve');
  });

  it('asks a manager pressing Approve on a card drawn before a gap opened, privately, and approves once asked', async () => {
    const fileFor = async (user: string) => {
      await send(activity({ user, conversation: `dm-${user}`, text: 'timeoff dec 15' }));
      const reference = /TO-\d+/.exec(cardText(connector.cardsIn(`dm-${user}`).at(-1)))?.[0];
      const card = await waitFor(
        () =>
          connector
            .cardsIn('team-approvals')
            .find((entry) => cardText(entry).includes(`Time off ${reference}`)),
        `the approval card of ${reference}`,
      );
      const actions = card.actions as { title: string; data: { verb: string; value: string } }[];
      return { reference, approve: actions.find((action) => action.title === 'Approve')?.data };
    };
    const sams = await fileFor('sam');
    const priyas = await fileFor('priya');
    await send(
      activity({ user: 'dana', conversation: 'team-approvals', kind: 'channel', value: sams.approve }),
    );

    const channelBefore = connector.postsIn('team-approvals').length;
    await send(
      activity({ user: 'omar', conversation: 'team-approvals', kind: 'channel', value: priyas.approve }),
    );
    expect(
      connector
        .postsIn('team-approvals')
        .slice(channelBefore)
        .map((call) => call.body.text),
    ).toEqual(['I sent you a private message.']);
    const omarChat = connector.created.find((entry) => entry.body.members?.[0]?.id === '29:omar');
    const asked = connector.cardsIn(omarChat?.conversationId ?? '').at(-1);
    expect(cardText(asked)).toContain(
      `Approving ${priyas.reference} (Priya Shah, Tue Dec 15) now leaves Front desk`,
    );
    const [priyasRow] = await database.db
      .select({ status: timeOffRequests.status })
      .from(timeOffRequests)
      .where(eq(timeOffRequests.requesterName, 'Priya Shah'))
      .orderBy(desc(timeOffRequests.id))
      .limit(1);
    expect(priyasRow?.status).toBe('pending');

    const anyway = ((asked?.actions ?? []) as { title: string; data: Record<string, unknown> }[]).find(
      (action) => action.title === 'Approve anyway',
    );
    await send(activity({ user: 'omar', conversation: omarChat?.conversationId ?? '', value: anyway?.data }));
    expect(cardText(connector.cardsIn(omarChat?.conversationId ?? '').at(-1))).toContain(
      `Approved ${priyas.reference} for Priya Shah (Tue Dec 15). ⚠️ This leaves Front desk`,
    );
  });

  it('asks to confirm a supply Approve over budget in the channel card, and privately on a card drawn before', async () => {
    type Action = {
      type: string;
      title: string;
      data?: Record<string, unknown>;
      card?: { actions: Action[] };
    };
    const approveOf = (card: Record<string, unknown> | undefined) =>
      ((card?.actions ?? []) as Action[]).find((action) => action.title === 'Approve');
    const fileFor = async (user: string, text: string) => {
      await send(activity({ user, conversation: `dm-${user}`, text }));
      const reference = /SR-\d+/.exec(cardText(connector.cardsIn(`dm-${user}`).at(-1)))?.[0];
      const card = await waitFor(
        () =>
          connector
            .cardsIn('team-approvals')
            .find((entry) => cardText(entry).includes(`Supplies ${reference}`)),
        `the approval card of ${reference}`,
      );
      return { reference, approve: approveOf(card) };
    };
    const big = await fileFor('sam', 'supplies 120 GLV-L');
    const small = await fileFor('priya', 'supplies 8 nitrile gloves m');
    expect(big.approve).toMatchObject({ type: 'Action.Submit', data: { value: `${big.reference}~none` } });
    const updatesBefore = connector.updates().length;
    await send(
      activity({ user: 'dana', conversation: 'team-approvals', kind: 'channel', value: small.approve?.data }),
    );

    // The big request's channel card is redrawn: Approve now opens the question before it submits.
    const redrawn = await waitFor(
      () =>
        connector
          .updates()
          .slice(updatesBefore)
          .map((call) => (call.body.attachments as { content: Record<string, unknown> }[])[0]?.content)
          .find((card) => cardText(card).includes(`Supplies ${big.reference}`) && approveOf(card)?.card),
      'the over-budget redraw',
    );
    const question = approveOf(redrawn);
    expect(question?.type).toBe('Action.ShowCard');
    expect(cardText(question?.card)).toContain('Approve over budget?');
    expect(question?.card?.actions[0]?.title).toBe('Approve anyway');

    const channelBefore = connector.postsIn('team-approvals').length;
    await send(
      activity({ user: 'omar', conversation: 'team-approvals', kind: 'channel', value: big.approve?.data }),
    );
    expect(
      connector
        .postsIn('team-approvals')
        .slice(channelBefore)
        .map((call) => call.body.text),
    ).toEqual(['I sent you a private message.']);
    const omarChat = connector.created.find((entry) => entry.body.members?.[0]?.id === '29:omar');
    const asked = connector.cardsIn(omarChat?.conversationId ?? '').at(-1);
    expect(cardText(asked)).toContain(
      `Approving ${big.reference} (Sam Lee, 120 boxes of Nitrile gloves (L)) now goes $100.00 over the November 2026 budget.`,
    );
    const status = async (reference: string | undefined) =>
      (
        await database.db
          .select({ status: supplyRequests.status })
          .from(supplyRequests)
          .where(eq(supplyRequests.number, Number(reference?.slice(3))))
      )[0]?.status;
    expect(await status(big.reference)).toBe('pending');

    await send(
      activity({
        user: 'omar',
        conversation: 'team-approvals',
        kind: 'channel',
        value: question?.card?.actions[0]?.data,
      }),
    );
    expect(await status(big.reference)).toBe('approved');
    expect(cardText(connector.cardsIn(omarChat?.conversationId ?? '').at(-1))).toContain(
      `Approved ${big.reference} for Sam Lee (120 boxes of Nitrile gloves (L)). ⚠️ November 2026's approved spend is now $1,600.00, $100.00 over its $1,500.00 budget.`,
    );
  });

  it('stores one request when the same activity id arrives twice', async () => {
    const id = randomUUID();
    const before = (await database.db.select().from(timeOffRequests)).length;
    await send(activity({ id, user: 'ana', conversation: 'dm-ana', text: 'timeoff dec 8' }));
    await send(activity({ id, user: 'ana', conversation: 'dm-ana', text: 'timeoff dec 8' }));
    expect(await database.db.select().from(timeOffRequests)).toHaveLength(before + 1);
  });

  it('sends a form card for timeoff with no text and files from its submission', async () => {
    await send(activity({ user: 'grace', conversation: 'dm-grace', text: 'timeoff' }));
    const form = connector.cardsIn('dm-grace').at(-1) as {
      body: { type: string }[];
      actions: { data: unknown }[];
    };
    expect(form.body.map((element) => element.type)).toContain('Input.Date');
    await send(
      activity({
        user: 'grace',
        conversation: 'dm-grace',
        value: { ...(form.actions[0]?.data as object), start: '2026-12-09', part: 'full', type: 'vacation' },
      }),
    );
    expect(cardText(connector.cardsIn('dm-grace').at(-1))).toContain('Wed Dec 9, 1 working day');
  });

  it('takes Refine off the complaint confirmation once the refinement is saved', async () => {
    await send(activity({ user: 'sam', conversation: 'dm-sam', text: 'complaint Waited two hours' }));
    const confirmation = connector.postsIn('dm-sam').at(-1);
    const attachments = (confirmation?.body.attachments ?? []) as {
      content: { actions: { title: string; data: unknown }[] };
    }[];
    const refine = attachments[0]?.content.actions.find((action) => action.title === 'Refine');
    expect(refine).toBeDefined();
    await send(
      activity({
        user: 'sam',
        conversation: 'dm-sam',
        value: refine?.data as Record<string, unknown>,
        replyToId: confirmation?.answeredId,
      }),
    );
    const form = connector.cardsIn('dm-sam').at(-1) as { actions: { data: Record<string, unknown> }[] };
    expect(form.actions[0]?.data.source).toBe(confirmation?.answeredId);
    const updatesBefore = connector.updates().length;
    await send(
      activity({
        user: 'sam',
        conversation: 'dm-sam',
        value: {
          ...form.actions[0]?.data,
          about: 'patient',
          category: 'billing',
          severity: 'low',
          what: 'Waited two hours',
          callback: 'no',
          anonymous: 'no',
        },
      }),
    );
    const redrawn = connector.updates().slice(updatesBefore);
    expect(redrawn.map((call) => call.activityId)).toEqual([confirmation?.answeredId]);
    expect(cardText(redrawn[0]?.body)).toContain('Refined: CP-');
    expect(JSON.stringify(redrawn[0]?.body)).not.toContain('complaint_refine');
  });

  it('answers a tampered card submission and an unknown verb without changing anything', async () => {
    await send(
      activity({ user: 'dana', conversation: 'dm-dana', value: { verb: 'drop_tables', value: 'TO-1' } }),
    );
    expect(String(connector.calls.at(-1)?.body.text)).toMatch(/out of date or could not be read/);
  });

  it('refuses a request that is not a Bot Framework activity', async () => {
    expect((await send({ hello: 'world' })).status).toBe(400);
    const response = await fetch(`${app.url}/api/messages`, { method: 'POST', body: '{not json' });
    expect(response.status).toBe(400);
  });

  it('posts the huddle digest to a bound huddle channel', async () => {
    await send(
      activity({
        user: 'dana',
        conversation: 'team-huddle',
        kind: 'channel',
        text: 'use this channel for huddle',
      }),
    );
    now = DateTime.fromISO('2026-11-27T07:45', { zone: office.office.timezone }); // Fri
    expect(await app.scheduler.tick()).toEqual({ 'huddle-digest': 'ran' });
    await waitFor(
      () => connector.cardsIn('team-huddle').find((card) => cardText(card).includes('Huddle — Fri Nov 27')),
      'the digest',
    );
  });
});

describe('Teams without TEAMS_EMULATOR', () => {
  it('refuses an activity without a valid Bot Framework token', async () => {
    const database = await openDatabase({ dataDir: null });
    const app = await startFrontdesk({
      env: {
        ...loadEnv({
          MICROSOFT_APP_ID: 'app-id',
          MICROSOFT_APP_PASSWORD: 'secret',
          SANDBOX: '0',
          HOST: '127.0.0.1',
        }),
        port: 0,
      },
      office,
      database,
      logger: createRecordingLogger('warn').logger,
      jobs: [],
    });
    try {
      const response = await fetch(`${app.url}/api/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          type: 'message',
          id: 'x',
          text: 'timeoff dec 1',
          serviceUrl: 'http://127.0.0.1:9/',
          channelId: 'msteams',
          from: { id: '29:sam' },
          recipient: { id: '28:bot' },
          conversation: { id: 'c' },
        }),
      });
      expect(response.status).toBe(401);
      expect(await database.db.select().from(timeOffRequests)).toHaveLength(0);
    } finally {
      await app.stop();
      await database.close();
    }
    // botbuilder tries to fetch the Bot Framework signing keys first, which waits out a network timeout offline.
  }, 60_000);
});
