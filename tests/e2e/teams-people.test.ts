import { and, eq } from 'drizzle-orm';
import { DateTime } from 'luxon';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/client.ts';
import { callOuts, notes, outbox, teamsConversations, teamsPeople } from '../../src/db/schema/index.ts';
import type { RecordingConnector } from '../helpers/bot-connector.ts';
import { databaseTargets } from '../helpers/databases.ts';
import { buildOfficeConfig, withTeamsIds } from '../helpers/office.ts';
import { startTeamsHarness, type TeamsHarness } from '../helpers/teams-harness.ts';
import { waitForOutboxDrained } from '../helpers/wait.ts';

const base = buildOfficeConfig();
// Helen is a manager here too, so a call-out asks three managers: one with a 1:1 chat, two seen only in a channel.
const office = {
  ...base,
  staff: withTeamsIds(base.staff).map((member) =>
    member.name === 'Dr. Helen Park' ? { ...member, manager: true } : member,
  ),
};
const NOW = DateTime.fromISO('2026-11-25T10:00', { zone: office.office.timezone }); // Wed
const TENANT = '00000000-0000-4000-8000-000000000001';
const text = (value: unknown) => JSON.stringify(value ?? {});

describe.each(databaseTargets())(
  'Teams people: who is who, what they typed, how to reach them on $name',
  (target) => {
    let teams: TeamsHarness;
    let connector: RecordingConnector;
    let database: Database;

    beforeAll(async () => {
      teams = await startTeamsHarness({ target, office, clock: () => NOW });
      ({ connector, database } = teams);
      await teams.install(['dana', 'sam', 'priya']);
    });
    afterAll(() => teams?.stop());

    /** A message that @mentions colleagues: Teams sends `<at>Name</at>` in the text and an entity for each. */
    const withMentions = (
      params: Parameters<TeamsHarness['activity']>[0],
      mentioned: Record<string, string>,
    ) => ({
      ...teams.activity(params),
      entities: Object.entries(mentioned).map(([name, user]) => ({
        type: 'mention',
        text: `<at>${name}</at>`,
        mentioned: { id: `29:${user}`, name },
      })),
    });

    it('does nothing for a Direct Line activity whose from.id is a manager’s Entra object id, and stores nothing', async () => {
      await teams.send({
        ...teams.activity({ user: 'mallory', conversation: 'dl-conv', text: 'complaint export' }),
        channelId: 'directline',
        from: { id: 'aad-dana', name: 'Dana Reyes' },
      });
      expect(connector.postsIn('dl-conv')).toEqual([]);
      expect(
        await database.db
          .select()
          .from(teamsConversations)
          .where(eq(teamsConversations.conversationId, 'dl-conv')),
      ).toEqual([]);
      expect(
        await database.db.select().from(teamsPeople).where(eq(teamsPeople.memberId, 'aad-dana')),
      ).toEqual([]);
      expect(teams.logs.text()).toContain('refused an activity from another channel');
    });

    it('keeps the address of staff only, who alone are ever sent a direct message', async () => {
      await teams.send({
        ...teams.activity({ user: 'sam', conversation: 'dm-guest', text: 'help' }),
        from: { id: '29:guest', aadObjectId: 'aad-guest', name: 'A guest' },
      });
      await teams.send(teams.activity({ user: 'sam', conversation: 'dm-sam', text: 'help' }));
      const kept = (await database.db.select().from(teamsPeople)).map((row) => row.userId);
      expect(kept).toContain('aad-sam');
      expect(kept).not.toContain('aad-guest');
    });

    it('keeps a colleague @mentioned in a note as their name', async () => {
      await teams.send(
        withMentions(
          {
            user: 'sam',
            conversation: 'dm-sam',
            text: 'note call <at>Priya Shah</at> about the Friday schedule',
          },
          { 'Priya Shah': 'priya' },
        ),
      );
      const [note] = await database.db.select().from(notes);
      expect(note?.text).toBe('call Priya Shah about the Friday schedule');
    });

    it('records a call-out for a colleague a manager @mentions in a channel, taking out only the bot’s mention', async () => {
      await teams.send({
        ...teams.activity({
          user: 'dana',
          conversation: 'team-general',
          kind: 'channel',
          text: '<at>frontdesk</at> out for <at>Sam Lee</at> sick today',
        }),
        entities: [
          {
            type: 'mention',
            text: '<at>frontdesk</at>',
            mentioned: { id: '28:frontdesk', name: 'frontdesk' },
          },
          { type: 'mention', text: '<at>Sam Lee</at>', mentioned: { id: '29:sam', name: 'Sam Lee' } },
        ],
      });
      expect(text(connector.postsIn('dm-dana').at(-1)?.body)).toMatch(/CO-1/);
      const rows = await database.db.select().from(callOuts);
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatchObject({ personKey: 'staff:sam-lee', recordedByKey: 'staff:dana-reyes' });
    });

    it('opens a 1:1 chat to send a call-out to managers seen only in a channel; a refused one is marked failed', async () => {
      await teams.send(
        teams.activity({
          user: 'omar',
          conversation: 'team-huddle',
          kind: 'channel',
          text: '<at>frontdesk</at> use this channel for huddle',
        }),
      );
      connector.refuseConversationsWith('29:helen');
      await teams.send(teams.activity({ user: 'helen', conversation: 'team-general', kind: 'channel' }));
      await waitForOutboxDrained(database.db);

      await teams.send(teams.activity({ user: 'priya', conversation: 'dm-priya', text: 'out sick' }));
      await waitForOutboxDrained(database.db);

      // One chat with Omar, whichever message opened it: an earlier test's may still have been on its way.
      const toOmar = connector.created.filter((entry) =>
        entry.body.members?.some((member) => member.id === '29:omar'),
      );
      expect(toOmar).toHaveLength(1);
      expect(toOmar[0]?.body).toMatchObject({
        isGroup: false,
        bot: { id: '28:frontdesk' },
        tenantId: TENANT,
      });
      const chat = toOmar[0]?.conversationId ?? '';
      expect(text(connector.postsIn(chat))).toContain('Priya Shah');
      const dms = await database.db.select().from(outbox).where(eq(outbox.kind, 'dm'));
      const statusOf = (userId: string) => dms.filter((row) => row.target === userId).at(-1)?.status;
      expect(statusOf('aad-omar')).toBe('sent');
      expect(statusOf('aad-dana')).toBe('sent');
      // Teams refused Helen's chat (403): final, as for anyone who cannot get the app.
      const helen = dms.filter((row) => row.target === 'aad-helen').at(-1);
      expect(helen).toMatchObject({ status: 'failed', lastError: 'http_403' });
      // The chat is remembered as Omar's, so the next message goes there without opening another.
      const stored = await database.db
        .select()
        .from(teamsConversations)
        .where(and(eq(teamsConversations.userId, 'aad-omar'), eq(teamsConversations.kind, 'personal')));
      expect(stored.map((row) => row.conversationId)).toEqual([chat]);

      const posted = connector.postsIn(chat).length;
      await teams.send(
        teams.activity({ user: 'ana', conversation: 'dm-ana', text: 'out late 10:30 car trouble' }),
      );
      await waitForOutboxDrained(database.db);
      expect(
        connector.created.filter((entry) => entry.body.members?.some((m) => m.id === '29:omar')),
      ).toHaveLength(1);
      expect(connector.postsIn(chat).length).toBeGreaterThan(posted);
    });
  },
);
