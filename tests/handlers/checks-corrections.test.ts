import { eq } from 'drizzle-orm';
import { DateTime } from 'luxon';
import { describe, expect } from 'vitest';
import type { OfficeConfig } from '../../src/config/office.ts';
import { auditLog, checkReadings } from '../../src/db/schema/index.ts';
import { parseReportPeriod } from '../../src/domain/report.ts';
import { CHECK_ACTIONS, CHECK_FORMS } from '../../src/handlers/checks/ids.ts';
import { loadHuddleDigest } from '../../src/handlers/index.ts';
import { loadReportFigures } from '../../src/handlers/report/loaders.ts';
import { readCsvAttachment } from '../helpers/csv.ts';
import { databaseTargets } from '../helpers/databases.ts';
import { replyText } from '../helpers/dispatch.ts';
import { createHandlerTest } from '../helpers/handler-fixture.ts';
import { createRecordingLogger } from '../helpers/logger.ts';
import { buildFridgeOffice } from '../helpers/office.ts';

const quietLogger = createRecordingLogger('silent').logger;

const office: OfficeConfig = buildFridgeOffice();
const zone = office.office.timezone;
const NOW = DateTime.fromISO('2026-11-30T07:00', { zone }); // Mon, before the 08:00 check
const TUESDAY = DateTime.fromISO('2026-12-01T09:00', { zone });
const ANA = 'U0ANA'; // medical assistant: records the fridge
const MARCUS = 'U0MARCUS'; // medical assistant
const DANA = 'U0DANA'; // manager
const MORNING = 'fridge/2026-11-30/08:00';
const REASON = 'typo: 4.9 not 9.4';

const it = createHandlerTest({
  office,
  now: NOW,
  command: 'checks',
  actions: CHECK_ACTIONS,
  forms: CHECK_FORMS,
}).extend(
  'stored',
  ({ db }) =>
    () =>
      db.select().from(checkReadings),
);

describe.each(databaseTargets())('check corrections on $name', (target) => {
  it.override({ target });

  it('corrects the typo 9.4 to 4.9: the list, the export and the report follow it, and the original is kept', async ({
    db,
    submit,
    press,
    command,
    run,
  }) => {
    await submit(ANA, CHECK_FORMS.reading, { 'field-temp': '9.4', action: 'moved vaccines' }, MORNING);
    const again = await press(ANA, CHECK_ACTIONS.record, MORNING);
    expect(replyText(again)).toContain('is already recorded.');
    const button = again.reply?.buttons?.[0];
    expect(button).toMatchObject({ label: 'Correct', actionId: CHECK_ACTIONS.correct });
    const { form } = await press(ANA, CHECK_ACTIONS.correct, button?.value ?? '');
    expect(form?.inputs.map((input) => [input.id, 'initial' in input ? input.initial : undefined])).toEqual([
      ['field-temp', '9.4'],
      ['action', 'moved vaccines'],
      ['reason', undefined],
    ]);
    const corrected = await submit(
      ANA,
      CHECK_FORMS.correction,
      { 'field-temp': '4.9', action: 'moved vaccines', reason: REASON },
      form?.metadata,
    );
    const answer = replyText(corrected);
    expect(corrected.reply?.title).toMatch(/^✅ Check corrected — CK-\d+$/);
    expect(answer).toContain('Temperature °C: 4.9');
    expect(answer).toContain('Was: Temperature °C: 9.4 🔴 out of range (2–8)');
    expect(answer).toContain('✅ Now in range (it was out of range).');
    expect(answer).toContain(`Why: ${REASON}`);

    const listed = replyText(await command(MARCUS, ''));
    expect(listed).toContain('✅ Vaccine fridge · 8:00 AM · Temperature °C: 4.9 · Recorded by Ana Cruz');
    expect(listed).toContain('✏️ Corrected by Ana Cruz at 7:00 AM Mon Nov 30, was Temperature °C: 9.4');

    const csv = readCsvAttachment(await command(DANA, 'export fridge 2026-11'));
    expect(csv.header.slice(-5)).toEqual([
      'corrected',
      'corrected_from',
      'corrected_by',
      'corrected_at',
      'correction_reason',
    ]);
    expect(csv.rows[0]?.slice(5)).toEqual([
      '4.9',
      'in range',
      'moved vaccines',
      'yes',
      'Temperature °C 9.4 (out of range); action taken: moved vaccines',
      'Ana Cruz',
      '2026-11-30T07:00',
      REASON,
    ]);

    const [audit] = await db.select().from(auditLog).where(eq(auditLog.action, 'check.corrected'));
    expect(audit?.detail).toMatchObject({
      from: { values: [{ fieldId: 'temp', value: '9.4', outOfRange: true }], outOfRange: true },
      to: { values: [{ fieldId: 'temp', value: '4.9', outOfRange: false }], outOfRange: false },
    });

    // The report counts the corrected value; the huddle counts the time as recorded, not missed.
    const at = DateTime.fromISO('2026-11-30T17:45', { zone });
    const period = parseReportPeriod('this month', at, zone);
    if (!period.ok) throw new Error('no period');
    const figures = await loadReportFigures(db, office, period.period, at);
    expect(figures.checks[0]).toMatchObject({ checkId: 'fridge', outOfRange: 0 });
    const digest = await loadHuddleDigest(db, office, '2026-11-30', at, quietLogger);
    const missed = digest.sections.find((section) => section.heading.startsWith('Checks missed'));
    expect(missed?.lines?.filter((line) => line.includes('Mon Nov 30'))).toEqual([
      '⚠️ Vaccine fridge · 4:30 PM Mon Nov 30 · not recorded',
    ]);
    expect(replyText(await run(ANA, { kind: 'command', command: 'checks', text: '' }, at))).toContain(
      'Temperature °C: 4.9',
    );
  });

  it('says plainly when a correction puts a reading out of range, asks the action, and tells the managers', async ({
    submit,
    command,
  }) => {
    const saved = await submit(ANA, CHECK_FORMS.reading, { 'field-temp': '5', action: '' }, MORNING);
    const reference = saved.reply?.title?.match(/CK-\d+/)?.[0] ?? '';
    const { form } = await command(ANA, `correct ${reference}`);
    const noAction = await submit(
      ANA,
      CHECK_FORMS.correction,
      { 'field-temp': '9', action: '', reason: 'misread the display' },
      form?.metadata,
    );
    expect(noAction.formErrors?.action).toContain('is out of range: say what you did about it');
    const corrected = await submit(
      ANA,
      CHECK_FORMS.correction,
      { 'field-temp': '9', action: 'called the pharmacy', reason: 'misread the display' },
      form?.metadata,
    );
    expect(replyText(corrected)).toContain(
      '🔴 Now out of range (it was in range): Dana Reyes and Dr. Omar Haddad have been told.',
    );
    const alerted = corrected.effects.flatMap((effect) => (effect.kind === 'dm' ? [effect.to.userId] : []));
    expect(alerted).toContain(DANA);
  });

  it('turns bad values and a missing reason into form errors, and stores nothing', async ({
    submit,
    command,
    stored,
  }) => {
    const saved = await submit(ANA, CHECK_FORMS.reading, { 'field-temp': '5', action: '' }, MORNING);
    const reference = saved.reply?.title?.match(/CK-\d+/)?.[0] ?? '';
    const { form } = await command(ANA, `correct ${reference}`);
    const typo = await submit(
      ANA,
      CHECK_FORMS.correction,
      { 'field-temp': '4.9x', reason: '' },
      form?.metadata,
    );
    expect(typo.formErrors?.['field-temp']).toContain('"4.9x" is not a number');
    expect(typo.formErrors?.reason).toContain('Say in a few words why');
    const absurd = await submit(
      ANA,
      CHECK_FORMS.correction,
      { 'field-temp': '500', reason: 'x' },
      form?.metadata,
    );
    expect(absurd.formErrors?.['field-temp']).toContain('is not a believable reading');
    const unchanged = await submit(
      ANA,
      CHECK_FORMS.correction,
      { 'field-temp': '5', reason: 'x' },
      form?.metadata,
    );
    expect(unchanged.formErrors?.['field-temp']).toContain('This is what is saved already');
    const [row] = await stored();
    expect([row?.values[0]?.value, row?.revision, row?.correctedAt]).toEqual(['5', 0, null]);
  });

  it('refuses someone who did not record it, and its recorder after its day; a manager may correct it then', async ({
    submit,
    command,
    run,
  }) => {
    const saved = await submit(ANA, CHECK_FORMS.reading, { 'field-temp': '5', action: '' }, MORNING);
    const reference = saved.reply?.title?.match(/CK-\d+/)?.[0] ?? '';
    expect(replyText(await command(MARCUS, `correct ${reference}`))).toContain(
      `Only Ana Cruz, who recorded ${reference}, or Dana Reyes or Dr. Omar Haddad can correct it. Nothing was saved.`,
    );
    const nextDay = (user: string) =>
      run(user, { kind: 'command', command: 'checks', text: `correct ${reference}` }, TUESDAY);
    expect(replyText(await nextDay(ANA))).toContain('you can correct a reading only on the day it was due');
    expect((await nextDay(DANA)).form?.formId).toBe(CHECK_FORMS.correction);
    expect(replyText(await command(ANA, 'correct CK-999999'))).toContain(
      'There is no check reading with that reference.',
    );
    // Marcus is told it is recorded, with no Correct button he could not use.
    const refused = await submit(MARCUS, CHECK_FORMS.reading, { 'field-temp': '6', action: '' }, MORNING);
    expect(refused.reply?.buttons ?? []).toEqual([]);
  });

  it("puts a Correct button on today's readings in /checks, for whoever may correct them", async ({
    submit,
    command,
    press,
    run,
  }) => {
    const saved = await submit(ANA, CHECK_FORMS.reading, { 'field-temp': '9.4', action: 'moved' }, MORNING);
    const reference = saved.reply?.title?.match(/CK-\d+/)?.[0] ?? '';
    const correctButtons = async (outcome: Promise<{ reply?: { buttons?: { actionId: string }[] } }>) =>
      ((await outcome).reply?.buttons ?? []).filter((button) => button.actionId === CHECK_ACTIONS.correct);
    const [anas] = await correctButtons(command(ANA, ''));
    expect(anas).toMatchObject({ label: `Correct ${reference}` });
    const { form } = await press(
      ANA,
      CHECK_ACTIONS.correct,
      (anas as { value?: string } | undefined)?.value ?? '',
    );
    expect(form?.title).toBe(`Correct ${reference}`);
    expect(await correctButtons(command(DANA, ''))).toHaveLength(1);
    // Marcus did not record it, and Ana may no longer correct it the next day: no button either could not use.
    expect(await correctButtons(command(MARCUS, ''))).toEqual([]);
    expect(await correctButtons(run(ANA, { kind: 'command', command: 'checks', text: '' }, TUESDAY))).toEqual(
      [],
    );
  });

  it('stores a correction sent twice once, and refuses a form opened before someone else corrected it', async ({
    submit,
    command,
    db,
    stored,
  }) => {
    const saved = await submit(ANA, CHECK_FORMS.reading, { 'field-temp': '9.4', action: 'moved' }, MORNING);
    const reference = saved.reply?.title?.match(/CK-\d+/)?.[0] ?? '';
    const { form } = await command(ANA, `correct ${reference}`);
    const { form: danasForm } = await command(DANA, `correct ${reference}`);
    const values = { 'field-temp': '4.9', action: 'moved', reason: REASON };
    await submit(ANA, CHECK_FORMS.correction, values, form?.metadata);
    const twice = await submit(ANA, CHECK_FORMS.correction, values, form?.metadata);
    expect(replyText(twice)).toContain(
      `${reference} is already corrected to Temperature °C: 4.9. Saved once.`,
    );
    const stale = await submit(
      DANA,
      CHECK_FORMS.correction,
      { 'field-temp': '5.5', action: '', reason: 'other' },
      danasForm?.metadata,
    );
    expect(replyText(stale)).toContain(
      `${reference} was corrected meanwhile by Ana Cruz at 7:00 AM; it now says Temperature °C: 4.9. Nothing was saved.`,
    );
    const [row] = await stored();
    expect([row?.values[0]?.value, row?.revision, row?.originalValues?.[0]?.value]).toEqual([
      '4.9',
      1,
      '9.4',
    ]);
    expect(await db.select().from(auditLog).where(eq(auditLog.action, 'check.corrected'))).toHaveLength(1);
  });
});
