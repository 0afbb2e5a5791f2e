import { and, eq, inArray } from 'drizzle-orm';
import { DateTime } from 'luxon';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OfficeConfig } from '../../src/config/office.ts';
import { auditLog } from '../../src/db/schema/index.ts';
import type { ConnectorCall } from '../helpers/bot-connector.ts';
import { buildOfficeConfig, withTeamsIds } from '../helpers/office.ts';
import { startTeamsHarness, type TeamsHarness } from '../helpers/teams-harness.ts';
import { waitFor, waitForOutboxDrained } from '../helpers/wait.ts';

const base = buildOfficeConfig();
const office: OfficeConfig = { ...base, staff: withTeamsIds(base.staff) };
const NOW = DateTime.fromISO('2026-11-25T10:00', { zone: office.office.timezone });
const APPROVALS = 'team-approvals';
const everyone = ['sam', 'priya', 'dana', 'omar'];
type Action = { type: string; title: string; data?: Record<string, unknown>; card?: { actions: Action[] } };
const cardOf = (call: ConnectorCall | undefined) =>
  (call?.body.attachments as { content: { actions?: Action[] } }[] | undefined)?.[0]?.content;
const txt = (v: unknown) => JSON.stringify(v ?? {});

describe('Teams: the Approve anyway question in a manager’s own chat', () => {
  let teams: TeamsHarness;
  beforeAll(async () => {
    teams = await startTeamsHarness({ office, clock: () => NOW });
    await teams.install(everyone);
    await teams.send(
      teams.activity({
        user: 'dana',
        conversation: APPROVALS,
        kind: 'channel',
        text: 'use this channel for approvals',
      }),
    );
  });
  afterAll(() => teams?.stop());
  const c = () => teams.connector;

  async function file(user: string, typed: string, prefix: string, cardWord: string) {
    await teams.send(teams.activity({ user, conversation: `dm-${user}`, text: typed }));
    const reference =
      new RegExp(`${prefix}-\\d+`).exec(txt(c().postsIn(`dm-${user}`).at(-1)?.body))?.[0] ?? '';
    expect(reference).not.toBe('');
    const posted = await waitFor(
      () =>
        c()
          .postsIn(APPROVALS)
          .find((p) => txt(cardOf(p)).includes(`${cardWord} ${reference}`)),
      'card',
    );
    return { reference, posted };
  }
  const approveData = (p: ConnectorCall) => cardOf(p)?.actions?.find((a) => a.title === 'Approve')?.data;
  const pressChannel = (user: string, posted: ConnectorCall, data: unknown) =>
    teams.send(
      teams.activity({
        user,
        conversation: APPROVALS,
        kind: 'channel',
        value: data as Record<string, unknown>,
        replyToId: posted.answeredId,
      }),
    );

  async function scenario(kind: 'timeoff' | 'supplies', day = 'dec 3') {
    const [first, second] =
      kind === 'timeoff'
        ? [
            await file('sam', `timeoff ${day}`, 'TO', 'Time off'),
            await file('priya', `timeoff ${day}`, 'TO', 'Time off'),
          ]
        : [
            await file('priya', 'supplies 8 nitrile gloves m', 'SR', 'Supplies'),
            await file('sam', 'supplies 120 GLV-L', 'SR', 'Supplies'),
          ];
    const staleData = approveData(second.posted);
    expect(String(staleData?.value)).toMatch(/~none$/);
    await pressChannel('dana', first.posted, approveData(first.posted));
    await waitForOutboxDrained(teams.database.db);
    const channelBefore = c().postsIn(APPROVALS).length;
    const chatBefore = c().postsIn('dm-omar').length;
    await pressChannel('omar', second.posted, staleData);
    await waitForOutboxDrained(teams.database.db);
    expect(
      c()
        .postsIn(APPROVALS)
        .slice(channelBefore)
        .map((p) => p.body.text),
    ).toEqual(['I sent you a private message.']);
    const question = c().postsIn('dm-omar').slice(chatBefore).at(-1);
    const anyway = cardOf(question)?.actions?.find((a) => a.title === 'Approve anyway');
    expect(String(anyway?.data?.value)).toMatch(/~again$/);
    return { first, second, question: question as ConnectorCall, anyway: anyway?.data };
  }

  /** Omar presses the "Approve anyway" question's button in his own chat with frontdesk. */
  const pressInOmarsChat = (value: Record<string, unknown> | undefined, question: ConnectorCall) =>
    teams.send(
      teams.activity({ user: 'omar', conversation: 'dm-omar', value, replyToId: question.answeredId }),
    );

  const decisions = (reference: string, action: string) =>
    teams.database.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.entity, reference), inArray(auditLog.action, [action])));

  for (const kind of ['timeoff', 'supplies'] as const) {
    it(`${kind}: Approve anyway in the 1:1 redraws the question there without its button, never in the channel; a second press is refused`, async () => {
      const { second, question, anyway } = await scenario(kind);
      const requester = kind === 'timeoff' ? 'priya' : 'sam';
      const channelBefore = c().postsIn(APPROVALS).length;
      const updatesBefore = c().updates().length;
      await pressInOmarsChat(anyway, question);
      await waitForOutboxDrained(teams.database.db);
      const ups = c().updates().slice(updatesBefore);
      const qUpdate = ups.find((u) => u.conversationId === 'dm-omar' && u.activityId === question.answeredId);
      expect(qUpdate).toBeDefined();
      expect(txt(qUpdate?.body)).not.toContain('Approve anyway');
      expect(cardOf(qUpdate)?.actions ?? []).toEqual([]);
      const cardUpdate = ups.find(
        (u) => u.conversationId === APPROVALS && u.activityId === second.posted.answeredId,
      );
      expect(txt(cardUpdate?.body)).toContain('Approved by Dr. Omar Haddad');
      expect(
        ups.filter((u) => u.conversationId === APPROVALS).every((u) => !txt(u.body).includes('anyway?')),
      ).toBe(true);
      expect(c().postsIn(APPROVALS).slice(channelBefore)).toEqual([]);

      // The same old copy pressed again: refused, and the question redrawn again, still without a button.
      const u2 = c().updates().length;
      const chat2 = c().postsIn('dm-omar').length;
      await pressInOmarsChat(anyway, question);
      await waitForOutboxDrained(teams.database.db);
      expect(txt(c().postsIn('dm-omar').slice(chat2))).toMatch(/already approved by Dr. Omar Haddad/);
      const again = c()
        .updates()
        .slice(u2)
        .find((u) => u.activityId === question.answeredId);
      expect(again).toBeDefined();
      expect(cardOf(again)?.actions ?? []).toEqual([]);
      expect(c().postsIn(APPROVALS).slice(channelBefore)).toEqual([]);
      const rows = await teams.database.db
        .select()
        .from(auditLog)
        .where(eq(auditLog.entity, second.reference));
      expect(rows.filter((r) => /approved$/.test(r.action))).toHaveLength(1);
      const told = c()
        .postsIn(`dm-${requester}`)
        .filter((p) => txt(p.body).includes(`${second.reference}`) && txt(p.body).includes('was approved'));
      expect(told).toHaveLength(1);
    });
  }

  it('makes one decision and tells the requester once when Approve anyway is double-clicked', async () => {
    const { second, question, anyway } = await scenario('timeoff', 'dec 4');
    const before = c().postsIn('dm-priya').length;
    await Promise.all([pressInOmarsChat(anyway, question), pressInOmarsChat(anyway, question)]);
    await waitForOutboxDrained(teams.database.db);
    const rows = await decisions(second.reference, 'timeoff.approved');
    expect(rows).toHaveLength(1);
    const told = c().postsIn('dm-priya').slice(before);
    expect(told).toHaveLength(1);
    const redrawn = c()
      .updates()
      .filter((u) => u.activityId === question.answeredId);
    expect(redrawn.length).toBeGreaterThan(0);
    expect(redrawn.every((u) => (cardOf(u)?.actions ?? []).length === 0)).toBe(true);
  });
});
