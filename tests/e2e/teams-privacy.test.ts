import { DateTime } from 'luxon';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/client.ts';
import { supplyRequests, teamsConversations } from '../../src/db/schema/index.ts';
import type { RecordingConnector } from '../helpers/bot-connector.ts';
import { databaseTargets } from '../helpers/databases.ts';
import { buildOfficeConfig, withTeamsIds } from '../helpers/office.ts';
import { startTeamsHarness, type TeamsHarness } from '../helpers/teams-harness.ts';
import { waitFor } from '../helpers/wait.ts';

const base = buildOfficeConfig();
const office = {
  ...base,
  staff: withTeamsIds(base.staff),
};
const NOW = DateTime.fromISO('2026-11-25T10:00', { zone: office.office.timezone }); // Wed
const COMPLAINT = 'Waited an hour at check-in while the waiting room TV blared';
const NOTICE = 'I sent you a private message.';

describe.each(databaseTargets())(
  'Teams answers meant for one person never land in a channel or group chat on $name',
  (target) => {
    let teams: TeamsHarness;
    let connector: RecordingConnector;
    let database: Database;

    beforeAll(async () => {
      teams = await startTeamsHarness({ target, office, clock: () => NOW });
      ({ connector, database } = teams);
    });
    afterAll(() => teams?.stop());

    const activity: TeamsHarness['activity'] = (params) => teams.activity(params);
    const send = (body: unknown) => teams.send(body);
    const text = (value: unknown) => JSON.stringify(value ?? {});
    /** The 1:1 chats the bot created with `user`, in order. */
    const createdWith = (user: string) =>
      connector.created.filter((entry) => entry.body.members?.some((member) => member.id === `29:${user}`));

    /** Sends `body` and returns what was posted into `conversation` while it was handled. */
    async function postsWhile(conversation: string, body: unknown) {
      const before = connector.postsIn(conversation).length;
      await send(body);
      return connector.postsIn(conversation).slice(before);
    }

    it('sends a complaint export typed in a channel to the manager’s new 1:1 chat; the channel gets only a notice', async () => {
      await send(
        activity({
          user: 'dana',
          conversation: 'team-complaints',
          kind: 'channel',
          text: 'use this channel for complaints',
        }),
      );
      await send(activity({ user: 'sam', conversation: 'dm-sam', text: `complaint ${COMPLAINT}` }));
      await waitFor(() => connector.cardsIn('team-complaints')[0], 'the complaint card');

      const inChannel = await postsWhile(
        'team-complaints',
        activity({
          user: 'dana',
          conversation: 'team-complaints',
          kind: 'channel',
          text: 'complaint export',
        }),
      );
      expect(inChannel.map((post) => post.body.text)).toEqual([NOTICE]);
      expect(inChannel[0]?.body.attachments).toBeUndefined();

      const [chat] = createdWith('dana');
      expect(chat?.body).toMatchObject({
        isGroup: false,
        bot: { id: '28:frontdesk' },
        members: [{ id: '29:dana' }],
        tenantId: '00000000-0000-4000-8000-000000000001',
      });
      const answer = connector.postsIn(chat?.conversationId ?? '').at(-1)?.body;
      expect(text(answer)).toContain('Complaints, all time: 1 row, as a CSV file.');
      // The text is only in the file behind the one-time link, never in a chat message.
      expect(JSON.stringify(answer)).not.toContain('Waited an hour at check-in');
      const link = /"url":"([^"]+\/exports\/[^"]+\.csv)"/.exec(JSON.stringify(answer))?.[1] ?? '';
      const file = await fetch(link);
      expect(file.status).toBe(200);
      expect(await file.text()).toContain('Waited an hour at check-in');
      expect((await fetch(link)).status).toBe(404);
      // The new chat is remembered, so direct messages and later answers reach Dana there.
      const stored = await database.db.select().from(teamsConversations);
      expect(stored).toContainEqual(
        expect.objectContaining({
          conversationId: chat?.conversationId,
          kind: 'personal',
          userId: 'aad-dana',
        }),
      );
    });

    it('sends View details pressed on a channel card to the same 1:1 chat, without opening another', async () => {
      const card = connector.cardsIn('team-complaints')[0] as { actions: { title: string; data: object }[] };
      const details = card.actions.find((action) => action.title === 'View details');
      expect(details).toBeDefined();
      const inChannel = await postsWhile(
        'team-complaints',
        activity({
          user: 'dana',
          conversation: 'team-complaints',
          kind: 'channel',
          value: { ...details?.data },
        }),
      );
      expect(inChannel.map((post) => post.body.text)).toEqual([NOTICE]);
      expect(createdWith('dana')).toHaveLength(1);
      const chat = createdWith('dana')[0]?.conversationId ?? '';
      expect(text(connector.cardsIn(chat).at(-1))).toContain('Waited an hour at check-in');
      expect(text(connector.postsIn('team-complaints'))).not.toContain('Waited an hour');
    });

    it('sends help, lists and balances asked in a group chat to the person’s stored 1:1 chat', async () => {
      await send(activity({ user: 'ana', conversation: 'dm-ana', text: 'timeoff dec 8 dentist' }));
      const asked = ['help', 'timeoff list', 'timeoff list all', 'nonsense words'];
      for (const question of asked) {
        const before = connector.postsIn('dm-ana').length;
        const inGroup = await postsWhile(
          'group-chat',
          activity({ user: 'ana', conversation: 'group-chat', kind: 'groupChat', text: question }),
        );
        expect(
          inGroup.map((post) => post.body.text),
          question,
        ).toEqual([NOTICE]);
        expect(connector.postsIn('dm-ana').length, question).toBeGreaterThan(before);
      }
      expect(text(connector.postsIn('dm-ana'))).toContain('/timeoff — Ask for time off');
      expect(text(connector.postsIn('dm-ana'))).toContain('days left');
      expect(createdWith('ana')).toEqual([]);
    });

    it('sends a refusal, an out-of-date card and a form with its errors to the 1:1 chat', async () => {
      await send(activity({ user: 'luis', conversation: 'dm-luis', text: 'help' }));
      const cases: [string, Record<string, unknown> | string, RegExp][] = [
        ['a manager-only command', 'complaint export', /managers/i],
        ['an out-of-date card', { verb: 'drop_tables', value: 'TO-1' }, /out of date/],
        ['a form', 'timeoff', /Input\.Date/],
        [
          'a form with errors',
          { verb: 'timeoff_request', start: 'not a day', part: 'full', type: 'vacation' },
          /Please check the form/,
        ],
      ];
      for (const [what, input, expected] of cases) {
        const before = connector.postsIn('dm-luis').length;
        const inChannel = await postsWhile(
          'team-general',
          activity({
            user: 'luis',
            conversation: 'team-general',
            kind: 'channel',
            ...(typeof input === 'string' ? { text: input } : { value: input }),
          }),
        );
        expect(
          inChannel.map((post) => post.body.text),
          what,
        ).toEqual([NOTICE]);
        expect(text(connector.postsIn('dm-luis').slice(before)), what).toMatch(expected);
      }
    });

    it('answers inline in a 1:1 chat, with no notice', async () => {
      const posts = await postsWhile(
        'dm-luis',
        activity({ user: 'luis', conversation: 'dm-luis', text: 'timeoff list' }),
      );
      expect(posts).toHaveLength(1);
      expect(posts[0]?.body.text).not.toBe(NOTICE);
      expect(text(posts[0]?.body)).toContain('days left');
    });

    it('opens a new 1:1 chat when the stored one can no longer be reached', async () => {
      await send(activity({ user: 'marcus', conversation: 'dm-marcus', text: 'help' }));
      connector.refusePostsIn('dm-marcus');
      const inChannel = await postsWhile(
        'team-general',
        activity({ user: 'marcus', conversation: 'team-general', kind: 'channel', text: 'timeoff list' }),
      );
      expect(inChannel.map((post) => post.body.text)).toEqual([NOTICE]);
      const [chat] = createdWith('marcus');
      expect(text(connector.postsIn(chat?.conversationId ?? ''))).toContain('days left');
    });

    it('tells the person to open a chat with frontdesk when Teams refuses the 1:1 chat, with nothing private in the channel', async () => {
      connector.refuseConversationsWith('29:grace');
      await send(
        activity({
          user: 'grace',
          conversation: 'dm-never',
          kind: 'personal',
          text: 'timeoff dec 9 to dec 10',
        }),
      );
      // Her only 1:1 chat has gone too (she removed the app), so there is nowhere private to answer.
      connector.refusePostsIn('dm-never');
      const inChannel = await postsWhile(
        'team-general',
        activity({ user: 'grace', conversation: 'team-general', kind: 'channel', text: 'timeoff list' }),
      );
      expect(createdWith('grace')).toHaveLength(1);
      expect(createdWith('grace')[0]?.conversationId).toBeUndefined();
      expect(inChannel).toHaveLength(1);
      expect(String(inChannel[0]?.body.text)).toMatch(/Open a chat with frontdesk/);
      expect(inChannel[0]?.body.attachments).toBeUndefined();
      expect(text(inChannel)).not.toMatch(/TO-\d|days left|Dec 9/);
    });

    it('tells the channel to look before asking again, never what was done, when an answer cannot reach the person privately', async () => {
      // Grace's 1:1 chats are still refused (above): the request is filed, but its answer has nowhere to go.
      const inChannel = await postsWhile(
        'team-general',
        activity({
          user: 'grace',
          conversation: 'team-general',
          kind: 'channel',
          text: '<at>frontdesk</at> supplies 4 nitrile gloves m',
        }),
      );
      expect(await database.db.select().from(supplyRequests)).toHaveLength(1);
      expect(inChannel.map((post) => post.body.text)).toEqual([
        'I could not send you my answer privately. Open a chat with frontdesk (Chat, then search for frontdesk). If you asked for something, it may already be saved: check there before asking again.',
      ]);
      expect(inChannel[0]?.body.attachments).toBeUndefined();
      expect(text(inChannel)).not.toMatch(/done|SR-\d|gloves/i);
    });
  },
);
