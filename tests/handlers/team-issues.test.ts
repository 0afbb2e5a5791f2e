import { eq } from 'drizzle-orm';
import { DateTime } from 'luxon';
import { describe, expect } from 'vitest';
import { auditLog, outbox, teamIssues } from '../../src/db/schema/index.ts';
import { resolvePerson } from '../../src/domain/people.ts';
import { loadHuddleDigest } from '../../src/handlers/index.ts';
import { ISSUE_ACTIONS, ISSUE_FORMS } from '../../src/handlers/team-issues/ids.ts';
import { teamIssuesFeature } from '../../src/handlers/team-issues/index.ts';
import { databaseTargets } from '../helpers/databases.ts';
import { findReference, replyText } from '../helpers/dispatch.ts';
import { createHandlerTest } from '../helpers/handler-fixture.ts';
import { findScheduledJob } from '../helpers/jobs.ts';
import { createRecordingLogger } from '../helpers/logger.ts';
import { buildOfficeConfig } from '../helpers/office.ts';

const quietLogger = createRecordingLogger('silent').logger;

const office = buildOfficeConfig();
const zone = office.office.timezone;
const NOW = DateTime.fromISO('2026-11-30T09:00', { zone }); // Mon
const at = (iso: string) => DateTime.fromISO(iso, { zone });
const SAM = 'U0SAM';
const ANA = 'U0ANA';
const MARCUS = 'U0MARCUS';
const DANA = 'U0DANA'; // manager
const OMAR = 'U0OMAR'; // manager
const TEXT = 'The label printer at the front desk jams on every page';

const untakenJob = findScheduledJob('issue-untaken');

const it = createHandlerTest({
  office,
  now: NOW,
  command: 'issue',
  actions: ISSUE_ACTIONS,
  forms: ISSUE_FORMS,
  jobs: [untakenJob],
}).extend(
  'sent',
  ({ db }) =>
    async (kind: 'dm' | 'post' | 'update', target?: string) =>
      (await db.select().from(outbox).orderBy(outbox.id)).filter(
        (row) => row.kind === kind && (target === undefined || row.target === target),
      ),
);

describe.each(databaseTargets())('team issues on $name', (target) => {
  it.override({ target });

  it('opens a form with the categories and the patient-details warning when bare', async ({
    command,
    db,
  }) => {
    const outcome = await command(SAM, '');
    expect(outcome.form).toMatchObject({ formId: ISSUE_FORMS.file });
    expect(outcome.form?.lines?.join(' ')).toContain('Do not include patient names');
    const category = outcome.form?.inputs.find((input) => input.id === 'category');
    expect(category?.kind === 'select' ? category.options.map((option) => option.value) : []).toEqual([
      'equipment',
      'it',
      'facilities',
      'safety',
      'supplies',
      'other',
    ]);
    expect(await db.select().from(teamIssues)).toHaveLength(0);
  });

  it('raises an issue from text: a card with Take it and Done in the huddle channel, audited without the text', async ({
    command,
    db,
    sent,
  }) => {
    const outcome = await command(SAM, TEXT);
    const reference = findReference(outcome, 'IS');
    expect(replyText(outcome)).toContain('Do not include patient names');
    const [card] = await sent('post', office.channels.huddle);
    expect(card).toMatchObject({ cardKey: reference });
    expect(card?.message.lines).toContain(TEXT);
    // No age: the card stays up for days and is redrawn only when the issue moves on.
    expect(card?.message.fields?.map((field) => field.label)).toEqual([
      'Raised by',
      'Filed',
      'Owner',
      'State',
    ]);
    expect(card?.message.buttons?.map((button) => [button.label, button.actionId, button.value])).toEqual([
      ['Take it', ISSUE_ACTIONS.take, reference],
      ['Done', ISSUE_ACTIONS.done, reference],
    ]);
    const [audit] = await db.select().from(auditLog).where(eq(auditLog.action, 'issue.filed'));
    expect(audit).toMatchObject({ entity: reference, detail: { source: 'text', category: 'other' } });
    expect(JSON.stringify(await db.select().from(auditLog))).not.toContain('printer');
  });

  it('raises an issue from the form with its category, and asks again for a form without text', async ({
    submit,
    db,
  }) => {
    const empty = await submit(SAM, ISSUE_FORMS.file, { category: 'it', text: '   ' });
    expect(empty.formErrors).toEqual({ text: 'Say what is wrong.' });
    expect(await db.select().from(teamIssues)).toHaveLength(0);
    const filed = await submit(SAM, ISSUE_FORMS.file, { category: 'it', text: 'Wi-Fi drops in room 3' });
    expect(filed.formErrors).toBeUndefined();
    expect(await db.select().from(teamIssues)).toEqual([
      expect.objectContaining({ category: 'it', description: 'Wi-Fi drops in room 3', status: 'open' }),
    ]);
  });

  it('keeps the card body’s line breaks, and quotes the issue on one line where a line is all it has', async ({
    command,
    submit,
  }) => {
    const filed = await submit(SAM, ISSUE_FORMS.file, {
      category: 'it',
      text: 'Printer jams\nIS-99 · Dana Reyes · 9 days old',
    });
    const card = filed.effects.find((effect) => effect.kind === 'post');
    expect(card?.kind === 'post' && card.message.text).toMatch(/Printer jams IS-99 · Dana Reyes/);
    expect(card?.kind === 'post' && card.message.lines?.[0]).toBe(
      'Printer jams\nIS-99 · Dana Reyes · 9 days old',
    );
    const listed = (await command(SAM, 'list')).reply?.lines ?? [];
    expect(listed.some((line) => line.includes('\n'))).toBe(false);
    expect(listed.join('|')).toContain('Printer jams IS-99');
  });

  it('refuses text with nothing visible in it, posting no card and storing nothing', async ({
    command,
    submit,
    db,
    sent,
  }) => {
    for (const text of ['\u200b\u200b\u200d', '\u202e\u00ad\u2060', '\u00ad'])
      expect((await command(SAM, text)).reply?.text).toBe('Say what is wrong. Nothing was saved.');
    // Control characters are dropped before any feature reads the text: these alone are a bare /issue.
    expect((await command(SAM, '\u0007\u0001\u001b')).form?.formId).toBe(ISSUE_FORMS.file);
    expect(
      (await submit(SAM, ISSUE_FORMS.file, { category: 'it', text: '\u200b\u00ad' })).formErrors,
    ).toEqual({ text: 'Say what is wrong.' });
    expect(await db.select().from(teamIssues)).toHaveLength(0);
    expect(await sent('post')).toHaveLength(0);
  });

  it('refuses too long text, saying the length and the cap, and stores nothing', async ({
    command,
    db,
    recording,
  }) => {
    const long = `secret${'x'.repeat(600)}`;
    const outcome = await command(SAM, long);
    expect(replyText(outcome)).toContain('That is 606 characters; an issue can be at most 500.');
    expect(replyText(outcome)).toContain('Nothing was saved.');
    expect(replyText(outcome)).not.toContain('secret');
    expect(await db.select().from(teamIssues)).toHaveLength(0);
    expect(recording.lines.join('\n')).not.toContain('secret');
  });

  it('gives one owner when two press Take it at once, tells the second who took it, and the raiser once', async ({
    command,
    press,
    db,
    sent,
  }) => {
    const reference = findReference(await command(SAM, TEXT), 'IS');
    const results = await Promise.all([
      press(ANA, ISSUE_ACTIONS.take, reference),
      press(MARCUS, ISSUE_ACTIONS.take, reference),
    ]);
    const [row] = await db.select().from(teamIssues);
    expect(row?.status).toBe('taken');
    const [won, lost] = row?.ownerName === 'Ana Cruz' ? results : [...results].reverse();
    if (!won || !lost) throw new Error('two answers expected');
    expect(replyText(won)).toContain(`You own ${reference} now.`);
    expect(replyText(lost)).toContain(`${reference} was already taken by ${row?.ownerName} on`);
    expect(replyText(lost)).toContain('Nothing was changed.');
    const dms = await sent('dm', SAM);
    expect(dms.map((dm) => dm.message.text)).toEqual([`${row?.ownerName} took your issue ${reference}`]);
    const updates = await sent('update');
    expect(updates).toHaveLength(1);
    expect(updates[0]?.message.buttons?.map((button) => button.label)).toEqual(['Done']);
    expect(updates[0]?.message.note).toContain(`Taken by ${row?.ownerName}`);
    expect(await db.select().from(auditLog).where(eq(auditLog.action, 'issue.taken'))).toHaveLength(1);
  });

  it('lets the owner mark it done with a note; the raiser is told the note; a second Done and a late Take it are refused', async ({
    command,
    press,
    submit,
    db,
    sent,
  }) => {
    const reference = findReference(await command(SAM, TEXT), 'IS');
    await press(ANA, ISSUE_ACTIONS.take, reference);
    const refused = await press(MARCUS, ISSUE_ACTIONS.done, reference);
    expect(replyText(refused)).toContain(
      `Only ${reference}'s owner (Ana Cruz) or a manager (Dana Reyes or Dr. Omar Haddad) can mark it done.`,
    );
    expect(refused.form).toBeUndefined();

    const opened = await press(ANA, ISSUE_ACTIONS.done, reference);
    expect(opened.form).toMatchObject({ formId: ISSUE_FORMS.done, metadata: reference });
    const tooLong = await submit(ANA, ISSUE_FORMS.done, { note: 'n'.repeat(301) }, reference);
    expect(tooLong.formErrors).toEqual({ note: 'Keep the note under 300 characters.' });
    const done = await submit(ANA, ISSUE_FORMS.done, { note: 'New roller fitted' }, reference);
    expect(done.reply?.text).toBe(`${reference} is done. Sam Lee has been told.`);
    const [row] = await db.select().from(teamIssues);
    expect(row).toMatchObject({ status: 'done', doneByName: 'Ana Cruz', doneNote: 'New roller fitted' });
    const told = (await sent('dm', SAM)).at(-1)?.message;
    expect(told?.text).toBe(`Ana Cruz marked your issue ${reference} done`);
    expect(told?.lines).toContain('Note: New roller fitted');
    const card = (await sent('update')).at(-1)?.message;
    expect(card?.buttons).toEqual([]);
    expect(card?.lines).toContain('Note: New roller fitted');
    expect(card?.note).toContain('Done by Ana Cruz');

    const again = await submit(DANA, ISSUE_FORMS.done, { note: '' }, reference);
    expect(replyText(again)).toContain(`${reference} was already done by Ana Cruz`);
    expect(replyText(await press(MARCUS, ISSUE_ACTIONS.done, reference))).toContain(
      'was already done by Ana Cruz',
    );
    expect(replyText(await press(MARCUS, ISSUE_ACTIONS.take, reference))).toContain(
      'was already done by Ana Cruz',
    );
    expect(await db.select().from(teamIssues)).toEqual([expect.objectContaining({ ownerName: 'Ana Cruz' })]);
    const audits = await db.select().from(auditLog).where(eq(auditLog.action, 'issue.done'));
    expect(audits.map((audit) => audit.detail)).toEqual([{ note: true }]);
  });

  it('lets a manager close an issue nobody took', async ({ command, press, submit, db }) => {
    const reference = findReference(await command(SAM, TEXT), 'IS');
    expect((await press(DANA, ISSUE_ACTIONS.done, reference)).form).toBeDefined();
    await submit(DANA, ISSUE_FORMS.done, {}, reference);
    expect(await db.select().from(teamIssues)).toEqual([
      expect.objectContaining({ status: 'done', ownerName: null, doneByName: 'Dana Reyes', doneNote: '' }),
    ]);
  });

  it('lists open issues in the huddle digest until done', async ({ command, press, submit, db }) => {
    const reference = findReference(await command(SAM, TEXT), 'IS');
    const later = at('2026-12-02T08:00'); // Wed
    const before = await loadHuddleDigest(db, office, '2026-12-02', later, quietLogger);
    expect(before.sections).toContainEqual({
      heading: 'Open issues (1)',
      lines: [
        `${reference} · The label printer at the front desk jams on every page · not taken · 2 days old`,
      ],
    });
    await press(ANA, ISSUE_ACTIONS.take, reference);
    const taken = await loadHuddleDigest(db, office, '2026-12-02', later, quietLogger);
    expect(taken.sections.find((section) => section.heading === 'Open issues (1)')?.lines[0]).toContain(
      '· Ana Cruz ·',
    );
    await submit(ANA, ISSUE_FORMS.done, { note: '' }, reference);
    const after = await loadHuddleDigest(db, office, '2026-12-02', later, quietLogger);
    expect(after.sections.map((section) => section.heading)).not.toContainEqual(
      expect.stringMatching(/issues/),
    );
  });

  it('flags an untaken issue to the managers once, a working day later, across two schedulers', async ({
    command,
    press,
    schedulerAt,
    sent,
  }) => {
    const first = findReference(await command(SAM, TEXT), 'IS');
    const second = findReference(await command(SAM, 'Exam room 2 light flickers'), 'IS');
    await press(ANA, ISSUE_ACTIONS.take, second);
    expect((await schedulerAt(() => at('2026-12-01T08:59')).tick())['issue-untaken']).toBe('not-due');
    const clock = () => at('2026-12-01T09:01'); // Tue
    const results = await Promise.all([schedulerAt(clock).tick(), schedulerAt(clock).tick()]);
    // One runs it. The other finds it claimed, or, if it looks only once the first has flagged the issue,
    // finds nothing due: what is due here is read from the issues, which the run changes.
    const outcomes = results.map((result) => result['issue-untaken']);
    expect(outcomes.filter((outcome) => outcome === 'ran')).toHaveLength(1);
    expect(outcomes.filter((outcome) => outcome !== 'ran')).toEqual([
      expect.stringMatching(/^(taken|not-due)$/),
    ]);
    for (const manager of [DANA, OMAR]) {
      const flags = (await sent('dm', manager)).map((row) => row.message.text);
      expect(flags).toEqual([`Nobody has taken issue ${first} for a working day`]);
    }
    expect((await sent('dm', ANA)).length).toBe(0);
    expect((await schedulerAt(() => at('2026-12-02T09:01')).tick())['issue-untaken']).toBe('not-due');

    // Once taken, each manager's flag is redrawn as the card reads: no Take it left to press.
    await press(ANA, ISSUE_ACTIONS.take, first);
    const redrawn = (await sent('update')).filter((row) => row.cardKey?.startsWith(`${first}/flag/`));
    expect(redrawn.map((row) => row.cardKey).sort()).toEqual(
      [`${first}/flag/slack/${DANA}`, `${first}/flag/slack/${OMAR}`].sort(),
    );
    for (const row of redrawn)
      expect(row.message.buttons?.map((button) => button.label) ?? []).not.toContain('Take it');
  });

  it('does not flag an issue taken before its day was up', async ({ command, press, schedulerAt, sent }) => {
    const reference = findReference(await command(SAM, TEXT), 'IS');
    await press(ANA, ISSUE_ACTIONS.take, reference);
    expect((await schedulerAt(() => at('2026-12-03T09:01')).tick())['issue-untaken']).toBe('not-due');
    expect(await sent('dm', DANA)).toHaveLength(0);
  });

  it('shows on home the issues a person raised or owns, and managers the untaken ones with Take it', async ({
    command,
    press,
    db,
  }) => {
    const mine = findReference(await command(SAM, TEXT), 'IS');
    const other = findReference(await command(MARCUS, 'Back door sticks'), 'IS');
    await press(ANA, ISSUE_ACTIONS.take, mine);
    const home = teamIssuesFeature.home;
    if (!home) throw new Error('team issues have no home');
    const of = (userId: string) =>
      home({ db, office, person: resolvePerson(office, 'slack', userId), now: NOW });

    const sam = await of(SAM);
    expect(sam).toHaveLength(1);
    expect(sam[0]?.lines).toEqual([`${mine} · ${TEXT} · taken by Ana Cruz · you raised it`]);
    expect((await of(ANA))[0]?.lines).toEqual([`${mine} · ${TEXT} · taken by Ana Cruz · you own it`]);

    const dana = await of(DANA);
    expect(dana.map((message) => message.title)).toEqual([
      'Issues nobody has taken (1)',
      `Issue ${other} — Other`,
    ]);
    expect(dana[1]?.buttons?.map((button) => button.label)).toEqual(['Take it', 'Done']);
    expect(await of(OMAR)).toHaveLength(2);
  });

  it('answers the same delivery once, storing one issue', async ({ command, db }) => {
    const first = await command(SAM, TEXT, 'slash-1');
    const again = await command(SAM, TEXT, 'slash-1');
    expect(findReference(again, 'IS')).toBe(findReference(first, 'IS'));
    expect(await db.select().from(teamIssues)).toHaveLength(1);
  });

  it('never logs what people typed', async ({ recording }) => {
    expect(recording.lines.join('\n')).not.toContain('label printer');
    expect(recording.lines.join('\n')).not.toContain('New roller');
  });
});
