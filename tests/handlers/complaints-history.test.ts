import { asc } from 'drizzle-orm';
import { DateTime } from 'luxon';
import { describe, expect } from 'vitest';
import { complaintResolutions, outbox } from '../../src/db/schema/index.ts';
import { COMPLAINT_ACTIONS, COMPLAINT_FORMS } from '../../src/handlers/complaints/ids.ts';
import { readCsvAttachment } from '../helpers/csv.ts';
import { databaseTargets } from '../helpers/databases.ts';
import { findReference, replyText } from '../helpers/dispatch.ts';
import { createHandlerTest } from '../helpers/handler-fixture.ts';
import { buildOfficeConfig } from '../helpers/office.ts';

const office = buildOfficeConfig();
const zone = office.office.timezone;
const FILED = DateTime.fromISO('2026-03-06T12:00', { zone }); // Fri
const FIRST_RESOLVE = DateTime.fromISO('2026-03-09T10:00', { zone }); // Mon
const REOPENED = DateTime.fromISO('2026-03-10T09:00', { zone }); // Tue
const SECOND_RESOLVE = DateTime.fromISO('2026-03-11T15:30', { zone }); // Wed
const SAM = 'U0SAM'; // front desk
const DANA = 'U0DANA'; // manager
const OMAR = 'U0OMAR'; // physician, manager
const FIRST = 'Refunded the second charge';
const SECOND = 'Billing system fixed; called her back';
// The export's columns before the history was kept, which spreadsheets read by position.
const EARLIER_COLUMNS = [
  'reference',
  'filed',
  'from',
  'category',
  'severity',
  'status',
  'reporter',
  'owner',
  'acknowledge_by',
  'acknowledged',
  'resolve_by',
  'resolved',
  'resolved_by',
  'contacted',
  'call_back',
  'call_back_name',
  'call_back_phone',
  'when',
  'what_happened',
  'outcome_wanted',
  'resolution',
  'reopened',
  'reopened_last',
  'reopened_by',
];

const it = createHandlerTest({
  office,
  now: FILED,
  command: 'complaint',
  actions: COMPLAINT_ACTIONS,
  forms: COMPLAINT_FORMS,
})
  .extend('fileAcknowledged', ({ command, press }) => async () => {
    const reference = findReference(await command(SAM, 'Charged twice for one visit'), 'CP');
    await press(DANA, COMPLAINT_ACTIONS.acknowledge, reference);
    return reference;
  })
  .extend(
    'resolveAt',
    ({ run }) =>
      (userId: string, reference: string, summary: string, at: DateTime, deliveryId?: string) =>
        run(
          userId,
          {
            kind: 'form',
            formId: COMPLAINT_FORMS.resolve,
            values: { summary, contacted: 'yes' },
            metadata: reference,
            ...(deliveryId ? { deliveryId } : {}),
          },
          at,
        ),
  )
  .extend(
    'reopenAt',
    ({ run }) =>
      (userId: string, reference: string, at: DateTime) =>
        run(userId, { kind: 'action', actionId: COMPLAINT_ACTIONS.reopen, value: reference }, at),
  )
  .extend(
    'storedResolutions',
    ({ db }) =>
      () =>
        db.select().from(complaintResolutions).orderBy(asc(complaintResolutions.id)),
  )
  .extend('lastCardUpdate', ({ db }) => async (reference: string) => {
    const rows = await db.select().from(outbox).orderBy(asc(outbox.id));
    return rows.filter((row) => row.kind === 'update' && row.cardKey === reference).at(-1)?.message;
  });

describe.each(databaseTargets())('a complaint’s resolutions on $name', (target) => {
  it.override({ target });

  it('keeps each resolution of a complaint resolved, reopened and resolved again, in order', async ({
    fileAcknowledged,
    resolveAt,
    reopenAt,
    storedResolutions,
  }) => {
    const reference = await fileAcknowledged();
    await resolveAt(DANA, reference, FIRST, FIRST_RESOLVE);
    await reopenAt(OMAR, reference, REOPENED);
    expect((await resolveAt(OMAR, reference, SECOND, SECOND_RESOLVE)).reply?.text).toBe(
      `Resolved ${reference}.`,
    );
    expect(await storedResolutions()).toMatchObject([
      {
        round: 1,
        resolution: FIRST,
        resolvedByKey: 'staff:dana-reyes',
        resolvedByName: 'Dana Reyes',
        resolvedAt: FIRST_RESOLVE.toJSDate(),
        patientContacted: true,
      },
      {
        round: 2,
        resolution: SECOND,
        resolvedByName: 'Dr. Omar Haddad',
        resolvedAt: SECOND_RESOLVE.toJSDate(),
      },
    ]);
  });

  it('exports every resolution in order in one cell, and keeps the earlier columns as they were', async ({
    command,
    fileAcknowledged,
    resolveAt,
    reopenAt,
  }) => {
    const reference = await fileAcknowledged();
    await resolveAt(DANA, reference, FIRST, FIRST_RESOLVE);
    await reopenAt(OMAR, reference, REOPENED);
    await resolveAt(OMAR, reference, `=cmd|' /C calc'!A0\n${SECOND}`, SECOND_RESOLVE);
    const csv = readCsvAttachment(await command(DANA, 'export'));
    expect(csv.header).toEqual([...EARLIER_COLUMNS, 'resolutions']);
    const cell = (name: string) => csv.rows[0]?.[csv.header.indexOf(name)];
    expect(cell('resolution')).toBe(`'=cmd|' /C calc'!A0\n${SECOND}`);
    expect(cell('resolved_by')).toBe('Dr. Omar Haddad');
    expect(cell('reopened')).toBe('1');
    expect(cell('resolutions')).toBe(
      [
        `2026-03-09T10:00 Dana Reyes (contacted: yes): ${FIRST}`,
        `2026-03-11T15:30 Dr. Omar Haddad (contacted: yes): =cmd|' /C calc'!A0`,
        SECOND,
      ].join('\n'),
    );
  });

  it('leaves the resolutions cell empty for a complaint never resolved', async ({
    command,
    fileAcknowledged,
  }) => {
    await fileAcknowledged();
    const csv = readCsvAttachment(await command(DANA, 'export'));
    expect(csv.rows[0]?.[csv.header.indexOf('resolutions')]).toBe('');
  });

  it('names earlier resolutions on the card by day and manager, never by what was done', async ({
    db,
    fileAcknowledged,
    resolveAt,
    reopenAt,
    lastCardUpdate,
  }) => {
    const reference = await fileAcknowledged();
    await resolveAt(DANA, reference, FIRST, FIRST_RESOLVE);
    expect((await lastCardUpdate(reference))?.lines).toBeUndefined();
    await db.delete(outbox);
    await reopenAt(OMAR, reference, REOPENED);
    expect((await lastCardUpdate(reference))?.lines).toEqual(['Resolved before: Mon Mar 9 by Dana Reyes']);
    await resolveAt(OMAR, reference, SECOND, SECOND_RESOLVE);
    const card = await lastCardUpdate(reference);
    expect(card?.lines).toEqual(['Resolved before: Mon Mar 9 by Dana Reyes']);
    expect(card?.note).toMatch(/^✅ Resolved by Dr\. Omar Haddad on Wed Mar 11/);
    expect(JSON.stringify(card)).not.toContain('Refunded');
    expect(JSON.stringify(card)).not.toContain('Billing system');
  });

  it('counts the earlier resolutions on the card once there are more than two', async ({
    fileAcknowledged,
    resolveAt,
    reopenAt,
    lastCardUpdate,
  }) => {
    const reference = await fileAcknowledged();
    for (const day of [9, 10, 11]) {
      await resolveAt(DANA, reference, `Round ${day}`, FIRST_RESOLVE.set({ day }));
      await reopenAt(OMAR, reference, FIRST_RESOLVE.set({ day, hour: 16 }));
    }
    expect((await lastCardUpdate(reference))?.lines).toEqual([
      'Resolved 3 times before, last Wed Mar 11 by Dana Reyes',
    ]);
  });

  it('shows a manager the earlier resolutions whole under View details', async ({
    press,
    fileAcknowledged,
    resolveAt,
    reopenAt,
  }) => {
    const reference = await fileAcknowledged();
    await resolveAt(DANA, reference, FIRST, FIRST_RESOLVE);
    await reopenAt(OMAR, reference, REOPENED);
    await resolveAt(OMAR, reference, SECOND, SECOND_RESOLVE);
    const lines = (await press(DANA, COMPLAINT_ACTIONS.details, reference)).form?.lines ?? [];
    const earlier = lines.indexOf('Resolved before (1):');
    expect(earlier).toBeGreaterThan(lines.indexOf(SECOND));
    expect(lines.slice(earlier + 1)).toEqual(['Mon Mar 9 at 10:00 AM by Dana Reyes · contacted: yes', FIRST]);
  });

  it('stores one resolution for a double-clicked Resolve, sent twice at once or retried', async ({
    fileAcknowledged,
    resolveAt,
    storedResolutions,
  }) => {
    const reference = await fileAcknowledged();
    const answers = await Promise.all([
      resolveAt(DANA, reference, FIRST, FIRST_RESOLVE),
      resolveAt(DANA, reference, FIRST, FIRST_RESOLVE),
    ]);
    expect(answers.filter((answer) => answer.reply?.text === `Resolved ${reference}.`)).toHaveLength(1);
    const other = await fileAcknowledged();
    await resolveAt(DANA, other, SECOND, FIRST_RESOLVE, 'resolve-delivery-1');
    const retried = await resolveAt(DANA, other, SECOND, FIRST_RESOLVE, 'resolve-delivery-1');
    expect(replyText(retried)).not.toMatch(/already resolved/);
    expect((await storedResolutions()).map((row) => row.resolution)).toEqual([FIRST, SECOND]);
  });
});
