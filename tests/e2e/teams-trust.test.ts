import { and, eq } from 'drizzle-orm';
import { DateTime } from 'luxon';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Frontdesk } from '../../src/bot/frontdesk.ts';
import { servedTeamsTenants } from '../../src/bot/teams/register.ts';
import { MAX_TEAMS_ACTIONS } from '../../src/bot/teams/render.ts';
import type { OfficeConfig } from '../../src/config/office.ts';
import type { Database } from '../../src/db/client.ts';
import {
  deliveries,
  outbox,
  repMeetings,
  supplyRequests,
  teamsConversations,
  timeOffRequests,
} from '../../src/db/schema/index.ts';
import type { RecordingConnector } from '../helpers/bot-connector.ts';
import { type DatabaseTarget, databaseTargets } from '../helpers/databases.ts';
import type { RecordingLogger } from '../helpers/logger.ts';
import { buildOfficeConfig, withTeamsIds } from '../helpers/office.ts';
import { startTeamsHarness, type TeamsHarness } from '../helpers/teams-harness.ts';
import { waitFor } from '../helpers/wait.ts';

const base = buildOfficeConfig();
const office: OfficeConfig = {
  ...base,
  staff: withTeamsIds(base.staff),
  // Two rep slots every weekday: far more Book buttons than Teams shows on one card.
  reps: {
    ...base.reps,
    slots: (['mon', 'tue', 'wed', 'thu', 'fri'] as const).flatMap((day) => [
      { day, time: '12:00' },
      { day, time: '12:30' },
    ]),
  },
};
const NOW = DateTime.fromISO('2026-11-25T10:00', { zone: office.office.timezone }); // Wed
const SERVED = '7c4a8d09-ca37-4e6b-9c1a-0123456789ab';
const OTHER = '11111111-2222-4333-8444-555555555555';
const text = (value: unknown) => JSON.stringify(value ?? {});

const startTeamsApp = (target: DatabaseTarget, officeConfig: OfficeConfig) =>
  startTeamsHarness({ target, office: officeConfig, clock: () => NOW, logLevel: 'info' });

describe.each(databaseTargets())('Teams with every tenant served on $name', (target) => {
  let teams: TeamsHarness;
  let connector: RecordingConnector;
  let database: Database;
  let logs: RecordingLogger;
  let app: Frontdesk;

  beforeAll(async () => {
    teams = await startTeamsApp(target, office);
    ({ connector, database, logs, app } = teams);
  });
  afterAll(async () => {
    await teams?.stop();
  });

  it('warns at start-up that every tenant is served', () => {
    expect(app.platforms).toContain('teams');
    expect(logs.records().filter((line) => /every Microsoft 365 tenant/.test(line.msg ?? ''))).toHaveLength(
      1,
    );
  });

  it('files both requests when two people in two chats send the same activity id, and a true retry once', async () => {
    const id = '1732532400000';
    const before = (await database.db.select().from(timeOffRequests)).length;
    await teams.send(teams.activity({ id, user: 'sam', conversation: 'dm-sam', text: 'timeoff dec 14' }));
    await teams.send(teams.activity({ id, user: 'ana', conversation: 'dm-ana', text: 'timeoff dec 15' }));
    const rows = await database.db.select().from(timeOffRequests);
    expect(rows).toHaveLength(before + 2);
    expect(text(connector.cardsIn('dm-sam').at(-1))).toContain('Mon Dec 14');
    expect(text(connector.cardsIn('dm-ana').at(-1))).toContain('Tue Dec 15');

    // The same conversation, sender and id again is a retry: answered, not filed again.
    await teams.send(teams.activity({ id, user: 'sam', conversation: 'dm-sam', text: 'timeoff dec 14' }));
    expect(await database.db.select().from(timeOffRequests)).toHaveLength(before + 2);
    // The same id from another sender in the same group chat is someone else's message.
    await teams.send(
      teams.activity({
        id,
        user: 'priya',
        conversation: 'dm-sam-priya',
        kind: 'groupChat',
        text: 'timeoff dec 16',
      }),
    );
    await teams.send(
      teams.activity({
        id,
        user: 'grace',
        conversation: 'dm-sam-priya',
        kind: 'groupChat',
        text: 'timeoff dec 17',
      }),
    );
    expect(await database.db.select().from(timeOffRequests)).toHaveLength(before + 4);
  });

  it('keeps delivery ids short whatever the conversation id is', async () => {
    const long = `19:${'x'.repeat(3000)}@thread.tacv2`;
    await teams.send(
      teams.activity({ user: 'luis', conversation: long, kind: 'channel', text: 'timeoff dec 18' }),
    );
    const ids = (await database.db.select({ id: deliveries.deliveryId }).from(deliveries)).map(
      (row) => row.id,
    );
    expect(ids.length).toBeGreaterThan(0);
    for (const deliveryId of ids) expect(deliveryId.length).toBeLessThanOrEqual(64);
    expect(text(await database.db.select().from(timeOffRequests))).toContain('2026-12-18');
  });

  it('shows markdown in a name and in typed text as text in the activity text of answers and channel cards', async () => {
    // Anyone outside the staff list may ask for supplies, and their card names them as Teams does.
    const hostileName = '[Approve SR-2 here](https://evil.example/sso)';
    await teams.send(
      teams.activity({
        user: 'dana',
        conversation: 'team-approvals',
        kind: 'channel',
        text: 'use this channel for approvals',
      }),
    );
    await teams.send(
      teams.activity({
        user: 'mallory',
        name: hostileName,
        conversation: 'dm-mallory',
        text: 'supplies 2 **free** [x](y)',
      }),
    );
    const answer = connector.postsIn('dm-mallory').at(-1)?.body;
    const posted = await waitFor(
      () =>
        connector.postsIn('team-approvals').find((post) => String(post.body.text).includes('evil.example')),
      'the supply card',
    );
    expect(text(await database.db.select().from(supplyRequests))).toContain(hostileName);
    expect(String(answer?.text)).toContain('\\*\\*free\\*\\* \\[x\\](y)');
    const shown = String(posted.body.text);
    expect(shown).toContain('\\[Approve SR-2 here\\](https://evil.example/sso)');
    expect(shown).toContain('\\*\\*free\\*\\*');
    for (const activityText of [String(answer?.text), shown]) {
      expect(activityText).not.toMatch(/(^|[^\\])[[*]/);
    }
  });

  it('records why Teams refused a card instead of losing the reason', async () => {
    await teams.send(
      teams.activity({
        user: 'dana',
        conversation: 'team-huddle',
        kind: 'channel',
        text: 'use this channel for approvals',
      }),
    );
    connector.refusePostsIn('team-huddle');
    await teams.send(
      teams.activity({ user: 'sam', conversation: 'dm-sam', text: 'timeoff dec 21 to dec 22' }),
    );
    const row = await waitFor(async () => {
      const rows = await database.db
        .select()
        .from(outbox)
        .where(and(eq(outbox.target, 'team-huddle'), eq(outbox.status, 'failed')));
      return rows[0];
    }, 'the refused card marked failed');
    // A send that failed inside the proactive turn used to reach the outbox as "no activity id".
    expect(row.lastError).toBe('http_403');
    expect(row.attempts).toBe(1);
  });

  it('offers every open rep slot on a card of at most five actions, and books the slot chosen', async () => {
    await teams.send(teams.activity({ user: 'luis', conversation: 'dm-luis', text: 'reps' }));
    const card = connector.cardsIn('dm-luis').at(-1) as {
      body: { type: string; id?: string; choices?: { title: string; value: string }[] }[];
      actions: { type: string; title: string; data: Record<string, string> }[];
    };
    expect(card.actions.length).toBeLessThanOrEqual(MAX_TEAMS_ACTIONS);
    const choice = card.body.find((element) => element.type === 'Input.ChoiceSet');
    expect(choice?.choices?.length).toBeGreaterThan(MAX_TEAMS_ACTIONS);
    expect(choice?.choices?.every((entry) => entry.title.startsWith('Book '))).toBe(true);
    const submit = card.actions.find((action) => action.title === 'Book');
    const third = choice?.choices?.[2];
    expect(submit && third && choice?.id).toBeTruthy();

    // Teams sends the submit's data with the inputs' values beside it.
    await teams.send(
      teams.activity({
        user: 'luis',
        conversation: 'dm-luis',
        value: { ...submit?.data, [choice?.id ?? '']: third?.value },
      }),
    );
    const form = connector.cardsIn('dm-luis').at(-1) as { actions: { data: Record<string, string> }[] };
    expect(text(form)).toContain('repName');
    await teams.send(
      teams.activity({
        user: 'luis',
        conversation: 'dm-luis',
        value: { ...form.actions[0]?.data, repName: 'Jordan Smith', company: 'Acme Pharma', lunch: 'no' },
      }),
    );
    expect(String(connector.postsIn('dm-luis').at(-1)?.body.text)).toMatch(/^Rep visit booked: RM-\d+/);
    const [booked] = await database.db.select().from(repMeetings);
    expect(booked?.repName).toBe('Jordan Smith');
    expect(`${third?.title}`).toContain(
      DateTime.fromJSDate(booked?.slotStart ?? new Date(0), { zone: office.office.timezone })
        .setLocale('en-US')
        .toFormat('ccc LLL d, h:mm a'),
    );
  });
});

describe.each(databaseTargets())('Teams limited to the configured tenants on $name', (target) => {
  let teams: TeamsHarness;

  beforeAll(async () => {
    teams = await startTeamsApp(target, { ...office, teams: { tenants: [SERVED.toUpperCase()] } });
  });
  afterAll(async () => {
    await teams?.stop();
  });

  it('does not warn about tenants at start-up', () => {
    expect(teams.logs.text()).not.toContain('every Microsoft 365 tenant');
  });

  it('refuses another tenant’s activity with one log line, no answer and nothing stored', async () => {
    const impostors = [
      teams.activity({ user: 'sam', conversation: 'dm-sam', text: 'timeoff dec 14', tenant: OTHER }),
      { ...teams.activity({ user: 'sam', conversation: 'dm-sam', text: 'timeoff dec 14' }), channelData: {} },
      {
        ...teams.activity({ user: 'sam', conversation: 'dm-sam', text: 'timeoff dec 14', tenant: SERVED }),
        channelData: { tenant: { id: OTHER } },
      },
    ];
    const loggedBefore = teams.logs.lines.length;
    for (const impostor of impostors) await teams.send(impostor);
    expect(teams.connector.calls).toEqual([]);
    expect(teams.connector.created).toEqual([]);
    expect(await teams.database.db.select().from(teamsConversations)).toEqual([]);
    expect(await teams.database.db.select().from(timeOffRequests)).toEqual([]);
    expect(await teams.database.db.select().from(deliveries)).toEqual([]);
    const refusals = teams.logs.records().slice(loggedBefore);
    expect(refusals).toHaveLength(impostors.length);
    for (const line of refusals) expect(line.msg).toMatch(/tenant this bot does not serve/);
    expect(teams.logs.text()).not.toContain('dec 14');
  });

  it('serves its own tenant, whatever the case of the id', async () => {
    await teams.send(
      teams.activity({ user: 'sam', conversation: 'dm-sam', text: 'timeoff dec 14', tenant: SERVED }),
    );
    expect(await teams.database.db.select().from(timeOffRequests)).toHaveLength(1);
    expect(text(teams.connector.cardsIn('dm-sam').at(-1))).toContain('Mon Dec 14');
  });

  it('serves the tenant of MICROSOFT_APP_TENANT_ID beside the office.yaml list', () => {
    const credentials = { appId: 'app', appPassword: 'secret', tenantId: OTHER, appType: 'SingleTenant' };
    expect([...servedTeamsTenants(credentials, office)]).toEqual([OTHER]);
    expect([...servedTeamsTenants(credentials, { ...office, teams: { tenants: [SERVED] } })]).toEqual([
      OTHER,
      SERVED,
    ]);
    expect(servedTeamsTenants(undefined, office).size).toBe(0);
  });
});
