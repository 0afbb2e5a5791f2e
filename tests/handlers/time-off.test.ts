import { count, eq } from 'drizzle-orm';
import { DateTime } from 'luxon';
import { describe, expect } from 'vitest';
import { openDatabase } from '../../src/db/client.ts';
import { auditLog, callOuts, outbox, timeOffRequests } from '../../src/db/schema/index.ts';
import { resolvePerson } from '../../src/domain/people.ts';
import { CALL_OUT_ACTIONS } from '../../src/handlers/call-outs/ids.ts';
import { type DispatchDeps, dispatchInput } from '../../src/handlers/kernel/dispatch.ts';
import type { Message, Outcome } from '../../src/handlers/kernel/message.ts';
import { TIME_OFF_ACTIONS, TIME_OFF_FORMS } from '../../src/handlers/time-off/ids.ts';
import { redrawTimeOffCards } from '../../src/handlers/time-off/loaders.ts';
import { databaseTargets } from '../helpers/databases.ts';
import { buildDispatchDeps, findReference, replyText } from '../helpers/dispatch.ts';
import { createHandlerTest } from '../helpers/handler-fixture.ts';
import { createRecordingLogger } from '../helpers/logger.ts';
import { buildOfficeConfig } from '../helpers/office.ts';

const office = buildOfficeConfig();
const zone = office.office.timezone;
const NOW = DateTime.fromISO('2026-11-25T10:00', { zone }); // Wed
const SAM = 'U0SAM'; // front desk
const PRIYA = 'U0PRIYA'; // front desk
const DANA = 'U0DANA'; // manager
const OMAR = 'U0OMAR'; // physician, manager

const referenceIn = (outcome: Outcome) => findReference(outcome, 'TO');

const it = createHandlerTest({
  office,
  now: NOW,
  command: 'timeoff',
  actions: TIME_OFF_ACTIONS,
  forms: TIME_OFF_FORMS,
})
  .extend(
    'storedRequests',
    ({ db }) =>
      () =>
        db.select().from(timeOffRequests),
  )
  .extend(
    'outboxRows',
    ({ db }) =>
      () =>
        db.select().from(outbox).orderBy(outbox.id),
  );

describe.each(databaseTargets())('time off on $name', (target) => {
  it.override({ target });

  describe('filing from text', () => {
    it('audits each filing under the reference it was given, also when filings interleave', async ({
      command,
      db,
    }) => {
      const outcomes = await Promise.all([
        command(SAM, '2026-12-22'),
        command(PRIYA, '2026-12-23'),
        command(SAM, '2026-12-28 to 2026-12-29'),
      ]);
      const audited = await db
        .select({ entity: auditLog.entity, actor: auditLog.actorName, detail: auditLog.detail })
        .from(auditLog)
        .where(eq(auditLog.action, 'timeoff.filed'));
      expect(audited).toHaveLength(3);
      for (const outcome of outcomes) {
        const reference = referenceIn(outcome);
        const [row] = await db
          .select()
          .from(timeOffRequests)
          .where(eq(timeOffRequests.number, Number(reference.slice(3))));
        expect(audited).toContainEqual({
          entity: reference,
          actor: row?.requesterName,
          detail: { start: row?.startDay, end: row?.endDay, part: 'full', workingDays: row?.workingDays },
        });
      }
    });

    it('files one of eight identical requests sent at once; the others are refused as overlapping', async ({
      command,
      storedRequests,
      outboxRows,
    }) => {
      const outcomes = await Promise.all(
        Array.from({ length: 8 }, (_, index) => command(SAM, '2026-12-22', `race-${index}`)),
      );
      expect(await storedRequests()).toHaveLength(1);
      expect((await outboxRows()).filter((row) => row.kind === 'post')).toHaveLength(1);
      expect(outcomes.filter((outcome) => /Time off requested/.test(replyText(outcome)))).toHaveLength(1);
      expect(outcomes.filter((outcome) => /already/i.test(replyText(outcome)))).toHaveLength(7);
    });

    it('files a range, says what it understood, and queues an approval card with Approve and Deny', async ({
      command,
      storedRequests,
      outboxRows,
    }) => {
      const outcome = await command(SAM, 'dec 1 to dec 3 family visit');
      const text = replyText(outcome);
      expect(text).toContain('Tue Dec 1 – Thu Dec 3, 3 working days');
      expect(text).toContain('family visit');
      const reference = referenceIn(outcome);
      const [row] = await storedRequests();
      expect(row).toMatchObject({
        startDay: '2026-12-01',
        endDay: '2026-12-03',
        status: 'pending',
        workingDays: 3,
      });
      const [card] = await outboxRows();
      expect(card).toMatchObject({
        kind: 'post',
        platform: 'slack',
        target: office.channels.approvals,
        cardKey: reference,
      });
      expect(card?.message.buttons?.map((button) => button.label)).toEqual(['Approve', 'Deny']);
      expect(card?.message.buttons?.map((button) => button.value)).toEqual([`${reference}~none`, reference]);
    });

    it('counts a half day as 0.5 and reads a leading type word after the date', async ({
      command,
      storedRequests,
    }) => {
      await command(SAM, 'dec 8 pm sick dentist');
      const [row] = await storedRequests();
      expect(row).toMatchObject({
        startDay: '2026-12-08',
        part: 'pm',
        workingDays: 0.5,
        type: 'sick',
        reason: 'dentist',
      });
    });

    it.for([
      ['a malformed date', '2026-02-30 to 2026-03-02', /not a date I can read/],
      ['no date at all', 'family visit', /could not find a date/],
      ['a day in the past', 'nov 20', /already passed/],
      ['a range over 60 days', '2026-12-01 to 2027-03-01', /at most 60/],
      ['a weekend only', 'sat', /no working days/],
      ['a huge reason', `dec 1 ${'x'.repeat(600)}`, /under 500 characters/],
    ] as const)(
      'refuses %s with a clear answer and stores nothing',
      async ([_label, text, expected], { command, storedRequests, outboxRows }) => {
        const outcome = await command(SAM, text);
        expect(replyText(outcome)).toMatch(expected);
        expect(replyText(outcome)).toMatch(/Nothing was saved/);
        expect(await storedRequests()).toHaveLength(0);
        expect(await outboxRows()).toHaveLength(0);
      },
    );

    it('asks for the last day of a range cut off after "to", and stores nothing', async ({
      command,
      storedRequests,
      outboxRows,
    }) => {
      const outcome = await command(SAM, 'dec 9 to');
      expect(outcome.reply?.text).toBe(
        'Wed Dec 9 to what day? Write the last day too, like /timeoff dec 9 to dec 11. Nothing was saved.',
      );
      expect(outcome.effects).toEqual([]);
      expect(await storedRequests()).toHaveLength(0);
      expect(await outboxRows()).toHaveLength(0);
    });

    it('names the year of a past day in another year, and stores nothing', async ({
      command,
      storedRequests,
      outboxRows,
    }) => {
      const outcome = await command(SAM, '1999-01-01');
      expect(outcome.reply?.text).toBe(
        'Fri Jan 1, 1999 has already passed. Time off can be asked for from today (Wed Nov 25) on. Nothing was saved.',
      );
      expect(await storedRequests()).toHaveLength(0);
      expect(await outboxRows()).toHaveLength(0);
    });

    it('refuses a request overlapping my own pending one and names it', async ({
      command,
      storedRequests,
    }) => {
      const first = referenceIn(await command(SAM, 'dec 1 to dec 3'));
      const outcome = await command(SAM, 'dec 2');
      expect(replyText(outcome)).toContain(`You already have ${first}`);
      expect(await storedRequests()).toHaveLength(1);
    });

    it('stores an injection attempt as plain text and leaves the table intact', async ({
      command,
      storedRequests,
    }) => {
      const reason = "'); drop table time_off_requests; --";
      await command(SAM, `dec 1 ${reason}`);
      const [row] = await storedRequests();
      expect(row?.reason).toBe(reason);
    });

    it('files once when the same delivery arrives twice', async ({ command, storedRequests, outboxRows }) => {
      const first = await command(SAM, 'dec 1', 'trigger-1');
      const again = await command(SAM, 'dec 1', 'trigger-1');
      expect(again.reply).toEqual(first.reply);
      expect(await storedRequests()).toHaveLength(1);
      expect(await outboxRows()).toHaveLength(1);
    });

    it.for(['dec 8 pm to dec 9', 'dec 8 to dec 9 pm family'])(
      'refuses the half day inside the range %s with how to write it, and stores nothing',
      async (text, { command, storedRequests }) => {
        const outcome = await command(SAM, text);
        expect(replyText(outcome)).toContain(
          'A half day (am/pm) is one day; for a range write /timeoff dec 8 to dec 9. Nothing was saved.',
        );
        expect(outcome.effects).toEqual([]);
        expect(await storedRequests()).toHaveLength(0);
      },
    );

    it.for(['9999-12-31', 'dec 1 2099', '2028-01-03 to 2028-01-04'])(
      'refuses %s as too far ahead (after the end of next year) and stores nothing',
      async (text, { command, storedRequests }) => {
        const outcome = await command(SAM, text);
        expect(replyText(outcome)).toMatch(
          /is too far ahead; time off can be asked for up to Fri Dec 31, 2027\. Nothing was saved\./,
        );
        expect(outcome.effects).toEqual([]);
        expect(await storedRequests()).toHaveLength(0);
      },
    );

    it('still files the last day of next year', async ({ command, storedRequests }) => {
      const outcome = await command(SAM, '2027-12-31');
      expect(replyText(outcome)).toMatch(/^Time off requested: TO-\d+, Fri Dec 31/);
      expect(await storedRequests()).toHaveLength(1);
    });

    it('flags a request over the remaining balance but still files it', async ({
      command,
      storedRequests,
    }) => {
      const outcome = await command(SAM, '2026-12-01 to 2026-12-31');
      expect(replyText(outcome)).toMatch(/more than your remaining allowance/);
      const [row] = await storedRequests();
      expect(row?.overBalance).toBe(true);
    });
  });

  describe('the form', () => {
    it('opens a form when the command has no text', async ({ command }) => {
      const outcome = await command(SAM, '');
      expect(outcome.form).toMatchObject({ formId: TIME_OFF_FORMS.request });
      expect(outcome.form?.inputs.map((input) => input.id)).toEqual([
        'start',
        'end',
        'part',
        'type',
        'reason',
      ]);
    });

    it('files from a submitted form', async ({ run, storedRequests }) => {
      const outcome = await run(SAM, {
        kind: 'form',
        formId: TIME_OFF_FORMS.request,
        values: {
          start: '2026-12-07',
          end: '2026-12-08',
          part: 'full',
          type: 'education',
          reason: 'CME course',
        },
      });
      expect(replyText(outcome)).toContain('Mon Dec 7 – Tue Dec 8, 2 working days');
      expect((await storedRequests())[0]).toMatchObject({ type: 'education', reason: 'CME course' });
    });

    it('keeps the form open with an error on the field that is wrong', async ({ run, storedRequests }) => {
      const outcome = await run(SAM, {
        kind: 'form',
        formId: TIME_OFF_FORMS.request,
        values: { start: '2026-12-08', end: '2026-12-07', part: 'full', type: 'vacation' },
      });
      expect(outcome.formErrors?.end).toMatch(/before the first day/);
      expect(await storedRequests()).toHaveLength(0);
    });

    it('refuses a form whose last day is after the end of next year, on that field', async ({
      run,
      storedRequests,
    }) => {
      const outcome = await run(SAM, {
        kind: 'form',
        formId: TIME_OFF_FORMS.request,
        values: { start: '2026-12-08', end: '9999-12-31', part: 'full', type: 'vacation' },
      });
      expect(outcome.formErrors?.end).toBe(
        'Fri Dec 31, 9999 is too far ahead; time off can be asked for up to Fri Dec 31, 2027.',
      );
      expect(await storedRequests()).toHaveLength(0);
    });

    it('rejects an unknown type value sent by a tampered form', async ({ run, storedRequests }) => {
      const outcome = await run(SAM, {
        kind: 'form',
        formId: TIME_OFF_FORMS.request,
        values: { start: '2026-12-08', part: 'full', type: 'sabbatical' },
      });
      expect(outcome.formErrors?.type).toBeDefined();
      expect(await storedRequests()).toHaveLength(0);
    });
  });

  describe('deciding', () => {
    it('lets a manager approve: the card is updated in place and the requester gets a DM', async ({
      command,
      press,
      storedRequests,
      outboxRows,
    }) => {
      const reference = referenceIn(await command(SAM, 'dec 1'));
      const outcome = await press(DANA, TIME_OFF_ACTIONS.approve, reference);
      expect(replyText(outcome)).toContain(`Approved ${reference}`);
      expect((await storedRequests())[0]).toMatchObject({ status: 'approved', decidedByName: 'Dana Reyes' });
      const rows = await outboxRows();
      const update = rows.find((row) => row.kind === 'update');
      expect(update).toMatchObject({ cardKey: reference });
      expect(update?.message.buttons).toBeUndefined();
      expect(update?.message.note).toMatch(/Approved by Dana Reyes/);
      expect(rows.find((row) => row.kind === 'dm')).toMatchObject({ target: SAM });
    });

    it('refuses a non-manager press and changes nothing', async ({
      command,
      press,
      storedRequests,
      outboxRows,
    }) => {
      const reference = referenceIn(await command(SAM, 'dec 1'));
      const before = (await outboxRows()).length;
      const outcome = await press(PRIYA, TIME_OFF_ACTIONS.approve, reference);
      expect(replyText(outcome)).toMatch(/Only Dana Reyes or Dr\. Omar Haddad can approve/);
      expect((await storedRequests())[0]?.status).toBe('pending');
      expect(await outboxRows()).toHaveLength(before);
    });

    it('refuses a second decision and names the first decider', async ({
      command,
      press,
      storedRequests,
    }) => {
      const reference = referenceIn(await command(SAM, 'dec 1'));
      await press(DANA, TIME_OFF_ACTIONS.approve, reference);
      const outcome = await press(OMAR, TIME_OFF_ACTIONS.deny, reference);
      expect(replyText(outcome)).toMatch(new RegExp(`${reference} was already approved by Dana Reyes`));
      expect((await storedRequests())[0]?.status).toBe('approved');
    });

    it('decides once when two managers press at the same moment', async ({ command, press, outboxRows }) => {
      const reference = referenceIn(await command(SAM, 'dec 1'));
      const outcomes = await Promise.all([
        press(DANA, TIME_OFF_ACTIONS.approve, reference),
        press(OMAR, TIME_OFF_ACTIONS.approve, reference),
      ]);
      const texts = outcomes.map(replyText);
      expect(texts.filter((text) => text.startsWith('Approved'))).toHaveLength(1);
      expect(texts.filter((text) => text.includes('was already approved'))).toHaveLength(1);
      expect((await outboxRows()).filter((row) => row.kind === 'dm')).toHaveLength(1);
    });

    it('asks for a reason on Deny and tells the requester', async ({
      run,
      command,
      press,
      storedRequests,
      outboxRows,
    }) => {
      const reference = referenceIn(await command(SAM, 'dec 1'));
      const opened = await press(DANA, TIME_OFF_ACTIONS.deny, reference);
      expect(opened.form).toMatchObject({ formId: TIME_OFF_FORMS.denyReason, metadata: reference });
      expect((await storedRequests())[0]?.status).toBe('pending');
      await run(DANA, {
        kind: 'form',
        formId: TIME_OFF_FORMS.denyReason,
        values: { reason: 'Two people already off' },
        metadata: reference,
      });
      expect((await storedRequests())[0]).toMatchObject({
        status: 'denied',
        decisionNote: 'Two people already off',
      });
      const dm = (await outboxRows()).find((row) => row.kind === 'dm');
      expect(dm?.message.lines?.join(' ')).toContain('Two people already off');
    });

    it('does not let a non-manager deny through a forged form submission', async ({
      run,
      command,
      storedRequests,
    }) => {
      const reference = referenceIn(await command(SAM, 'dec 1'));
      const outcome = await run(PRIYA, {
        kind: 'form',
        formId: TIME_OFF_FORMS.denyReason,
        values: {},
        metadata: reference,
      });
      expect(replyText(outcome)).toMatch(/Only .* can approve or deny/);
      expect((await storedRequests())[0]?.status).toBe('pending');
    });

    it('needs another manager for a manager’s own request', async ({ command, press, storedRequests }) => {
      const reference = referenceIn(await command(DANA, 'dec 1'));
      const outcome = await press(DANA, TIME_OFF_ACTIONS.approve, reference);
      expect(replyText(outcome)).toMatch(/needs another manager \(Dr\. Omar Haddad\)/);
      expect((await storedRequests())[0]?.status).toBe('pending');
    });

    it('answers a button naming a request that does not exist', async ({ press }) => {
      const outcome = await press(DANA, TIME_OFF_ACTIONS.approve, 'TO-999999');
      expect(replyText(outcome)).toMatch(/There is no time-off request TO-999999/);
    });
  });

  describe('coverage on the card', () => {
    it('warns when approving would leave a role below its minimum and says who else is off', async ({
      command,
      press,
      outboxRows,
    }) => {
      const priyas = referenceIn(await command(PRIYA, 'dec 2'));
      await press(DANA, TIME_OFF_ACTIONS.approve, priyas);
      const sams = referenceIn(await command(SAM, 'dec 1 to dec 3'));
      const card = (await outboxRows()).find((row) => row.kind === 'post' && row.cardKey === sams);
      const lines = card?.message.lines ?? [];
      expect(lines).toContain('⚠️ Coverage: Front desk: 0 of 1 needed on Wed Dec 2');
      expect(lines).toContain('Also off Wed Dec 2: Priya Shah');
      expect(lines.some((line) => line.includes('Dec 1') && line.includes('Coverage'))).toBe(false);
    });

    it('warns when the requester is covering a call-out those days: the cover would not stand', async ({
      command,
      press,
      run,
      outboxRows,
      db,
    }) => {
      await press(DANA, TIME_OFF_ACTIONS.approve, referenceIn(await command(SAM, 'dec 2')));
      const out = await run(PRIYA, { kind: 'command', command: 'out', text: 'sick dec 2' }, NOW);
      const callOut = findReference(out, 'CO');
      await run('U0LUIS', { kind: 'action', actionId: CALL_OUT_ACTIONS.canCover, value: callOut }, NOW);
      await run(DANA, { kind: 'action', actionId: CALL_OUT_ACTIONS.confirmCover, value: callOut }, NOW);
      const luis = referenceIn(await command('U0LUIS', 'dec 2'));
      const card = (await outboxRows()).find((row) => row.kind === 'post' && row.cardKey === luis);
      expect(card?.message.lines).toContain('⚠️ Coverage: Front desk: 0 of 1 needed on Wed Dec 2');

      // Approved with the gap in view: the cover is given back, and every manager hears it needs finding again.
      const value = card?.message.buttons?.find((button) => button.label === 'Approve')?.value ?? '';
      expect(replyText(await press(DANA, TIME_OFF_ACTIONS.approve, value))).toContain(`Approved ${luis}`);
      const [row] = await db.select().from(callOuts);
      expect(row).toMatchObject({ coverKey: null, coverState: 'asking' });
      const told = (await outboxRows()).filter(
        (message) =>
          message.kind === 'dm' && message.message.text.startsWith(`Cover needed again for ${callOut}`),
      );
      expect(told.map((message) => message.target).sort()).toEqual([DANA, OMAR]);
    });
  });

  describe('Approve pressed on a card drawn before a gap opened', () => {
    const approveValueOf = (message: Message | undefined) =>
      message?.buttons?.find((button) => button.actionId === TIME_OFF_ACTIONS.approve)?.value ?? '';

    it('shows the gap and asks again, deciding nothing, and approves once pressed with the gap in view', async ({
      command,
      press,
      storedRequests,
      outboxRows,
    }) => {
      const priyas = referenceIn(await command(PRIYA, 'dec 2'));
      const sams = referenceIn(await command(SAM, 'dec 2'));
      const asDrawn = (await outboxRows()).find((row) => row.kind === 'post' && row.cardKey === sams);
      const staleValue = approveValueOf(asDrawn?.message);
      expect(staleValue.startsWith(`${sams}~`)).toBe(true);
      await press(DANA, TIME_OFF_ACTIONS.approve, priyas);

      const asked = await press(OMAR, TIME_OFF_ACTIONS.approve, staleValue);
      expect(asked.reply?.text).toBe(
        `Approving ${sams} (Sam Lee, Wed Dec 2) now leaves Front desk: 0 of 1 needed on Wed Dec 2. Nothing was approved yet.`,
      );
      expect((await storedRequests()).find((row) => row.status === 'pending')).toBeDefined();
      const redrawn = (await outboxRows()).find((row) => row.kind === 'update' && row.cardKey === sams);
      expect(redrawn?.message.lines).toContain('⚠️ Coverage: Front desk: 0 of 1 needed on Wed Dec 2');
      const anyway = asked.reply?.buttons?.[0];
      expect(anyway?.label).toBe('Approve anyway');
      // Pressed on the shared card: the card is redrawn for everyone, never replaced by this answer.
      expect(asked.source).toBeUndefined();

      const approved = await press(OMAR, TIME_OFF_ACTIONS.approve, anyway?.value ?? '');
      expect(replyText(approved)).toContain(
        `Approved ${sams} for Sam Lee (Wed Dec 2). ⚠️ This leaves Front desk`,
      );
      expect((await storedRequests()).every((row) => row.status === 'approved')).toBe(true);
      // The question is Omar's own message: it now says what came of it, without its button.
      expect(approved.source).toEqual({
        text: `Approve ${sams} anyway?`,
        lines: [`Approve ${sams} anyway?`],
        note: approved.reply?.text,
      });
      // Pressed again (a second click, or an old copy): refused, and the question is redrawn the same way.
      const again = await press(OMAR, TIME_OFF_ACTIONS.approve, anyway?.value ?? '');
      expect(again.reply?.text).toMatch(new RegExp(`^${sams} was already approved by Dr. Omar Haddad`));
      expect(again.source?.note).toBe(again.reply?.text);
      expect(again.source?.lines).toEqual([`Approve ${sams} anyway?`]);
    });

    it('asks again when a card drawn before another approval would now take the requester over their allowance', async ({
      command,
      press,
      storedRequests,
      outboxRows,
    }) => {
      const first = referenceIn(await command(SAM, 'dec 1 to dec 14'));
      const second = referenceIn(await command(SAM, 'dec 15 to dec 22'));
      const asDrawn = (await outboxRows()).find((row) => row.kind === 'post' && row.cardKey === second);
      const staleValue = approveValueOf(asDrawn?.message);
      await press(DANA, TIME_OFF_ACTIONS.approve, first);

      const redrawn = (await outboxRows()).filter((row) => row.cardKey === second).at(-1)?.message as
        | Message
        | undefined;
      const approve = redrawn?.buttons?.find((button) => button.label === 'Approve');
      expect(approve?.confirm).toMatchObject({
        title: 'Approve over the allowance?',
        text: `Approving ${second} leaves Sam Lee 1 day over the 2026 allowance.`,
      });
      const asked = await press(OMAR, TIME_OFF_ACTIONS.approve, staleValue);
      expect(asked.reply?.text).toBe(
        `Approving ${second} (Sam Lee, Tue Dec 15 – Tue Dec 22) now leaves Sam Lee 1 day over the 2026 allowance. Nothing was approved yet.`,
      );
      expect((await storedRequests()).find((row) => row.number === Number(second.slice(3)))?.status).toBe(
        'pending',
      );
      const approved = await press(OMAR, TIME_OFF_ACTIONS.approve, approve?.value ?? '');
      expect(approved.reply?.text).toBe(
        `Approved ${second} for Sam Lee (Tue Dec 15 – Tue Dec 22). ⚠️ This leaves Sam Lee 1 day over the 2026 allowance.`,
      );
    });

    it('approves at once from a card drawn with the same gap, or when no gap is left', async ({
      command,
      press,
      storedRequests,
      outboxRows,
    }) => {
      const priyas = referenceIn(await command(PRIYA, 'dec 2'));
      await press(DANA, TIME_OFF_ACTIONS.approve, priyas);
      const sams = referenceIn(await command(SAM, 'dec 2'));
      const card = (await outboxRows()).find((row) => row.kind === 'post' && row.cardKey === sams);
      const withGap = await press(DANA, TIME_OFF_ACTIONS.approve, approveValueOf(card?.message));
      expect(replyText(withGap)).toContain(`Approved ${sams}`);

      const anas = referenceIn(await command('U0ANA', 'dec 9'));
      const anasCard = (await outboxRows()).find((row) => row.kind === 'post' && row.cardKey === anas);
      const noGap = await press(DANA, TIME_OFF_ACTIONS.approve, approveValueOf(anasCard?.message));
      expect(replyText(noGap)).toContain(`Approved ${anas}`);
      expect((await storedRequests()).map((row) => row.status)).toEqual(['approved', 'approved', 'approved']);
    });
  });

  describe('who may ask', () => {
    it('refuses someone not on the staff list, by text, by the form and bare, and stores nothing', async ({
      command,
      submit,
      storedRequests,
      outboxRows,
    }) => {
      const refusal =
        /^Time off is for people on the practice's staff list, and you are not on it\. Ask Dana Reyes or Dr\. Omar Haddad to add you\. Nothing was saved\.$/;
      expect((await command('U0STRANGER', 'dec 3')).reply?.text).toMatch(refusal);
      const bare = await command('U0STRANGER', '');
      expect(bare.form).toBeUndefined();
      expect(bare.reply?.text).toMatch(refusal);
      const form = await submit('U0STRANGER', TIME_OFF_FORMS.request, { start: '2026-12-03' });
      expect(form.reply?.text).toMatch(refusal);
      expect(await storedRequests()).toEqual([]);
      expect(await outboxRows()).toEqual([]);
    });
  });

  describe('a manager cancelling someone’s approved leave', () => {
    it('asks for a reason and tells the person why; their own withdrawal needs none', async ({
      command,
      press,
      submit,
      storedRequests,
      outboxRows,
    }) => {
      const reference = referenceIn(await command(SAM, 'dec 3'));
      await press(DANA, TIME_OFF_ACTIONS.approve, reference);
      const opened = await command(DANA, `cancel ${reference}`);
      expect(opened.form).toMatchObject({ formId: TIME_OFF_FORMS.cancelReason, metadata: reference });
      expect((await storedRequests())[0]?.status).toBe('approved');
      const empty = await submit(DANA, TIME_OFF_FORMS.cancelReason, {}, reference);
      expect(empty.formErrors).toEqual({ reason: 'Say why; the requester is told.' });
      const invisible = await submit(
        DANA,
        TIME_OFF_FORMS.cancelReason,
        { reason: '\u200b\u200d' },
        reference,
      );
      expect(invisible.formErrors).toEqual({ reason: 'Say why; the requester is told.' });
      const done = await submit(
        DANA,
        TIME_OFF_FORMS.cancelReason,
        { reason: 'Inspection that day' },
        reference,
      );
      expect(done.reply?.text).toBe(`Cancelled ${reference} (Thu Dec 3). The managers have been told.`);
      expect((await storedRequests())[0]).toMatchObject({
        status: 'cancelled',
        cancelNote: 'Inspection that day',
      });
      const dm = (await outboxRows()).filter((row) => row.kind === 'dm').at(-1);
      expect(dm?.message.lines).toEqual([
        `Dana Reyes cancelled your time off ${reference} (Thu Dec 3).`,
        'Reason: Inspection that day',
      ]);
      const own = referenceIn(await command(PRIYA, 'dec 10'));
      await press(DANA, TIME_OFF_ACTIONS.approve, own);
      expect((await command(PRIYA, `cancel ${own}`)).reply?.text).toBe(
        `Cancelled ${own} (Thu Dec 10). The managers have been told.`,
      );
    });
  });

  describe('live cards', () => {
    const latestCard = (rows: { kind: string; cardKey: string | null; message: Message }[], key: string) =>
      rows.filter((row) => row.cardKey === key && (row.kind === 'post' || row.kind === 'update')).at(-1)
        ?.message;
    const approveButton = (message: Message | undefined) =>
      message?.buttons?.find((button) => button.label === 'Approve');

    it('two people asking for one day: each card names the other, and approving one warns on the other', async ({
      command,
      press,
      outboxRows,
    }) => {
      const sams = referenceIn(await command(SAM, 'dec 3'));
      const priyas = referenceIn(await command(PRIYA, 'dec 3'));
      // Priya's filing redraws Sam's card with her name; neither card warns while both are only pending.
      expect(latestCard(await outboxRows(), sams)?.lines).toContain(
        'Also asking: Priya Shah (pending) Thu Dec 3',
      );
      expect(latestCard(await outboxRows(), priyas)?.lines).toContain(
        'Also asking: Sam Lee (pending) Thu Dec 3',
      );
      expect(approveButton(latestCard(await outboxRows(), priyas))?.confirm).toBeUndefined();
      // Sam's card is only refreshed, behind new cards and answers; a decision on it is not.
      const samsUpdate = async () =>
        (await outboxRows()).find((row) => row.cardKey === sams && row.kind === 'update')?.background;
      expect(await samsUpdate()).toBe(true);

      const approved = await press(DANA, TIME_OFF_ACTIONS.approve, sams);
      expect(approved.reply?.text).toBe(`Approved ${sams} for Sam Lee (Thu Dec 3).`);
      expect(await samsUpdate()).toBe(false);
      const priyaCard = latestCard(await outboxRows(), priyas);
      expect(priyaCard?.lines).toContain('⚠️ Coverage: Front desk: 0 of 1 needed on Thu Dec 3');
      expect(priyaCard?.lines).not.toContain('Also asking: Sam Lee (pending) Thu Dec 3');
      expect(approveButton(priyaCard)?.confirm?.text).toBe(
        `Approving ${priyas} leaves Front desk: 0 of 1 needed on Thu Dec 3.`,
      );

      const second = await press(DANA, TIME_OFF_ACTIONS.approve, priyas);
      expect(second.reply?.text).toBe(
        `Approved ${priyas} for Priya Shah (Thu Dec 3). ⚠️ This leaves Front desk: 0 of 1 needed on Thu Dec 3.`,
      );
    });

    it('takes the warning away when the approved leave it counted is cancelled', async ({
      command,
      press,
      outboxRows,
    }) => {
      const sams = referenceIn(await command(SAM, 'dec 3'));
      await press(DANA, TIME_OFF_ACTIONS.approve, sams);
      const priyas = referenceIn(await command(PRIYA, 'dec 3'));
      expect(latestCard(await outboxRows(), priyas)?.lines).toContain(
        '⚠️ Coverage: Front desk: 0 of 1 needed on Thu Dec 3',
      );
      await command(SAM, `cancel ${sams}`);
      const redrawn = latestCard(await outboxRows(), priyas);
      expect(redrawn?.lines ?? []).not.toContain('⚠️ Coverage: Front desk: 0 of 1 needed on Thu Dec 3');
      expect(approveButton(redrawn)?.confirm).toBeUndefined();
    });

    it('redraws the requester’s other pending cards when one of theirs is filed, approved or withdrawn, or their balance adjusted', async ({
      command,
      press,
      outboxRows,
    }) => {
      const balanceOf = async (reference: string) =>
        latestCard(await outboxRows(), reference)?.fields?.find((field) => field.label === 'Balance')?.value;
      const first = referenceIn(await command(SAM, 'dec 7 to dec 11'));
      const second = referenceIn(await command(SAM, 'dec 14 to dec 18'));
      expect(await balanceOf(first)).toBe('10 of 15 days left in 2026 after this request (5 more pending)');

      await press(DANA, TIME_OFF_ACTIONS.approve, first);
      expect(await balanceOf(second)).toBe('5 of 15 days left in 2026 after this request');

      const third = referenceIn(await command(SAM, 'dec 21 to dec 23'));
      expect(await balanceOf(second)).toBe('5 of 15 days left in 2026 after this request (3 more pending)');
      await command(SAM, `cancel ${third}`);
      expect(await balanceOf(second)).toBe('5 of 15 days left in 2026 after this request');

      await command(DANA, 'adjust Sam Lee +2 vacation from the paper ledger');
      expect(await balanceOf(second)).toBe('7 of 17 days left in 2026 after this request');
    });

    it('redraws a person’s pending sick-leave card when they call out sick', async ({ run, outboxRows }) => {
      const filed = await run(SAM, { kind: 'command', command: 'timeoff', text: 'dec 14 sick dentist' });
      const reference = referenceIn(filed);
      const balanceOf = async () =>
        latestCard(await outboxRows(), reference)?.fields?.find((field) => field.label === 'Balance')?.value;
      const before = await balanceOf();
      await run(SAM, { kind: 'command', command: 'out', text: 'sick' });
      const after = await balanceOf();
      expect(before).toMatch(/^\d+(\.5)? of \d+ days left in 2026 after this request$/);
      expect(after).not.toBe(before);
    });

    it('redraws many cards in one go, each as it would be drawn alone, and leaves decided ones out', async ({
      command,
      press,
      db,
    }) => {
      const sams = referenceIn(await command(SAM, '2026-12-30 to 2027-01-05'));
      const priyas = referenceIn(await command(PRIYA, 'dec 31'));
      const anas = referenceIn(await command('U0ANA', '2026-12-14 to 2026-12-15'));
      const luis = referenceIn(await command('U0LUIS', 'dec 15'));
      const marcus = referenceIn(await command('U0MARCUS', 'dec 15'));
      await press(DANA, TIME_OFF_ACTIONS.approve, marcus);
      await command(SAM, 'dec 9');
      const ctx = { db, office, now: NOW, logger: createRecordingLogger().logger };
      const redrawn = await redrawTimeOffCards([luis, sams, marcus, 'TO-999999', anas, priyas], ctx);
      expect(redrawn.map((effect) => (effect.kind === 'update' ? effect.cardKey : effect.kind))).toEqual([
        sams,
        priyas,
        anas,
        luis,
      ]);
      for (const effect of redrawn) {
        if (effect.kind !== 'update') continue;
        const [alone] = await redrawTimeOffCards([effect.cardKey], ctx);
        expect(effect).toEqual(alone);
      }
      const luisCard = redrawn.find((effect) => effect.kind === 'update' && effect.cardKey === luis);
      expect(luisCard?.kind === 'update' ? luisCard.message.lines : []).toContain(
        'Also asking: Ana Cruz (pending) Mon Dec 14 – Tue Dec 15',
      );
    });

    it('leaves cards of other days alone, and freezes a decided card at the decision', async ({
      command,
      press,
      outboxRows,
    }) => {
      const sams = referenceIn(await command(SAM, 'dec 3'));
      const before = (await outboxRows()).length;
      await command(PRIYA, 'dec 7');
      const added = (await outboxRows()).slice(before);
      expect(added.filter((row) => row.kind === 'update')).toEqual([]);
      await press(DANA, TIME_OFF_ACTIONS.approve, sams);
      const decided = (await outboxRows())
        .filter((row) => row.cardKey === sams && row.kind === 'update')
        .at(-1);
      const balance = decided?.message.fields?.find((field) => field.label === 'Balance')?.value;
      expect(balance).toBe('14 of 15 days left in 2026 after this request (at decision)');
    });

    it('shows the balance after this request with other pending requests apart, for each year a range touches', async ({
      command,
      press,
      outboxRows,
    }) => {
      const early = referenceIn(await command(SAM, 'dec 1 to dec 2'));
      await press(DANA, TIME_OFF_ACTIONS.approve, early);
      await command(SAM, 'dec 9');
      const newYear = referenceIn(await command(SAM, '2026-12-30 to 2027-01-05'));
      const card = latestCard(await outboxRows(), newYear);
      // Dec 30–31 are 2 working days of 2026, Jan 4–5 two of 2027 (Jan 1 is a holiday in the example office).
      expect(card?.fields?.find((field) => field.label === 'Balance')?.value).toMatch(
        /^11 of 15 days left in 2026 after this request \(1 more pending\); \d+(\.5)? of 15 days left in 2027 after this request$/,
      );
    });
  });

  describe('list and cancel', () => {
    it('lists my upcoming requests and my balance', async ({ command, press }) => {
      const reference = referenceIn(await command(SAM, 'dec 1 to dec 3'));
      await press(DANA, TIME_OFF_ACTIONS.approve, reference);
      await command(SAM, 'dec 8 pm');
      const text = replyText(await command(SAM, 'list'));
      expect(text).toContain(`${reference} · Tue Dec 1 – Thu Dec 3 · 3 working days · approved`);
      expect(text).toContain('Balance 2026: 11.5 of 15 days left (3 approved, 0.5 pending).');
    });

    it('shows everyone’s next 30 days to managers only', async ({ command }) => {
      await command(SAM, 'dec 1');
      expect(replyText(await command(DANA, 'list all'))).toContain('Sam Lee');
      expect(replyText(await command(PRIYA, 'list all'))).toMatch(/Only managers/);
    });

    it('withdraws a pending request and updates its card', async ({
      command,
      storedRequests,
      outboxRows,
    }) => {
      const reference = referenceIn(await command(SAM, 'dec 1'));
      const outcome = await command(SAM, `cancel ${reference}`);
      expect(replyText(outcome)).toContain(`Withdrew ${reference}`);
      expect((await storedRequests())[0]?.status).toBe('cancelled');
      const update = (await outboxRows()).find((row) => row.kind === 'update');
      expect(update?.message.note).toMatch(/Withdrawn by Sam Lee/);
    });

    it('cancels an approved future request and tells the managers in the approvals channel', async ({
      command,
      press,
      outboxRows,
    }) => {
      const reference = referenceIn(await command(SAM, 'dec 1'));
      await press(DANA, TIME_OFF_ACTIONS.approve, reference);
      await command(SAM, `cancel ${reference}`);
      const notice = (await outboxRows()).find((row) => row.kind === 'post' && row.cardKey === null);
      expect(notice?.message.text).toMatch(new RegExp(`Sam Lee cancelled approved time off ${reference}`));
    });

    it('does not let someone else cancel my request', async ({ command, storedRequests }) => {
      const reference = referenceIn(await command(SAM, 'dec 1'));
      const outcome = await command(PRIYA, `cancel ${reference}`);
      expect(replyText(outcome)).toMatch(/is not yours/);
      expect((await storedRequests())[0]?.status).toBe('pending');
    });

    it('refuses to cancel an approved request that has started', async ({ db, run, command, press }) => {
      const reference = referenceIn(await command(SAM, 'dec 1'));
      await press(DANA, TIME_OFF_ACTIONS.approve, reference);
      const later = DateTime.fromISO('2026-12-01T09:00', { zone }); // Tue
      const outcome = await run(
        SAM,
        { kind: 'command', command: 'timeoff', text: `cancel ${reference}` },
        later,
      );
      expect(replyText(outcome)).toMatch(/already started/);
      const [{ value } = { value: 0 }] = await db
        .select({ value: count() })
        .from(timeOffRequests)
        .where(eq(timeOffRequests.status, 'approved'));
      expect(value).toBe(1);
      // Typed, by a manager too (whose cancel asks a reason): the answer alone, no card redrawn.
      const typed = { kind: 'command', command: 'timeoff', text: `cancel ${reference}` } as const;
      expect(outcome.effects).toEqual([]);
      const byManager = await run(DANA, typed, later);
      expect(replyText(byManager)).toMatch(/already started/);
      expect(byManager.effects).toEqual([]);
    });
  });

  it('never logs what people typed', ({ recording }) => {
    expect(recording.text()).not.toContain('family visit');
    expect(recording.text()).not.toContain('drop table');
  });
});

describe('time off with the database down', () => {
  it('tells the person nothing was saved', async () => {
    const database = await openDatabase({ dataDir: null });
    const recording = createRecordingLogger();
    const deps: DispatchDeps = buildDispatchDeps(database.db, office, recording.logger);
    await database.close();
    const outcome = await dispatchInput(
      deps,
      resolvePerson(office, 'slack', SAM),
      { kind: 'command', command: 'timeoff', text: 'dec 1 family visit', deliveryId: 'down-1' },
      NOW,
    );
    expect(replyText(outcome)).toMatch(/something went wrong and nothing was saved/);
    expect(recording.text()).not.toContain('family visit');
  });
});
