import { DateTime } from 'luxon';
import { describe, expect } from 'vitest';
import { auditLog, notes, outbox } from '../../src/db/schema/index.ts';
import { resolvePerson } from '../../src/domain/people.ts';
import { notesHome } from '../../src/handlers/notes/home.ts';
import { NOTE_ACTIONS, NOTE_FORMS } from '../../src/handlers/notes/ids.ts';
import { databaseTargets } from '../helpers/databases.ts';
import { findReference, replyText } from '../helpers/dispatch.ts';
import { createHandlerTest } from '../helpers/handler-fixture.ts';
import { findScheduledJob } from '../helpers/jobs.ts';
import { buildOfficeConfig } from '../helpers/office.ts';

// office.example.yaml: digest at 07:45, Mon–Fri, Thanksgiving (Thu Nov 26, 2026) a holiday.
const office = buildOfficeConfig();
const zone = office.office.timezone;
const at = (iso: string) => DateTime.fromISO(iso, { zone });
const NOW = at('2026-11-25T09:00'); // Wed
const SAM = 'U0SAM';
const ANA = 'U0ANA';
const DANA = 'U0DANA';
// Not on the staff list: anyone may keep follow-ups.
const STRANGER = 'U0STRANGER';
const PRIVATE = 'call the lab about Ana’s biopsy';

const remindersJob = findScheduledJob('note-reminders');

const it = createHandlerTest({
  office,
  now: NOW,
  command: 'note',
  actions: NOTE_ACTIONS,
  forms: NOTE_FORMS,
  jobs: [remindersJob],
});

describe.each(databaseTargets())('follow-ups on $name', (target) => {
  it.override({ target });

  it.for([
    ['by thu', '09:00', 'It is due Thu Nov 26: it will be in your morning message from Fri Nov 27.'],
    ['by sat', '09:00', 'It is due Sat Nov 28: it will be in your morning message from Mon Nov 30.'],
    ['by today', '09:00', 'It is due today: it will be in your morning message from Fri Nov 27.'],
    ['by today', '07:00', 'It is due today: it will be in your morning message from Wed Nov 25.'],
  ] as const)(
    'files `%s` at %s naming the first morning message that carries it',
    async ([due, time, expected], { run }) => {
      // The message goes out at 07:45 on working days; Thanksgiving (Thu Nov 26) is a holiday.
      const input = { kind: 'command', command: 'note', text: `${PRIVATE} ${due}` } as const;
      const filed = await run(SAM, input, at(`2026-11-25T${time}`));
      expect(replyText(filed)).toContain(expected);
    },
  );

  it('files a private follow-up with its due day, audited without its text', async ({ command, db }) => {
    const filed = await command(SAM, `${PRIVATE} by fri`);
    const reference = findReference(filed, 'FU');
    expect(filed.reply?.title).toBe(`Follow-up saved — ${reference}`);
    expect(replyText(filed)).toContain(
      'It is due Fri Nov 27: it will be in your morning message from Fri Nov 27.',
    );
    expect(filed.effects).toEqual([]);
    expect(await db.select().from(notes)).toEqual([
      expect.objectContaining({
        number: Number(reference.slice(3)),
        writerKey: 'staff:sam-lee',
        text: PRIVATE,
        due: '2026-11-27',
        status: 'open',
        link: null,
      }),
    ]);
    const audit = await db.select().from(auditLog);
    expect(audit).toEqual([
      expect.objectContaining({ action: 'note.filed', entity: reference, detail: { due: '2026-11-27' } }),
    ]);
    expect(JSON.stringify(audit)).not.toContain('biopsy');
  });

  it('lets someone not on the staff list keep follow-ups too', async ({ command, db }) => {
    const filed = await command(STRANGER, 'chase the invoice');
    expect(replyText(filed)).toContain('No due day: it stays in /note list until it is done.');
    expect(await db.select().from(notes)).toEqual([
      expect.objectContaining({
        writerKey: 'slack:U0STRANGER',
        platform: 'slack',
        userId: STRANGER,
        due: null,
      }),
    ]);
  });

  it('lists only the person’s own open follow-ups, due first', async ({ command }) => {
    const undated = findReference(await command(SAM, 'tidy the supply closet'), 'FU');
    const later = findReference(await command(SAM, 'order toner by dec 4'), 'FU');
    const sooner = findReference(await command(SAM, 'call the lab by fri'), 'FU');
    await command(ANA, 'Ana’s own note by thu');
    const list = await command(SAM, 'list');
    expect(list.reply?.lines).toEqual([
      `${sooner} · call the lab · due Fri Nov 27`,
      `${later} · order toner · due Fri Dec 4`,
      `${undated} · tidy the supply closet`,
    ]);
    expect(list.confidentialReply).toBe(true);
    expect((await command(DANA, 'list')).reply?.lines).toEqual([
      'None open. /note <text> [by fri] adds one.',
    ]);
  });

  it('marks one done once; someone else’s is answered as if it did not exist', async ({ command, db }) => {
    const reference = findReference(await command(SAM, PRIVATE), 'FU');
    const notSam = await command(ANA, `done ${reference}`);
    expect(notSam.reply?.text).toBe(`You have no follow-up ${reference}. Nothing was changed.`);
    expect((await command(ANA, 'done FU-999999')).reply?.text).toBe(
      notSam.reply?.text.replace(reference, 'FU-999999'),
    );
    expect((await db.select().from(notes))[0]?.status).toBe('open');

    expect((await command(SAM, `done ${reference}`)).reply?.text).toBe(`Done: ${reference} · ${PRIVATE}`);
    expect((await command(SAM, `done ${reference}`)).reply?.text).toBe(
      `${reference} is already done since Wed Nov 25 at 9:00 AM. Nothing was changed.`,
    );
    expect((await command(SAM, 'list')).reply?.lines).toEqual(['None open. /note <text> [by fri] adds one.']);
    expect((await db.select().from(auditLog)).map((row) => row.action)).toEqual(['note.filed', 'note.done']);
  });

  it('snoozes one to a later day, never to a past one', async ({ command, db }) => {
    const reference = findReference(await command(SAM, 'call the lab by fri'), 'FU');
    expect((await command(SAM, `snooze ${reference} next monday`)).reply?.text).toBe(
      `${reference} is now due Mon Nov 30: call the lab`,
    );
    expect((await command(SAM, `snooze ${reference} nov 20`)).reply?.text).toBe(
      'Fri Nov 20 has passed; a follow-up is due today or later. Nothing was changed.',
    );
    expect((await command(ANA, `snooze ${reference} dec 1`)).reply?.text).toBe(
      `You have no follow-up ${reference}. Nothing was changed.`,
    );
    expect((await db.select().from(notes))[0]?.due).toBe('2026-11-30');
  });

  it('reads a weekday named on that weekday as next week’s, so a snooze never brings a note forward to today', async ({
    run,
    db,
  }) => {
    const monday = at('2026-11-30T09:00');
    const note = (text: string) => run(SAM, { kind: 'command', command: 'note', text }, monday);
    const reference = findReference(await note('call the lab by fri'), 'FU');
    expect((await note(`snooze ${reference} mon`)).reply?.text).toBe(
      `${reference} is now due Mon Dec 7: call the lab`,
    );
    expect((await note(`snooze ${reference} today`)).reply?.text).toBe(
      `${reference} is now due Mon Nov 30: call the lab`,
    );
    expect((await db.select().from(notes))[0]?.due).toBe('2026-11-30');
  });

  it('refuses an empty, past, unreadable or huge note with the reason, storing nothing', async ({
    command,
    db,
  }) => {
    expect((await command(SAM, '')).form?.formId).toBe(NOTE_FORMS.add);
    expect((await command(SAM, 'by fri')).reply?.text).toBe('Say what to follow up on. Nothing was saved.');
    expect((await command(SAM, 'call back by nov 20')).reply?.text).toBe(
      'Fri Nov 20 has passed; a follow-up is due today or later. Nothing was saved.',
    );
    expect((await command(SAM, 'call back by dec 45')).reply?.text).toMatch(
      /is not a day I can read\. Nothing was saved\.$/,
    );
    expect((await command(SAM, 'x'.repeat(800))).reply?.text).toBe(
      'That follow-up is 800 characters; keep it under 500. Nothing was saved.',
    );
    expect(await db.select().from(notes)).toEqual([]);
  });

  it('refuses a note with nothing visible in it as an empty one, storing nothing', async ({
    command,
    submit,
    db,
  }) => {
    for (const text of ['\u200b\u200b\u200d', '\u202e\u00ad\u2060 by fri'])
      expect((await command(SAM, text)).reply?.text).toBe('Say what to follow up on. Nothing was saved.');
    // Control characters are dropped before any feature reads the text: these alone are a bare /note.
    expect((await command(SAM, '\u0007\u0001\u001b')).form?.formId).toBe(NOTE_FORMS.add);
    expect((await command(SAM, '\u0007\u0001\u001b by fri')).reply?.text).toBe(
      'Say what to follow up on. Nothing was saved.',
    );
    expect((await submit(SAM, NOTE_FORMS.add, { text: '\u200b\u00ad' })).formErrors).toEqual({
      text: 'Say what to follow up on.',
    });
    expect(await db.select().from(notes)).toEqual([]);
  });

  it('names the year of a past due day in another year, storing nothing', async ({ command, db }) => {
    expect((await command(SAM, 'call the lab by 1999-01-01')).reply?.text).toBe(
      'Fri Jan 1, 1999 has passed; a follow-up is due today or later. Nothing was saved.',
    );
    expect(await db.select().from(notes)).toEqual([]);
  });

  it('files a retried delivery once', async ({ command, db }) => {
    const first = await command(SAM, 'call the lab by fri', 'trigger.same');
    const again = await command(SAM, 'call the lab by fri', 'trigger.same');
    expect(findReference(first, 'FU')).toBeDefined();
    expect(again.effects).toEqual([]);
    expect(await db.select().from(notes)).toHaveLength(1);
  });

  it('files from the form, which can be corrected and sent again', async ({ submit, db }) => {
    const refused = await submit(SAM, NOTE_FORMS.add, {
      text: ' ',
      due: '2026-11-20',
      link: 'javascript:alert(1)',
    });
    expect(refused.formErrors).toEqual({
      text: 'Say what to follow up on.',
      due: 'Fri Nov 20 has passed; a follow-up is due today or later.',
      link: 'That is not a link (https://…).',
    });
    expect(await db.select().from(notes)).toEqual([]);
    const link = 'https://frontdesk-test.slack.com/archives/C0GENERAL/p1700000000000001';
    const filed = await submit(SAM, NOTE_FORMS.add, { text: 'answer Sam', due: '2026-12-01', link });
    expect(replyText(filed)).toContain(link);
    expect(await db.select().from(notes)).toEqual([
      expect.objectContaining({ text: 'answer Sam', due: '2026-12-01', link }),
    ]);
  });

  it.for([
    'https://example.com/\nFU-99 · a forged line · due today',
    'https://example.com/ spaced words <!channel>',
    'https://example.com/x|click here',
    'https://example.com/<!here>',
  ])('refuses %j as a link on the form, storing nothing', async (link, { submit, db }) => {
    const refused = await submit(SAM, NOTE_FORMS.add, { text: 'answer Sam', link });
    expect(refused.formErrors).toEqual({ link: 'That is not a link (https://…).' });
    expect(await db.select().from(notes)).toEqual([]);
  });

  it('answers an over-long due value as an error on the due field, storing nothing', async ({
    submit,
    db,
  }) => {
    const refused = await submit(SAM, NOTE_FORMS.add, {
      text: 'answer Sam',
      due: 'next friday after the quarterly inventory count',
    });
    expect(refused.formErrors).toEqual({ due: 'Pick a day.' });
    expect(refused.reply).toBeUndefined();
    expect(await db.select().from(notes)).toEqual([]);
  });

  it('opens the form from a message with its link filled in, and refuses a link it cannot read', async ({
    press,
    db,
  }) => {
    const link = 'https://frontdesk-test.slack.com/archives/C0GENERAL/p1700000000000001';
    const opened = await press(SAM, NOTE_ACTIONS.fromMessage, link);
    expect(opened.form?.inputs).toContainEqual(expect.objectContaining({ id: 'link', initial: link }));
    for (const value of ['not a link', 'https://example.com/ <!channel>']) {
      const refused = await press(SAM, NOTE_ACTIONS.fromMessage, value);
      expect(refused.reply?.text).toBe('frontdesk could not read that message. Nothing was saved.');
    }
    expect(await db.select().from(notes)).toEqual([]);
  });

  it('shows each person their own open follow-ups on their home', async ({ command, db }) => {
    const mine = findReference(await command(SAM, 'call the lab by fri'), 'FU');
    await command(ANA, 'not Sam’s');
    const home = await notesHome({ db, office, person: resolvePerson(office, 'slack', SAM), now: NOW });
    expect(home).toEqual([
      expect.objectContaining({
        title: 'Your follow-ups',
        lines: [`${mine} · call the lab · due Fri Nov 27`],
      }),
    ]);
  });

  it('sends each writer their own due follow-ups at digest time on a working day, once across two schedulers', async ({
    command,
    schedulerAt,
    dmsTo,
    db,
    recording,
  }) => {
    const overdue = findReference(await command(SAM, 'call the lab by wed'), 'FU');
    const dueMonday = findReference(await command(SAM, `${PRIVATE} by mon`), 'FU');
    await command(SAM, 'later one by dec 4');
    await command(SAM, 'no day at all');
    const anas = findReference(await command(ANA, 'Ana’s reminder by mon'), 'FU');
    const strangers = findReference(await command(STRANGER, 'stranger’s reminder by fri'), 'FU');
    await command(DANA, 'finished already by mon').then((filed) =>
      command(DANA, `done ${findReference(filed, 'FU')}`),
    );

    // Thanksgiving (a holiday) and the weekend: no morning message.
    expect((await schedulerAt(() => at('2026-11-26T07:46')).tick())['note-reminders']).toBe('not-due');
    expect((await schedulerAt(() => at('2026-11-28T07:46')).tick())['note-reminders']).toBe('not-due');
    expect(await dmsTo(SAM)).toEqual([]);

    // Friday: the stranger's is due, and Sam's of Wednesday is overdue.
    const friday = () => at('2026-11-27T07:46');
    expect((await schedulerAt(friday).tick())['note-reminders']).toBe('ran');
    expect((await dmsTo(STRANGER)).map((row) => row.message.lines)).toEqual([
      [`${strangers} · stranger’s reminder · due today`],
    ]);
    expect(await dmsTo(ANA)).toEqual([]);

    expect((await schedulerAt(() => at('2026-11-30T07:44')).tick())['note-reminders']).toBe('not-due');
    const monday = () => at('2026-11-30T07:46');
    const results = await Promise.all([schedulerAt(monday).tick(), schedulerAt(monday).tick()]);
    expect(results.map((result) => result['note-reminders']).sort()).toEqual(['ran', 'taken']);

    expect((await dmsTo(SAM)).map((row) => row.message)).toEqual([
      expect.objectContaining({
        title: 'One follow-up is due',
        lines: [`${overdue} · call the lab · overdue since Wed Nov 25`],
      }),
      expect.objectContaining({
        title: '2 follow-ups are due or overdue',
        lines: [
          `${overdue} · call the lab · overdue since Wed Nov 25`,
          `${dueMonday} · ${PRIVATE} · due today`,
        ],
      }),
    ]);
    expect((await dmsTo(ANA)).map((row) => row.message.lines)).toEqual([
      [`${anas} · Ana’s reminder · due today`],
    ]);
    expect(await dmsTo(DANA)).toEqual([]);
    // Only direct messages: never a channel.
    expect((await db.select().from(outbox)).every((row) => row.kind === 'dm')).toBe(true);
    expect(recording.text()).not.toContain('biopsy');
  });
});
