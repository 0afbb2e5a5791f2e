import { eq } from 'drizzle-orm';
import { DateTime } from 'luxon';
import { describe, expect } from 'vitest';
import { createScheduler } from '../../src/bot/scheduler.ts';
import { auditLog, complaints, deliveries, outbox } from '../../src/db/schema/index.ts';
import { COMPLAINT_DEFAULTS } from '../../src/domain/complaints.ts';
import { COMPLAINT_ACTIONS, COMPLAINT_FORMS } from '../../src/handlers/complaints/ids.ts';
import { complaintRemindersJob } from '../../src/handlers/complaints/reminders.ts';
import { FEATURES, loadHuddleDigest, renderHuddleDigest } from '../../src/handlers/index.ts';
import { redrawAskedCards } from '../../src/handlers/kernel/card-redraws.ts';
import { queueEffects } from '../../src/handlers/kernel/dispatch.ts';
import type { DailyJob } from '../../src/handlers/kernel/jobs.ts';
import type { Outcome } from '../../src/handlers/kernel/message.ts';
import { readCsvAttachment } from '../helpers/csv.ts';
import { databaseTargets } from '../helpers/databases.ts';
import { findReference, replyText } from '../helpers/dispatch.ts';
import { createHandlerTest } from '../helpers/handler-fixture.ts';
import { createRecordingLogger } from '../helpers/logger.ts';
import { buildOfficeConfig } from '../helpers/office.ts';

const quietLogger = createRecordingLogger('silent').logger;

const office = buildOfficeConfig({ complaints: { ...COMPLAINT_DEFAULTS, privacyOfficer: 'Grace Kim' } });
const zone = office.office.timezone;
const NOW = DateTime.fromISO('2026-03-06T12:00', { zone }); // Fri
const SAM = 'U0SAM'; // front desk
const PRIYA = 'U0PRIYA'; // front desk
const GRACE = 'U0GRACE'; // nurse, the privacy officer
const DANA = 'U0DANA'; // manager
const OMAR = 'U0OMAR'; // physician, manager
const SECRET = 'Mrs. Zelda Quimby-Farnsworth was told her biopsy result in the waiting room';

const referenceIn = (outcome: Outcome) => findReference(outcome, 'CP');

const CALLBACK_NAME = 'Marta Quill';
const formValues = (overrides: Record<string, string> = {}) => ({
  about: 'patient',
  category: 'clinical_care',
  severity: 'high',
  what: SECRET,
  when: 'Tuesday morning',
  outcome: 'An apology',
  callback: 'yes',
  callbackName: CALLBACK_NAME,
  callbackPhone: '555-0100',
  anonymous: 'no',
  ...overrides,
});

const it = createHandlerTest({
  office,
  now: NOW,
  command: 'complaint',
  actions: COMPLAINT_ACTIONS,
  forms: COMPLAINT_FORMS,
})
  .extend(
    'fileByForm',
    ({ submit }) =>
      async (values: Record<string, string> = {}, userId = SAM) =>
        referenceIn(await submit(userId, COMPLAINT_FORMS.intake, formValues(values))),
  )
  .extend(
    'stored',
    ({ db }) =>
      () =>
        db.select().from(complaints),
  )
  .extend(
    'outboxRows',
    ({ db }) =>
      () =>
        db.select().from(outbox).orderBy(outbox.id),
  )
  .extend(
    'auditRows',
    ({ db }) =>
      () =>
        db.select().from(auditLog).orderBy(auditLog.id),
  );

describe.each(databaseTargets())('complaints on $name', (target) => {
  it.override({ target });

  describe('filing from text', () => {
    it('files as other and medium, says what happens next, and offers Refine', async ({
      command,
      stored,
    }) => {
      const outcome = await command(SAM, 'The front desk was rude on the phone');
      const reference = referenceIn(outcome);
      const text = replyText(outcome);
      expect(text).toContain('Logged as a patient complaint · Other · Medium.');
      expect(text).toContain('acknowledge it by Tue Mar 10 and aim to resolve it by Fri Apr 17');
      expect(outcome.reply?.buttons).toEqual([
        { label: 'Refine', actionId: COMPLAINT_ACTIONS.refine, value: reference },
      ]);
      const [row] = await stored();
      expect(row).toMatchObject({
        category: 'other',
        severity: 'medium',
        about: 'patient',
        status: 'new',
        reporterName: 'Sam Lee',
        ackDueDay: '2026-03-10',
        resolveDueDay: '2026-04-17',
      });
      expect(row?.createdAt.toISOString()).toBe(NOW.toUTC().toISO({ suppressMilliseconds: false }));
    });

    it('posts a minimum-necessary card to the complaints channel: no text, View details and Acknowledge', async ({
      command,
      outboxRows,
    }) => {
      const reference = referenceIn(await command(SAM, SECRET));
      const [card, ...others] = await outboxRows();
      expect(others).toHaveLength(0);
      expect(card).toMatchObject({ kind: 'post', target: office.channels.complaints, cardKey: reference });
      expect(card?.message.title).toBe(`Complaint ${reference} — Other`);
      expect(card?.message.fields).toEqual(
        expect.arrayContaining([
          { label: 'Severity', value: 'Medium' },
          { label: 'Reporter', value: 'Sam Lee' },
          { label: 'State', value: 'new' },
          { label: 'Age', value: '0 days' },
          { label: 'Acknowledge by', value: 'Tue Mar 10' },
        ]),
      );
      expect(card?.message.buttons?.map((button) => button.label)).toEqual(['View details', 'Acknowledge']);
      expect(JSON.stringify(card?.message)).not.toContain('Quimby');
    });

    it('puts the text on the card only when the office opts in', async ({ run, outboxRows }) => {
      const open = { ...office, complaints: { ...COMPLAINT_DEFAULTS, showDetailsInChannel: true } };
      await run(SAM, { kind: 'command', command: 'complaint', text: SECRET }, NOW, open);
      const [card] = await outboxRows();
      expect(card?.message.lines).toEqual([`What happened: ${SECRET}`]);
    });

    it('refuses a text over 3,000 characters with the limit, without quoting it, and stores nothing', async ({
      command,
      stored,
      outboxRows,
    }) => {
      const outcome = await command(SAM, `${SECRET} ${'x'.repeat(3000)}`);
      expect(replyText(outcome)).toMatch(/That is 3,\d{3} characters; a complaint can be at most 3,000/);
      expect(replyText(outcome)).toMatch(/Nothing was saved\.$/);
      expect(replyText(outcome)).not.toContain('Quimby');
      expect(await stored()).toHaveLength(0);
      expect(await outboxRows()).toHaveLength(0);
    });

    it('opens the form when there is no text', async ({ command, stored }) => {
      const outcome = await command(SAM, '');
      expect(outcome.form).toMatchObject({ formId: COMPLAINT_FORMS.intake, submitLabel: 'Log complaint' });
      expect(outcome.form?.inputs.map((input) => input.id)).toEqual([
        'about',
        'category',
        'severity',
        'what',
        'when',
        'outcome',
        'callback',
        'callbackName',
        'callbackPhone',
        'anonymous',
      ]);
      expect(await stored()).toHaveLength(0);
    });

    it.for([
      ['zero-width', '\u200b\u200b\u200d'],
      ['format', '\u202e\u00ad\u2060'],
    ] as const)(
      'refuses text of %s characters only, with nothing visible, and stores nothing',
      async ([, text], { command, stored, outboxRows }) => {
        const outcome = await command(SAM, text);
        expect(outcome.reply?.text).toBe('Say what happened. Nothing was saved.');
        expect(await stored()).toHaveLength(0);
        expect(await outboxRows()).toHaveLength(0);
      },
    );

    it('opens the form for text of control characters only, which are dropped, as for no text', async ({
      command,
      stored,
      outboxRows,
    }) => {
      const outcome = await command(SAM, '\u0007\u0001\u001b');
      expect(outcome.form).toMatchObject({ formId: COMPLAINT_FORMS.intake });
      expect(await stored()).toHaveLength(0);
      expect(await outboxRows()).toHaveLength(0);
    });

    it('refuses a one-line complaint that starts with "list", giving it back with the way to file it', async ({
      command,
      stored,
      outboxRows,
    }) => {
      const outcome = await command(SAM, 'list of charges was wrong');
      expect(outcome.keepReply).toBe(true);
      expect(outcome.reply?.lines?.slice(-2)).toEqual([
        'To file text that starts with "list", type /complaint alone: it opens a form for it.',
        'You wrote: list of charges was wrong',
      ]);
      expect(await stored()).toHaveLength(0);
      expect(await outboxRows()).toHaveLength(0);
    });

    it('files once when the same delivery arrives twice', async ({ command, stored, outboxRows }) => {
      const first = await command(SAM, 'Waited two hours', 'trigger-cp-1');
      const again = await command(SAM, 'Waited two hours', 'trigger-cp-1');
      expect(again.reply).toEqual(first.reply);
      expect(await stored()).toHaveLength(1);
      expect(await outboxRows()).toHaveLength(1);
    });
  });

  describe('filing from the form', () => {
    it('asks whom to call and the number when a call back is wanted, and keeps them for managers only', async ({
      submit,
      press,
      command,
      stored,
    }) => {
      const missing = await submit(
        SAM,
        COMPLAINT_FORMS.intake,
        formValues({ callbackName: '', callbackPhone: ' ' }),
      );
      expect(missing.formErrors).toEqual({
        callbackName: 'A call back is wanted: who should be called?',
        callbackPhone: 'A call back is wanted: give the number to call.',
      });
      const badPhone = await submit(
        SAM,
        COMPLAINT_FORMS.intake,
        formValues({ callbackPhone: 'call my cousin' }),
      );
      expect(badPhone.formErrors?.callbackPhone).toBe(
        'Write a phone number, like 555-0100 or (555) 010-0100 ext 2.',
      );
      // An extension alone is no number to dial; a line break is no part of one.
      for (const callbackPhone of ['ext 5', '555-0100\nCall back wanted: no'])
        expect((await submit(SAM, COMPLAINT_FORMS.intake, formValues({ callbackPhone }))).formErrors).toEqual(
          {
            callbackPhone: 'Write a phone number, like 555-0100 or (555) 010-0100 ext 2.',
          },
        );
      expect(await stored()).toEqual([]);
      const noCall = referenceIn(
        await submit(
          SAM,
          COMPLAINT_FORMS.intake,
          formValues({ callback: 'no', callbackName: 'Kept by mistake' }),
        ),
      );
      const reference = referenceIn(await submit(SAM, COMPLAINT_FORMS.intake, formValues()));
      expect((await stored()).map((row) => [row.callbackName, row.callbackPhone])).toEqual([
        ['', ''],
        [CALLBACK_NAME, '555-0100'],
      ]);
      const details = await press(DANA, COMPLAINT_ACTIONS.details, reference);
      expect(details.form?.lines).toContain(`Call back wanted: yes — ${CALLBACK_NAME}, 555-0100`);
      expect((await press(DANA, COMPLAINT_ACTIONS.details, noCall)).form?.lines).toContain(
        'Call back wanted: no',
      );
      const exported = readCsvAttachment(await command(DANA, 'export'));
      expect(exported.header.slice(14, 17)).toEqual(['call_back', 'call_back_name', 'call_back_phone']);
      expect(exported.rows.map((row) => row.slice(14, 17))).toContainEqual([
        'yes',
        CALLBACK_NAME,
        '555-0100',
      ]);
    });

    it('stores every field', async ({ fileByForm, stored, outboxRows }) => {
      const reference = await fileByForm();
      const [row] = await stored();
      expect(row).toMatchObject({
        about: 'patient',
        category: 'clinical_care',
        severity: 'high',
        description: SECRET,
        occurredWhen: 'Tuesday morning',
        desiredOutcome: 'An apology',
        wantsCallback: true,
        anonymous: false,
      });
      const [card] = await outboxRows();
      expect(card?.message.title).toBe(`Complaint ${reference} — Clinical care`);
      expect(card?.message.fields).toContainEqual({ label: 'Call back', value: 'wanted' });
    });

    it('stores an optional answer with nothing visible in it as no answer', async ({
      fileByForm,
      stored,
    }) => {
      await fileByForm({ when: '\u200b\u2060', outcome: '\u00ad' });
      expect(await stored()).toEqual([expect.objectContaining({ occurredWhen: '', desiredOutcome: '' })]);
    });

    it('keeps an anonymous staff complaint’s reporter for abuse handling only', async ({
      submit,
      stored,
      outboxRows,
      auditRows,
    }) => {
      const outcome = await submit(
        SAM,
        COMPLAINT_FORMS.intake,
        formValues({ about: 'staff', anonymous: 'yes' }),
      );
      expect(replyText(outcome)).toMatch(/Your name is shown to nobody/);
      const [row] = await stored();
      expect(row).toMatchObject({ anonymous: true, reporterName: 'Sam Lee' });
      const [card] = await outboxRows();
      expect(card?.message.fields).toContainEqual({ label: 'Reporter', value: 'anonymous' });
      expect(JSON.stringify(card?.message)).not.toContain('Sam');
      const [audit] = await auditRows();
      expect(audit).toMatchObject({ action: 'complaint.filed', actor: 'anonymous', actorName: 'anonymous' });
    });

    it.for([
      ['an unknown category', { category: 'vibes' }, 'category', /Pick a category/],
      ['an unknown severity', { severity: 'apocalyptic' }, 'severity', /Pick a severity/],
      ['an unknown source', { about: 'alien' }, 'about', /Pick who it is from/],
      ['an empty text', { what: '   ' }, 'what', /Say what happened/],
      ['a text with nothing visible', { what: '\u200b\u200b\u200d' }, 'what', /^Say what happened\.$/],
      [
        'a call back to an invisible name',
        { callbackName: '\u200b' },
        'callbackName',
        /who should be called/,
      ],
      ['a huge text', { what: 'x'.repeat(3001) }, 'what', /at most 3,000 characters/],
      ['anonymity for a patient complaint', { anonymous: 'yes' }, 'anonymous', /Only staff complaints/],
    ] as const)(
      'keeps the form open on %s and stores nothing',
      async ([_label, values, field, expected], { submit, stored, outboxRows }) => {
        const outcome = await submit(SAM, COMPLAINT_FORMS.intake, formValues(values));
        expect(outcome.formErrors?.[field]).toMatch(expected);
        expect(await stored()).toHaveLength(0);
        expect(await outboxRows()).toHaveLength(0);
      },
    );

    it('messages every manager at once about an urgent complaint, without its text', async ({
      fileByForm,
      outboxRows,
    }) => {
      const reference = await fileByForm({ severity: 'urgent' });
      const dms = (await outboxRows()).filter((row) => row.kind === 'dm');
      expect(dms.map((row) => row.target).sort()).toEqual([DANA, OMAR]);
      expect(dms[0]?.message.title).toBe(`🚨 Urgent complaint ${reference}`);
      expect(dms[0]?.message.buttons?.map((button) => button.label)).toEqual(['View details', 'Acknowledge']);
      expect(JSON.stringify(dms)).not.toContain('Quimby');
    });

    it('redraws every manager’s alert once the complaint is acknowledged: Acknowledge goes, who owns it shows', async ({
      fileByForm,
      press,
      outboxRows,
    }) => {
      const reference = await fileByForm({ severity: 'urgent' });
      const alerts = (await outboxRows()).filter((row) => row.kind === 'dm' && row.cardKey);
      expect(alerts.map((row) => row.cardKey).sort()).toEqual(
        [`${reference}/alert/slack/${DANA}`, `${reference}/alert/slack/${OMAR}`].sort(),
      );
      await press(DANA, COMPLAINT_ACTIONS.acknowledge, reference);
      const redrawn = (await outboxRows()).filter(
        (row) => row.kind === 'update' && row.cardKey?.startsWith(`${reference}/alert/`),
      );
      const keys = new Set(redrawn.map((row) => row.cardKey));
      expect(keys).toEqual(new Set(alerts.map((row) => row.cardKey)));
      for (const row of redrawn) {
        expect(row.message.buttons?.map((button) => button.label)).toEqual(['View details', 'Resolve']);
        expect(row.message.note).toMatch(/Acknowledged by Dana Reyes/);
        expect(JSON.stringify(row.message)).not.toContain('Quimby');
      }
    });

    it('messages the managers and the privacy officer about a privacy complaint', async ({
      submit,
      outboxRows,
    }) => {
      const outcome = await submit(
        SAM,
        COMPLAINT_FORMS.intake,
        formValues({ category: 'privacy', severity: 'low' }),
      );
      expect(replyText(outcome)).toContain('Grace Kim, the privacy officer,');
      const dms = (await outboxRows()).filter((row) => row.kind === 'dm');
      expect(dms.map((row) => row.target).sort()).toEqual([DANA, GRACE, OMAR]);
    });

    it('messages nobody directly about an ordinary complaint', async ({ fileByForm, outboxRows }) => {
      await fileByForm({ severity: 'high' });
      expect((await outboxRows()).map((row) => row.kind)).toEqual(['post']);
    });
    it('keeps each one-line answer on one line, as a crafted submission could break it into lines of the card', async ({
      fileByForm,
      stored,
    }) => {
      await fileByForm({
        when: 'Tuesday\nOutcome wanted: nothing, withdrawn',
        callbackName: 'Ann\r\nCall back wanted: no',
      });
      expect((await stored()).map((row) => [row.occurredWhen, row.callbackName])).toEqual([
        ['Tuesday Outcome wanted: nothing, withdrawn', 'Ann Call back wanted: no'],
      ]);
    });
  });

  describe('acknowledge', () => {
    it('makes the manager the owner, updates the card in place, tells the reporter and audits it', async ({
      db,
      press,
      fileByForm,
      stored,
      outboxRows,
      auditRows,
    }) => {
      const reference = await fileByForm();
      await db.delete(outbox);
      const outcome = await press(DANA, COMPLAINT_ACTIONS.acknowledge, reference);
      expect(outcome.reply?.text).toBe(
        `Acknowledged ${reference}; you own it now. Resolve it by Fri Apr 17.`,
      );
      expect((await stored())[0]).toMatchObject({ status: 'acknowledged', ownerName: 'Dana Reyes' });
      const [update, dm] = await outboxRows();
      expect(update).toMatchObject({ kind: 'update', cardKey: reference });
      expect(update?.message.buttons?.map((button) => button.label)).toEqual(['View details', 'Resolve']);
      expect(update?.message.note).toMatch(/^Acknowledged by Dana Reyes on Fri Mar 6 at 12:00 PM/);
      expect(dm).toMatchObject({ kind: 'dm', target: SAM });
      expect((await auditRows()).map((row) => row.action)).toEqual([
        'complaint.filed',
        'complaint.acknowledged',
      ]);
    });

    it('refuses a non-manager and changes nothing', async ({ db, press, fileByForm, stored, outboxRows }) => {
      const reference = await fileByForm();
      await db.delete(outbox);
      const outcome = await press(PRIYA, COMPLAINT_ACTIONS.acknowledge, reference);
      expect(replyText(outcome)).toMatch(
        /Only managers \(Dana Reyes or Dr\. Omar Haddad\) can acknowledge complaints.*Nothing was changed\./,
      );
      expect((await stored())[0]?.status).toBe('new');
      expect(await outboxRows()).toHaveLength(0);
    });

    it('answers a second press with who acknowledged first', async ({ press, fileByForm, stored }) => {
      const reference = await fileByForm();
      await press(DANA, COMPLAINT_ACTIONS.acknowledge, reference);
      const outcome = await press(OMAR, COMPLAINT_ACTIONS.acknowledge, reference);
      expect(replyText(outcome)).toMatch(
        new RegExp(
          `${reference} was already acknowledged by Dana Reyes on .*, who owns it\\. Nothing was changed\\.`,
        ),
      );
      expect((await stored())[0]?.ownerName).toBe('Dana Reyes');
    });

    it('makes exactly one owner when two managers press at once', async ({
      db,
      press,
      fileByForm,
      outboxRows,
      auditRows,
    }) => {
      const reference = await fileByForm();
      await db.delete(outbox);
      await Promise.all([
        press(DANA, COMPLAINT_ACTIONS.acknowledge, reference),
        press(OMAR, COMPLAINT_ACTIONS.acknowledge, reference),
      ]);
      expect((await outboxRows()).filter((row) => row.kind === 'update')).toHaveLength(1);
      expect((await auditRows()).filter((row) => row.action === 'complaint.acknowledged')).toHaveLength(1);
    });

    it('answers a button naming no complaint', async ({ press }) => {
      expect(replyText(await press(DANA, COMPLAINT_ACTIONS.acknowledge, 'CP-999'))).toMatch(
        /There is no complaint CP-999/,
      );
      expect(replyText(await press(DANA, COMPLAINT_ACTIONS.acknowledge, 'TO-3'))).toMatch(
        /not a complaint reference/,
      );
    });
  });

  describe('resolve', () => {
    it('refuses to resolve a complaint nobody has acknowledged', async ({ press, fileByForm }) => {
      const reference = await fileByForm();
      const outcome = await press(DANA, COMPLAINT_ACTIONS.resolve, reference);
      expect(outcome.form).toBeUndefined();
      expect(replyText(outcome)).toMatch(/has not been acknowledged yet\. Press Acknowledge first/);
    });

    it('opens a modal, then resolves with the summary and whether the patient was contacted', async ({
      db,
      press,
      submit,
      fileByForm,
      stored,
      outboxRows,
      auditRows,
    }) => {
      const reference = await fileByForm();
      await press(DANA, COMPLAINT_ACTIONS.acknowledge, reference);
      const opened = await press(OMAR, COMPLAINT_ACTIONS.resolve, reference);
      expect(opened.form).toMatchObject({ formId: COMPLAINT_FORMS.resolve, metadata: reference });
      expect(opened.form?.inputs.map((input) => input.id)).toEqual(['summary', 'contacted']);
      await db.delete(outbox);
      const invisible = await submit(
        OMAR,
        COMPLAINT_FORMS.resolve,
        { summary: '\u200b\u2060\u00ad', contacted: 'yes' },
        reference,
      );
      expect(invisible.formErrors).toEqual({ summary: 'Say how it was resolved.' });
      expect((await stored())[0]?.status).not.toBe('resolved');
      const outcome = await submit(
        OMAR,
        COMPLAINT_FORMS.resolve,
        { summary: 'Called her, apologised, retrained staff', contacted: 'yes' },
        reference,
      );
      expect(outcome.reply?.text).toBe(`Resolved ${reference}.`);
      expect((await stored())[0]).toMatchObject({
        status: 'resolved',
        resolvedByName: 'Dr. Omar Haddad',
        resolution: 'Called her, apologised, retrained staff',
        patientContacted: true,
        ownerName: 'Dana Reyes',
      });
      const [update, dm] = await outboxRows();
      expect(update?.message.buttons?.map((button) => button.label)).toEqual(['View details', 'Reopen']);
      expect(update?.message.note).toMatch(/^✅ Resolved by Dr\. Omar Haddad .* contacted: yes$/);
      expect(JSON.stringify(update?.message)).not.toContain('retrained');
      expect(dm).toMatchObject({ kind: 'dm', target: SAM });
      const audit = (await auditRows()).at(-1);
      expect(audit).toMatchObject({ action: 'complaint.resolved', detail: { patientContacted: true } });
    });

    it('refuses a second resolution and names the first', async ({ press, submit, fileByForm, stored }) => {
      const reference = await fileByForm();
      await press(DANA, COMPLAINT_ACTIONS.acknowledge, reference);
      const values = { summary: 'Done', contacted: 'no' };
      await submit(DANA, COMPLAINT_FORMS.resolve, values, reference);
      const again = await submit(OMAR, COMPLAINT_FORMS.resolve, values, reference);
      expect(replyText(again)).toMatch(new RegExp(`${reference} was already resolved by Dana Reyes`));
      expect(replyText(await press(OMAR, COMPLAINT_ACTIONS.resolve, reference))).toMatch(/already resolved/);
      expect((await stored())[0]?.resolvedByName).toBe('Dana Reyes');
    });

    it('keeps the modal open on a tampered or missing answer', async ({
      press,
      submit,
      fileByForm,
      stored,
    }) => {
      const reference = await fileByForm();
      await press(DANA, COMPLAINT_ACTIONS.acknowledge, reference);
      const outcome = await submit(
        DANA,
        COMPLAINT_FORMS.resolve,
        { summary: '', contacted: 'maybe' },
        reference,
      );
      expect(outcome.formErrors).toEqual({
        summary: 'Say how it was resolved.',
        contacted: 'Answer yes or no.',
      });
      expect((await stored())[0]?.status).toBe('acknowledged');
    });

    it('checks who submits the modal again, from the config', async ({
      press,
      submit,
      fileByForm,
      stored,
    }) => {
      const reference = await fileByForm();
      await press(DANA, COMPLAINT_ACTIONS.acknowledge, reference);
      const outcome = await submit(
        PRIYA,
        COMPLAINT_FORMS.resolve,
        { summary: 'Done', contacted: 'no' },
        reference,
      );
      expect(replyText(outcome)).toMatch(/Only managers/);
      expect((await stored())[0]?.status).toBe('acknowledged');
    });
  });

  describe('reopen', () => {
    it('refuses to reopen a complaint that is not resolved', async ({ press, fileByForm }) => {
      const reference = await fileByForm();
      expect(replyText(await press(DANA, COMPLAINT_ACTIONS.reopen, reference))).toMatch(
        /is new, not resolved, so there is nothing to reopen\. Nothing was changed\./,
      );
    });

    it('reopens a resolved complaint, keeps its owner, and tells the owner', async ({
      db,
      press,
      submit,
      fileByForm,
      stored,
      outboxRows,
    }) => {
      const reference = await fileByForm();
      await press(DANA, COMPLAINT_ACTIONS.acknowledge, reference);
      await submit(DANA, COMPLAINT_FORMS.resolve, { summary: 'Done', contacted: 'no' }, reference);
      await db.delete(outbox);
      const outcome = await press(OMAR, COMPLAINT_ACTIONS.reopen, reference);
      expect(outcome.reply?.text).toBe(`Reopened ${reference}; Dana Reyes still owns it.`);
      expect((await stored())[0]).toMatchObject({
        status: 'reopened',
        reopenCount: 1,
        ownerName: 'Dana Reyes',
      });
      const [update, dm] = await outboxRows();
      expect(update?.message.buttons?.map((button) => button.label)).toEqual(['View details', 'Resolve']);
      expect(dm).toMatchObject({ kind: 'dm', target: DANA });
      expect(replyText(await press(OMAR, COMPLAINT_ACTIONS.reopen, reference))).toMatch(
        /is reopened, not resolved/,
      );
    });
    it('tells no owner who is no longer a manager, since they could not act on it', async ({
      db,
      run,
      press,
      submit,
      fileByForm,
      outboxRows,
    }) => {
      const reference = await fileByForm();
      await press(DANA, COMPLAINT_ACTIONS.acknowledge, reference);
      await submit(DANA, COMPLAINT_FORMS.resolve, { summary: 'Done', contacted: 'no' }, reference);
      await db.delete(outbox);
      const later = {
        ...office,
        staff: office.staff.map((member) => (member.slack === DANA ? { ...member, manager: false } : member)),
      };
      await run(OMAR, { kind: 'action', actionId: COMPLAINT_ACTIONS.reopen, value: reference }, NOW, later);
      expect((await outboxRows()).filter((row) => row.kind === 'dm')).toEqual([]);
    });
  });

  describe('View details', () => {
    it('shows a manager everything in a read-only view and audits the view', async ({
      press,
      fileByForm,
      auditRows,
    }) => {
      const reference = await fileByForm();
      const outcome = await press(DANA, COMPLAINT_ACTIONS.details, reference);
      expect(outcome.form).toMatchObject({
        formId: COMPLAINT_FORMS.details,
        title: `Complaint ${reference}`,
      });
      expect(outcome.form?.submitLabel).toBeUndefined();
      expect(outcome.form?.lines).toEqual(
        expect.arrayContaining([SECRET, 'When it happened: Tuesday morning']),
      );
      expect((await auditRows()).at(-1)).toMatchObject({
        action: 'complaint.viewed',
        entity: reference,
        actorName: 'Dana Reyes',
      });
    });

    it('refuses anyone else and records no view', async ({ press, fileByForm, auditRows }) => {
      const reference = await fileByForm();
      const outcome = await press(SAM, COMPLAINT_ACTIONS.details, reference);
      expect(outcome.form).toBeUndefined();
      expect(replyText(outcome)).toMatch(/Only managers .* can read complaints; they are confidential/);
      expect((await auditRows()).map((row) => row.action)).toEqual(['complaint.filed']);
    });

    it('lets the privacy officer read a privacy complaint', async ({ press, fileByForm }) => {
      const reference = await fileByForm({ category: 'privacy' });
      expect((await press(GRACE, COMPLAINT_ACTIONS.details, reference)).form?.lines).toContain(SECRET);
      const other = await fileByForm({ category: 'billing' });
      expect((await press(GRACE, COMPLAINT_ACTIONS.details, other)).form).toBeUndefined();
    });

    it('never shows an anonymous reporter, even to managers', async ({ press, fileByForm }) => {
      const reference = await fileByForm({ about: 'staff', anonymous: 'yes' });
      const lines = (await press(DANA, COMPLAINT_ACTIONS.details, reference)).form?.lines ?? [];
      expect(lines.join('\n')).not.toContain('Sam Lee');
      expect(lines).toContain('From: Staff · Reporter: anonymous to the team');
    });
  });

  describe('Refine', () => {
    it('lets the reporter complete a complaint filed from text; an urgent one then alerts the managers', async ({
      db,
      command,
      press,
      submit,
      stored,
      outboxRows,
    }) => {
      const reference = referenceIn(await command(SAM, 'Rude on the phone'));
      const opened = await press(SAM, COMPLAINT_ACTIONS.refine, reference);
      expect(opened.form).toMatchObject({ formId: COMPLAINT_FORMS.refine, metadata: reference });
      expect(opened.form?.inputs.find((input) => input.id === 'what')).toMatchObject({
        initial: 'Rude on the phone',
      });
      await db.delete(outbox);
      const outcome = await submit(
        SAM,
        COMPLAINT_FORMS.refine,
        formValues({ what: 'Rude on the phone', category: 'staff_conduct', severity: 'urgent' }),
        reference,
      );
      expect(outcome.reply?.text).toBe(`Updated ${reference}: Staff conduct · Urgent.`);
      expect((await stored())[0]).toMatchObject({
        category: 'staff_conduct',
        severity: 'urgent',
        status: 'new',
      });
      const rows = await outboxRows();
      expect(rows.map((row) => `${row.kind}:${row.target}`)).toEqual(['update:', `dm:${DANA}`, `dm:${OMAR}`]);
    });

    it('redraws the alerts already sent when an urgent complaint is refined to high, and again when it is acknowledged', async ({
      fileByForm,
      submit,
      press,
      outboxRows,
    }) => {
      const reference = await fileByForm({ severity: 'urgent' });
      const alertKeys = [`${reference}/alert/slack/${DANA}`, `${reference}/alert/slack/${OMAR}`];
      const latest = async (key: string) =>
        (await outboxRows()).filter((row) => row.cardKey === key).at(-1)?.message;
      await submit(SAM, COMPLAINT_FORMS.refine, formValues({ severity: 'high' }), reference);
      for (const key of alertKeys) {
        const refined = await latest(key);
        expect(refined?.title).toBe(`Complaint ${reference}`);
        expect(refined?.lines?.[0]).toContain('High');
        expect(refined?.buttons?.map((button) => button.label)).toEqual(['View details', 'Acknowledge']);
      }
      await press(DANA, COMPLAINT_ACTIONS.acknowledge, reference);
      for (const key of alertKeys) {
        const acknowledged = await latest(key);
        expect(acknowledged?.buttons?.map((button) => button.label)).toEqual(['View details', 'Resolve']);
        expect(acknowledged?.note).toMatch(/Acknowledged by Dana Reyes/);
      }
    });

    it('refuses anyone but the reporter', async ({ command, press, submit, stored }) => {
      const reference = referenceIn(await command(SAM, 'Rude on the phone'));
      expect(replyText(await press(PRIYA, COMPLAINT_ACTIONS.refine, reference))).toMatch(
        /Only the person who logged/,
      );
      const tampered = await submit(PRIYA, COMPLAINT_FORMS.refine, formValues(), reference);
      expect(replyText(tampered)).toMatch(/Only the person who logged/);
      expect((await stored())[0]?.category).toBe('other');
    });

    it('refuses once a manager has acknowledged it, and takes Refine off the reporter’s confirmation', async ({
      command,
      press,
      submit,
    }) => {
      const reference = referenceIn(await command(SAM, 'Rude on the phone'));
      await press(DANA, COMPLAINT_ACTIONS.acknowledge, reference);
      const pressed = await press(SAM, COMPLAINT_ACTIONS.refine, reference);
      expect(replyText(pressed)).toMatch(/is already acknowledged; please tell Dana Reyes what to add/);
      expect(pressed.source).toEqual({
        text: `Complaint logged: ${reference}`,
        title: `Complaint logged — ${reference}`,
        lines: [`Logged: ${reference} · Other · Medium.`],
        note: 'Now acknowledged; tell Dana Reyes what to add.',
      });
      // A form opened before the acknowledgement and sent after it: the same answer, the same redraw.
      const sent = await submit(SAM, COMPLAINT_FORMS.refine, formValues({ severity: 'high' }), reference);
      expect(sent.source?.note).toBe('Now acknowledged; tell Dana Reyes what to add.');
      // Someone else's press is refused for who they are: their view of the message is not touched.
      expect((await press(PRIYA, COMPLAINT_ACTIONS.refine, reference)).source).toBeUndefined();
    });

    it('gives the reporter back what they wrote when a manager acknowledged it while the form was open', async ({
      db,
      command,
      press,
      submit,
    }) => {
      const reference = referenceIn(await command(SAM, 'Rude on the phone'));
      await press(DANA, COMPLAINT_ACTIONS.acknowledge, reference);
      const sent = await submit(
        SAM,
        COMPLAINT_FORMS.refine,
        formValues({ when: 'Monday at nine', outcome: 'A call from the manager' }),
        reference,
      );
      expect(sent.reply?.lines).toEqual([
        `${reference} is already acknowledged; please tell Dana Reyes what to add. Nothing was changed.`,
        'What you wrote, to pass on:',
        SECRET,
        'When: Monday at nine',
        'Outcome wanted: A call from the manager',
      ]);
      // It quotes the complaint: a retried delivery is not answered with it from the database.
      expect(sent.confidentialReply).toBe(true);
      // The form has closed: the text is sent where it outlasts a reload (Slack's direct messages).
      expect(sent.keepReply).toBe(true);
      expect(JSON.stringify(await db.select().from(deliveries))).not.toContain('Quimby');
    });

    it('does not alert the managers twice when a complaint is refined from urgent and back', async ({
      fileByForm,
      submit,
      outboxRows,
    }) => {
      const reference = await fileByForm({ severity: 'urgent' });
      await submit(SAM, COMPLAINT_FORMS.refine, formValues({ severity: 'high' }), reference);
      const back = await submit(SAM, COMPLAINT_FORMS.refine, formValues({ severity: 'urgent' }), reference);
      expect(back.reply?.lines).toBeUndefined();
      const rows = await outboxRows();
      for (const manager of [DANA, OMAR]) {
        const alerts = rows.filter((row) => row.cardKey === `${reference}/alert/slack/${manager}`);
        expect(alerts.filter((row) => row.kind === 'dm')).toHaveLength(1);
        expect(alerts.at(-1)?.message.title).toBe(`🚨 Urgent complaint ${reference}`);
      }
    });

    it('takes the reporter out of the audit entries made before they refined it to anonymous', async ({
      command,
      submit,
      auditRows,
    }) => {
      const reference = referenceIn(await command(SAM, 'The lead nurse shouted at me'));
      await submit(SAM, COMPLAINT_FORMS.refine, formValues({ about: 'staff', anonymous: 'yes' }), reference);
      const entries = (await auditRows()).filter((row) => row.entity === reference);
      expect(entries.map((row) => [row.action, row.actor, row.actorName])).toEqual([
        ['complaint.filed', 'anonymous', 'anonymous'],
        ['complaint.refined', 'anonymous', 'anonymous'],
      ]);
    });
  });

  describe('/complaint list', () => {
    it('shows managers the open complaints with owner, age and due days, flagging overdue ones', async ({
      run,
      press,
      fileByForm,
      auditRows,
    }) => {
      const first = await fileByForm();
      const second = await fileByForm({ category: 'billing', severity: 'low' });
      await press(DANA, COMPLAINT_ACTIONS.acknowledge, second);
      const later = DateTime.fromISO('2026-03-12T09:00', { zone }); // Thu
      const outcome = await run(DANA, { kind: 'command', command: 'complaint', text: 'list' }, later);
      expect(outcome.reply?.title).toBe('Open complaints (2)');
      expect(outcome.reply?.lines).toEqual([
        `${first} · Clinical care · High · new · 6 days old · owner nobody yet · acknowledge by Tue Mar 10 ⚠️ overdue · resolve by Fri Apr 17`,
        `${second} · Billing · Low · acknowledged · 6 days old · owner Dana Reyes · resolve by Fri Apr 17`,
      ]);
      expect(replyText(outcome)).not.toContain('Quimby');
      expect((await auditRows()).at(-1)).toMatchObject({ action: 'complaint.listed', detail: { open: 2 } });
    });

    it('refuses everyone else', async ({ command, fileByForm }) => {
      await fileByForm();
      const outcome = await command(SAM, 'list');
      expect(replyText(outcome)).toMatch(/Only managers .* can list complaints/);
      expect(replyText(outcome)).not.toContain('CP-');
    });
  });

  describe('/complaint export', () => {
    it('gives managers a CSV with the text, and audits the export', async ({
      command,
      fileByForm,
      auditRows,
    }) => {
      const reference = await fileByForm();
      const outcome = await command(DANA, 'export');
      expect(outcome.reply?.text).toBe('Complaints, all time: 1 row, as a CSV file.');
      expect(JSON.stringify(outcome.reply)).not.toContain(SECRET);
      const csv = readCsvAttachment(outcome);
      expect(csv.header.slice(0, 2)).toEqual(['reference', 'filed']);
      expect(csv.rows[0]?.slice(0, 7)).toEqual([
        reference,
        '2026-03-06T12:00',
        'patient',
        'clinical_care',
        'high',
        'new',
        'Sam Lee',
      ]);
      expect(csv.rows[0]).toContain(SECRET);
      expect((await auditRows()).at(-1)).toMatchObject({
        action: 'complaint.exported',
        detail: { month: 'all', rows: 1 },
      });
    });

    it('does not keep the export’s text for a retried delivery', async ({ db, command, fileByForm }) => {
      await fileByForm();
      const first = await command(DANA, 'export', 'export-delivery-1');
      expect(readCsvAttachment(first).rows[0]).toContain(SECRET);
      const retried = await command(DANA, 'export', 'export-delivery-1');
      expect(replyText(retried)).toMatch(/already answered/);
      const stored = await db.select().from(deliveries).where(eq(deliveries.deliveryId, 'export-delivery-1'));
      expect(JSON.stringify(stored)).not.toContain(SECRET);
    });

    it('exports one month', async ({ command, fileByForm }) => {
      await fileByForm();
      expect(readCsvAttachment(await command(DANA, 'export 2026-02')).rows).toEqual([]);
      expect(readCsvAttachment(await command(DANA, 'export 2026-03')).rows).toHaveLength(1);
    });

    it('refuses a month it cannot read and a non-manager', async ({ command, auditRows }) => {
      for (const month of ['march', '9999-12', '0000-01']) {
        expect(replyText(await command(DANA, `export ${month}`))).toMatch(
          /Write the month like \/complaint export 2026-03/,
        );
      }
      expect(replyText(await command(SAM, 'export'))).toMatch(/Only managers .* can export complaints/);
      expect(await auditRows()).toHaveLength(0);
    });
  });

  describe('overdue reminders', () => {
    it('reminds the owner and the channel once, with references and ages only, and refreshes the cards', async ({
      db,
      deps,
      press,
      fileByForm,
      outboxRows,
    }) => {
      const unowned = await fileByForm();
      const owned = await fileByForm({ category: 'billing' });
      await press(DANA, COMPLAINT_ACTIONS.acknowledge, owned);
      await db.delete(outbox);
      const now = DateTime.fromISO('2026-04-20T10:00', { zone }); // Mon, past both clocks
      const effects = await complaintRemindersJob.run(
        { db: db, office, now, logger: deps.logger },
        { runKey: '2026-04-20', scheduledAt: now, late: false },
      );
      await queueEffects(deps, db, effects);
      while ((await redrawAskedCards(deps, FEATURES, now)) > 0);
      const rows = await outboxRows();
      const updates = rows.filter((row) => row.kind === 'update');
      expect(updates.map((row) => row.cardKey).sort()).toEqual([unowned, owned].sort());
      for (const update of updates)
        expect(update.message.fields).toContainEqual({ label: 'Age', value: '45 days' });
      const dm = rows.find((row) => row.kind === 'dm');
      expect(dm).toMatchObject({ target: DANA });
      expect(dm?.message.title).toBe('1 complaint you own is overdue');
      expect(dm?.message.lines?.[0]).toBe(
        `${owned} · Billing · High · resolution was due Fri Apr 17 · 45 days old`,
      );
      const post = rows.find((row) => row.kind === 'post');
      expect(post).toMatchObject({ target: office.channels.complaints });
      expect(post?.message.lines?.[0]).toBe(
        `${unowned} · Clinical care · High · acknowledgement was due Tue Mar 10 · 45 days old`,
      );
      // The cards stay in the complaints channel; the reminders name neither the text nor the reporter.
      const reminders = JSON.stringify(rows.filter((row) => row.kind !== 'update'));
      expect(reminders).not.toContain('Quimby');
      expect(reminders).not.toContain('Sam Lee');
      expect(JSON.stringify(rows)).not.toContain('Quimby');
    });

    it('never draws a card over a step another process commits while the reminders run', async ({
      db,
      deps,
      recording,
      fileByForm,
      press,
      outboxRows,
      target,
    }) => {
      const reference = await fileByForm();
      const at = DateTime.fromISO('2026-04-20T10:00', { zone }); // Mon, past its clock
      const racing: DailyJob = {
        ...(complaintRemindersJob as DailyJob),
        async run(ctx, due) {
          const effects = await complaintRemindersJob.run(ctx, due);
          // Meanwhile, on another process, Dana acknowledges it: on PostgreSQL it commits before the run does.
          if (target.name === 'postgres') await press(DANA, COMPLAINT_ACTIONS.acknowledge, reference);
          return effects;
        },
      };
      const scheduler = createScheduler({
        db,
        office,
        logger: recording.logger,
        clock: () => at,
        jobs: [racing],
        queueEffects: (tx, effects) => queueEffects(deps, tx, effects),
      });
      expect((await scheduler.tick())['complaint-reminders']).toBe('ran');
      if (target.name !== 'postgres') await press(DANA, COMPLAINT_ACTIONS.acknowledge, reference);
      while ((await redrawAskedCards(deps, FEATURES, at)) > 0);
      const last = (await outboxRows())
        .filter((row) => row.cardKey === reference && row.kind === 'update')
        .at(-1);
      expect(last?.message.buttons?.map((button) => button.label)).not.toContain('Acknowledge');
      expect(last?.message.note).toMatch(/Acknowledged by Dana Reyes/);
    });

    it('sends nothing when nothing is overdue, and still brings every open card’s age up to date', async ({
      db,
      deps,
      press,
      submit,
      fileByForm,
      outboxRows,
    }) => {
      const reference = await fileByForm();
      await press(DANA, COMPLAINT_ACTIONS.acknowledge, reference);
      const resolved = await fileByForm();
      await press(DANA, COMPLAINT_ACTIONS.acknowledge, resolved);
      await submit(DANA, COMPLAINT_FORMS.resolve, { summary: 'Done', contacted: 'no' }, resolved);
      await db.delete(outbox);
      const now = DateTime.fromISO('2026-03-20T10:00', { zone }); // two weeks on, no clock past
      const effects = await complaintRemindersJob.run(
        { db: db, office, now, logger: deps.logger },
        { runKey: '2026-03-20', scheduledAt: now, late: false },
      );
      expect(effects).toEqual([{ kind: 'redraw', cardKey: reference }]);
      await queueEffects(deps, db, effects);
      while ((await redrawAskedCards(deps, FEATURES, now)) > 0);
      const [update, ...rest] = await outboxRows();
      expect(rest).toEqual([]);
      expect(update?.message.fields).toContainEqual({ label: 'Age', value: '14 days' });
    });

    it('counts a complaint whose owner is no longer a manager as nobody’s: the channel hears of it, not the owner', async ({
      db,
      deps,
      press,
      fileByForm,
    }) => {
      const reference = await fileByForm();
      await press(DANA, COMPLAINT_ACTIONS.acknowledge, reference);
      const later = {
        ...office,
        staff: office.staff.map((member) => (member.slack === DANA ? { ...member, manager: false } : member)),
      };
      const now = DateTime.fromISO('2026-04-20T10:00', { zone }); // past the resolution clock
      const effects = await complaintRemindersJob.run(
        { db, office: later, now, logger: deps.logger },
        { runKey: '2026-04-20', scheduledAt: now, late: false },
      );
      expect(effects.filter((effect) => effect.kind === 'dm')).toEqual([]);
      const [post] = effects.filter((effect) => effect.kind === 'post');
      expect(post?.kind === 'post' && post.message.title).toBe(
        '1 overdue complaint has no owner who can act',
      );
      expect(post?.kind === 'post' && post.message.lines?.[0]).toMatch(new RegExp(`^${reference} · `));
    });
  });

  describe('the huddle digest', () => {
    it('counts open and overdue complaints by reference and age only', async ({ db, fileByForm }) => {
      const reference = await fileByForm();
      const now = DateTime.fromISO('2026-03-12T07:45', { zone }); // Thu
      const digest = renderHuddleDigest(await loadHuddleDigest(db, office, '2026-03-12', now, quietLogger));
      expect(digest.sections).toContainEqual({
        heading: 'Complaints',
        lines: [`1 open, 1 overdue: ${reference} (6 days)`],
      });
      expect(JSON.stringify(digest)).not.toContain('Quimby');
      expect(JSON.stringify(digest)).not.toContain('Sam Lee');
    });
  });

  it('keeps the text and the reporter out of the log, the audit details and every message outside the complaints channel', async ({
    db,
    recording,
    command,
    press,
    submit,
    outboxRows,
    auditRows,
  }) => {
    const reference = referenceIn(await command(SAM, SECRET, 'trigger-secret'));
    await command(SAM, SECRET, 'trigger-secret');
    await command(SAM, `${SECRET} ${'z'.repeat(3000)}`);
    await submit(SAM, COMPLAINT_FORMS.intake, formValues({ severity: 'urgent', category: 'privacy' }));
    await submit(SAM, COMPLAINT_FORMS.intake, formValues({ category: 'vibes' }));
    await press(DANA, COMPLAINT_ACTIONS.details, reference);
    await press(PRIYA, COMPLAINT_ACTIONS.details, reference);
    await press(DANA, COMPLAINT_ACTIONS.acknowledge, reference);
    await submit(
      DANA,
      COMPLAINT_FORMS.resolve,
      { summary: `Resolved: ${SECRET}`, contacted: 'yes' },
      reference,
    );
    await command(DANA, 'list');
    await command(DANA, 'export');

    for (const secret of ['Quimby', CALLBACK_NAME, '555-0100']) {
      expect(recording.text()).not.toContain(secret);
      for (const row of await auditRows()) expect(JSON.stringify(row.detail)).not.toContain(secret);
      const outside = (await outboxRows()).filter((row) => row.target !== office.channels.complaints);
      expect(outside.length).toBeGreaterThan(0);
      expect(JSON.stringify(outside)).not.toContain(secret);
      const inChannel = (await outboxRows()).filter((row) => row.target === office.channels.complaints);
      expect(JSON.stringify(inChannel)).not.toContain(secret);
    }
    // The only stored answers are the filing confirmations and refusals: neither quotes the text.
    const answers = await db.select().from(deliveries).where(eq(deliveries.deliveryId, 'trigger-secret'));
    expect(JSON.stringify(answers)).not.toContain('Quimby');
  });
});
