import { DateTime } from 'luxon';
import { describe, expect } from 'vitest';
import type { OfficeConfig } from '../../src/config/office.ts';
import { auditLog, calendarFeeds, outbox, repMeetings } from '../../src/db/schema/index.ts';
import { loadHuddleDigest } from '../../src/handlers/index.ts';
import type { Input } from '../../src/handlers/kernel/input.ts';
import type { Effect, Outcome } from '../../src/handlers/kernel/message.ts';
import { REPS_ACTIONS, REPS_FORMS } from '../../src/handlers/rep-meetings/ids.ts';
import { TIME_OFF_ACTIONS } from '../../src/handlers/time-off/ids.ts';
import { databaseTargets } from '../helpers/databases.ts';
import { findReference, replyText } from '../helpers/dispatch.ts';
import { createHandlerTest } from '../helpers/handler-fixture.ts';
import { createRecordingLogger } from '../helpers/logger.ts';
import { buildOfficeConfig } from '../helpers/office.ts';

const quietLogger = createRecordingLogger('silent').logger;

const office = buildOfficeConfig();
const zone = office.office.timezone;
const NOW = DateTime.fromISO('2026-11-25T10:00', { zone }); // Wed
const SAM = 'U0SAM'; // front desk
const PRIYA = 'U0PRIYA'; // front desk
const DANA = 'U0DANA'; // manager
const HELEN = 'U0HELEN'; // physician

const referenceIn = (outcome: Outcome) => findReference(outcome, 'RM');

const FORM_VALUES = {
  repName: 'Jordan Smith',
  company: 'Acme Pharma',
  topic: 'New statin',
  contact: 'jordan@acme.example',
  providers: 'Dr. Helen Park, Haddad',
  lunch: 'yes',
};

const it = createHandlerTest({ office, now: NOW, command: 'reps', actions: REPS_ACTIONS, forms: REPS_FORMS })
  .extend(
    'reps',
    ({ run }) =>
      (userId: string, text: string, config = office) =>
        run(userId, { kind: 'command', command: 'reps', text }, NOW, config),
  )
  .extend(
    'book',
    ({ press }) =>
      (slot: string, userId = SAM) =>
        press(userId, REPS_ACTIONS.book, slot),
  )
  .extend(
    'submitBooking',
    ({ submit }) =>
      (slot: string, values: Record<string, string> = FORM_VALUES, userId = SAM) =>
        submit(userId, REPS_FORMS.book, values, slot),
  )
  .extend(
    'stored',
    ({ db }) =>
      () =>
        db.select().from(repMeetings).orderBy(repMeetings.id),
  )
  .extend(
    'outboxRows',
    ({ db }) =>
      () =>
        db.select().from(outbox).orderBy(outbox.id),
  );

describe.each(databaseTargets())('rep meetings on $name', (target) => {
  it.override({ target });

  describe('/reps', () => {
    it('lists the open slots of the next 14 days with a Book button on each', async ({ reps }) => {
      const outcome = await reps(SAM, '');
      expect(outcome.reply?.title).toBe('Open rep slots — next 14 days');
      // Wed Nov 25 is inside the 24-hour notice and Thu Nov 26 is Thanksgiving.
      expect(outcome.reply?.buttons).toEqual([
        { label: 'Book Tue Dec 1, 12:00 PM', actionId: 'reps_book', value: '2026-12-01T12:00' },
        { label: 'Book Wed Dec 2, 12:00 PM', actionId: 'reps_book', value: '2026-12-02T12:00' },
        { label: 'Book Thu Dec 3, 12:00 PM', actionId: 'reps_book', value: '2026-12-03T12:00' },
        { label: 'Book Tue Dec 8, 12:00 PM', actionId: 'reps_book', value: '2026-12-08T12:00' },
      ]);
      expect(outcome.effects).toEqual([]);
    });

    it('leaves a booked slot out', async ({ reps }) => {
      await reps(SAM, 'book 2026-12-02 12:00 Jordan Smith from Acme Pharma');
      const outcome = await reps(PRIYA, '');
      expect(outcome.reply?.buttons?.map((button) => button.value)).not.toContain('2026-12-02T12:00');
    });

    it('shows at most 25 Book buttons and says how many more there are', async ({ reps }) => {
      const times = ['08:00', '09:00', '10:00', '11:00', '13:00', '14:00', '15:00', '16:00'];
      const busy: OfficeConfig = {
        ...office,
        reps: {
          ...office.reps,
          slots: ['mon', 'tue', 'wed', 'thu', 'fri'].flatMap((day) =>
            times.map((time) => ({ day: day as 'mon', time })),
          ),
        },
      };
      const outcome = await reps(SAM, '', busy);
      expect(outcome.reply?.buttons).toHaveLength(25);
      expect(replyText(outcome)).toMatch(/…and \d+ more; book those with \/reps book/);
    });

    it('answers an unknown word with what it can do', async ({ reps }) => {
      expect(replyText(await reps(SAM, 'dance'))).toMatch(/I don’t know "\/reps dance"/);
    });
  });

  describe('booking by text', () => {
    it('books noon typed as "12 pm" after a month and day, not a day of 2012', async ({ reps, stored }) => {
      const outcome = await reps(SAM, 'book dec 2 12 pm Jordan Smith from Acme Pharma');
      expect(outcome.reply?.text).toMatch(/^Rep visit booked: RM-\d+, Wed Dec 2, 12:00 PM — Jordan Smith/);
      expect(await stored()).toMatchObject([{ slotDay: '2026-12-02', slotTime: '12:00' }]);
    });

    it('books a slot and confirms it with its reference', async ({ reps, stored }) => {
      const outcome = await reps(SAM, 'book 2026-12-02 12:00 Jordan Smith from Acme Pharma');
      expect(outcome.reply?.text).toMatch(
        /^Rep visit booked: RM-\d+, Wed Dec 2, 12:00 PM — Jordan Smith \(Acme Pharma\)$/,
      );
      expect(replyText(outcome)).toContain('/reps cancel RM-');
      const [row] = await stored();
      expect(row).toMatchObject({
        slotDay: '2026-12-02',
        slotTime: '12:00',
        repName: 'Jordan Smith',
        company: 'Acme Pharma',
        companyKey: 'acmepharma',
        bookerKey: 'staff:sam-lee',
        status: 'booked',
      });
      expect(row?.slotStart.toISOString()).toBe('2026-12-02T17:00:00.000Z');
      expect(row?.createdAt.toISOString()).toBe(NOW.toJSDate().toISOString());
    });

    it.for([
      [
        'a time that is not a slot',
        'book 2026-12-02 13:00 Jordan Smith from Acme',
        /13:00 is not a rep slot.*at 12:00/,
      ],
      ['a day without slots', 'book 2026-12-04 12:00 Jordan Smith from Acme', /no rep slots on Fridays/],
      ['a holiday', 'book 2026-11-26 12:00 Jordan Smith from Acme', /Thu Nov 26 is an office holiday/],
      ['a past day', 'book 2026-11-24 12:00 Jordan Smith from Acme', /already passed/],
      ['less than 24 hours ahead', 'book 2026-11-25 12:00 Jordan Smith from Acme', /at least 24 hours ahead/],
      ['more than 8 weeks ahead', 'book 2027-02-02 12:00 Jordan Smith from Acme', /up to 8 weeks ahead/],
      ['an unknown date', 'book 2026-02-30 12:00 Jordan Smith from Acme', /not a date I can read/],
      ['no date', 'book Jordan Smith from Acme', /could not find a date/],
      ['no time', 'book dec 2 Jordan Smith from Acme', /Give the slot’s time/],
      ['no company', 'book dec 2 12:00 Jordan Smith', /"<rep> from <company>"/],
      ['a missing rep name', 'book dec 2 12:00 from Acme', /"<rep> from <company>"/],
      ['an invisible rep name', 'book dec 2 12:00 \u200b\u2060 from Acme', /Say who is coming/],
      [
        'a company over 200 characters',
        `book dec 2 12:00 Jordan from ${'A'.repeat(201)}`,
        /201 characters; keep it to 200/,
      ],
      [
        'a rep name over 200 characters',
        `book dec 2 12:00 ${'J'.repeat(201)} from Acme`,
        /201 characters; keep it to 200/,
      ],
    ] as const)(
      'refuses %s, says how, and stores nothing',
      async ([_label, text, expected], { reps, stored, outboxRows }) => {
        const outcome = await reps(SAM, text);
        expect(replyText(outcome)).toMatch(expected);
        expect(replyText(outcome)).toMatch(/Nothing was saved/);
        expect(await stored()).toHaveLength(0);
        expect(await outboxRows()).toHaveLength(0);
      },
    );

    it('answers a bare `/reps book` with how to write a booking, and stores nothing', async ({
      reps,
      stored,
      outboxRows,
    }) => {
      const outcome = await reps(SAM, 'book');
      expect(outcome.reply?.text).toBe(
        'Say which slot to book: /reps book <date> <time> <rep> from <company>. Nothing was saved.',
      );
      expect(outcome.reply?.lines).toContain(
        'Write it like /reps book 2026-12-02 12:00 Jordan Smith from Acme Pharma.',
      );
      expect(await stored()).toHaveLength(0);
      expect(await outboxRows()).toHaveLength(0);
    });

    it('refuses a reps.closed day', async ({ reps, stored }) => {
      const closed: OfficeConfig = { ...office, reps: { ...office.reps, closed: ['2026-12-02'] } };
      const outcome = await reps(SAM, 'book 2026-12-02 12:00 Jordan Smith from Acme', closed);
      expect(replyText(outcome)).toMatch(/takes no rep visits on Wed Dec 2\. Nothing was saved/);
      expect(await stored()).toHaveLength(0);
    });

    it('offers the next open slots with Book buttons when the slot is wrong or taken', async ({
      reps,
      stored,
    }) => {
      await reps(SAM, 'book 2026-12-01 12:00 Jordan Smith from Acme Pharma');
      const outcome = await reps(PRIYA, 'book 2026-12-01 12:00 Lee Wong from Beta Labs');
      expect(replyText(outcome)).toMatch(
        /Tue Dec 1 at 12:00 was just taken by someone else\. Nothing was saved/,
      );
      expect(outcome.reply?.buttons?.map((button) => button.value)).toEqual([
        '2026-12-02T12:00',
        '2026-12-03T12:00',
        '2026-12-08T12:00',
        '2026-12-09T12:00',
        '2026-12-10T12:00',
      ]);
      expect(await stored()).toHaveLength(1);
    });

    it('caps a company at 2 visits a month, however its name is written', async ({ reps, stored }) => {
      await reps(SAM, 'book 2026-12-01 12:00 Jordan Smith from Acme Pharma, Inc.');
      await reps(SAM, 'book 2026-12-02 12:00 Lee Wong from ACME pharma inc');
      const third = await reps(SAM, 'book 2026-12-03 12:00 Kim Ray from acme-pharma inc');
      expect(replyText(third)).toMatch(
        /already has 2 visits booked in December 2026; the limit is 2 a month/,
      );
      expect(third.reply?.buttons).toBeUndefined();
      const january = await reps(SAM, 'book 2027-01-05 12:00 Kim Ray from Acme Pharma Inc');
      expect(january.reply?.text).toMatch(/^Rep visit booked/);
      expect(await stored()).toHaveLength(3);
    });

    it('does not count a cancelled visit against the cap', async ({ reps }) => {
      const first = referenceIn(await reps(SAM, 'book 2026-12-01 12:00 Jordan Smith from Acme'));
      await reps(SAM, 'book 2026-12-02 12:00 Lee Wong from Acme');
      await reps(SAM, `cancel ${first}`);
      expect((await reps(SAM, 'book 2026-12-03 12:00 Kim Ray from Acme')).reply?.text).toMatch(
        /^Rep visit booked/,
      );
    });

    it('books once when the same delivery arrives twice', async ({ run, stored }) => {
      const input: Input = {
        kind: 'command',
        command: 'reps',
        text: 'book dec 2 12:00 Jordan Smith from Acme',
        deliveryId: 'trigger-1',
      };
      const first = await run(SAM, input);
      const again = await run(SAM, input);
      expect(again.reply).toEqual(first.reply);
      expect(await stored()).toHaveLength(1);
    });
  });

  describe('the Book button and its form', () => {
    it('opens a form for the slot with every field the front desk needs', async ({ book, stored }) => {
      const outcome = await book('2026-12-01T12:00');
      expect(outcome.form).toMatchObject({
        formId: 'reps_book_form',
        title: 'Book Tue Dec 1, 12:00',
        metadata: '2026-12-01T12:00',
      });
      expect(outcome.form?.inputs.map((input) => input.id)).toEqual([
        'repName',
        'company',
        'topic',
        'contact',
        'providers',
        'lunch',
      ]);
      expect(await stored()).toHaveLength(0);
    });

    it('books from the submitted form with the providers matched to the staff list', async ({
      submitBooking,
      stored,
    }) => {
      const outcome = await submitBooking('2026-12-01T12:00');
      expect(outcome.reply?.text).toMatch(/^Rep visit booked: RM-\d+, Tue Dec 1, 12:00 PM/);
      expect(replyText(outcome)).toContain('Providers expected: Dr. Helen Park, Dr. Omar Haddad');
      expect((await stored())[0]).toMatchObject({
        topic: 'New statin',
        contact: 'jordan@acme.example',
        providerKeys: ['staff:dr-helen-park', 'staff:dr-omar-haddad'],
        providerNames: ['Dr. Helen Park', 'Dr. Omar Haddad'],
        lunch: true,
      });
    });

    it('stores each one-line field on one line, whatever line breaks a crafted submission carries', async ({
      submitBooking,
      stored,
    }) => {
      const outcome = await submitBooking('2026-12-01T12:00', {
        ...FORM_VALUES,
        repName: 'Jordan\r\nFAKE LINE',
        company: 'Acme\nPharma',
        topic: 'New\u2028statin',
        contact: '\tjordan@acme.example\r',
      });
      expect(outcome.reply?.text).toMatch(/^Rep visit booked: RM-\d+/);
      expect((await stored())[0]).toMatchObject({
        repName: 'Jordan FAKE LINE',
        company: 'Acme Pharma',
        topic: 'New statin',
        contact: 'jordan@acme.example',
      });
    });

    it('keeps the form open with an error on the field that is wrong', async ({ submitBooking, stored }) => {
      const missing = await submitBooking('2026-12-01T12:00', { ...FORM_VALUES, repName: ' ' });
      expect(missing.formErrors).toEqual({ repName: 'Enter the rep’s name.' });
      const invisible = await submitBooking('2026-12-01T12:00', {
        ...FORM_VALUES,
        repName: '\u200b\u200d\u202e',
      });
      expect(invisible.formErrors).toEqual({ repName: 'Enter the rep’s name.' });
      const unknown = await submitBooking('2026-12-01T12:00', { ...FORM_VALUES, providers: 'Dr. Nobody' });
      expect(unknown.formErrors?.providers).toMatch(/"Dr\. Nobody" is not on the staff list/);
      // Every mistake shows in one round, not the next only after the first is mended.
      const both = await submitBooking('2026-12-01T12:00', {
        ...FORM_VALUES,
        repName: ' ',
        providers: 'Dr. Nobody',
      });
      expect(Object.keys(both.formErrors ?? {}).sort()).toEqual(['providers', 'repName']);
      const punctuation = await submitBooking('2026-12-01T12:00', { ...FORM_VALUES, company: '!!!' });
      expect(punctuation.formErrors).toEqual({ company: 'Say which company the rep is from, in words.' });
      const long = await submitBooking('2026-12-01T12:00', { ...FORM_VALUES, company: 'c'.repeat(201) });
      expect(long.formErrors?.company).toMatch(/under 200 characters/);
      expect(await stored()).toHaveLength(0);
    });

    it('puts the company cap on the company field', async ({ submitBooking, stored }) => {
      await submitBooking('2026-12-01T12:00');
      await submitBooking('2026-12-02T12:00');
      const third = await submitBooking('2026-12-03T12:00');
      expect(third.formErrors?.company).toMatch(/Acme Pharma already has 2 visits booked in December 2026/);
      expect(await stored()).toHaveLength(2);
    });

    it('tells the second person that the slot was just taken and offers the next ones', async ({
      book,
      submitBooking,
    }) => {
      await book('2026-12-01T12:00', SAM);
      await book('2026-12-01T12:00', PRIYA);
      await submitBooking('2026-12-01T12:00', FORM_VALUES, SAM);
      const late = await submitBooking('2026-12-01T12:00', { ...FORM_VALUES, company: 'Beta Labs' }, PRIYA);
      expect(late.formErrors).toBeUndefined();
      expect(replyText(late)).toMatch(
        /Tue Dec 1 at 12:00 was just taken by someone else\. Nothing was saved/,
      );
      expect(late.reply?.buttons?.[0]?.value).toBe('2026-12-02T12:00');
      const pressAgain = await book('2026-12-01T12:00', PRIYA);
      expect(pressAgain.form).toBeUndefined();
      expect(replyText(pressAgain)).toMatch(/was just taken/);
      // The form has closed: what Priya typed comes back, to book another slot without asking the rep again.
      expect(late.reply?.lines?.slice(1, 6)).toEqual([
        `You wrote: ${FORM_VALUES.repName} from Beta Labs`,
        `Topic: ${FORM_VALUES.topic}`,
        `Contact: ${FORM_VALUES.contact}`,
        'Providers: Dr. Helen Park, Dr. Omar Haddad',
        'Lunch provided',
      ]);
    });

    it('answers the same booking sent again with the visit already booked, never as taken by someone else', async ({
      reps,
      book,
      stored,
    }) => {
      const first = await reps(SAM, 'book 2026-12-01 12:00 Jordan Smith from Acme Pharma');
      const reference = findReference(first, 'RM');
      for (const again of [
        await reps(SAM, 'book 2026-12-01 12:00 Jordan Smith from Acme Pharma'),
        await book('2026-12-01T12:00', SAM),
      ]) {
        expect(again.form).toBeUndefined();
        expect(again.reply?.text).toMatch(new RegExp(`^You already booked this visit: ${reference}, `));
        expect(again.reply?.buttons).toBeUndefined();
      }
      expect(await stored()).toHaveLength(1);
    });

    it('answers the same booking sent again as already booked when it is the company’s last visit of the month', async ({
      reps,
      stored,
    }) => {
      const capped: OfficeConfig = { ...office, reps: { ...office.reps, maxPerCompanyPerMonth: 1 } };
      const typed = 'book 2026-12-01 12:00 Jordan Smith from Acme Pharma';
      const reference = findReference(await reps(SAM, typed, capped), 'RM');
      expect((await reps(SAM, typed, capped)).reply?.text).toMatch(
        new RegExp(`^You already booked this visit: ${reference}, `),
      );
      expect(replyText(await reps(PRIYA, 'book 2026-12-03 12:00 Lee Wong from Acme Pharma', capped))).toMatch(
        /Acme Pharma/,
      );
      expect(await stored()).toHaveLength(1);
    });

    it('checks a tampered slot again on submit', async ({ book, submitBooking, stored }) => {
      const outcome = await submitBooking('2026-12-04T12:00'); // Fri: no slot
      expect(replyText(outcome)).toMatch(/no rep slots on Fridays.*Nothing was saved/s);
      expect(replyText(await book('not-a-slot'))).toMatch(/no longer offered/);
      expect(await stored()).toHaveLength(0);
    });
  });

  describe('ten people booking one slot at once', () => {
    it('makes exactly one booking and tells the other nine it was just taken', async ({ run, stored }) => {
      const outcomes = await Promise.all(
        Array.from({ length: 10 }, (_, index) =>
          run(`U0REP${index}`, {
            kind: 'form',
            formId: REPS_FORMS.book,
            values: { ...FORM_VALUES, company: `Company ${index}`, providers: '' },
            metadata: '2026-12-01T12:00',
            deliveryId: `view:race-${index}`,
          }),
        ),
      );
      const booked = outcomes.filter((outcome) => /^Rep visit booked/.test(outcome.reply?.text ?? ''));
      const taken = outcomes.filter((outcome) => /was just taken by someone else/.test(replyText(outcome)));
      expect(booked).toHaveLength(1);
      expect(taken).toHaveLength(9);
      const rows = await stored();
      expect(rows).toHaveLength(1);
      expect(rows[0]?.slotDay).toBe('2026-12-01');
    });

    it('keeps one company under its cap when it books two slots at once', async ({ run, stored }) => {
      const slots = ['2026-12-01T12:00', '2026-12-02T12:00', '2026-12-03T12:00', '2026-12-08T12:00'];
      await Promise.all(
        slots.map((slot, index) =>
          run(`U0REP${index}`, {
            kind: 'form',
            formId: REPS_FORMS.book,
            values: { ...FORM_VALUES, providers: '' },
            metadata: slot,
            deliveryId: `view:cap-${index}`,
          }),
        ),
      );
      expect(await stored()).toHaveLength(2);
    });
  });

  describe('list and cancel', () => {
    it('lists upcoming visits', async ({ reps }) => {
      await reps(SAM, 'book dec 2 12:00 Jordan Smith from Acme Pharma');
      const outcome = await reps(PRIYA, 'list');
      expect(outcome.reply?.lines?.[0]).toMatch(
        /^RM-\d+ · Wed Dec 2, 12:00 PM · Jordan Smith \(Acme Pharma\) · booked by Sam Lee$/,
      );
    });

    it('lets the booker cancel, and the slot opens again', async ({ reps, stored }) => {
      const reference = referenceIn(await reps(SAM, 'book dec 2 12:00 Jordan Smith from Acme Pharma'));
      const outcome = await reps(SAM, `cancel ${reference}`);
      expect(outcome.reply?.text).toMatch(new RegExp(`^Cancelled ${reference} .*The slot is open again\\.$`));
      expect(outcome.effects).toEqual([]);
      expect((await stored())[0]).toMatchObject({ status: 'cancelled', cancelledByName: 'Sam Lee' });
      const again = await reps(PRIYA, 'book dec 2 12:00 Lee Wong from Beta Labs');
      expect(again.reply?.text).toMatch(/^Rep visit booked/);
    });

    it('does not let someone else cancel, but lets a manager, who tells the booker', async ({
      reps,
      stored,
      outboxRows,
    }) => {
      const reference = referenceIn(await reps(SAM, 'book dec 2 12:00 Jordan Smith from Acme Pharma'));
      const refused = await reps(PRIYA, `cancel ${reference}`);
      expect(replyText(refused)).toMatch(
        /booked by Sam Lee; only they or Dana Reyes or Dr\. Omar Haddad can cancel it\. Nothing was changed/,
      );
      expect((await stored())[0]?.status).toBe('booked');
      const cancelled = await reps(DANA, `cancel ${reference}`);
      expect(cancelled.effects).toMatchObject([{ kind: 'dm', to: { platform: 'slack', userId: SAM } }]);
      expect((await outboxRows())[0]).toMatchObject({ kind: 'dm', target: SAM });
    });

    it.for([
      ['no reference', 'cancel', /Say which visit to cancel/],
      ['another kind of reference', 'cancel TO-5', /not a rep visit reference/],
      ['a visit that does not exist', 'cancel RM-99999', /There is no rep visit RM-99999/],
    ] as const)('answers %s', async ([_label, text, expected], { reps }) => {
      expect(replyText(await reps(SAM, text))).toMatch(expected);
    });

    it('says when a visit was already cancelled', async ({ reps }) => {
      const reference = referenceIn(await reps(SAM, 'book dec 2 12:00 Jordan Smith from Acme Pharma'));
      await reps(SAM, `cancel ${reference}`);
      expect(replyText(await reps(SAM, `cancel ${reference}`))).toMatch(
        /already cancelled by Sam Lee\. Nothing was changed/,
      );
    });

    it('records who booked and cancelled in the audit log', async ({ db, reps }) => {
      const reference = referenceIn(await reps(SAM, 'book dec 2 12:00 Jordan Smith from Acme Pharma'));
      await reps(SAM, `cancel ${reference}`);
      const actions = (await db.select().from(auditLog))
        .filter((row) => row.entity === reference)
        .map((row) => row.action);
      expect(actions).toEqual(['reps.booked', 'reps.cancelled']);
    });
  });

  describe('the calendar feed address', () => {
    it('shows managers a generated address that stays the same, and nobody else', async ({ db, reps }) => {
      const refused = await reps(SAM, 'calendar');
      expect(replyText(refused)).toMatch(/Only Dana Reyes or Dr\. Omar Haddad can get the calendar/);
      const first = replyText(await reps(DANA, 'calendar'));
      const token = /\/calendar\/([A-Za-z0-9_-]{32})\.ics/.exec(first)?.[1];
      expect(token).toBeDefined();
      expect(replyText(await reps(DANA, 'calendar'))).toContain(`/calendar/${token}.ics`);
      expect(await db.select().from(calendarFeeds)).toHaveLength(1);
    });

    it('uses reps.calendarToken from the office config when it is set', async ({ db, reps }) => {
      const token = 'configured-token-0123456789abcdef';
      const configured: OfficeConfig = { ...office, reps: { ...office.reps, calendarToken: token } };
      expect(replyText(await reps(DANA, 'calendar', configured))).toContain(`/calendar/${token}.ics`);
      expect(await db.select().from(calendarFeeds)).toHaveLength(0);
    });
  });

  describe('approved time off of an expected provider', () => {
    it('flags the visit to its booker when the time off is approved', async ({
      db,
      run,
      submitBooking,
      outboxRows,
    }) => {
      const reference = referenceIn(await submitBooking('2026-12-01T12:00'));
      const filed = await run(HELEN, { kind: 'command', command: 'timeoff', text: 'dec 1' });
      const timeOff = /TO-\d+/.exec(replyText(filed))?.[0] ?? '';
      await db.delete(outbox);
      const decided = await run(DANA, {
        kind: 'action',
        actionId: TIME_OFF_ACTIONS.approve,
        value: timeOff,
      });
      const flags = decided.effects.filter(
        (effect): effect is Extract<Effect, { kind: 'dm' }> =>
          effect.kind === 'dm' && effect.to.userId === SAM,
      );
      expect(flags).toHaveLength(1);
      expect(flags[0]?.message.text).toBe(
        `Dr. Helen Park will be off for your rep visit ${reference} (Tue Dec 1, 12:00 PM, Jordan Smith (Acme Pharma)).`,
      );
      expect((await outboxRows()).filter((row) => row.target === SAM)).toHaveLength(1);
    });

    it('does not flag a visit that does not expect them, or a morning off before an afternoon visit', async ({
      run,
      submitBooking,
    }) => {
      await submitBooking('2026-12-01T12:00', { ...FORM_VALUES, providers: 'Haddad' });
      await submitBooking('2026-12-02T12:00', {
        ...FORM_VALUES,
        company: 'Beta Labs',
        providers: 'Helen Park',
      });
      const filed = await run(HELEN, { kind: 'command', command: 'timeoff', text: 'dec 1 to dec 2' });
      const timeOff = /TO-\d+/.exec(replyText(filed))?.[0] ?? '';
      const morning = await run(HELEN, { kind: 'command', command: 'timeoff', text: 'dec 3 am' });
      const morningRef = /TO-\d+/.exec(replyText(morning))?.[0] ?? '';
      const approved = await run(DANA, {
        kind: 'action',
        actionId: TIME_OFF_ACTIONS.approve,
        value: timeOff,
      });
      expect(
        approved.effects.filter((effect) => effect.kind === 'dm' && effect.to.userId === SAM),
      ).toHaveLength(1);
      const approvedMorning = await run(DANA, {
        kind: 'action',
        actionId: TIME_OFF_ACTIONS.approve,
        value: morningRef,
      });
      expect(
        approvedMorning.effects.filter((effect) => effect.kind === 'dm' && effect.to.userId === SAM),
      ).toEqual([]);
    });
  });

  describe('the huddle digest', () => {
    it('lists the day’s rep visits', async ({ db, reps }) => {
      await reps(SAM, 'book dec 2 12:00 Jordan Smith from Acme Pharma');
      const digest = await loadHuddleDigest(db, office, '2026-12-02', NOW.plus({ days: 7 }), quietLogger);
      expect(digest.sections).toContainEqual({
        heading: 'Reps today',
        lines: ['12:00 · Jordan Smith (Acme Pharma)'],
      });
      const dayBefore = await loadHuddleDigest(db, office, '2026-12-01', NOW.plus({ days: 6 }), quietLogger);
      expect(dayBefore.sections.map((section) => section.heading)).not.toContain('Reps today');
    });
  });

  it('never logs what people typed', ({ recording }) => {
    expect(recording.text()).not.toContain('Jordan');
    expect(recording.text()).not.toContain('jordan@acme.example');
  });
});
