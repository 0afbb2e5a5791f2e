import { DateTime } from 'luxon';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OfficeConfig } from '../../src/config/office.ts';
import type { ConnectorCall } from '../helpers/bot-connector.ts';
import { buildOfficeConfig, withTeamsIds } from '../helpers/office.ts';
import { startTeamsHarness, type TeamsHarness } from '../helpers/teams-harness.ts';
import { waitFor } from '../helpers/wait.ts';

const base = buildOfficeConfig();
const office: OfficeConfig = { ...base, staff: withTeamsIds(base.staff) };
const SATURDAY = DateTime.fromISO('2026-11-28T09:00', { zone: office.office.timezone }); // the office is closed

interface Card {
  body?: { text?: string }[];
  actions?: { title: string; data?: Record<string, unknown> }[];
}
const cardOf = (call: ConnectorCall | undefined) =>
  (call?.body.attachments as { content: Card }[] | undefined)?.[0]?.content;
const textOf = (call: ConnectorCall | undefined) =>
  [String(call?.body.text ?? ''), ...(cardOf(call)?.body ?? []).map((block) => block.text ?? '')].join('\n');

// A button's message in a 1:1 chat is redrawn as the answer says it now reads, as a submitted form's is.
describe('Teams: /huddle post on a closed day', () => {
  let teams: TeamsHarness;

  beforeAll(async () => {
    teams = await startTeamsHarness({ office, clock: () => SATURDAY });
    await teams.send(
      teams.activity({
        user: 'dana',
        conversation: 'team-huddle',
        kind: 'channel',
        text: 'use this channel for huddle',
      }),
    );
  });
  afterAll(() => teams?.stop());

  async function ask(user: string): Promise<ConnectorCall> {
    const conversation = `dm-${user}`;
    await teams.send(teams.activity({ user, conversation, text: 'huddle post' }));
    const question = teams.connector.postsIn(conversation).at(-1);
    expect(cardOf(question)?.actions?.map((action) => action.title)).toEqual(['Post anyway']);
    return question as ConnectorCall;
  }

  async function pressPostAnyway(user: string, question: ConnectorCall): Promise<ConnectorCall | undefined> {
    const conversation = `dm-${user}`;
    await teams.send(
      teams.activity({
        user,
        conversation,
        value: cardOf(question)?.actions?.[0]?.data ?? {},
        replyToId: question.answeredId,
      }),
    );
    return teams.connector.postsIn(conversation).at(-1);
  }

  const redrawsOf = (question: ConnectorCall) =>
    teams.connector
      .updates()
      .filter(
        (call) => call.conversationId === question.conversationId && call.activityId === question.answeredId,
      );

  it('posts once, and each pressed question loses its button and says who posted it', async () => {
    const danas = await ask('dana');
    const omars = await ask('omar');

    expect(textOf(await pressPostAnyway('dana', danas))).toContain('Posted the huddle for Sat Nov 28');
    await waitFor(
      () => teams.connector.postsIn('team-huddle').find((call) => cardOf(call)),
      'the digest posted',
    );
    const redrawn = redrawsOf(danas).at(-1);
    expect(cardOf(redrawn)?.actions ?? []).toEqual([]);
    expect(textOf(redrawn)).toContain('✅ Dana Reyes posted it (Sat Nov 28 at 9:00 AM).');

    expect(textOf(await pressPostAnyway('omar', omars))).toContain('already posted today’s huddle');
    expect(teams.connector.postsIn('team-huddle').filter((call) => cardOf(call))).toHaveLength(1);
    expect(cardOf(redrawsOf(omars).at(-1))?.actions ?? []).toEqual([]);
  });
});
