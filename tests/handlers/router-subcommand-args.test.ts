import { DateTime } from 'luxon';
import { describe, expect } from 'vitest';
import { complaints, notes, outbox, teamIssues, timeOffRequests } from '../../src/db/schema/index.ts';
import { replyText } from '../helpers/dispatch.ts';
import { createHandlerTest } from '../helpers/handler-fixture.ts';
import { buildOfficeConfig } from '../helpers/office.ts';

const office = buildOfficeConfig();
const NOW = DateTime.fromISO('2026-11-30T09:00', { zone: office.office.timezone }); // Mon
const DANA = 'U0DANA'; // a manager
const SAM = 'U0SAM';

const it = createHandlerTest({ office, now: NOW, command: 'note', actions: {}, forms: {} }).extend(
  'type',
  ({ run }) =>
    (userId: string, command: string, text: string) =>
      run(userId, { kind: 'command', command, text }),
);

// Text that starts with a subcommand's words but has more words than it takes was handed to the command's
// own text, which filed it: a confidential complaint, a public issue, a follow-up.
describe('a subcommand with too many words after it', () => {
  it('refuses /complaint export 2026-11 csv from a manager without filing a complaint', async ({
    type,
    db,
  }) => {
    const outcome = await type(DANA, 'complaint', 'export 2026-11 csv');
    expect(outcome.reply?.text).toBe('/complaint export takes at most one word after it. Nothing was saved.');
    const lines = outcome.reply?.lines ?? [];
    expect(lines.some((line) => line.startsWith('/complaint export [2026-03]'))).toBe(true);
    expect(lines).toContain(
      'To file text that starts with "export", type /complaint alone: it opens a form for it.',
    );
    expect(outcome.effects).toEqual([]);
    expect(await db.select().from(complaints)).toEqual([]);
    expect(await db.select().from(outbox)).toEqual([]);
  });

  it('refuses a complaint that starts with "list" from staff too, pointing to the form', async ({
    type,
    db,
  }) => {
    const outcome = await type(SAM, 'complaint', 'list of charges was wrong');
    expect(outcome.reply?.text).toBe('/complaint list takes no words after it. Nothing was saved.');
    expect(replyText(outcome)).toContain('type /complaint alone: it opens a form for it.');
    expect(await db.select().from(complaints)).toEqual([]);
    expect(await db.select().from(outbox)).toEqual([]);
    // The form it points to is what the bare command opens.
    expect((await type(SAM, 'complaint', '')).form).toBeDefined();
  });

  it.for(['list open', 'list mine', 'list all'])(
    'refuses /issue %s without posting an issue to the huddle channel',
    async (text, { type, db }) => {
      const outcome = await type(SAM, 'issue', text);
      expect(outcome.reply?.text).toBe('/issue list takes no words after it. Nothing was saved.');
      expect(outcome.reply?.lines).toEqual([
        '/issue list takes no words after it. Nothing was saved.',
        '/issue list — issues not done yet, with who owns them',
        'To file text that starts with "list", type /issue alone: it opens a form for it.',
        `You wrote: ${text}`,
      ]);
      expect(outcome.keepReply).toBe(true);
      expect(await db.select().from(teamIssues)).toEqual([]);
      expect(await db.select().from(outbox)).toEqual([]);
    },
  );

  it.for([
    ['done FU-1 FU-2', '/note done takes at most one word after it. Nothing was saved.'],
    ['done by 5:30', '/note done takes at most one word after it. Nothing was saved.'],
    ['snooze FU-1 to next monday please', '/note snooze takes at most 4 words after it. Nothing was saved.'],
    ['list all', '/note list takes no words after it. Nothing was saved.'],
  ] as const)('refuses /note %s without saving a follow-up', async ([text, expected], { type, db }) => {
    const outcome = await type(DANA, 'note', text);
    expect(outcome.reply?.text).toBe(expected);
    expect(replyText(outcome)).toContain('type /note alone: it opens a form for it.');
    expect(await db.select().from(notes)).toEqual([]);
    expect(await db.select().from(outbox)).toEqual([]);
  });

  it('shows the /note done and snooze usage line for a done with two references', async ({ type }) => {
    const outcome = await type(DANA, 'note', 'done FU-1 FU-2');
    expect(outcome.reply?.lines).toContain(
      '/note done FU-3 · /note snooze FU-3 mon — marks one done · moves it to another day',
    );
  });

  it('refuses /timeoff export 2026 all with its usage rather than a date it cannot find', async ({
    type,
    db,
  }) => {
    const outcome = await type(DANA, 'timeoff', 'export 2026 all');
    expect(outcome.reply?.text).toBe('/timeoff export takes at most one word after it. Nothing was saved.');
    expect(outcome.reply?.lines).toEqual([
      '/timeoff export takes at most one word after it. Nothing was saved.',
      '/timeoff export 2026 — (managers) every request of a year or a month (2026-11) as CSV',
      'If you meant something else, say it without "export" first.',
    ]);
    expect(outcome.attachments ?? []).toEqual([]);
    expect(await db.select().from(timeOffRequests)).toEqual([]);
    expect(await db.select().from(outbox)).toEqual([]);
  });

  it('still runs a subcommand with the words it takes, and files text that does not start with one', async ({
    type,
    db,
  }) => {
    expect((await type(DANA, 'issue', 'list')).reply?.text).not.toMatch(/Nothing was saved/);
    await type(SAM, 'issue', 'listing printer is jammed');
    expect((await db.select().from(teamIssues)).map((row) => row.description)).toEqual([
      'listing printer is jammed',
    ]);
  });
});
