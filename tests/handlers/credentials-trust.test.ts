import { eq } from 'drizzle-orm';
import { describe, expect } from 'vitest';
import type { OfficeConfig } from '../../src/config/office.ts';
import { auditLog, credentials, outbox } from '../../src/db/schema/index.ts';
import { ANA, at, credentialsTest, DANA, MARCUS, OMAR, office } from '../helpers/credentials-fixture.ts';
import { readCsvAttachment } from '../helpers/csv.ts';
import { databaseTargets } from '../helpers/databases.ts';
import { findReference, replyText } from '../helpers/dispatch.ts';

const WARNING = '⚠️ Coverage: Medical assistant: 0 of 1 needed on Fri Dec 11';

/** The office after Ana Cruz left: off the staff list, her records still stored. */
const withoutAna: OfficeConfig = {
  ...office,
  staff: office.staff.filter((member) => member.name !== 'Ana Cruz') as OfficeConfig['staff'],
};

const it = credentialsTest
  .extend(
    'fileTimeOff',
    ({ run }) =>
      async (day: string) =>
        findReference(await run(MARCUS, { kind: 'command', command: 'timeoff', text: day }), 'TO'),
  )
  .extend(
    'cardRows',
    ({ db }) =>
      async (cardKey: string) =>
        (await db.select().from(outbox).orderBy(outbox.id))
          .filter((row) => row.cardKey === cardKey && (row.kind === 'post' || row.kind === 'update'))
          .map((row) => ({
            kind: row.kind,
            lines: (row.message as { lines?: string[] }).lines ?? [],
            message: row.message,
          })),
  )
  .extend(
    'huddleText',
    ({ run }) =>
      async (day: string, asOffice = office) =>
        JSON.stringify(
          (
            await run(
              DANA,
              { kind: 'command', command: 'huddle', text: day },
              at('2026-12-09T08:00'),
              asOffice,
            )
          ).reply,
        ),
  );

describe.each(databaseTargets())(
  'credentials that time-off cards and the huddle can trust, on $name',
  (target) => {
    it.override({ target });

    it('redraws a pending card when a credential is corrected, and again when it is renewed', async ({
      command,
      fileTimeOff,
      cardRows,
    }) => {
      const credential = findReference(await command(DANA, 'add Ana Cruz bls 2036-12-10'), 'CR');
      const card = await fileTimeOff('dec 11'); // Fri
      expect(await cardRows(card)).toMatchObject([
        { kind: 'post', lines: expect.not.arrayContaining([WARNING]) },
      ]);

      // The typo corrected: Ana's BLS/CPR lapses Dec 11, so Marcus's day off leaves no medical assistant.
      await command(DANA, 'add Ana Cruz bls 2026-12-10');
      const corrected = await cardRows(card);
      expect(corrected.map((row) => row.kind)).toEqual(['post', 'update']);
      expect(corrected.at(-1)?.lines).toContain(WARNING);

      // Renewed: Ana counts again, and the warning goes. (An update still unsent is replaced by the newer one.)
      await command(DANA, `renew ${credential} 2028-12-10`);
      const renewed = await cardRows(card);
      expect(renewed.map((row) => row.kind)).toEqual(['post', 'update']);
      expect(renewed.at(-1)?.lines).not.toContain(WARNING);
      // Drawn as before the correction: the same lines, and an Approve that asks nothing more.
      expect(renewed.at(-1)?.message).toEqual(renewed[0]?.message);
    });

    it('redraws a pending card when a first record says the credential has lapsed', async ({
      command,
      fileTimeOff,
      cardRows,
    }) => {
      const card = await fileTimeOff('dec 11');
      await command(DANA, 'add Ana Cruz bls 2026-12-10');
      expect((await cardRows(card)).at(-1)).toMatchObject({
        kind: 'update',
        lines: expect.arrayContaining([WARNING]),
      });
    });

    it('leaves cards alone for a practice item, which no role requires', async ({
      command,
      fileTimeOff,
      cardRows,
    }) => {
      const card = await fileTimeOff('dec 11');
      await command(DANA, 'add practice "CLIA certificate" 2026-12-10');
      expect((await cardRows(card)).map((row) => row.kind)).toEqual(['post']);
    });

    it('removes a credential for good: audited, kept for the export, out of lists and coverage; once', async ({
      command,
      run,
      db,
      fileTimeOff,
      cardRows,
      dmsTo,
    }) => {
      const reference = findReference(await command(DANA, 'add Ana Cruz bls 2026-12-10'), 'CR');
      const card = await fileTimeOff('dec 11');
      expect((await cardRows(card))[0]?.lines).toContain(WARNING);

      expect(replyText(await command(MARCUS, `remove ${reference}`))).toContain(
        'Only Dana Reyes or Dr. Omar Haddad',
      );
      const removed = await command(DANA, `remove ${reference}`);
      expect(replyText(removed)).toContain(
        `Removed ${reference}: Ana Cruz's BLS/CPR (expires Thu Dec 10, 2026 (in 10 days)). It leaves the huddle, the reminders, /creds list and the holder’s own list; /creds export keeps it, marked removed. Coverage now treats Ana Cruz as holding no BLS/CPR.`,
      );
      expect((await dmsTo(ANA)).map((row) => row.message.text)).toContainEqual(
        `Dana Reyes removed your BLS/CPR (${reference}) from the credentials frontdesk tracks.`,
      );
      expect(await db.select().from(credentials)).toEqual([
        expect.objectContaining({
          expires: '2026-12-10',
          removedByName: 'Dana Reyes',
          removedAt: expect.any(Date),
        }),
      ]);
      expect(await db.select().from(auditLog).where(eq(auditLog.action, 'credential.removed'))).toEqual([
        expect.objectContaining({ entity: reference }),
      ]);
      // Ana counts toward coverage again: the card is redrawn without the warning.
      expect((await cardRows(card)).at(-1)).toMatchObject({
        kind: 'update',
        lines: expect.not.arrayContaining([WARNING]),
      });

      const again = await command(OMAR, `remove ${reference}`);
      expect(replyText(again)).toMatch(
        new RegExp(`^${reference} was already removed by Dana Reyes on .+\\. Nothing was changed\\.`),
      );
      expect(await db.select().from(auditLog).where(eq(auditLog.action, 'credential.removed'))).toHaveLength(
        1,
      );
      expect(replyText(await command(DANA, `renew ${reference} 2028-12-10`))).toContain(
        `${reference} was removed by Dana Reyes`,
      );

      expect(replyText(await command(DANA, 'list'))).not.toContain(reference);
      expect(replyText(await run(ANA, { kind: 'command', command: 'creds', text: 'mine' }))).not.toContain(
        reference,
      );
      const csv = readCsvAttachment(await command(DANA, 'export'));
      expect(csv.rows).toContainEqual([reference, 'Ana Cruz', 'BLS/CPR', '', '2026-12-10', 'removed']);

      // Recorded again after a removal, it is a new record, not a correction of the removed one.
      const anew = await command(DANA, 'add Ana Cruz bls 2028-12-10');
      expect(replyText(anew)).toContain('Credential recorded: CR-');
      expect(findReference(anew, 'CR')).not.toBe(reference);
    });

    it('leaves the huddle and the reminders without the credentials of someone who left', async ({
      command,
      run,
      huddleText,
      schedulerAt,
      dmsTo,
    }) => {
      const reference = findReference(await command(DANA, 'add Ana Cruz bls 2026-12-10'), 'CR');
      await command(DANA, 'add practice "CLIA certificate" 2026-12-20');
      expect(await huddleText('dec 11')).toContain('BLS/CPR — Ana Cruz');

      const huddle = await huddleText('dec 11', withoutAna);
      expect(huddle).not.toContain('Ana Cruz');
      expect(huddle).toContain('CLIA certificate — The practice');

      // The managers still see her record, marked, with how to retire it.
      const list = await run(
        DANA,
        { kind: 'command', command: 'creds', text: 'list' },
        at('2026-12-09T08:00'),
        withoutAna,
      );
      expect(list.reply?.lines).toContainEqual(
        expect.stringMatching(
          new RegExp(`^${reference} · Ana Cruz · BLS/CPR · .* · no longer on the staff list$`),
        ),
      );
      expect(list.reply?.lines).toContainEqual(
        expect.stringContaining(`/creds remove ${reference} retires a record`),
      );

      // Her lapse the day after Dec 10 is news to nobody: she has left.
      const before = await Promise.all([DANA, OMAR].map(async (manager) => (await dmsTo(manager)).length));
      await schedulerAt(() => at('2026-12-11T10:01'), withoutAna).tick();
      for (const [index, manager] of [DANA, OMAR].entries())
        expect((await dmsTo(manager)).slice(before[index]).map((row) => row.message.text)).not.toContainEqual(
          expect.stringContaining('Ana Cruz'),
        );
      // While she was on staff, the same day's run tells the managers.
      await schedulerAt(() => at('2026-12-11T10:01')).tick();
      expect((await dmsTo(DANA)).map((row) => row.message.text)).toContainEqual(
        expect.stringContaining(`Ana Cruz's BLS/CPR (${reference}) lapsed`),
      );
    });

    it('refuses a renewal to an earlier date and says that adding it again corrects the record', async ({
      command,
      db,
    }) => {
      const reference = findReference(await command(DANA, 'add Ana Cruz bls 2027-03-31'), 'CR');
      await command(DANA, `renew ${reference} 2039-03-31`); // a typo for 2029
      const refused = await command(DANA, `renew ${reference} 2029-03-31`);
      expect(replyText(refused)).toContain(
        'If Thu Mar 31, 2039 was a typo, add it again with the right date, which corrects the record: /creds add Ana Cruz bls 2029-03-31. Nothing was changed.',
      );
      await command(DANA, 'add Ana Cruz bls 2029-03-31');
      expect((await db.select().from(credentials)).map((row) => row.expires)).toEqual(['2029-03-31']);
    });
  },
);
