import { eq } from 'drizzle-orm';
import { DateTime } from 'luxon';
import { describe, expect } from 'vitest';
import { auditLog, callOuts, coverAsks, outbox, timeOffRequests } from '../../src/db/schema/index.ts';
import { CALL_OUT_ACTIONS, CALL_OUT_FORMS } from '../../src/handlers/call-outs/ids.ts';
import type { Effect, Message, Outcome } from '../../src/handlers/kernel/message.ts';
import { TIME_OFF_ACTIONS } from '../../src/handlers/time-off/ids.ts';
import { databaseTargets } from '../helpers/databases.ts';
import { findReference, replyText } from '../helpers/dispatch.ts';
import { createHandlerTest } from '../helpers/handler-fixture.ts';
import { findScheduledJob } from '../helpers/jobs.ts';
import { buildOfficeConfig } from '../helpers/office.ts';

const example = buildOfficeConfig();
// Grace (a nurse) can also stand in at the front desk, so a front-desk gap has two people to ask.
const office = buildOfficeConfig({
  staff: example.staff.map((member) =>
    member.name === 'Grace Kim' ? { ...member, covers: ['medical-assistant', 'front-desk'] } : member,
  ),
});
const zone = office.office.timezone;
const NOW = DateTime.fromISO('2026-11-30T07:00', { zone }); // Mon
const SAM = 'U0SAM'; // front desk
const PRIYA = 'U0PRIYA'; // front desk
const ANA = 'U0ANA'; // medical assistant
const GRACE = 'U0GRACE'; // nurse, covers front desk
const LUIS = 'U0LUIS'; // billing, covers front desk
const DANA = 'U0DANA'; // manager
const OMAR = 'U0OMAR'; // physician, manager

const escalationJob = findScheduledJob('cover-escalation');

const it = createHandlerTest({
  office,
  now: NOW,
  command: 'out',
  actions: CALL_OUT_ACTIONS,
  forms: CALL_OUT_FORMS,
  jobs: [escalationJob],
})
  .extend('coverSamWithLuis', ({ command, press }) => async () => {
    // Priya and Sam both out leaves the front desk short; Luis covers Sam, confirmed by Dana.
    await command(PRIYA, 'sick');
    const reference = referenceIn(await command(SAM, 'sick'));
    await press(LUIS, CALL_OUT_ACTIONS.canCover, reference);
    await press(DANA, CALL_OUT_ACTIONS.confirmCover, reference);
    return reference;
  })
  .extend(
    'stored',
    ({ db }) =>
      () =>
        db.select().from(callOuts),
  );

const messageText = (message: Message) =>
  [message.text, message.title ?? '', ...(message.lines ?? []), message.note ?? ''].join('\n');
const buttonsOf = (message: Message) => (message.buttons ?? []).map((button) => button.label);
const referenceIn = (outcome: Outcome) => findReference(outcome, 'CO');
/** The redraw of the card `cardKey` among what an outcome sends. */
const updateOf = (outcome: Outcome, cardKey: string) =>
  outcome.effects.find(
    (effect): effect is Extract<Effect, { kind: 'update' }> =>
      effect.kind === 'update' && effect.cardKey === cardKey,
  );

describe.each(databaseTargets())('call-outs on $name', (target) => {
  it.override({ target });

  describe('recording', () => {
    it('records /out sick at once, tells each manager the kind, and asks nobody while coverage holds', async ({
      command,
      stored,
      dmsTo,
      db,
    }) => {
      const outcome = await command(PRIYA, 'sick');
      expect(replyText(outcome)).toMatch(/Call-out recorded: CO-\d+, Out sick Mon Nov 30, all day/);
      const [row] = await stored();
      expect(row).toMatchObject({
        personName: 'Priya Shah',
        day: '2026-11-30',
        kind: 'sick',
        coverState: 'not_needed',
      });
      for (const manager of [DANA, OMAR]) {
        const [notice] = await dmsTo(manager);
        expect(notice && messageText(notice.message)).toContain('Out sick Mon Nov 30, all day');
        expect(notice && messageText(notice.message)).toContain('Coverage is still met.');
      }
      expect(await db.select().from(coverAsks)).toHaveLength(0);
      const audit = await db.select().from(auditLog).where(eq(auditLog.action, 'callout.recorded'));
      expect(audit).toHaveLength(1);
    });

    it('asks everyone who can cover a role left short, for the hours it is short, never saying why', async ({
      command,
      dmsTo,
      recording,
    }) => {
      await command(PRIYA, 'sick');
      const outcome = await command(SAM, 'late 10:30 flat tyre');
      expect(replyText(outcome)).toContain('In late Mon Nov 30: in at 10:30');
      expect(replyText(outcome)).toContain('Grace Kim, Luis Ortega have been asked to cover');
      const notice = (await dmsTo(DANA)).at(-1);
      expect(notice && messageText(notice.message)).toContain('Front desk: 0 of 1 needed on duty 8:00–10:30');
      expect(notice && messageText(notice.message)).toContain('Reason: flat tyre');
      for (const helper of [GRACE, LUIS]) {
        const [ask] = await dmsTo(helper);
        expect(ask?.message.text).toContain('Sam Lee is out Mon Nov 30, until 10:30');
        expect(ask && buttonsOf(ask.message)).toEqual(['I can cover', "Can't cover"]);
        expect(ask && messageText(ask.message)).not.toMatch(/late|sick|tyre/i);
      }
      // Ana is a medical assistant who does not cover the front desk; Priya is out herself.
      expect(await dmsTo(ANA)).toHaveLength(0);
      expect(await dmsTo(PRIYA)).toHaveLength(0);
      expect(recording.text()).not.toContain('flat tyre');
    });

    it('keeps no reason made only of characters nobody sees, and the managers are shown none', async ({
      command,
      stored,
      dmsTo,
    }) => {
      await command(SAM, 'sick \u200b\u200d\u2060');
      expect((await stored())[0]?.reason).toBe('');
      expect(JSON.stringify((await dmsTo('U0DANA')).map((row) => row.message))).not.toContain('Reason');
    });

    it('records for someone who phoned when a manager writes `for`, and tells them', async ({
      command,
      stored,
      dmsTo,
    }) => {
      const outcome = await command(DANA, 'for Sam Lee sick today');
      expect(replyText(outcome)).toContain('Sam Lee: Out sick Mon Nov 30, all day');
      expect((await stored())[0]).toMatchObject({ personName: 'Sam Lee', recordedByName: 'Dana Reyes' });
      const [told] = await dmsTo(SAM);
      expect(told?.message.text).toContain('Dana Reyes recorded your call-out CO-');
      // Dana acted and got the answer; only the other manager gets the notice.
      expect(await dmsTo(DANA)).toHaveLength(0);
      expect(await dmsTo(OMAR)).toHaveLength(1);
    });

    it('records a later working day and a partial day', async ({ command, stored }) => {
      expect(replyText(await command(SAM, 'sick dec 3'))).toContain('Out sick Thu Dec 3, all day');
      expect(replyText(await command(PRIYA, 'leaving 2pm dentist'))).toContain(
        'Leaving early Mon Nov 30: leaves at 14:00',
      );
      expect((await stored()).map((row) => [row.day, row.fromTime, row.untilTime]).sort()).toEqual([
        ['2026-11-30', '14:00', null],
        ['2026-12-03', null, null],
      ]);
    });

    it.for([
      ['sick nov 27', /Fri Nov 27 has already passed/],
      ['sick dec 5', /office is closed on Sat Dec 5/],
      ['sick dec 1 to dec 3', /one day/],
      ['late 25:00', /"25:00" is not a time/],
      ['late', /Say when you will be in/],
      ['leaving 19:00', /19:00 is outside office hours \(8:00–18:00\)/],
      ['dancing', /not a kind of call-out/],
      ['sick jan 30', /more than two weeks away/],
      ['for Nobody Here sick', /Nobody Here is not on the staff list/],
    ] as const)(
      'refuses `/out %s` with a clear answer and stores nothing',
      async ([text, expected], { command, stored }) => {
        const outcome = await command(DANA, text);
        expect(replyText(outcome)).toMatch(expected);
        expect(replyText(outcome)).toContain('Nothing was saved.');
        expect(await stored()).toHaveLength(0);
      },
    );

    it('refuses a late arrival or an early leaving for another day, says what to use instead, and stores nothing', async ({
      command,
      stored,
      db,
    }) => {
      const late = await command(SAM, 'late 10:30 tomorrow');
      expect(late.reply?.text).toBe(
        '/out late is for coming in late today (Mon Nov 30), not Tue Dec 1. For a whole day off, use /out sick dec 1 or /timeoff dec 1. Nothing was saved.',
      );
      const leaving = await command(SAM, 'leaving 14:00 fri');
      expect(leaving.reply?.text).toBe(
        '/out leaving is for leaving early today (Mon Nov 30), not Fri Dec 4. For a whole day off, use /out sick dec 4 or /timeoff dec 4. Nothing was saved.',
      );
      expect([...late.effects, ...leaving.effects]).toEqual([]);
      expect(await stored()).toHaveLength(0);
      expect(await db.select().from(outbox)).toHaveLength(0);
    });

    it('records a late arrival that names today, without today as its reason', async ({
      command,
      stored,
    }) => {
      expect(replyText(await command(SAM, 'late 10:30 today'))).toContain('In late Mon Nov 30: in at 10:30');
      expect(await stored()).toMatchObject([{ day: '2026-11-30', untilTime: '10:30', reason: '' }]);
    });

    it.for([
      [
        'sick 2027-12-01',
        'Wed Dec 1, 2027 is more than two weeks away: ask for time off with /timeoff instead. Nothing was saved.',
      ],
      [
        'sick 1999-01-01',
        'Fri Jan 1, 1999 has already passed. A call-out is for today (Mon Nov 30) or a later working day. Nothing was saved.',
      ],
    ] as const)(
      'names the year of a refused day in another year: `/out %s`',
      async ([text, expected], { command, stored }) => {
        expect((await command(SAM, text)).reply?.text).toBe(expected);
        expect(await stored()).toHaveLength(0);
      },
    );

    it('refuses a reason too long to read and a 5,000-character command, storing nothing', async ({
      command,
      stored,
    }) => {
      expect(replyText(await command(SAM, `sick ${'x'.repeat(400)}`))).toContain(
        'Please keep the reason under 300 characters.',
      );
      expect(replyText(await command(SAM, `sick ${'<!channel> '.repeat(500)}`))).toMatch(
        /That is 5,505 characters/,
      );
      expect(await stored()).toHaveLength(0);
    });

    it('refuses `for` from someone who is not a manager, and anyone not on the staff list', async ({
      command,
      stored,
    }) => {
      expect(replyText(await command(SAM, 'for Priya Shah sick'))).toMatch(
        /Only Dana Reyes or Dr\. Omar Haddad/,
      );
      expect(replyText(await command('U0STRANGER', 'sick'))).toMatch(/not on it/);
      expect(await stored()).toHaveLength(0);
    });

    it('refuses a call-out on a day that is not one of the person’s workdays', async ({ run, stored }) => {
      const partTime = {
        ...office,
        staff: office.staff.map((member) =>
          member.name === 'Sam Lee' ? { ...member, workdays: ['tue' as const, 'thu' as const] } : member,
        ),
      };
      const outcome = await run(SAM, { kind: 'command', command: 'out', text: 'sick' }, NOW, partTime);
      expect(replyText(outcome)).toContain('Mon Nov 30 is not one of your workdays');
      expect(await stored()).toHaveLength(0);
    });

    it('refuses a second call-out that overlaps the first, and takes one that does not', async ({
      command,
      stored,
    }) => {
      const reference = referenceIn(await command(SAM, 'late 10:30'));
      const again = await command(SAM, 'sick');
      expect(replyText(again)).toContain(`You already have ${reference} for Mon Nov 30`);
      expect(replyText(await command(SAM, 'leaving 16:00'))).toContain('Call-out recorded');
      expect(await stored()).toHaveLength(2);
    });

    it('refuses a call-out on a day the person is already on approved leave', async ({
      run,
      command,
      stored,
    }) => {
      const filed = await run(SAM, { kind: 'command', command: 'timeoff', text: 'dec 2' });
      const reference = findReference(filed, 'TO');
      await run(DANA, { kind: 'action', actionId: TIME_OFF_ACTIONS.approve, value: reference });
      expect(replyText(await command(SAM, 'sick dec 2'))).toContain(`${reference} is approved for Wed Dec 2`);
      expect(await stored()).toHaveLength(0);
    });

    it('opens a form when typed bare, and a corrected submission records once', async ({
      command,
      submit,
      stored,
    }) => {
      const opened = await command(DANA, '');
      expect(opened.form?.formId).toBe(CALL_OUT_FORMS.record);
      expect(opened.form?.inputs.map((input) => input.id)).toEqual([
        'person',
        'kind',
        'day',
        'time',
        'reason',
      ]);
      const first = await submit(DANA, CALL_OUT_FORMS.record, {
        person: 'sam-lee',
        kind: 'late',
        day: '2026-11-30',
      });
      expect(first.formErrors).toEqual({ time: 'Say when you will be in, like 10:30.' });
      const wrong = await submit(DANA, CALL_OUT_FORMS.record, {
        person: 'sam-lee',
        kind: 'late',
        day: '2026-11-30',
        time: 'soon',
      });
      expect(wrong.formErrors?.time).toContain('"soon" is not a time');
      const fixed = await submit(DANA, CALL_OUT_FORMS.record, {
        person: 'sam-lee',
        kind: 'late',
        day: '2026-11-30',
        time: '9:45',
      });
      expect(replyText(fixed)).toContain('Sam Lee: In late Mon Nov 30: in at 9:45');
      expect(await stored()).toHaveLength(1);
      const staffForm = await command(SAM, '');
      expect(staffForm.form?.inputs.map((input) => input.id)).not.toContain('person');
    });
  });

  describe('finding cover', () => {
    it('takes the first yes, has a manager confirm it, and tells the volunteer and everyone else asked', async ({
      command,
      press,
      stored,
      dmsTo,
    }) => {
      await command(PRIYA, 'sick');
      const reference = referenceIn(await command(SAM, 'sick'));
      const offered = await press(LUIS, CALL_OUT_ACTIONS.canCover, reference);
      expect(replyText(offered)).toContain('you offered to cover for Sam Lee (front desk)');
      const ownAsk = updateOf(offered, `${reference}/ask/slack/${LUIS}`);
      expect(ownAsk && buttonsOf(ownAsk.message)).toEqual([]);
      expect(ownAsk?.message.note).toBe('You offered to cover; a manager will confirm.');
      const [card] = (await dmsTo(DANA)).filter((row) => row.cardKey?.includes('/confirm/'));
      expect(card && buttonsOf(card.message)).toEqual(['Confirm cover']);

      const late = await press(GRACE, CALL_OUT_ACTIONS.canCover, reference);
      expect(replyText(late)).toContain(`${reference} is already covered by Luis Ortega`);
      expect(replyText(await press(SAM, CALL_OUT_ACTIONS.canCover, reference))).toContain(
        `You were not asked to cover ${reference}`,
      );
      expect(replyText(await press(LUIS, CALL_OUT_ACTIONS.confirmCover, reference))).toMatch(
        /Only Dana Reyes or Dr\. Omar Haddad can confirm cover/,
      );

      const confirmed = await press(DANA, CALL_OUT_ACTIONS.confirmCover, reference);
      expect(replyText(confirmed)).toContain('Confirmed: Luis Ortega covers for Sam Lee (front desk)');
      expect((await stored()).find((row) => row.personName === 'Sam Lee')).toMatchObject({
        coverState: 'confirmed',
        coverName: 'Luis Ortega',
        coverConfirmedByName: 'Dana Reyes',
      });
      expect((await dmsTo(LUIS)).map((row) => row.message.text)).toContainEqual(
        expect.stringContaining('Dana Reyes confirmed: you are covering for Sam Lee'),
      );
      expect((await dmsTo(GRACE)).map((row) => row.message.text)).toContainEqual(
        expect.stringContaining(`${reference} is covered: Luis Ortega is covering for Sam Lee`),
      );
      expect(replyText(await press(OMAR, CALL_OUT_ACTIONS.confirmCover, reference))).toContain(
        `Luis Ortega is already confirmed for ${reference} (by Dana Reyes)`,
      );
      expect(replyText(await press(GRACE, CALL_OUT_ACTIONS.canCover, reference))).toContain(
        'already covered by Luis Ortega',
      );
    });

    it('takes a cover back when the coverer calls out for those hours, asks again and tells the managers', async ({
      coverSamWithLuis,
      command,
      press,
      stored,
      dmsTo,
    }) => {
      const reference = await coverSamWithLuis();
      const graceAsksBefore = (await dmsTo(GRACE)).filter((row) => row.cardKey?.includes('/ask/')).length;

      const luisOut = await command(LUIS, 'leaving 14:00 school pickup');
      expect(replyText(luisOut)).toContain(
        `You were covering ${reference} for Sam Lee then, so that cover is withdrawn and the managers have been told.`,
      );
      const sam = (await stored()).find((row) => row.personName === 'Sam Lee');
      expect(sam).toMatchObject({ coverState: 'asking', coverKey: null, coverName: null, askRound: 2 });
      const notices = (await dmsTo(OMAR)).filter((row) =>
        row.message.text.startsWith(`Cover needed again for ${reference}`),
      );
      expect(notices).toHaveLength(1);
      expect(messageText(notices[0]?.message as Message)).toContain('Asked to cover: Grace Kim');
      expect(messageText(notices[0]?.message as Message)).not.toContain('school pickup');
      const graceAsks = (await dmsTo(GRACE)).filter((row) => row.cardKey?.includes('/ask/'));
      expect(graceAsks.length).toBe(graceAsksBefore + 1);
      expect(buttonsOf(graceAsks.at(-1)?.message as Message)).toEqual(['I can cover', "Can't cover"]);
      const luisAsk = updateOf(luisOut, `${reference}/ask/slack/${LUIS}`);
      expect(luisAsk && buttonsOf(luisAsk.message)).toEqual([]);
      expect(luisAsk?.message.note).toContain('You are away then too');
      const confirmCard = updateOf(luisOut, `${reference}/confirm/slack/${DANA}`);
      expect(confirmCard?.message.title).toBe(`Cover withdrawn — ${reference}`);
      expect(confirmCard?.message.lines).toEqual([
        'Luis Ortega is away then too, so the cover for Sam Lee (front desk), Mon Nov 30, all day no longer stands.',
      ]);
      expect(confirmCard?.message.buttons).toBeUndefined();

      // Grace takes it: the second cover of the day stands as the first did.
      expect(replyText(await press(GRACE, CALL_OUT_ACTIONS.canCover, reference))).toContain(
        'you offered to cover for Sam Lee',
      );
      expect(replyText(await press(LUIS, CALL_OUT_ACTIONS.canCover, reference))).toContain(
        'already covered by Grace Kim',
      );
    });

    it('never lets a Confirm cover card left from a withdrawn offer confirm whoever offered since', async ({
      command,
      press,
      stored,
      dmsTo,
    }) => {
      await command(PRIYA, 'sick');
      const reference = referenceIn(await command(SAM, 'sick'));
      await press(LUIS, CALL_OUT_ACTIONS.canCover, reference);
      const [luisCard] = (await dmsTo(DANA)).filter((row) => row.cardKey?.includes('/confirm/'));
      const luisValue = luisCard?.message.buttons?.[0]?.value ?? '';
      expect(luisValue).toBe(`${reference}/cover/staff:luis-ortega`);
      await command(LUIS, 'sick');
      await press(GRACE, CALL_OUT_ACTIONS.canCover, reference);

      expect((await press(DANA, CALL_OUT_ACTIONS.confirmCover, luisValue)).reply?.text).toBe(
        `Luis Ortega's offer for ${reference} no longer stands: they are away then too. Grace Kim has offered since: confirm on that card. Nothing was changed.`,
      );
      expect((await stored()).find((row) => row.personName === 'Sam Lee')?.coverState).toBe('offered');
      const graceValue = `${reference}/cover/staff:grace-kim`;
      expect(replyText(await press(DANA, CALL_OUT_ACTIONS.confirmCover, graceValue))).toContain(
        'Confirmed: Grace Kim covers for Sam Lee',
      );
    });

    it('escalates at once when the withdrawn cover leaves nobody to ask, naming who is away', async ({
      command,
      press,
      schedulerAt,
      dmsTo,
    }) => {
      await command(PRIYA, 'sick');
      const reference = referenceIn(await command(SAM, 'sick'));
      await press(GRACE, CALL_OUT_ACTIONS.cannotCover, reference);
      await press(LUIS, CALL_OUT_ACTIONS.canCover, reference);
      await press(DANA, CALL_OUT_ACTIONS.confirmCover, reference);
      await command(LUIS, 'sick');
      expect((await schedulerAt(() => NOW.plus({ minutes: 2 })).tick())['cover-escalation']).toBe('ran');
      const [escalation] = (await dmsTo(OMAR)).filter((row) => row.message.title?.startsWith('No cover yet'));
      const text = escalation ? messageText(escalation.message) : '';
      expect(text).toContain('Can’t cover: Grace Kim');
      expect(text).toContain('Away then themselves: Luis Ortega');
    });

    it('asks nobody who calls out at the same moment as the coverer', async ({
      coverSamWithLuis,
      command,
      stored,
      schedulerAt,
      db,
    }) => {
      await coverSamWithLuis();
      await Promise.all([command(LUIS, 'sick', 'luis-out'), command(GRACE, 'sick', 'grace-out')]);
      const sam = (await stored()).find((row) => row.personName === 'Sam Lee');
      const asks = await db
        .select()
        .from(coverAsks)
        .where(eq(coverAsks.callOutId, sam?.id ?? 0));
      expect(asks.filter((ask) => ask.answer === 'asked')).toEqual([]);
      expect((await schedulerAt(() => NOW.plus({ minutes: 2 })).tick())['cover-escalation']).toBe('ran');
    });

    it('stops waiting on an ask to someone who then calls out for those hours', async ({
      command,
      press,
      schedulerAt,
      dmsTo,
    }) => {
      await command(PRIYA, 'sick');
      const reference = referenceIn(await command(SAM, 'sick'));
      await press(GRACE, CALL_OUT_ACTIONS.cannotCover, reference);
      const luisOut = await command(LUIS, 'leaving 15:00');
      const luisAsk = updateOf(luisOut, `${reference}/ask/slack/${LUIS}`);
      expect(luisAsk && buttonsOf(luisAsk.message)).toEqual([]);
      expect(luisAsk?.message.note).toBe(
        'You are away then too, so you are not asked any more. Thank you all the same.',
      );
      expect((await schedulerAt(() => NOW.plus({ minutes: 2 })).tick())['cover-escalation']).toBe('ran');
      expect((await dmsTo(DANA)).some((row) => row.message.title?.startsWith('No cover yet'))).toBe(true);
    });

    it('keeps a cover for hours the coverer is still at work, and refuses a yes from someone away then', async ({
      command,
      press,
      stored,
    }) => {
      await command(PRIYA, 'sick');
      const reference = referenceIn(await command(SAM, 'late 10:30'));
      await command(GRACE, 'late 9:30');
      expect(replyText(await press(GRACE, CALL_OUT_ACTIONS.canCover, reference))).toContain(
        `You are away yourself then, so you can't cover ${reference}.`,
      );
      await press(LUIS, CALL_OUT_ACTIONS.canCover, reference);
      await press(DANA, CALL_OUT_ACTIONS.confirmCover, reference);
      const luisOut = await command(LUIS, 'leaving 15:00');
      expect(replyText(luisOut)).not.toContain('covering');
      expect((await stored()).find((row) => row.personName === 'Sam Lee')).toMatchObject({
        coverState: 'confirmed',
        coverName: 'Luis Ortega',
      });
    });

    it('gives one cover when two volunteers press at once', async ({ command, press, stored }) => {
      await command(PRIYA, 'sick');
      const reference = referenceIn(await command(SAM, 'sick'));
      const outcomes = await Promise.all([
        press(LUIS, CALL_OUT_ACTIONS.canCover, reference, 'race-luis'),
        press(GRACE, CALL_OUT_ACTIONS.canCover, reference, 'race-grace'),
      ]);
      const thanked = outcomes.filter((outcome) => replyText(outcome).includes('you offered to cover'));
      const refused = outcomes.filter((outcome) => replyText(outcome).includes('already covered by'));
      expect([thanked.length, refused.length]).toEqual([1, 1]);
      const row = (await stored()).find((candidate) => candidate.personName === 'Sam Lee');
      expect(row?.coverState).toBe('offered');
      expect(replyText(refused[0] as Outcome)).toContain(`already covered by ${row?.coverName}`);
    });

    it('confirms the first yes at once with callouts.autoConfirm', async ({ run, stored, dmsTo }) => {
      const auto = { ...office, callouts: { ...office.callouts, autoConfirm: true } };
      const out = (userId: string, text: string) =>
        run(userId, { kind: 'command', command: 'out', text }, NOW, auto);
      await out(PRIYA, 'sick');
      const reference = referenceIn(await out(SAM, 'sick'));
      const yes = await run(
        LUIS,
        { kind: 'action', actionId: CALL_OUT_ACTIONS.canCover, value: reference },
        NOW,
        auto,
      );
      expect(replyText(yes)).toContain('you are covering for Sam Lee (front desk)');
      expect((await stored()).find((row) => row.personName === 'Sam Lee')?.coverState).toBe('confirmed');
      expect((await dmsTo(DANA)).map((row) => row.message.text)).toContainEqual(
        `Luis Ortega is covering for Sam Lee (front desk), Mon Nov 30, all day (${reference}).`,
      );
      expect((await dmsTo(GRACE)).map((row) => row.message.text)).toContainEqual(
        expect.stringContaining(`${reference} is covered: Luis Ortega`),
      );
    });

    it('refuses I can cover and Confirm cover once the day has passed, and the stale buttons go', async ({
      command,
      press,
      run,
      dmsTo,
      stored,
    }) => {
      await command(PRIYA, 'sick');
      const reference = referenceIn(await command(SAM, 'sick'));
      const tomorrow = NOW.plus({ days: 1 });
      const late = await run(
        LUIS,
        { kind: 'action', actionId: CALL_OUT_ACTIONS.canCover, value: reference },
        tomorrow,
      );
      expect(late.reply?.text).toBe(
        `${reference} was for Mon Nov 30, which has passed. Nothing was changed.`,
      );
      const ask = updateOf(late, `${reference}/ask/slack/${LUIS}`);
      expect(ask && buttonsOf(ask.message)).toEqual([]);
      expect(ask?.message.note).toBe('That day has passed.');
      expect((await stored()).find((row) => row.personName === 'Sam Lee')?.coverState).toBe('asking');
      expect((await dmsTo(DANA)).filter((row) => row.message.title?.startsWith('Cover offered'))).toEqual([]);

      await press(GRACE, CALL_OUT_ACTIONS.canCover, reference);
      const confirm = await run(
        DANA,
        { kind: 'action', actionId: CALL_OUT_ACTIONS.confirmCover, value: reference },
        tomorrow,
      );
      expect(confirm.reply?.text).toBe(
        `${reference} was for Mon Nov 30, which has passed. Nothing was changed.`,
      );
      const card = updateOf(confirm, `${reference}/confirm/slack/${OMAR}`);
      expect(card && buttonsOf(card.message)).toEqual([]);
      expect(card?.message.note).toBe('That day has passed; the cover was not confirmed.');
      expect((await stored()).find((row) => row.personName === 'Sam Lee')?.coverState).toBe('offered');
      expect((await dmsTo(GRACE)).map((row) => row.message.text)).not.toContainEqual(
        expect.stringContaining('confirmed: you are covering'),
      );
    });

    it('notes a no, and refuses a second answer from the same person', async ({ command, press, db }) => {
      await command(PRIYA, 'sick');
      const reference = referenceIn(await command(SAM, 'sick'));
      const no = await press(GRACE, CALL_OUT_ACTIONS.cannotCover, reference);
      expect(replyText(no)).toContain('Thanks for letting us know');
      const ownAsk = updateOf(no, `${reference}/ask/slack/${GRACE}`);
      expect(ownAsk && buttonsOf(ownAsk.message)).toEqual([]);
      expect(ownAsk?.message.note).toContain('You said you can’t cover');
      expect(replyText(await press(GRACE, CALL_OUT_ACTIONS.cannotCover, reference))).toContain(
        'already answered',
      );
      const answers = await db.select().from(coverAsks);
      expect(answers.find((ask) => ask.personName === 'Grace Kim')?.answer).toBe('declined');
    });
  });

  describe('escalation', () => {
    it('tells the managers once, after escalateMinutes, who was asked, who said no and who is silent', async ({
      command,
      press,
      schedulerAt,
      dmsTo,
    }) => {
      await command(PRIYA, 'sick');
      const reference = referenceIn(await command(SAM, 'sick'));
      await press(GRACE, CALL_OUT_ACTIONS.cannotCover, reference);
      const early = schedulerAt(() => NOW.plus({ minutes: 29 }));
      expect((await early.tick())['cover-escalation']).toBe('not-due');

      const clock = () => NOW.plus({ minutes: 31 });
      const results = await Promise.all([schedulerAt(clock).tick(), schedulerAt(clock).tick()]);
      expect(results.map((result) => result['cover-escalation']).sort()).toEqual(['ran', 'taken']);
      expect((await schedulerAt(clock).tick())['cover-escalation']).toBe('not-due');
      const escalations = (await dmsTo(DANA)).filter((row) => row.message.title?.startsWith('No cover yet'));
      expect(escalations).toHaveLength(1);
      const text = messageText((escalations[0] as (typeof escalations)[number]).message);
      expect(text).toContain('Asked: Grace Kim, Luis Ortega');
      expect(text).toContain('Can’t cover: Grace Kim');
      expect(text).toContain('No answer: Luis Ortega');
      expect(text).toContain('Front desk: 0 of 1 needed on duty');
      const button = (escalations[0] as (typeof escalations)[number]).message.buttons?.[0];
      expect(button?.label).toBe('Ask again');

      expect(replyText(await press(SAM, CALL_OUT_ACTIONS.askAgain, button?.value ?? ''))).toMatch(
        /Only Dana/,
      );
      const again = await press(DANA, CALL_OUT_ACTIONS.askAgain, button?.value ?? '');
      expect(again.reply?.text).toBe(`Asked again for ${reference}: Luis Ortega.`);
      expect((await dmsTo(LUIS)).filter((row) => row.message.buttons?.length)).toHaveLength(2);
      expect(replyText(await press(OMAR, CALL_OUT_ACTIONS.askAgain, button?.value ?? ''))).toContain(
        'already asked for again',
      );
      const redrawn = updateOf(again, `${reference}/escalation/round-1/slack/${OMAR}`);
      expect(redrawn && buttonsOf(redrawn.message)).toEqual([]);
      expect(redrawn?.message.note).toBe('Asked again by Dana Reyes');
    });

    it('escalates at once when everyone asked said no', async ({ command, press, schedulerAt, dmsTo }) => {
      await command(PRIYA, 'sick');
      const reference = referenceIn(await command(SAM, 'sick'));
      await press(GRACE, CALL_OUT_ACTIONS.cannotCover, reference);
      await press(LUIS, CALL_OUT_ACTIONS.cannotCover, reference);
      expect((await schedulerAt(() => NOW.plus({ minutes: 2 })).tick())['cover-escalation']).toBe('ran');
      const [escalation] = (await dmsTo(OMAR)).filter((row) => row.message.title?.startsWith('No cover yet'));
      expect(escalation && messageText(escalation.message)).toContain('Can’t cover: Grace Kim, Luis Ortega');
    });

    it('answers Ask again with nobody left without starting a round, so the managers are not told twice', async ({
      command,
      press,
      schedulerAt,
      dmsTo,
      stored,
    }) => {
      await command(PRIYA, 'sick');
      const reference = referenceIn(await command(SAM, 'sick'));
      await press(GRACE, CALL_OUT_ACTIONS.cannotCover, reference);
      await press(LUIS, CALL_OUT_ACTIONS.cannotCover, reference);
      expect((await schedulerAt(() => NOW.plus({ minutes: 2 })).tick())['cover-escalation']).toBe('ran');
      const before = (await stored()).find((row) => row.personName === 'Sam Lee');
      const again = await press(DANA, CALL_OUT_ACTIONS.askAgain, `${reference}/round-1`);
      expect(again.reply?.text).toBe(
        'Nobody else can cover for Sam Lee then: everyone who could is away, already covering, or said no. Nothing was changed.',
      );
      expect(again.effects).toEqual([]);
      const after = (await stored()).find((row) => row.personName === 'Sam Lee');
      expect(after?.askRound).toBe(before?.askRound);
      expect(after?.askedAt).toEqual(before?.askedAt);
      expect((await schedulerAt(() => NOW.plus({ hours: 1 })).tick())['cover-escalation']).toBe('not-due');
      const escalations = (await dmsTo(DANA)).filter((row) => row.message.title?.startsWith('No cover yet'));
      expect(escalations).toHaveLength(1);
    });

    it('asks again once when two managers press Ask again at the same moment', async ({
      command,
      press,
      schedulerAt,
      dmsTo,
      stored,
    }) => {
      await command(PRIYA, 'sick');
      const reference = referenceIn(await command(SAM, 'sick'));
      await press(GRACE, CALL_OUT_ACTIONS.cannotCover, reference);
      expect((await schedulerAt(() => NOW.plus({ minutes: 31 })).tick())['cover-escalation']).toBe('ran');
      const answers = await Promise.all([
        press(DANA, CALL_OUT_ACTIONS.askAgain, `${reference}/round-1`),
        press(OMAR, CALL_OUT_ACTIONS.askAgain, `${reference}/round-1`),
      ]);
      const texts = answers.map((answer) => answer.reply?.text ?? '').sort();
      expect(texts).toEqual([
        `Asked again for ${reference}: Luis Ortega.`,
        `Cover for ${reference} was already asked for again. Nothing was changed.`,
      ]);
      expect((await stored()).find((row) => row.personName === 'Sam Lee')?.askRound).toBe(2);
      expect((await dmsTo(LUIS)).filter((row) => row.message.buttons?.length)).toHaveLength(2);
    });

    it.for(['covered', 'cancelled'] as const)(
      'takes Ask again off every manager’s escalation once the call-out is %s, and again on a stale press',
      async (how, { db, command, press, schedulerAt }) => {
        await command(PRIYA, 'sick');
        const reference = referenceIn(await command(SAM, 'sick'));
        await schedulerAt(() => NOW.plus({ minutes: 31 })).tick();
        const escalationOf = async (userId: string) =>
          (await db.select().from(outbox).orderBy(outbox.id))
            .filter((row) => row.cardKey === `${reference}/escalation/round-1/slack/${userId}`)
            .at(-1)?.message;
        expect(buttonsOf((await escalationOf(OMAR)) as Message)).toEqual(['Ask again']);
        if (how === 'covered') {
          await press(GRACE, CALL_OUT_ACTIONS.canCover, reference);
          await press(DANA, CALL_OUT_ACTIONS.confirmCover, reference);
        } else await command(SAM, `cancel ${reference}`);
        const note = how === 'covered' ? '✅ Covered by Grace Kim' : '🚫 Cancelled by Sam Lee';
        for (const manager of [DANA, OMAR]) {
          const redrawn = (await escalationOf(manager)) as Message;
          expect(buttonsOf(redrawn)).toEqual([]);
          expect(redrawn.note).toBe(note);
        }
        // An old copy still showing the button: refused, and redrawn again without it.
        const stale = await press(OMAR, CALL_OUT_ACTIONS.askAgain, `${reference}/round-1`);
        expect(replyText(stale)).toContain(
          how === 'covered' ? 'already covered by Grace Kim' : 'was cancelled',
        );
        expect(
          stale.effects.filter(
            (effect) =>
              effect.kind === 'update' && effect.cardKey === `${reference}/escalation/round-1/slack/${OMAR}`,
          ),
        ).toHaveLength(1);
      },
    );

    it('does not escalate a call-out that found cover', async ({ command, press, schedulerAt }) => {
      await command(PRIYA, 'sick');
      const reference = referenceIn(await command(SAM, 'sick'));
      await press(LUIS, CALL_OUT_ACTIONS.canCover, reference);
      expect((await schedulerAt(() => NOW.plus({ hours: 2 })).tick())['cover-escalation']).toBe('not-due');
    });
  });

  describe('cancelling and listing', () => {
    it('tells a manager whose call-out another manager cancels once, as the person, not again as a manager', async ({
      command,
      dmsTo,
    }) => {
      const reference = referenceIn(await command(DANA, 'for Dr. Omar Haddad sick today'));
      const before = (await dmsTo(OMAR)).length;
      await command(DANA, `cancel ${reference}`);
      expect((await dmsTo(OMAR)).slice(before).map((row) => row.message.text)).toEqual([
        `Dana Reyes cancelled your call-out ${reference} (Mon Nov 30, all day).`,
      ]);
    });

    it('names only the people told when a manager records a call-out', async ({ command }) => {
      expect(replyText(await command(DANA, 'for Dr. Omar Haddad late 10:30'))).toContain(
        'Dr. Omar Haddad has been told.',
      );
      expect(replyText(await command(DANA, 'for Sam Lee late 10:30'))).toContain(
        'Dr. Omar Haddad and Sam Lee have been told.',
      );
      expect(replyText(await command(DANA, 'for Dana Reyes late 10:30'))).toContain(
        'Dr. Omar Haddad has been told.',
      );
    });

    it('cancels: the managers and the volunteer are told, the asks lose their buttons', async ({
      command,
      press,
      db,
      dmsTo,
    }) => {
      await command(PRIYA, 'sick');
      const reference = referenceIn(await command(SAM, 'sick'));
      await press(LUIS, CALL_OUT_ACTIONS.canCover, reference);
      expect(replyText(await command(ANA, `cancel ${reference}`))).toContain(
        `Only Sam Lee or a manager can cancel ${reference}`,
      );
      const cancelled = await command(SAM, `cancel ${reference}`);
      expect(replyText(cancelled)).toContain(`Cancelled ${reference}`);
      expect((await dmsTo(LUIS)).map((row) => row.message.text)).toContainEqual(
        expect.stringContaining(`You are no longer needed to cover ${reference}`),
      );
      const redrawn = (await db.select().from(outbox).orderBy(outbox.id)).filter(
        (row) => row.kind === 'update' && row.cardKey === `${reference}/ask/slack/${GRACE}`,
      );
      expect(redrawn.at(-1)?.message.buttons ?? []).toEqual([]);
      expect(redrawn.at(-1)?.message.note).toContain('No longer needed');
      expect(replyText(await command(SAM, `cancel ${reference}`))).toContain('already cancelled');
    });

    it('lists the last 90 days for managers, with a count per person', async ({ command }) => {
      await command(SAM, 'sick');
      await command(PRIYA, 'late 9:30');
      await command(SAM, 'sick dec 2');
      expect(replyText(await command(SAM, 'list'))).toMatch(/Only Dana Reyes or Dr\. Omar Haddad/);
      const listed = await command(DANA, 'list');
      expect(listed.reply?.lines).toHaveLength(3);
      expect(listed.reply?.sections?.[0]?.lines).toEqual(['Sam Lee: 2', 'Priya Shah: 1']);
    });
  });

  describe('everywhere it shows', () => {
    it('redraws a pending time-off card for that day with the call-out in its coverage', async ({
      run,
      command,
      db,
    }) => {
      const filed = await run(PRIYA, { kind: 'command', command: 'timeoff', text: 'dec 1' });
      const reference = findReference(filed, 'TO');
      await command(SAM, 'sick dec 1');
      const updates = (await db.select().from(outbox).orderBy(outbox.id)).filter(
        (row) => row.kind === 'update' && row.cardKey === reference,
      );
      expect(updates.at(-1)?.message.lines).toContain('⚠️ Coverage: Front desk: 0 of 1 needed on Tue Dec 1');
      expect(JSON.stringify(updates.at(-1)?.message)).not.toMatch(/sick/i);
      expect(await db.select().from(timeOffRequests)).toHaveLength(1);
    });

    it('puts call-outs and cover in the huddle, without the kind', async ({ run, command, press }) => {
      await command(PRIYA, 'sick');
      const reference = referenceIn(await command(SAM, 'late 10:30'));
      await press(LUIS, CALL_OUT_ACTIONS.canCover, reference);
      await press(DANA, CALL_OUT_ACTIONS.confirmCover, reference);
      const huddle = await run(ANA, { kind: 'command', command: 'huddle', text: '' });
      const sections = huddle.reply?.sections ?? [];
      expect(sections).toContainEqual({
        heading: 'Out today',
        lines: ['Priya Shah · Sam Lee (until 10:30)'],
      });
      expect(sections).toContainEqual({
        heading: 'Covering today',
        lines: ['Luis Ortega covers for Sam Lee (until 10:30)'],
      });
      expect(JSON.stringify(sections)).not.toMatch(/sick|late/i);
    });
  });
});
