import { eq } from 'drizzle-orm';
import { DateTime } from 'luxon';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createScheduler } from '../../src/bot/scheduler.ts';
import { auditLog, credentials, outbox } from '../../src/db/schema/index.ts';
import { queueEffects } from '../../src/handlers/kernel/dispatch.ts';
import { databaseTargets } from '../helpers/databases.ts';
import { findScheduledJob } from '../helpers/jobs.ts';
import { buildOfficeConfig } from '../helpers/office.ts';
import type { RecordedSlackCall } from '../helpers/slack-api-server.ts';
import { type SlackHarness, type SlashAnswer, startSlackHarness } from '../helpers/slack-harness.ts';
import { buildSlashCommandBody, postSignedSlack } from '../helpers/slack-signing.ts';
import { waitFor } from '../helpers/wait.ts';

const example = buildOfficeConfig();
// BLS/CPR is required of medical assistants, and one of them must be on duty each working day. The example
// office has two, Ana and Marcus; Grace (a nurse) covers for them when one calls out.
const office = buildOfficeConfig({
  credentials: {
    kinds: [{ id: 'bls', name: 'BLS/CPR', requiredFor: ['medical-assistant'] }],
    remindDays: [90, 60, 30, 14, 7],
  },
  coverage: { ...example.coverage, 'medical-assistant': 1 },
});
const zone = office.office.timezone;
// The app's clock: Mon, before `reminders.time` (10:00). The schedulers below get their own clocks.
const NOW = DateTime.fromISO('2026-11-30T09:00', { zone });
const at = (iso: string) => DateTime.fromISO(iso, { zone });
const ANA = 'U0ANA'; // medical assistant, holds the BLS/CPR
const MARCUS = 'U0MARCUS'; // the other medical assistant
const SAM = 'U0SAM'; // front desk
const GRACE = 'U0GRACE'; // nurse, covers medical assistant
const DANA = 'U0DANA'; // manager
const OMAR = 'U0OMAR'; // physician, manager
const MANAGERS = [DANA, OMAR] as const;
const NUMBER = 'BLS-778';
const HOSTILE = '<!channel> <@U0DANA> <https://evil.example|click> lease';

/** Everything a person sees of a message: its notification text and its blocks. */
const shownText = (body: Record<string, unknown>) => `${String(body.text)}\n${JSON.stringify(body.blocks)}`;

type Blocks = { type?: string; text?: { type?: string; text?: string } }[];

/** The lines of a huddle section headed `heading` as Slack shows them; none when the huddle has no such section. */
function sectionLines(blocks: unknown, heading: string): string[] {
  const head = `*${heading}*\n`;
  const section = ((Array.isArray(blocks) ? blocks : []) as Blocks).find(
    (block) => block.type === 'section' && block.text?.text?.startsWith(head),
  );
  return section?.text?.text?.slice(head.length).split('\n') ?? [];
}

/** The lines of a reply or card body (its first mrkdwn section) as Slack shows them. */
function bodyLines(blocks: unknown): string[] {
  const section = ((Array.isArray(blocks) ? blocks : []) as Blocks).find(
    (block) => block.type === 'section' && block.text?.type === 'mrkdwn',
  );
  return section?.text?.text?.split('\n') ?? [];
}

describe.each(databaseTargets())('credentials through signed Slack requests on $name', ({ open }) => {
  let slack: SlackHarness;
  let responses = 0;
  /** The reference of Ana's BLS/CPR (`CR-1`), once Dana has recorded it. */
  let reference = '';

  beforeAll(async () => {
    slack = await startSlackHarness({
      office,
      now: NOW,
      openDatabase: open,
      pressChannel: office.channels.approvals,
    });
  });
  afterAll(() => slack?.stop());
  // The tests tell one story on one database, each building on what the ones before it stored. Only the
  // record of what reached Slack starts afresh, once whatever was on its way has landed.
  beforeEach(async () => {
    await slack.waitForOutboxDrained().catch(() => undefined);
    await slack.api.settled();
    slack.api.reset();
  });

  /** `<command> <text>` typed by `userId`, signed as Slack signs it; the answer Slack shows them. */
  async function type(command: string, userId: string, text: string): Promise<SlashAnswer> {
    const response = await postSignedSlack(
      slack.url,
      slack.secret,
      buildSlashCommandBody({
        command,
        text,
        userId,
        responseUrl: slack.api.responseUrl(`slash-${++responses}`),
      }),
    );
    expect(response.status).toBe(200);
    const raw = await response.text();
    return raw ? (JSON.parse(raw) as SlashAnswer) : {};
  }
  const creds = (userId: string, text: string) => type('/creds', userId, text);
  const huddle = (day: string) => type('/huddle', SAM, day);

  /**
   * A scheduler besides the app's, on its database, running `job` at the injected clock `now`, as another
   * replica would; the app's deliverer sends what it queues.
   */
  const schedulerAt = (now: DateTime, job: string) =>
    createScheduler({
      db: slack.db,
      office,
      logger: slack.recording.logger,
      clock: () => now,
      jobs: [findScheduledJob(job)],
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
  /** The credential reminders ticked by two schedulers at once at `iso`: what each made of it. */
  const remindersTogetherAt = async (iso: string) =>
    (
      await Promise.all([
        schedulerAt(at(iso), 'credential-reminders').tick(),
        schedulerAt(at(iso), 'credential-reminders').tick(),
      ])
    )
      .map((result) => result['credential-reminders'])
      .sort();

  /**
   * Every Web API call frontdesk made, once the outbox is empty: besides the start-up auth.test and the Home
   * tabs it redraws after a change, which nobody but their owner sees.
   */
  async function sentToSlack(): Promise<RecordedSlackCall[]> {
    await slack.waitForOutboxDrained();
    await slack.api.settled();
    return slack.api.calls.filter((call) => call.method !== 'auth.test' && call.method !== 'views.publish');
  }
  /** Where each message frontdesk posted went (a DM goes to the user's id), in order, once all have landed. */
  const postedTo = async () =>
    (await sentToSlack())
      .filter((call) => call.method === 'chat.postMessage')
      .map((call) => call.body.channel);
  const textsTo = (userId: string) => slack.dmsTo(userId).map((call) => String(call.body.text));
  const listedAudits = () => slack.db.select().from(auditLog).where(eq(auditLog.action, 'credential.listed'));

  it('refuses a non-manager’s add, a kind the office does not track, a day it cannot read and a forged signature, storing and sending nothing', async () => {
    const notManager = await creds(SAM, `add Ana Cruz bls 2026-12-10 ${NUMBER}`);
    expect(notManager.response_type).toBe('ephemeral');
    expect(notManager.text).toBe(
      'Only Dana Reyes or Dr. Omar Haddad can do that. /creds mine shows your own credentials.',
    );

    const unknown = await creds(DANA, 'add Ana Cruz "Unicorn licence" 2027-01-01');
    expect(unknown.response_type).toBe('ephemeral');
    expect(unknown.text).toBe(
      '"Unicorn licence" is not a kind of credential this practice tracks (BLS/CPR). Nothing was saved.',
    );

    const notADate = await creds(DANA, 'add Ana Cruz bls soonish');
    expect(notADate.response_type).toBe('ephemeral');
    expect(notADate.text).toBe('"soonish" is not a date I can read. Nothing was saved.');
    expect(bodyLines(notADate.blocks)[1]).toMatch(/^Write it like \/creds add Grace Kim "RN license"/);

    // Dana's own add, but signed with anything but the signing secret, never reaches frontdesk.
    const forged = await postSignedSlack(
      slack.url,
      'not-the-signing-secret',
      buildSlashCommandBody({
        command: '/creds',
        text: `add Ana Cruz bls 2026-12-10 ${NUMBER}`,
        userId: DANA,
        responseUrl: slack.api.responseUrl('forged'),
      }),
    );
    expect(forged.status).toBe(401);

    expect(await slack.db.select().from(credentials)).toEqual([]);
    expect(await slack.db.select().from(auditLog)).toEqual([]);
    expect(await sentToSlack()).toEqual([]);
    expect(await slack.db.select().from(outbox)).toEqual([]);
  });

  it('records Ana’s BLS/CPR for Dana: the number in Dana’s private answer, Ana told by DM without it, stored and audited once', async () => {
    const added = await creds(DANA, `add Ana Cruz bls 2026-12-10 ${NUMBER}`);
    expect(added.response_type).toBe('ephemeral');
    const match =
      /^Credential recorded: (CR-\d+) · Ana Cruz · BLS\/CPR · no\. BLS-778 · expires Thu Dec 10, 2026 \(in 10 days\)\.$/.exec(
        added.text ?? '',
      );
    expect(match, added.text).not.toBeNull();
    reference = match?.[1] ?? '';

    expect(await slack.db.select().from(credentials)).toEqual([
      expect.objectContaining({
        holderKey: 'staff:ana-cruz',
        holderName: 'Ana Cruz',
        kind: 'bls',
        name: 'BLS/CPR',
        expires: '2026-12-10',
        credentialNumber: NUMBER,
        createdByName: 'Dana Reyes',
      }),
    ]);
    expect(await slack.db.select().from(auditLog)).toEqual([
      expect.objectContaining({
        action: 'credential.added',
        actorName: 'Dana Reyes',
        platform: 'slack',
        entity: reference,
        detail: { holder: 'Ana Cruz', kind: 'bls', expires: '2026-12-10' },
      }),
    ]);

    // Ana alone is told, once; the DM leaves the number out (it is hers, and /creds mine shows it).
    expect(await postedTo()).toEqual([ANA]);
    expect(textsTo(ANA)).toEqual([
      'Dana Reyes recorded your BLS/CPR: expires Thu Dec 10, 2026 (in 10 days). You will be reminded before it expires.',
    ]);
    expect(shownText(slack.dmsTo(ANA)[0]?.body ?? {})).not.toContain(NUMBER);
  });

  it('shows the number only to managers and the holder, and audits each manager’s list', async () => {
    const line = `${reference} · Ana Cruz · BLS/CPR · no. ${NUMBER} · expires Thu Dec 10, 2026 (in 10 days)`;

    const refused = await creds(SAM, 'list expiring');
    expect(refused.response_type).toBe('ephemeral');
    expect(refused.text).toBe(
      'Only Dana Reyes or Dr. Omar Haddad can do that. /creds mine shows your own credentials.',
    );
    expect(shownText(refused as Record<string, unknown>)).not.toMatch(/BLS|Ana Cruz/);
    expect(await listedAudits()).toEqual([]);

    const expiring = await creds(DANA, 'list expiring');
    expect(expiring.response_type).toBe('ephemeral');
    expect(expiring.text).toBe('Credentials lapsed or expiring within 30 days: 1');
    expect(bodyLines(expiring.blocks)).toEqual([line]);
    const all = await creds(DANA, 'list');
    expect(all.text).toBe('Credentials: 1');
    expect(bodyLines(all.blocks)).toEqual([line]);
    expect(await listedAudits()).toEqual([
      expect.objectContaining({
        actorName: 'Dana Reyes',
        entity: 'credentials:expiring',
        detail: { shown: 1 },
      }),
      expect.objectContaining({ actorName: 'Dana Reyes', entity: 'credentials', detail: { shown: 1 } }),
    ]);

    const anas = await creds(ANA, 'mine');
    expect(anas.response_type).toBe('ephemeral');
    expect(anas.text).toBe('Your credentials: 1');
    expect(bodyLines(anas.blocks)).toEqual([line]);

    const marcuss = await creds(MARCUS, 'mine');
    expect(marcuss.text).toBe('Your credentials: 0');
    expect(bodyLines(marcuss.blocks)).toEqual(['None recorded. A manager records them with /creds add.']);
    expect(shownText(marcuss as Record<string, unknown>)).not.toMatch(/BLS|Ana Cruz/);

    // Looking is private: nothing was posted, and only the managers' two lists were audited.
    expect(await sentToSlack()).toEqual([]);
    expect(await listedAudits()).toHaveLength(2);
  });

  it('names Ana’s BLS/CPR in the huddle for everyone, never its number', async () => {
    const shown = await huddle('');
    expect(shown.text).toBe('Huddle — Mon Nov 30');
    expect(sectionLines(shown.blocks, 'Credentials')).toEqual([
      'BLS/CPR — Ana Cruz: expires Thu Dec 10, 2026 (in 10 days)',
    ]);
    expect(shownText(shown as Record<string, unknown>)).not.toContain(NUMBER);

    expect((await type('/huddle', DANA, 'post')).text).toBe(
      'Posted the huddle for Mon Nov 30 to the huddle channel.',
    );
    expect(await postedTo()).toEqual([office.channels.huddle]);
    const [post] = slack.postsTo(office.channels.huddle);
    expect(sectionLines(post?.body.blocks, 'Credentials')).toEqual([
      'BLS/CPR — Ana Cruz: expires Thu Dec 10, 2026 (in 10 days)',
    ]);
    expect(shownText(post?.body ?? {})).not.toContain(NUMBER);
  });

  it('reminds Ana, and each manager within 30 days, once at reminders.time though two schedulers tick together', async () => {
    expect(await remindersTogetherAt('2026-11-30T09:59')).toEqual(['not-due', 'not-due']);
    expect(await sentToSlack()).toEqual([]);

    // Ten days ahead: the 14-day reminder is the one due.
    expect(await remindersTogetherAt('2026-11-30T10:01')).toEqual(['ran', 'taken']);
    expect((await postedTo()).sort()).toEqual([ANA, DANA, OMAR]);
    expect(textsTo(ANA)).toEqual([
      `Reminder: your BLS/CPR (${reference}) expires Thu Dec 10, 2026 (in 10 days). Renew it and tell a manager, who records it with /creds renew.`,
    ]);
    for (const manager of MANAGERS)
      expect(textsTo(manager)).toEqual([
        `Ana Cruz's BLS/CPR (${reference}) expires Thu Dec 10, 2026 (in 10 days).`,
      ]);
    // Ana's own Home tab may show her number; no message does.
    for (const call of slack.api.calls.filter((sent) => sent.method !== 'views.publish'))
      expect(shownText(call.body)).not.toContain(NUMBER);

    // Told once: ticking again, together or later that day, sends nothing more.
    expect(await remindersTogetherAt('2026-11-30T10:01')).toEqual(['taken', 'taken']);
    expect(await remindersTogetherAt('2026-11-30T16:00')).toEqual(['taken', 'taken']);
    expect(await postedTo()).toHaveLength(3);
  });

  it('keeps Ana out of medical-assistant coverage once her BLS/CPR lapses: the time-off card and approval, the cover asks and the huddle warn, and the lapse is told once', async () => {
    // Marcus asks for Thu Dec 10 (Ana's last valid day) and Fri Dec 11 off: the card warns of Friday alone.
    const filed = await type('/timeoff', MARCUS, 'dec 10 to dec 11 family');
    const timeOff = /TO-\d+/.exec(filed.text ?? '')?.[0] ?? '';
    expect(filed.text).toBe(`Time off requested: ${timeOff}, Thu Dec 10 – Fri Dec 11`);
    const card = await waitFor(() => slack.postsTo(office.channels.approvals)[0], 'the approval card');
    expect(bodyLines(card.body.blocks)).toEqual([
      '⚠️ Coverage: Medical assistant: 0 of 1 needed on Fri Dec 11',
    ]);
    // Dana approves anyway: her answer, worked out as she approves, names the gap Ana's lapse leaves.
    await slack.press('timeoff_approve', timeOff, DANA, 'approve');
    expect(await slack.answerTo('approve')).toBe(
      `Approved ${timeOff} for Marcus Bell (Thu Dec 10 – Fri Dec 11). ⚠️ This leaves Medical assistant: 0 of 1 needed on Fri Dec 11.`,
    );

    // He calls out for Wed Dec 9, while Ana's BLS/CPR is valid: she covers, so nobody is asked.
    await sentToSlack();
    slack.api.reset();
    const wednesday = await type('/out', MARCUS, 'sick 2026-12-09');
    expect(wednesday.text).toMatch(/^Call-out recorded: CO-\d+, Out sick Wed Dec 9, all day$/);
    expect(bodyLines(wednesday.blocks)).toEqual([
      'Out sick Wed Dec 9, all day',
      'Dana Reyes and Dr. Omar Haddad have been told.',
    ]);
    // And for Mon Dec 14, after it lapsed: medical assistants are short, and Grace is asked, never Ana.
    const monday = await type('/out', MARCUS, 'sick 2026-12-14');
    expect(monday.text).toMatch(/^Call-out recorded: CO-\d+, Out sick Mon Dec 14, all day$/);
    expect(bodyLines(monday.blocks)).toContain(
      'The role is short then, so Grace Kim has been asked to cover.',
    );
    expect((await postedTo()).sort()).toEqual([DANA, DANA, GRACE, OMAR, OMAR]);
    for (const manager of MANAGERS) {
      const notices = slack.dmsTo(manager).map((call) => bodyLines(call.body.blocks));
      expect(notices).toHaveLength(2);
      expect(notices).toContainEqual(['Out sick Wed Dec 9, all day', 'Coverage is still met.']);
      expect(notices).toContainEqual([
        'Out sick Mon Dec 14, all day',
        '⚠️ Medical assistant: 0 of 1 needed on duty',
        'Asked to cover: Grace Kim',
      ]);
    }
    expect(textsTo(GRACE)).toEqual([
      expect.stringMatching(/^Can you cover\? CO-\d+: Marcus Bell is out Mon Dec 14/),
    ]);

    // The huddle of Thu Dec 10 warns only of the next day; that of Fri Dec 11 of the day itself (and Monday).
    const thursdayHuddle = await huddle('2026-12-10');
    expect(thursdayHuddle.text).toBe('Huddle — Thu Dec 10');
    expect(sectionLines(thursdayHuddle.blocks, 'Out today')).toEqual(['Marcus Bell']);
    expect(sectionLines(thursdayHuddle.blocks, 'Coverage')).toEqual([
      '⚠️ Fri Dec 11 — Medical assistant: 0 of 1 needed on duty',
    ]);
    expect(sectionLines(thursdayHuddle.blocks, 'Credentials')).toEqual([
      'BLS/CPR — Ana Cruz: expires Thu Dec 10, 2026 (today is the last day)',
    ]);
    const fridayCoverage = [
      '⚠️ Medical assistant: 0 of 1 needed on duty',
      '⚠️ Mon Dec 14 — Medical assistant: 0 of 1 needed on duty',
    ];
    const fridayHuddle = await huddle('2026-12-11');
    expect(fridayHuddle.text).toBe('Huddle — Fri Dec 11');
    expect(sectionLines(fridayHuddle.blocks, 'Out today')).toEqual(['Marcus Bell']);
    expect(sectionLines(fridayHuddle.blocks, 'Coverage')).toEqual(fridayCoverage);
    expect(sectionLines(fridayHuddle.blocks, 'Credentials')).toEqual([
      'BLS/CPR — Ana Cruz: ⚠️ lapsed Fri Dec 11, 2026',
    ]);
    for (const answer of [thursdayHuddle, fridayHuddle])
      expect(shownText(answer as Record<string, unknown>)).not.toContain(NUMBER);

    // Friday morning's huddle, posted to the channel by the scheduler, says the same, without the number.
    await sentToSlack();
    slack.api.reset();
    expect(await schedulerAt(at('2026-12-11T07:45'), 'huddle-digest').tick()).toEqual({
      'huddle-digest': 'ran',
    });
    expect(await postedTo()).toEqual([office.channels.huddle]);
    const [posted] = slack.postsTo(office.channels.huddle);
    expect(posted?.body.text).toBe('Huddle — Fri Dec 11');
    expect(sectionLines(posted?.body.blocks, 'Coverage')).toEqual(fridayCoverage);
    expect(sectionLines(posted?.body.blocks, 'Credentials')).toEqual([
      'BLS/CPR — Ana Cruz: ⚠️ lapsed Fri Dec 11, 2026',
    ]);
    expect(shownText(posted?.body ?? {})).not.toContain(NUMBER);

    // At reminders.time on Fri Dec 11 the lapse is told once, to Ana and each manager.
    slack.api.reset();
    expect(await remindersTogetherAt('2026-12-11T09:59')).toEqual(['not-due', 'not-due']);
    expect(await sentToSlack()).toEqual([]);
    expect(await remindersTogetherAt('2026-12-11T10:01')).toEqual(['ran', 'taken']);
    expect((await postedTo()).sort()).toEqual([ANA, DANA, OMAR]);
    expect(textsTo(ANA)).toEqual([
      `Your BLS/CPR (${reference}) has lapsed: it was valid through Thu Dec 10, 2026. Until it is renewed you do not count toward coverage of a role that needs it. Renew it and tell a manager.`,
    ]);
    for (const manager of MANAGERS)
      expect(textsTo(manager)).toEqual([
        `Ana Cruz's BLS/CPR (${reference}) lapsed on Fri Dec 11, 2026; they do not count toward coverage of a role that needs it until it is renewed.`,
      ]);
    expect(await remindersTogetherAt('2026-12-11T10:01')).toEqual(['taken', 'taken']);
    expect(await postedTo()).toHaveLength(3);
  });

  it('takes a renewal from Dana: Ana is told, the huddle warns no more and the lapse is not told again', async () => {
    const renewed = await creds(DANA, `renew ${reference} 2028-12-10`);
    expect(renewed.response_type).toBe('ephemeral');
    expect(renewed.text).toBe(
      `Renewed: ${reference} · Ana Cruz · BLS/CPR · no. ${NUMBER} · expires Sun Dec 10, 2028 (in 741 days).`,
    );
    expect(await slack.db.select().from(credentials)).toEqual([
      expect.objectContaining({
        expires: '2028-12-10',
        renewedByName: 'Dana Reyes',
        credentialNumber: NUMBER,
      }),
    ]);
    expect(await slack.db.select().from(auditLog).where(eq(auditLog.action, 'credential.renewed'))).toEqual([
      expect.objectContaining({
        actorName: 'Dana Reyes',
        entity: reference,
        detail: { from: '2026-12-10', to: '2028-12-10' },
      }),
    ]);
    // Ana alone is told (Dana did it herself).
    expect(await postedTo()).toEqual([ANA]);
    expect(textsTo(ANA)).toEqual([
      `Dana Reyes renewed BLS/CPR (${reference}): expires Sun Dec 10, 2028 (in 741 days).`,
    ]);

    // Marcus is still off on Friday and out on Monday, but Ana counts again: no warning, nothing lapsing.
    const fridayHuddle = await huddle('2026-12-11');
    expect(sectionLines(fridayHuddle.blocks, 'Out today')).toEqual(['Marcus Bell']);
    expect(sectionLines(fridayHuddle.blocks, 'Coverage')).toEqual([]);
    expect(sectionLines(fridayHuddle.blocks, 'Credentials')).toEqual([]);
    expect(shownText(fridayHuddle as Record<string, unknown>)).not.toMatch(/Medical assistant: 0 of 1|BLS/);
    expect(sectionLines((await huddle('2026-12-10')).blocks, 'Coverage')).toEqual([]);

    // The expiry moved on, so a scheduler at Friday's reminders.time finds nothing due, and nothing is sent.
    expect(await remindersTogetherAt('2026-12-11T10:01')).toEqual(['not-due', 'not-due']);
    expect(await postedTo()).toEqual([ANA]);

    const expiring = await creds(DANA, 'list expiring');
    expect(expiring.text).toBe('Credentials lapsed or expiring within 30 days: 0');
    expect(bodyLines(expiring.blocks)).toEqual(['None.']);
    expect(bodyLines((await creds(ANA, 'mine')).blocks)).toEqual([
      `${reference} · Ana Cruz · BLS/CPR · no. ${NUMBER} · expires Sun Dec 10, 2028 (in 741 days)`,
    ]);
    expect(await listedAudits()).toHaveLength(3);
  });

  it('escapes a hostile practice item everywhere frontdesk sends it: no @channel, no mention, no disguised link', async () => {
    const added = await creds(DANA, `add practice "${HOSTILE}" 2027-01-01`);
    expect(added.text).toMatch(
      /^Credential recorded: CR-\d+ · The practice · &lt;!channel&gt; &lt;@U0DANA&gt; &lt;https:\/\/evil\.example\|click&gt; lease · expires Fri Jan 1, 2027 \(in 32 days\)\.$/,
    );
    const practice = /CR-\d+/.exec(added.text ?? '')?.[0];
    // Stored as typed: the escaping is the renderer's job, and the managers still read what Dana wrote.
    expect(
      (await slack.db.select().from(credentials)).find((row) => `CR-${row.number}` === practice),
    ).toMatchObject({ holderKey: 'practice', holderName: 'The practice', kind: null, name: HOSTILE });

    // Every way it goes out: the managers' reminder (the practice's items are theirs), Dana's list, the huddle
    // shown and the huddle posted.
    expect(await remindersTogetherAt('2026-11-30T10:01')).toEqual(['ran', 'taken']);
    for (const manager of MANAGERS)
      await waitFor(() => slack.dmsTo(manager)[0], `${manager}'s reminder of the practice item`);
    const listed = await creds(DANA, 'list');
    const shown = await huddle('2026-12-14');
    expect(await schedulerAt(at('2026-12-14T07:45'), 'huddle-digest').tick()).toEqual({
      'huddle-digest': 'ran',
    });
    const calls = await sentToSlack();
    expect((await postedTo()).sort()).toEqual([office.channels.huddle, DANA, OMAR].sort());

    const escaped = '&lt;!channel&gt; &lt;@U0DANA&gt; &lt;https://evil.example|click&gt; lease';
    for (const manager of MANAGERS)
      expect(textsTo(manager)).toEqual([
        `The practice's ${escaped} (${practice}) expires Fri Jan 1, 2027 (in 32 days).`,
      ]);
    expect(bodyLines(listed.blocks)).toContain(
      `${practice} · The practice · ${escaped} · expires Fri Jan 1, 2027 (in 32 days)`,
    );
    expect(await listedAudits()).toHaveLength(4);
    expect(sectionLines(shown.blocks, 'Credentials')).toEqual([
      `${escaped} — The practice: expires Fri Jan 1, 2027 (in 18 days)`,
    ]);
    expect(sectionLines(slack.postsTo(office.channels.huddle)[0]?.body.blocks, 'Credentials')).toEqual([
      `${escaped} — The practice: expires Fri Jan 1, 2027 (in 18 days)`,
    ]);

    const sent: Record<string, unknown>[] = [
      added as Record<string, unknown>,
      listed as Record<string, unknown>,
      shown as Record<string, unknown>,
      ...calls.map((call) => call.body),
    ];
    expect(sent).toHaveLength(6);
    for (const body of sent) {
      const whole = JSON.stringify(body);
      expect(whole).not.toContain('<!channel>');
      expect(whole).not.toContain('<@U0DANA>');
      expect(whole).not.toContain('<https://evil.example');
      expect(String(body.text ?? '')).not.toMatch(/<[!@h]/);
    }
  });
});
