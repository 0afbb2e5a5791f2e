import { eq } from 'drizzle-orm';
import { DateTime } from 'luxon';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { auditLog, leaveAdjustments, outbox, timeOffRequests } from '../../src/db/schema/index.ts';
import { databaseTargets } from '../helpers/databases.ts';
import { buildOfficeConfig } from '../helpers/office.ts';
import { type SlackHarness, type SlashAnswer, startSlackHarness } from '../helpers/slack-harness.ts';
import { buildSlashCommandBody, postSignedSlack } from '../helpers/slack-signing.ts';
import { waitFor } from '../helpers/wait.ts';

const example = buildOfficeConfig();
// The office of tests/handlers/leave-policies.test.ts: a vacation and a sick bank, and jury duty untracked.
const office = buildOfficeConfig({
  timeoff: {
    ...example.timeoff,
    policies: [
      { type: 'vacation', tracked: true, allowanceDays: 15, carryOver: { maxDays: 5, expires: '03-31' } },
      { type: 'sick', tracked: true, allowanceDays: 5 },
      { type: 'jury-duty', name: 'Jury service', tracked: false },
    ],
  },
});
const NOW = DateTime.fromISO('2026-11-30T09:00', { zone: office.office.timezone }); // Mon
const SAM = 'U0SAM'; // front desk
const PRIYA = 'U0PRIYA'; // front desk
const DANA = 'U0DANA'; // manager

// Types without a policy (personal, education…) share the office's allowanceDays, as a third bank.
const SHARED = 'Time off 2026: 15 of 15 days left (0 approved, 0 pending).';
const SAM_UNTOUCHED = [
  'Vacation 2026: 15 of 15 days left (0 approved, 0 pending).',
  'Sick 2026: 5 of 5 days left (0 approved, 0 pending).',
  SHARED,
];

/** The lines of a reply as Slack shows them: its mrkdwn section, one line per line. */
function linesOf(answer: SlashAnswer): string[] {
  const blocks = (answer.blocks ?? []) as { type?: string; text?: { type?: string; text?: string } }[];
  const section = blocks.find((block) => block.type === 'section' && block.text?.type === 'mrkdwn');
  return section?.text?.text?.split('\n') ?? [];
}

/** The header of a reply as Slack shows it. */
function headerOf(answer: SlashAnswer): string | undefined {
  const blocks = (answer.blocks ?? []) as { type?: string; text?: { text?: string } }[];
  return blocks.find((block) => block.type === 'header')?.text?.text;
}

/** Everything a person sees of a message: its notification text and its blocks. */
const shownText = (body: Record<string, unknown>) => `${String(body.text)}\n${JSON.stringify(body.blocks)}`;

describe.each(databaseTargets())('leave banks through signed Slack requests on $name', ({ open }) => {
  let slack: SlackHarness;
  let responses = 0;

  beforeAll(async () => {
    slack = await startSlackHarness({
      command: '/timeoff',
      office,
      now: NOW,
      openDatabase: open,
      tables: [outbox, leaveAdjustments, timeOffRequests, auditLog],
    });
  });
  afterAll(() => slack?.stop());
  // A test that failed half-way may leave messages on their way to Slack: let them land before the reset, so
  // they are not counted against the next test.
  beforeEach(async () => {
    await slack.waitForOutboxDrained().catch(() => undefined);
    await slack.api.settled();
    await slack.reset();
  });

  /** `/timeoff <text>` as `userId`, signed as Slack signs it; the answer Slack shows them. */
  const timeoff = (userId: string, text: string, triggerId?: string) =>
    slack.slash(text, { userId, responseId: `slash-${++responses}`, ...(triggerId ? { triggerId } : {}) });

  /** Nothing was sent to Slack through the Web API besides the start-up auth.test, and nothing is queued. */
  async function expectNothingSent() {
    await slack.waitForOutboxDrained();
    await slack.api.settled();
    expect(await slack.db.select().from(outbox)).toEqual([]);
    expect(
      slack.api.calls.filter((call) => call.method !== 'auth.test' && call.method !== 'views.publish'),
    ).toEqual([]);
  }

  async function expectNothingStored() {
    expect(await slack.db.select().from(leaveAdjustments)).toEqual([]);
    expect(await slack.db.select().from(auditLog)).toEqual([]);
  }

  it('answers `/timeoff balance` privately with each bank, and posts nothing anywhere', async () => {
    const answer = await timeoff(SAM, 'balance');
    expect(answer.response_type).toBe('ephemeral');
    expect(answer.text).toBe('Your balance, 2026');
    expect(headerOf(answer)).toBe('Your balance — 2026');
    expect(linesOf(answer)).toEqual(SAM_UNTOUCHED);
    await expectNothingSent();
    expect(slack.api.responsesTo(`slash-${responses}`)).toEqual([]);
  });

  it('shows someone else’s balance to a manager only', async () => {
    // Priya asks for three days first, so her balance is not Sam's.
    const filed = await timeoff(PRIYA, 'dec 7 to dec 9 family');
    expect(filed.text).toMatch(/^Time off requested: TO-\d+, Mon Dec 7 – Wed Dec 9$/);
    await waitFor(() => slack.postsTo(office.channels.approvals)[0], 'Priya’s approval card');
    await slack.waitForOutboxDrained();
    await slack.api.settled();
    const postsBefore = slack.api.callsTo('chat.postMessage').length;

    const refused = await timeoff(SAM, 'balance Priya Shah');
    expect(refused.response_type).toBe('ephemeral');
    expect(refused.text).toBe('Only managers can see someone else’s balance. /timeoff balance shows yours.');
    expect(shownText(refused as Record<string, unknown>)).not.toMatch(/Vacation|Sick|12 of 15/);

    const seen = await timeoff(DANA, 'balance Priya Shah');
    expect(seen.response_type).toBe('ephemeral');
    expect(seen.text).toBe('Balance of Priya Shah, 2026');
    expect(headerOf(seen)).toBe('Balance of Priya Shah — 2026');
    expect(linesOf(seen)).toEqual([
      'Vacation 2026: 12 of 15 days left (0 approved, 3 pending).',
      'Sick 2026: 5 of 5 days left (0 approved, 0 pending).',
      SHARED,
    ]);
    // Sam's own balance is untouched by Priya's request.
    expect(linesOf(await timeoff(SAM, 'balance'))).toEqual(SAM_UNTOUCHED);

    // Looking posts nothing: the only post is Priya's approval card.
    await slack.waitForOutboxDrained();
    await slack.api.settled();
    expect(slack.api.callsTo('chat.postMessage')).toHaveLength(postsBefore);
  });

  it('adjusts a balance for Dana: confirmed to her, stored and audited once, Sam told by DM with the reason escaped', async () => {
    const reason = '<!channel> from paper records';
    const answer = await timeoff(DANA, `adjust Sam Lee +1 vacation ${reason}`);
    expect(answer.response_type).toBe('ephemeral');
    expect(answer.text).toBe(
      "Adjusted Sam Lee's Vacation balance for 2026 by +1 day. Sam Lee now has 16 of 16 days left in 2026 and has been told.",
    );

    const dm = await waitFor(() => slack.dmsTo(SAM)[0], 'Sam’s DM');
    expect(String(dm.body.text)).toBe(
      'Dana Reyes adjusted your Vacation balance for 2026 by +1 day: &lt;!channel&gt; from paper records. You now have 16 of 16 days left in 2026.',
    );
    expect(JSON.stringify(dm.body.blocks)).toContain('&lt;!channel&gt; from paper records');

    // Stored as typed, once, with who did it; audited once.
    expect(await slack.db.select().from(leaveAdjustments)).toEqual([
      expect.objectContaining({
        personKey: 'staff:sam-lee',
        personName: 'Sam Lee',
        bank: 'vacation',
        year: 2026,
        days: 1,
        reason,
        byName: 'Dana Reyes',
      }),
    ]);
    const audited = await slack.db.select().from(auditLog);
    expect(audited).toEqual([
      expect.objectContaining({
        action: 'timeoff.adjusted',
        actorName: 'Dana Reyes',
        platform: 'slack',
        entity: 'leave:staff:sam-lee',
        detail: { bank: 'vacation', year: 2026, days: 1 },
      }),
    ]);

    // Sam's next balance shows the extra day.
    const balance = await timeoff(SAM, 'balance');
    expect(linesOf(balance)).toEqual([
      'Vacation 2026: 16 of 16 days left (0 approved, 0 pending, +1 adjusted).',
      'Sick 2026: 5 of 5 days left (0 approved, 0 pending).',
      SHARED,
    ]);

    // Only Sam was messaged, once, and nothing frontdesk sent to Slack carries the reason unescaped.
    await slack.waitForOutboxDrained();
    await slack.api.settled();
    const posts = slack.api.callsTo('chat.postMessage');
    expect(posts.map((call) => call.body.channel)).toEqual([SAM]);
    const sent: Record<string, unknown>[] = [
      answer as Record<string, unknown>,
      balance as Record<string, unknown>,
      ...slack.api.calls.map((call) => call.body),
    ];
    expect(sent.some((body) => JSON.stringify(body).includes('&lt;!channel&gt;'))).toBe(true);
    for (const body of sent) {
      expect(JSON.stringify(body)).not.toContain('<!channel>');
      expect(String(body.text ?? '')).not.toMatch(/<[!@h]/);
    }
  });

  it('refuses an adjustment from someone who is not a manager, and stores and sends nothing', async () => {
    const refused = await timeoff(SAM, 'adjust Sam Lee +5 vacation because');
    expect(refused.response_type).toBe('ephemeral');
    expect(refused.text).toBe(
      'Only Dana Reyes or Dr. Omar Haddad can adjust a balance. Nothing was changed.',
    );
    await expectNothingStored();
    await expectNothingSent();
    expect(linesOf(await timeoff(SAM, 'balance'))).toEqual(SAM_UNTOUCHED);
  });

  it('refuses a manager’s adjustment by anything but whole or half days, and stores and sends nothing', async () => {
    const refused = await timeoff(DANA, 'adjust Sam Lee +0.3 vacation typo');
    expect(refused.response_type).toBe('ephemeral');
    expect(refused.text).toBe('Adjust by whole or half days, like +1 or -0.5. Nothing was changed.');
    await expectNothingStored();
    await expectNothingSent();
    expect(linesOf(await timeoff(SAM, 'balance'))).toEqual(SAM_UNTOUCHED);
  });

  it('stores one adjustment and sends one DM when Slack delivers the same adjust twice', async () => {
    const text = 'adjust Sam Lee -0.5 sick half day not recorded';
    const first = await timeoff(DANA, text, 'trigger.adjust-retry');
    expect(first.text).toBe(
      "Adjusted Sam Lee's Sick balance for 2026 by -0.5 days. Sam Lee now has 4.5 of 4.5 days left in 2026 and has been told.",
    );
    const retry = await timeoff(DANA, text, 'trigger.adjust-retry');
    expect(retry).toEqual(first);

    await waitFor(() => slack.dmsTo(SAM)[0], 'Sam’s DM');
    await slack.waitForOutboxDrained();
    await slack.api.settled();
    expect(slack.dmsTo(SAM).map((call) => String(call.body.text))).toEqual([
      'Dana Reyes adjusted your Sick balance for 2026 by -0.5 days: half day not recorded. You now have 4.5 of 4.5 days left in 2026.',
    ]);
    expect(await slack.db.select().from(leaveAdjustments)).toEqual([
      expect.objectContaining({ personName: 'Sam Lee', bank: 'sick', days: -0.5 }),
    ]);
    expect(
      await slack.db.select().from(auditLog).where(eq(auditLog.action, 'timeoff.adjusted')),
    ).toHaveLength(1);
    expect(linesOf(await timeoff(SAM, 'balance'))).toEqual([
      'Vacation 2026: 15 of 15 days left (0 approved, 0 pending).',
      'Sick 2026: 4.5 of 4.5 days left (0 approved, 0 pending, -0.5 adjusted).',
      SHARED,
    ]);
  });

  it('stores one adjustment and sends one DM when the retry arrives while the first delivery is in hand', async () => {
    const text = 'adjust Sam Lee +2 vacation found in the old calendar';
    const answers = await Promise.all([
      timeoff(DANA, text, 'trigger.adjust-race'),
      timeoff(DANA, text, 'trigger.adjust-race'),
    ]);
    for (const answer of answers) {
      expect(answer.text).toBe(
        "Adjusted Sam Lee's Vacation balance for 2026 by +2 days. Sam Lee now has 17 of 17 days left in 2026 and has been told.",
      );
    }
    await waitFor(() => slack.dmsTo(SAM)[0], 'Sam’s DM');
    await slack.waitForOutboxDrained();
    await slack.api.settled();
    expect(slack.dmsTo(SAM)).toHaveLength(1);
    expect(await slack.db.select().from(leaveAdjustments)).toEqual([
      expect.objectContaining({ personName: 'Sam Lee', bank: 'vacation', days: 2 }),
    ]);
    expect(
      await slack.db.select().from(auditLog).where(eq(auditLog.action, 'timeoff.adjusted')),
    ).toHaveLength(1);
  });

  it('refuses a badly signed `/timeoff adjust` with 401 and stores nothing', async () => {
    const danaAdjusts = buildSlashCommandBody({
      command: '/timeoff',
      text: 'adjust Sam Lee +3 vacation forged',
      userId: DANA,
      userName: 'dana',
      responseUrl: slack.api.responseUrl('forged'),
    });
    const forged = await postSignedSlack(slack.url, 'not-the-signing-secret', danaAdjusts);
    expect(forged.status).toBe(401);
    await expectNothingStored();
    await expectNothingSent();
    expect(slack.api.responsesTo('forged')).toEqual([]);
    expect(linesOf(await timeoff(SAM, 'balance'))).toEqual(SAM_UNTOUCHED);

    // The very same request, signed with the real secret, is stored: the refusal above was the signature's.
    const genuine = await postSignedSlack(slack.url, slack.secret, danaAdjusts);
    expect(genuine.status).toBe(200);
    expect(String(((await genuine.json()) as SlashAnswer).text)).toMatch(
      /^Adjusted Sam Lee's Vacation balance for 2026 by \+3 days\./,
    );
    expect(await slack.db.select().from(leaveAdjustments)).toEqual([
      expect.objectContaining({ personName: 'Sam Lee', bank: 'vacation', days: 3, reason: 'forged' }),
    ]);
    const dm = await waitFor(() => slack.dmsTo(SAM)[0], 'Sam’s DM');
    expect(String(dm.body.text)).toMatch(
      /^Dana Reyes adjusted your Vacation balance for 2026 by \+3 days: forged\./,
    );
    await slack.waitForOutboxDrained();
    await slack.api.settled();
    expect(slack.dmsTo(SAM)).toHaveLength(1);
  });
});
