import { eq } from 'drizzle-orm';
import { describe, expect } from 'vitest';
import { auditLog, credentials, outbox } from '../../src/db/schema/index.ts';
import { CREDENTIAL_FORMS } from '../../src/handlers/credentials/ids.ts';
import { TIME_OFF_ACTIONS } from '../../src/handlers/time-off/ids.ts';
import { ANA, at, credentialsTest, DANA, MARCUS, OMAR } from '../helpers/credentials-fixture.ts';
import { readCsvAttachment } from '../helpers/csv.ts';
import { databaseTargets } from '../helpers/databases.ts';
import { findReference, replyText } from '../helpers/dispatch.ts';

const it = credentialsTest;

describe.each(databaseTargets())('credentials on $name', (target) => {
  it.override({ target });

  it('records a person’s credential for a manager, tells the holder, and audits it', async ({
    command,
    db,
    dmsTo,
  }) => {
    const added = await command(DANA, 'add Ana Cruz bls 2026-12-10 BLS-778');
    expect(added.reply?.text).toMatch(
      /^Credential recorded: CR-\d+ · Ana Cruz · BLS\/CPR · no\. BLS-778 · expires Thu Dec 10, 2026 \(in 10 days\)\.$/,
    );
    expect(await db.select().from(credentials)).toEqual([
      expect.objectContaining({
        holderName: 'Ana Cruz',
        kind: 'bls',
        expires: '2026-12-10',
        credentialNumber: 'BLS-778',
      }),
    ]);
    expect((await dmsTo(ANA))[0]?.message.text).toContain('Dana Reyes recorded your BLS/CPR');
    expect(await db.select().from(auditLog).where(eq(auditLog.action, 'credential.added'))).toHaveLength(1);
  });

  it('says a manager’s own credential, recorded or renewed, changes their Home, and another’s does not', async ({
    command,
  }) => {
    const own = await command(DANA, 'add Dana Reyes bls 2027-01-01');
    expect(own.effects).toEqual([]);
    expect(own.changesOwnHome).toBe(true);
    const reference = findReference(own, 'CR');
    expect((await command(DANA, `renew ${reference} 2028-01-01`)).changesOwnHome).toBe(true);
    const renewedByOther = await command(OMAR, `renew ${reference} 2029-01-01`);
    expect(renewedByOther.changesOwnHome).toBe(false);
    expect(renewedByOther.effects.map((effect) => effect.kind)).toContain('dm');
    expect((await command(DANA, 'add Ana Cruz bls 2027-01-01')).changesOwnHome).toBe(false);
  });

  it('records a practice item by any name, and a past date as lapsed', async ({ command }) => {
    const added = await command(DANA, 'add practice "CLIA certificate" 2026-11-01');
    expect(replyText(added)).toContain('The practice · CLIA certificate · ⚠️ lapsed Mon Nov 2, 2026');
    expect(replyText(added)).toContain('It has already lapsed, and is recorded as lapsed.');
  });

  it.for([
    [
      'add Ana Cruz "Unicorn licence" 2027-01-01',
      /"Unicorn licence" is not a kind of credential this practice tracks \(BLS\/CPR\)/,
    ],
    ['add Ana Cruz bls soonish', /"soonish" is not a date I can read/],
    ['add Ana Cruz bls 2027-03-31 to', /^An expiry is one day, like 2027-03-31\./],
    ['add Ana Cruz bls 2027-03-01 to 2027-03-31', /^An expiry is one day, like 2027-03-31\./],
    ['add Nobody "BLS" 2027-01-01', /Nobody is not on the staff list/],
    ['add Ana Cruz bls 2099-01-01', /too far ahead/],
    ['add practice "\u200b\u200b\u200d" 2027-03-31', /^Say which credential/],
    ['add practice "\u202e\u00ad\u2060" 2027-03-31', /^Say which credential/],
  ] as const)('refuses `/creds %s` and stores nothing', async ([text, expected], { command, db }) => {
    const outcome = await command(DANA, text);
    expect(replyText(outcome)).toMatch(expected);
    expect(replyText(outcome)).toContain('Nothing was saved.');
    expect(await db.select().from(credentials)).toHaveLength(0);
  });

  it('keeps add, renew, list and export to managers, and mine to each holder', async ({ command, db }) => {
    expect(replyText(await command(ANA, 'add Ana Cruz bls 2027-01-01'))).toMatch(
      /Only Dana Reyes or Dr\. Omar Haddad/,
    );
    expect(await db.select().from(credentials)).toHaveLength(0);
    await command(DANA, 'add Ana Cruz bls 2027-01-01 BLS-1');
    expect(replyText(await command(ANA, 'list'))).toMatch(/Only Dana Reyes/);
    expect(replyText(await command(ANA, 'mine'))).toContain('no. BLS-1');
    expect(replyText(await command(MARCUS, 'mine'))).not.toContain('BLS-1');
    expect(replyText(await command(DANA, 'list'))).toContain('no. BLS-1');
    expect(replyText(await command(DANA, 'list expiring'))).toContain('None.');
    expect(await db.select().from(auditLog).where(eq(auditLog.action, 'credential.listed'))).toHaveLength(2);
    const exported = readCsvAttachment(await command(DANA, 'export'));
    expect(exported.header).toEqual([
      'reference',
      'holder',
      'credential',
      'number',
      'valid_through',
      'status',
    ]);
    expect(exported.rows).toEqual([
      [expect.stringMatching(/^CR-\d+$/), 'Ana Cruz', 'BLS/CPR', 'BLS-1', '2027-01-01', 'valid'],
    ]);
  });

  it('renews: the expiry moves on, the holder is told, and an earlier date is refused', async ({
    command,
    db,
    dmsTo,
  }) => {
    const reference = findReference(await command(DANA, 'add Ana Cruz bls 2026-12-10'), 'CR');
    expect(replyText(await command(DANA, `renew ${reference} 2026-12-01`))).toContain(
      'is not after its current expiry',
    );
    const renewed = await command(DANA, `renew ${reference} 2028-12-10`);
    expect(replyText(renewed)).toContain('expires Sun Dec 10, 2028');
    expect((await db.select().from(credentials))[0]?.expires).toBe('2028-12-10');
    expect((await dmsTo(ANA)).map((row) => row.message.text)).toContainEqual(
      expect.stringContaining(`Dana Reyes renewed BLS/CPR (${reference})`),
    );
    expect((await command(OMAR, `renew ${reference} 2028-12-10`)).reply?.text).toBe(
      `${reference} already runs to Sun Dec 10, 2028: Dana Reyes renewed it on Mon Nov 30 at 9:00 AM. Nothing was changed.`,
    );
    expect((await command(OMAR, `renew ${reference} 2027-12-10`)).reply?.text).toBe(
      `Fri Dec 10, 2027 is not after its current expiry (Sun Dec 10, 2028; Dana Reyes renewed it on Mon Nov 30 at 9:00 AM). If Sun Dec 10, 2028 was a typo, add it again with the right date, which corrects the record: /creds add Ana Cruz bls 2027-12-10. Nothing was changed.`,
    );
  });

  it('renews once when two managers renew to the same date at once, and the other is told who did', async ({
    command,
    db,
  }) => {
    const reference = findReference(await command(DANA, 'add Ana Cruz bls 2026-12-10'), 'CR');
    const answers = await Promise.all([
      command(DANA, `renew ${reference} 2028-12-10`),
      command(OMAR, `renew ${reference} 2028-12-10`),
    ]);
    const texts = answers.map((answer) => answer.reply?.text ?? '');
    const renewedBy = texts[0]?.startsWith('Renewed') ? 'Dana Reyes' : 'Dr. Omar Haddad';
    expect(texts.filter((text) => text.startsWith('Renewed:'))).toHaveLength(1);
    expect(texts).toContainEqual(
      `${reference} already runs to Sun Dec 10, 2028: ${renewedBy} renewed it on Mon Nov 30 at 9:00 AM. Nothing was changed.`,
    );
    const audit = await db.select().from(auditLog).where(eq(auditLog.action, 'credential.renewed'));
    expect(audit).toHaveLength(1);
  });

  it('opens a form for managers and records from it, correcting a missing kind first', async ({
    command,
    submit,
    db,
  }) => {
    expect((await command(DANA, '')).form?.formId).toBe(CREDENTIAL_FORMS.add);
    const first = await submit(DANA, CREDENTIAL_FORMS.add, { holder: 'ana-cruz', expires: '2027-02-01' });
    expect(first.formErrors).toEqual({ kind: 'Choose the kind of credential.' });
    const fixed = await submit(DANA, CREDENTIAL_FORMS.add, {
      holder: 'ana-cruz',
      kind: 'bls',
      expires: '2027-02-01',
    });
    expect(replyText(fixed)).toContain('Ana Cruz · BLS/CPR');
    expect(await db.select().from(credentials)).toHaveLength(1);
    // A crafted form's line breaks in a one-line field are kept out of the name the huddle shows.
    await submit(DANA, CREDENTIAL_FORMS.add, {
      holder: 'practice',
      name: 'CLIA\r\ncertificate',
      expires: '2027-06-30',
      number: '12\n34',
    });
    expect((await db.select().from(credentials)).at(-1)).toMatchObject({
      name: 'CLIA certificate',
      credentialNumber: '12 34',
    });
    expect((await command(ANA, '')).reply?.title).toBe('Your credentials');
  });

  it('asks again for a practice item named with nothing visible, and keeps an invisible number as none', async ({
    command,
    submit,
    db,
  }) => {
    const unnamed = await submit(DANA, CREDENTIAL_FORMS.add, {
      holder: 'practice',
      name: '\u200b\u00ad',
      expires: '2027-02-01',
    });
    expect(unnamed.formErrors).toEqual({ name: 'Choose a kind, or name the practice item.' });
    expect(await db.select().from(credentials)).toHaveLength(0);
    await command(DANA, 'add practice "CLIA certificate" 2027-06-30 \u200b\u2060');
    expect(await db.select().from(credentials)).toEqual([
      expect.objectContaining({ name: 'CLIA certificate', credentialNumber: null }),
    ]);
  });

  it('reminds the holder at reminders.time, managers too within 30 days, once across two schedulers', async ({
    command,
    schedulerAt,
    dmsTo,
  }) => {
    await command(DANA, 'add Ana Cruz bls 2026-12-10');
    const before = (await dmsTo(ANA)).length;
    expect((await schedulerAt(() => at('2026-11-30T09:59')).tick())['credential-reminders']).toBe('not-due');
    const clock = () => at('2026-11-30T10:01');
    const results = await Promise.all([schedulerAt(clock).tick(), schedulerAt(clock).tick()]);
    expect(results.map((result) => result['credential-reminders']).sort()).toEqual(['ran', 'taken']);
    const reminders = (await dmsTo(ANA)).slice(before);
    expect(reminders.map((row) => row.message.text)).toEqual([
      expect.stringMatching(/^Reminder: your BLS\/CPR \(CR-\d+\) expires Thu Dec 10, 2026 \(in 10 days\)/),
    ]);
    for (const manager of [DANA, OMAR])
      expect((await dmsTo(manager)).map((row) => row.message.text)).toContainEqual(
        expect.stringMatching(/^Ana Cruz's BLS\/CPR \(CR-\d+\) expires Thu Dec 10, 2026/),
      );
    expect((await schedulerAt(() => at('2026-12-01T10:01')).tick())['credential-reminders']).toBe('taken');
  });

  it('counts a lapsed credential on a time-off card: no one else may cover the role that day', async ({
    command,
    run,
    db,
  }) => {
    await command(DANA, 'add Ana Cruz bls 2026-12-10');
    const cardLines = async (day: string) => {
      const reference = findReference(
        await run(MARCUS, { kind: 'command', command: 'timeoff', text: day }),
        'TO',
      );
      const [card] = (await db.select().from(outbox).orderBy(outbox.id)).filter(
        (row) => row.kind === 'post' && row.cardKey === reference,
      );
      return (card?.message as { lines?: string[] } | undefined)?.lines ?? [];
    };
    // Ana, the other medical assistant, is cleared through Dec 10 and not after.
    expect(await cardLines('dec 10')).not.toContainEqual(expect.stringContaining('⚠️ Coverage'));
    expect(await cardLines('dec 11')).toContain('⚠️ Coverage: Medical assistant: 0 of 1 needed on Fri Dec 11');
  });

  it('tells of a lapse once, and keeps the holder out of coverage from the next day', async ({
    command,
    run,
    schedulerAt,
    dmsTo,
  }) => {
    await command(DANA, 'add Ana Cruz bls 2026-12-10');
    const filed = await run(MARCUS, { kind: 'command', command: 'timeoff', text: 'dec 10 to dec 11' });
    await run(DANA, {
      kind: 'action',
      actionId: TIME_OFF_ACTIONS.approve,
      value: findReference(filed, 'TO'),
    });
    const huddle = async (day: string) =>
      (await run(ANA, { kind: 'command', command: 'huddle', text: day }, at('2026-12-09T08:00'))).reply
        ?.sections ?? [];
    // Dec 10 is Ana's last valid day: the huddle warns only of the next working day.
    expect(await huddle('dec 10')).toContainEqual({
      heading: 'Coverage',
      lines: ['⚠️ Fri Dec 11 — Medical assistant: 0 of 1 needed on duty'],
    });
    expect(await huddle('dec 11')).toContainEqual({
      heading: 'Coverage',
      lines: expect.arrayContaining(['⚠️ Medical assistant: 0 of 1 needed on duty']),
    });
    expect(JSON.stringify(await huddle('dec 11'))).toContain('BLS/CPR — Ana Cruz: ⚠️ lapsed Fri Dec 11, 2026');

    const lapse = () => at('2026-12-11T10:01');
    expect((await schedulerAt(lapse).tick())['credential-reminders']).toBe('ran');
    expect((await schedulerAt(lapse).tick())['credential-reminders']).toBe('taken');
    const notices = (await dmsTo(DANA)).filter((row) =>
      row.message.text.includes('lapsed on Fri Dec 11, 2026'),
    );
    expect(notices).toHaveLength(1);
    expect((await dmsTo(ANA)).filter((row) => row.message.text.includes('has lapsed'))).toHaveLength(1);
  });
});
