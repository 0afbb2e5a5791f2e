import { eq } from 'drizzle-orm';
import { DateTime } from 'luxon';
import { describe, expect } from 'vitest';
import type { OfficeConfig } from '../../src/config/office.ts';
import { auditLog, checkReadings, outbox } from '../../src/db/schema/index.ts';
import { CHECK_ACTIONS, CHECK_FORMS } from '../../src/handlers/checks/ids.ts';
import { loadHuddleDigest } from '../../src/handlers/index.ts';
import type { Message } from '../../src/handlers/kernel/message.ts';
import { readCsvAttachment } from '../helpers/csv.ts';
import { databaseTargets } from '../helpers/databases.ts';
import { replyText } from '../helpers/dispatch.ts';
import { createHandlerTest } from '../helpers/handler-fixture.ts';
import { findScheduledJob } from '../helpers/jobs.ts';
import { createRecordingLogger } from '../helpers/logger.ts';
import { buildFridgeOffice } from '../helpers/office.ts';

const quietLogger = createRecordingLogger('silent').logger;

const office: OfficeConfig = buildFridgeOffice();
const zone = office.office.timezone;
const NOW = DateTime.fromISO('2026-11-30T07:00', { zone }); // Mon, before the 08:00 check
const ANA = 'U0ANA'; // medical assistant, first of the role
const MARCUS = 'U0MARCUS'; // medical assistant
const SAM = 'U0SAM'; // front desk
const DANA = 'U0DANA'; // manager
const OMAR = 'U0OMAR'; // physician, manager
const MORNING = 'fridge/2026-11-30/08:00';

const jobs = [findScheduledJob('check-prompts'), findScheduledJob('check-reminders')];

const it = createHandlerTest({
  office,
  now: NOW,
  command: 'checks',
  actions: CHECK_ACTIONS,
  forms: CHECK_FORMS,
  jobs,
}).extend(
  'stored',
  ({ db }) =>
    () =>
      db.select().from(checkReadings),
);

const messageText = (message: Message) =>
  [message.text, message.title ?? '', ...(message.lines ?? []), message.note ?? ''].join('\n');

describe.each(databaseTargets())('checks on $name', (target) => {
  it.override({ target });

  describe('listing and the form', () => {
    it('lists today’s times with whose they are and one Record button on the check', async ({ command }) => {
      const outcome = await command(SAM, '');
      expect(outcome.reply?.title).toBe('Checks today — Mon Nov 30');
      expect(replyText(outcome)).toContain('Vaccine fridge · 8:00 AM · to do · Ana Cruz');
      expect(replyText(outcome)).toContain('Vaccine fridge · 4:30 PM · to do · Ana Cruz');
      expect(outcome.reply?.buttons).toEqual([
        { label: 'Record', actionId: CHECK_ACTIONS.record, value: MORNING },
      ]);
    });

    it('opens the form on the pressed time, with the fields, the other open time and "Action taken"', async ({
      press,
    }) => {
      const { form } = await press(SAM, CHECK_ACTIONS.record, MORNING);
      expect(form?.metadata).toBe(MORNING);
      expect(form?.inputs.map((input) => [input.id, input.label, input.optional ?? false])).toEqual([
        ['time', 'Which time', false],
        ['field-temp', 'Temperature °C (2–8)', false],
        ['action', 'Action taken (required if a value is out of range)', true],
      ]);
    });

    it('refuses an unknown check, a check not due today and a stale button, and stores nothing', async ({
      command,
      press,
      run,
      stored,
    }) => {
      expect(replyText(await command(SAM, 'record freezer'))).toMatch(
        /"freezer" is not a check here\. The checks are: fridge \(Vaccine fridge\)\. Nothing was saved\./,
      );
      const saturday = DateTime.fromISO('2026-12-05T09:00', { zone }); // Sat
      const weekend = await run(SAM, { kind: 'command', command: 'checks', text: 'record fridge' }, saturday);
      expect(replyText(weekend)).toContain('Vaccine fridge is not due today (Sat Dec 5)');
      expect(replyText(await command(SAM, 'record fridge 09:15'))).toContain(
        'Vaccine fridge is not due at 09:15 today; today it is due at 8:00 AM, 4:30 PM.',
      );
      expect(replyText(await press(SAM, CHECK_ACTIONS.record, 'fridge/2026-11-27/08:00'))).toContain(
        'which is not today: only today’s checks can be recorded',
      );
      expect(await stored()).toHaveLength(0);
    });
  });

  describe('recording', () => {
    it('records an in-range reading early, by someone else, with who and when, and an audit row', async ({
      submit,
      stored,
      db,
      dmsTo,
    }) => {
      const outcome = await submit(SAM, CHECK_FORMS.reading, { 'field-temp': '4.5', action: '' }, MORNING);
      expect(outcome.reply?.text).toMatch(/^Check recorded: CK-\d+, Vaccine fridge, 8:00 AM Mon Nov 30$/);
      expect(replyText(outcome)).toContain('Temperature °C: 4.5');
      expect(await stored()).toEqual([
        expect.objectContaining({
          checkId: 'fridge',
          day: '2026-11-30',
          dueTime: '08:00',
          outOfRange: false,
          recordedByName: 'Sam Lee',
          values: [{ fieldId: 'temp', label: 'Temperature °C', value: '4.5', outOfRange: false }],
        }),
      ]);
      const [row] = await stored();
      expect(row?.recordedAt.toISOString()).toBe(NOW.toUTC().toISO());
      const audit = await db.select().from(auditLog).where(eq(auditLog.action, 'check.recorded'));
      expect(audit).toHaveLength(1);
      expect(audit[0]?.detail).toEqual({
        check: 'fridge',
        slot: MORNING,
        outOfRange: [],
        actionTaken: false,
      });
      expect(await dmsTo(DANA)).toHaveLength(0);
    });

    it('sends an out-of-range reading back for the action taken, then stores it once and tells every manager', async ({
      submit,
      stored,
      dmsTo,
      recording,
    }) => {
      const first = await submit(ANA, CHECK_FORMS.reading, { 'field-temp': '9.1', action: '' }, MORNING);
      expect(first.formErrors).toEqual({
        action: 'Temperature °C is out of range: say what you did about it (required).',
      });
      expect(await stored()).toHaveLength(0);
      expect(await dmsTo(DANA)).toHaveLength(0);

      const action = 'Moved vaccines to the backup fridge, called the technician';
      const second = await submit(ANA, CHECK_FORMS.reading, { 'field-temp': '9.1', action }, MORNING);
      expect(second.reply?.title).toMatch(/^🔴 Check recorded — CK-\d+$/);
      expect(replyText(second)).toContain('Temperature °C: 9.1 🔴 out of range (2–8)');
      expect(replyText(second)).toContain('🔴 Out of range: Dana Reyes and Dr. Omar Haddad have been told.');
      expect(await stored()).toEqual([
        expect.objectContaining({ outOfRange: true, actionTaken: action, recordedByName: 'Ana Cruz' }),
      ]);
      for (const manager of [DANA, OMAR]) {
        const alerts = await dmsTo(manager);
        expect(alerts).toHaveLength(1);
        const text = alerts[0] ? messageText(alerts[0].message) : '';
        expect(text).toContain('🔴 Out of range — Vaccine fridge');
        expect(text).toContain('Temperature °C: 9.1 🔴 out of range (2–8)');
        expect(text).toContain(`Action taken: ${action}`);
        expect(text).toContain('Recorded by Ana Cruz at 7:00 AM Mon Nov 30');
      }
      expect(recording.text()).not.toContain('backup fridge');
    });

    it.for([
      ['warm', '"warm" is not a number. Write it like 4.5 or -2.'],
      ['', 'Enter Temperature °C.'],
      ['500', 'not a believable reading'],
    ] as const)(
      'refuses the reading %j on its field and stores nothing',
      async ([typed, expected], { submit, stored }) => {
        const outcome = await submit(ANA, CHECK_FORMS.reading, { 'field-temp': typed, action: 'x' }, MORNING);
        expect(outcome.formErrors?.['field-temp']).toContain(expected);
        expect(await stored()).toHaveLength(0);
      },
    );

    it('records a time once: a second submission, by anyone, is told who recorded it', async ({
      submit,
      stored,
    }) => {
      await submit(ANA, CHECK_FORMS.reading, { 'field-temp': '5', action: '' }, MORNING);
      const again = await submit(MARCUS, CHECK_FORMS.reading, { 'field-temp': '6', action: '' }, MORNING);
      expect(replyText(again)).toMatch(
        /Vaccine fridge, 8:00 AM Mon Nov 30 is already recorded\. Recorded by Ana Cruz at 7:00 AM Mon Nov 30 \(CK-\d+\)\. Nothing was saved\./,
      );
      expect(await stored()).toHaveLength(1);
    });

    it('keeps a form that chose a time someone else just recorded open, to take the time still open', async ({
      submit,
      stored,
    }) => {
      await submit(MARCUS, CHECK_FORMS.reading, { time: '16:30', 'field-temp': '4', action: '' }, MORNING);
      const refused = await submit(
        ANA,
        CHECK_FORMS.reading,
        { time: '16:30', 'field-temp': '5', action: '' },
        MORNING,
      );
      expect(refused.formErrors).toEqual({
        time: '4:30 PM is already recorded; choose 8:00 AM.',
      });
      await submit(ANA, CHECK_FORMS.reading, { time: '08:00', 'field-temp': '5', action: '' }, MORNING);
      expect((await stored()).map((row) => [row.dueTime, row.recordedByName]).sort()).toEqual([
        ['08:00', 'Ana Cruz'],
        ['16:30', 'Marcus Bell'],
      ]);
    });

    it('records the other time chosen on the form, and the list then shows what is done', async ({
      submit,
      command,
      stored,
    }) => {
      await submit(ANA, CHECK_FORMS.reading, { time: '16:30', 'field-temp': '3', action: '' }, MORNING);
      expect((await stored()).map((row) => row.dueTime)).toEqual(['16:30']);
      const list = await command(SAM, '');
      expect(replyText(list)).toMatch(
        /✅ Vaccine fridge · 4:30 PM · Temperature °C: 3 · Recorded by Ana Cruz/,
      );
      expect(list.reply?.text).toBe('Checks today — Mon Nov 30: 1 of 2 recorded');
    });
  });

  describe('prompts and reminders', () => {
    it('prompts the assignee once at the check’s time across two schedulers, and not before', async ({
      schedulerAt,
      dmsTo,
    }) => {
      expect((await schedulerAt(() => NOW.plus({ minutes: 59 })).tick())['check-prompts']).toBe('not-due');
      const clock = () => DateTime.fromISO('2026-11-30T08:00', { zone });
      const results = await Promise.all([schedulerAt(clock).tick(), schedulerAt(clock).tick()]);
      expect(results.map((result) => result['check-prompts']).sort()).toEqual(['ran', 'taken']);
      expect((await schedulerAt(clock).tick())['check-prompts']).toBe('taken');
      const prompts = await dmsTo(ANA);
      expect(prompts).toHaveLength(1);
      expect(prompts[0]?.message).toMatchObject({
        title: 'Check due — Vaccine fridge',
        buttons: [{ label: 'Record', actionId: CHECK_ACTIONS.record, value: MORNING }],
      });
      expect(prompts[0]?.cardKey).toBe(`checks/${MORNING}/prompt/slack/${ANA}`);
      expect(await dmsTo(MARCUS)).toHaveLength(0);
    });

    it('prompts the next of the role when the first is out sick', async ({ run, schedulerAt, dmsTo }) => {
      await run(ANA, { kind: 'command', command: 'out', text: 'sick' });
      await schedulerAt(() => DateTime.fromISO('2026-11-30T08:01', { zone })).tick();
      expect((await dmsTo(MARCUS)).map((row) => row.message.title)).toEqual(['Check due — Vaccine fridge']);
      expect((await dmsTo(ANA)).filter((row) => row.message.title?.startsWith('Check'))).toHaveLength(0);
    });

    it('takes the Record button off the prompt of someone who called out after it was sent, once another records', async ({
      run,
      schedulerAt,
      db,
    }) => {
      await schedulerAt(() => DateTime.fromISO('2026-11-30T08:01', { zone })).tick();
      const anasPrompt = `checks/${MORNING}/prompt/slack/${ANA}`;
      await run(
        ANA,
        { kind: 'command', command: 'out', text: 'sick' },
        DateTime.fromISO('2026-11-30T08:10', { zone }),
      );
      await run(
        MARCUS,
        {
          kind: 'form',
          formId: CHECK_FORMS.reading,
          values: { 'field-temp': '5', action: '' },
          metadata: MORNING,
        },
        DateTime.fromISO('2026-11-30T08:20', { zone }),
      );
      const updates = (await db.select().from(outbox)).filter(
        (row) => row.kind === 'update' && row.cardKey === anasPrompt,
      );
      expect(updates.map((row) => row.message.note)).toEqual([
        expect.stringMatching(/^✅ Recorded by Marcus Bell/),
      ]);
      expect(updates[0]?.message.buttons).toBeUndefined();
    });

    it('takes the Record button off a prompt pressed after its day, and says why', async ({
      run,
      schedulerAt,
      db,
    }) => {
      await schedulerAt(() => DateTime.fromISO('2026-11-30T08:01', { zone })).tick();
      const pressed = await run(
        ANA,
        { kind: 'action', actionId: CHECK_ACTIONS.record, value: MORNING },
        DateTime.fromISO('2026-12-01T08:30', { zone }),
      );
      expect(replyText(pressed)).toContain('which is not today: only today’s checks can be recorded');
      const redrawn = (await db.select().from(outbox)).filter(
        (row) => row.kind === 'update' && row.cardKey === `checks/${MORNING}/prompt/slack/${ANA}`,
      );
      expect(redrawn.map((row) => row.message.lines)).toEqual([
        ['Vaccine fridge, 8:00 AM Mon Nov 30 was not recorded, and that day has passed. It shows as missed.'],
      ]);
      expect(redrawn[0]?.message.buttons).toBeUndefined();
    });

    it('reminds once after graceMinutes when not recorded, and shows it missed in the huddle', async ({
      schedulerAt,
      dmsTo,
      db,
    }) => {
      const at = DateTime.fromISO('2026-11-30T09:00', { zone });
      const results = await Promise.all([schedulerAt(() => at).tick(), schedulerAt(() => at).tick()]);
      expect(results.map((result) => result['check-reminders']).sort()).toEqual(['ran', 'taken']);
      await schedulerAt(() => at.plus({ minutes: 5 })).tick();
      const reminders = (await dmsTo(ANA)).filter((row) =>
        row.message.title?.startsWith('Check not recorded'),
      );
      expect(reminders).toHaveLength(1);
      expect(reminders[0] ? messageText(reminders[0].message) : '').toContain(
        '⚠️ Vaccine fridge was due at 8:00 AM and is not recorded yet.',
      );
      const digest = await loadHuddleDigest(db, office, '2026-11-30', at, quietLogger);
      // Friday, the check's previous day, was never recorded either in this empty office.
      expect(digest.sections).toContainEqual({
        heading: 'Checks missed (3)',
        lines: [
          '⚠️ Vaccine fridge · 8:00 AM Fri Nov 27 · not recorded',
          '⚠️ Vaccine fridge · 4:30 PM Fri Nov 27 · not recorded',
          '⚠️ Vaccine fridge · 8:00 AM Mon Nov 30 · not recorded',
        ],
      });
      // Tuesday's huddle still shows what Monday missed, both times.
      const tuesday = await loadHuddleDigest(
        db,
        office,
        '2026-12-01',
        DateTime.fromISO('2026-12-01T07:45', { zone }),
        quietLogger,
      );
      expect(tuesday.sections.find((section) => section.heading.startsWith('Checks missed'))?.lines).toEqual([
        '⚠️ Vaccine fridge · 8:00 AM Mon Nov 30 · not recorded',
        '⚠️ Vaccine fridge · 4:30 PM Mon Nov 30 · not recorded',
      ]);
    });

    it('neither prompts nor reminds a time recorded early, and redraws nothing it never sent', async ({
      submit,
      schedulerAt,
      dmsTo,
      db,
    }) => {
      await submit(MARCUS, CHECK_FORMS.reading, { 'field-temp': '5', action: '' }, MORNING);
      const results = await schedulerAt(() => DateTime.fromISO('2026-11-30T09:30', { zone })).tick();
      expect(results).toEqual({ 'check-prompts': 'not-due', 'check-reminders': 'not-due' });
      expect(await dmsTo(ANA)).toHaveLength(0);
      const digest = await loadHuddleDigest(
        db,
        office,
        '2026-11-30',
        DateTime.fromISO('2026-11-30T09:30', { zone }),
        quietLogger,
      );
      const missed = digest.sections.find((section) => section.heading.startsWith('Checks missed'));
      expect(missed?.lines.filter((line) => line.includes('Mon Nov 30'))).toEqual([]);
    });
  });

  describe('export', () => {
    it('gives a manager the month’s log as CSV, formula-safe, with an audit row', async ({
      submit,
      command,
      run,
      db,
    }) => {
      // A negative reading is a number in the file, not text made formula-safe.
      await submit(ANA, CHECK_FORMS.reading, { 'field-temp': '-1.5', action: '=HYPERLINK("x")' }, MORNING);
      await run(
        MARCUS,
        {
          kind: 'form',
          formId: CHECK_FORMS.reading,
          values: { 'field-temp': '4', action: '' },
          metadata: 'fridge/2026-11-30/16:30',
        },
        DateTime.fromISO('2026-11-30T16:41', { zone }),
      );
      const outcome = await command(DANA, 'export fridge 2026-11');
      expect(outcome.reply?.text).toBe('Vaccine fridge log, November 2026: 2 rows, as a CSV file.');
      const csv = readCsvAttachment(outcome);
      expect(csv.header).toEqual([
        'reference',
        'check',
        'due',
        'recorded_at',
        'recorded_by',
        'Temperature °C',
        'range',
        'action_taken',
        'corrected',
        'corrected_from',
        'corrected_by',
        'corrected_at',
        'correction_reason',
      ]);
      expect(csv.rows).toEqual([
        [
          expect.stringMatching(/^CK-\d+$/),
          'Vaccine fridge',
          '2026-11-30T08:00',
          '2026-11-30T07:00',
          'Ana Cruz',
          '-1.5',
          'out of range',
          `'=HYPERLINK("x")`,
          ...['', '', '', '', ''],
        ],
        [
          expect.stringMatching(/^CK-\d+$/),
          'Vaccine fridge',
          '2026-11-30T16:30',
          '2026-11-30T16:41',
          'Marcus Bell',
          '4',
          'in range',
          '',
          ...['', '', '', '', ''],
        ],
      ]);
      expect(await db.select().from(auditLog).where(eq(auditLog.action, 'checks.exported'))).toHaveLength(1);
      expect(readCsvAttachment(await command(DANA, 'export fridge 2026-10')).rows).toEqual([]);
    });

    it('refuses anyone but a manager, an unknown check and a month that is not one', async ({ command }) => {
      expect(replyText(await command(SAM, 'export fridge 2026-11'))).toContain(
        'Only Dana Reyes or Dr. Omar Haddad can export a check’s log.',
      );
      expect(replyText(await command(DANA, 'export freezer'))).toContain('"freezer" is not a check here.');
      expect(replyText(await command(DANA, 'export fridge nov'))).toContain('"nov" is not a month.');
      expect(replyText(await command(DANA, 'export fridge 9999-12'))).toContain('"9999-12" is not a month.');
    });
  });
});
