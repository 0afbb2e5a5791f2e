import { eq } from 'drizzle-orm';
import { describe, expect } from 'vitest';
import { auditLog, credentials, outbox } from '../../src/db/schema/index.ts';
import { CREDENTIAL_FORMS } from '../../src/handlers/credentials/ids.ts';
import { ANA, at, credentialsTest, DANA, MARCUS, NOW, OMAR, office } from '../helpers/credentials-fixture.ts';
import { databaseTargets } from '../helpers/databases.ts';
import { findReference, replyText } from '../helpers/dispatch.ts';

const it = credentialsTest.extend('coverageLines', ({ run, db }) => async (day: string) => {
  const reference = findReference(
    await run(MARCUS, { kind: 'command', command: 'timeoff', text: day }),
    'TO',
  );
  const [card] = (await db.select().from(outbox).orderBy(outbox.id)).filter(
    (row) => row.kind === 'post' && row.cardKey === reference,
  );
  return (card?.message as { lines?: string[] } | undefined)?.lines ?? [];
});

describe.each(databaseTargets())('credentials corrected on $name', (target) => {
  it.override({ target });

  it('corrects the record when the same person and kind are added again, to an earlier date too', async ({
    command,
    db,
    dmsTo,
    coverageLines,
    recording,
  }) => {
    const reference = findReference(await command(DANA, 'add Ana Cruz bls 2036-12-10 OLD-1'), 'CR');
    const corrected = await command(DANA, 'add Ana Cruz bls 2026-12-10 NEW-2');
    expect(replyText(corrected)).toContain(
      `Corrected ${reference}: expires Thu Dec 10, 2026 (was Wed Dec 10, 2036), no. NEW-2 (was OLD-1)`,
    );
    expect(await db.select().from(credentials)).toEqual([
      expect.objectContaining({
        number: Number(reference.slice(3)),
        expires: '2026-12-10',
        credentialNumber: 'NEW-2',
      }),
    ]);
    expect(await db.select().from(auditLog).where(eq(auditLog.action, 'credential.corrected'))).toEqual([
      expect.objectContaining({ entity: reference }),
    ]);
    expect((await dmsTo(ANA)).map((row) => row.message.text)).toContainEqual(
      `Dana Reyes corrected your BLS/CPR (${reference}): expires Thu Dec 10, 2026 (in 10 days).`,
    );
    // The corrected date, not the typo, decides coverage: Ana's BLS/CPR lapses Dec 11.
    expect(await coverageLines('dec 11')).toContain(
      '⚠️ Coverage: Medical assistant: 0 of 1 needed on Fri Dec 11',
    );
    expect(recording.text()).not.toContain('NEW-2');
    expect(recording.text()).not.toContain('OLD-1');
  });

  it('keeps the number when the correction names none, and corrects a number alone', async ({
    command,
    db,
  }) => {
    const reference = findReference(await command(DANA, 'add Ana Cruz bls 2027-12-10 OLD-1'), 'CR');
    expect(replyText(await command(DANA, 'add Ana Cruz bls 2027-12-11'))).toContain(
      `Corrected ${reference}: expires Sat Dec 11, 2027 (was Fri Dec 10, 2027)`,
    );
    expect(replyText(await command(DANA, 'add Ana Cruz bls 2027-12-11 NEW-2'))).toContain(
      `Corrected ${reference}: no. NEW-2 (was OLD-1)`,
    );
    expect(await db.select().from(credentials)).toEqual([
      expect.objectContaining({ expires: '2027-12-11', credentialNumber: 'NEW-2' }),
    ]);
  });

  it('moves a lapse out of the huddle and the DMs when a second add records the new card', async ({
    command,
    run,
    schedulerAt,
    dmsTo,
  }) => {
    await command(DANA, 'add Ana Cruz bls 2026-12-10 OLD-1');
    await command(DANA, 'add Ana Cruz bls 2028-12-10 NEW-2');
    const huddle = (
      await run(ANA, { kind: 'command', command: 'huddle', text: 'dec 14' }, at('2026-12-14T08:00'))
    ).reply;
    expect(JSON.stringify(huddle?.sections ?? [])).not.toContain('lapsed');
    await schedulerAt(() => at('2026-12-11T10:01')).tick();
    expect((await dmsTo(ANA)).filter((row) => row.message.text.includes('has lapsed'))).toEqual([]);
  });

  it('answers that an identical add is already recorded, stores nothing, and reminds once', async ({
    command,
    db,
    schedulerAt,
    dmsTo,
  }) => {
    const reference = findReference(await command(DANA, 'add Ana Cruz bls 2026-12-10 BLS-778'), 'CR');
    const again = await command(DANA, 'add Ana Cruz bls 2026-12-10 BLS-778');
    expect(replyText(again)).toMatch(new RegExp(`^Already recorded as ${reference}: `));
    expect(replyText(again)).toContain('Nothing was changed.');
    expect(again.effects).toEqual([]);
    expect(await db.select().from(credentials)).toHaveLength(1);
    expect(await db.select().from(auditLog).where(eq(auditLog.action, 'credential.added'))).toHaveLength(1);
    expect(await db.select().from(auditLog).where(eq(auditLog.action, 'credential.corrected'))).toHaveLength(
      0,
    );
    await schedulerAt(() => at('2026-11-30T10:01')).tick();
    expect((await dmsTo(ANA)).filter((row) => row.message.text.startsWith('Reminder:'))).toHaveLength(1);
  });

  it('stores one record when the same add arrives several times at once', async ({ command, db }) => {
    // Connections opened first, so the adds below overlap rather than wait on a connection one by one.
    await Promise.all(Array.from({ length: 8 }, () => command(DANA, 'mine')));
    // A second try after a slow answer, and another manager recording the same card, all at once.
    const answers = await Promise.all(
      Array.from({ length: 8 }, (_, index) =>
        command(index % 2 ? OMAR : DANA, 'add Ana Cruz bls 2027-12-10 BLS-1', `race-${index}`),
      ),
    );
    expect(await db.select().from(credentials)).toHaveLength(1);
    const texts = answers.map(replyText);
    expect(texts.filter((text) => text.startsWith('Credential recorded:'))).toHaveLength(1);
    expect(texts.filter((text) => text.startsWith('Already recorded as CR-'))).toHaveLength(7);
  });

  it('corrects from the form as from the command', async ({ submit, db }) => {
    await submit(DANA, CREDENTIAL_FORMS.add, { holder: 'ana-cruz', kind: 'bls', expires: '2027-02-01' });
    const corrected = await submit(DANA, CREDENTIAL_FORMS.add, {
      holder: 'ana-cruz',
      kind: 'bls',
      expires: '2027-01-31',
      number: 'BLS-9',
    });
    expect(replyText(corrected)).toMatch(
      /^Corrected CR-\d+: expires Sun Jan 31, 2027 \(was Mon Feb 1, 2027\)/,
    );
    expect(await db.select().from(credentials)).toEqual([
      expect.objectContaining({ expires: '2027-01-31', credentialNumber: 'BLS-9' }),
    ]);
  });

  it('corrects a practice item added again under the same name, and keeps other items apart', async ({
    command,
    db,
  }) => {
    await command(DANA, 'add practice "CLIA certificate" 2027-06-30');
    await command(DANA, 'add practice "Lease" 2027-06-30');
    expect(replyText(await command(DANA, 'add practice "clia certificate" 2027-07-31'))).toMatch(
      /^Corrected CR-\d+: expires Sat Jul 31, 2027 \(was Wed Jun 30, 2027\)/,
    );
    const rows = await db.select().from(credentials).orderBy(credentials.number);
    expect(rows.map((row) => [row.name, row.expires])).toEqual([
      ['CLIA certificate', '2027-07-31'],
      ['Lease', '2027-06-30'],
    ]);
  });

  it('uses only the latest record of a person and kind that an older build stored twice', async ({
    command,
    run,
    db,
    schedulerAt,
    dmsTo,
    coverageLines,
  }) => {
    const row = {
      officeId: office.office.id,
      holderKey: 'staff:ana-cruz',
      holderName: 'Ana Cruz',
      kind: 'bls',
      name: 'BLS/CPR',
      createdByName: 'Dana Reyes',
      createdAt: NOW.toJSDate(),
    };
    // Older builds stored a second /creds add as a second record: the later one is what the manager meant.
    await db.insert(credentials).values({ ...row, expires: '2028-12-10', credentialNumber: 'TYPO-1' });
    await db.insert(credentials).values({ ...row, expires: '2026-12-10', credentialNumber: 'BLS-2' });
    const listed = await command(DANA, 'list');
    expect(listed.reply?.lines).toEqual([expect.stringContaining('no. BLS-2 · expires Thu Dec 10, 2026')]);
    expect((await command(ANA, 'mine')).reply?.lines).toHaveLength(1);
    expect(await coverageLines('dec 11')).toContain(
      '⚠️ Coverage: Medical assistant: 0 of 1 needed on Fri Dec 11',
    );
    const huddle = (
      await run(ANA, { kind: 'command', command: 'huddle', text: 'dec 11' }, at('2026-12-11T08:00'))
    ).reply;
    expect(JSON.stringify(huddle?.sections ?? [])).toContain('BLS/CPR — Ana Cruz: ⚠️ lapsed Fri Dec 11, 2026');
    await schedulerAt(() => at('2026-11-30T10:01')).tick();
    expect((await dmsTo(ANA)).filter((dm) => dm.message.text.startsWith('Reminder:'))).toHaveLength(1);
    // The record left behind cannot be renewed in place of the one in force.
    const [first, second] = (await db.select().from(credentials)).sort((a, b) => a.number - b.number);
    expect((await command(DANA, `renew CR-${first?.number} 2030-01-01`)).reply?.text).toBe(
      `CR-${first?.number} was replaced by CR-${second?.number}, which is the one in force: renew CR-${second?.number}. Nothing was changed.`,
    );
    expect((await db.select().from(credentials)).map((stored) => stored.expires).sort()).toEqual([
      '2026-12-10',
      '2028-12-10',
    ]);
  });
});

describe.each(databaseTargets())('credentials typed on $name', (target) => {
  it.override({ target });

  it.for([
    ['add Ana Cruz bls March 31, 28 NUM-1', '2028-03-31', 'NUM-1'],
    ['add Ana Cruz bls mar 31 28', '2028-03-31', null],
    ['add Ana Cruz bls 31 March 28 NUM-1', '2028-03-31', 'NUM-1'],
    ['add Ana Cruz bls March 31, 2028 NUM-1', '2028-03-31', 'NUM-1'],
  ] as const)(
    'reads a two-digit year after the day: `/creds %s`',
    async ([text, expires, number], { command, db }) => {
      await command(DANA, text);
      expect(await db.select().from(credentials)).toEqual([
        expect.objectContaining({ expires, credentialNumber: number }),
      ]);
    },
  );

  it('reads a two-digit year in a renewal, and records a new number given after the date', async ({
    command,
    db,
    recording,
  }) => {
    const reference = findReference(await command(DANA, 'add Ana Cruz bls 2026-12-05 OLD-1'), 'CR');
    const renewed = await command(DANA, `renew ${reference} dec 10 28`);
    expect(replyText(renewed)).toContain('expires Sun Dec 10, 2028');
    expect((await db.select().from(credentials))[0]).toMatchObject({
      expires: '2028-12-10',
      credentialNumber: 'OLD-1',
    });
    const withNumber = await command(DANA, `renew ${reference} 2029-12-10 NEW-2`);
    expect(replyText(withNumber)).toMatch(
      /^Renewed: CR-\d+ · Ana Cruz · BLS\/CPR · no\. NEW-2 · expires Mon Dec 10, 2029/,
    );
    expect(replyText(withNumber)).toContain('New number: NEW-2 (was OLD-1).');
    expect((await db.select().from(credentials))[0]).toMatchObject({
      expires: '2029-12-10',
      credentialNumber: 'NEW-2',
    });
    expect(recording.text()).not.toContain('NEW-2');
  });

  it.for([
    ['add Ana Cruz bls 0000-01-01'],
    ['add Ana Cruz bls 1900-01-01'],
    ['add Ana Cruz bls 2006-11-29'],
  ] as const)('refuses an expiry too long ago to be real: `/creds %s`', async ([text], { command, db }) => {
    const outcome = await command(DANA, text);
    expect(replyText(outcome)).toMatch(/is more than 20 years ago: not a real expiry\./);
    expect(replyText(outcome)).toContain('Nothing was saved.');
    expect(await db.select().from(credentials)).toHaveLength(0);
  });

  it('refuses a long-past expiry from the form and a renewal', async ({ command, submit, db }) => {
    const form = await submit(DANA, CREDENTIAL_FORMS.add, {
      holder: 'ana-cruz',
      kind: 'bls',
      expires: '1900-01-01',
    });
    expect(form.formErrors?.expires).toMatch(/more than 20 years ago/);
    expect(await db.select().from(credentials)).toHaveLength(0);
    const reference = findReference(await command(DANA, 'add Ana Cruz bls 2026-12-05'), 'CR');
    expect(replyText(await command(DANA, `renew ${reference} 0000-01-01`))).toContain('Nothing was changed.');
  });

  it('keeps an apostrophe inside a quoted practice item name', async ({ command, db }) => {
    await command(DANA, `add practice "Doctor's DEA registration" 2027-06-30`);
    await command(DANA, 'add practice “Doctor’s malpractice policy” 2027-07-31 POL-1');
    await command(DANA, `add practice 'Doctor's lease' 2027-08-31`);
    const rows = await db.select().from(credentials).orderBy(credentials.number);
    expect(rows.map((row) => [row.name, row.expires, row.credentialNumber])).toEqual([
      ["Doctor's DEA registration", '2027-06-30', null],
      ['Doctor’s malpractice policy', '2027-07-31', 'POL-1'],
      ["Doctor's lease", '2027-08-31', null],
    ]);
  });
});
