import { DateTime } from 'luxon';
import { describe, expect } from 'vitest';
import { notes } from '../../src/db/schema/index.ts';
import { readNote } from '../../src/domain/notes.ts';
import { NOTE_ACTIONS, NOTE_FORMS } from '../../src/handlers/notes/ids.ts';
import { replyText } from '../helpers/dispatch.ts';
import { createHandlerTest } from '../helpers/handler-fixture.ts';
import { buildOfficeConfig } from '../helpers/office.ts';

const office = buildOfficeConfig();
const zone = office.office.timezone;
const NOW = DateTime.fromISO('2026-11-25T09:00', { zone }); // Wed; Thu Nov 26 is Thanksgiving
const SAM = 'U0SAM';

const it = createHandlerTest({ office, now: NOW, command: 'note', actions: NOTE_ACTIONS, forms: NOTE_FORMS });

// `by 3pm` names no day: it was refused as `"3pm" is not a day I can read`, though the text is a fine note.
describe('a follow-up with a time of day after "by"', () => {
  it.for([
    'finish the schedule by 3pm',
    'call the lab back by 2',
    'send invoices by noon',
    'confirm the courier by 10:30 a.m.',
  ])('saves `%s` whole, with no due day and no warning', async (text, { command, db }) => {
    const filed = await command(SAM, text);
    expect(replyText(filed)).toContain('No due day: it stays in /note list until it is done.');
    expect(replyText(filed)).not.toMatch(/not a day|Nothing was saved/);
    expect((await db.select().from(notes)).map((row) => [row.text, row.due])).toEqual([[text, null]]);
  });

  it.for([
    ['order 2 boxes by 10am tomorrow', '2026-11-26'],
    ['call the lab by fri 3pm', '2026-11-27'],
    ['call the lab by mon at 9', '2026-11-30'],
    ['call lab by mon am', '2026-11-30'],
    ['call lab by fri afternoon', '2026-11-27'],
  ] as const)('saves `%s` whole, due %s', async ([text, due], { command, db }) => {
    const filed = await command(SAM, text);
    expect(replyText(filed)).toMatch(/It is due (Thu Nov 26|Fri Nov 27|Mon Nov 30):/);
    expect((await db.select().from(notes)).map((row) => [row.text, row.due])).toEqual([[text, due]]);
  });

  it('still drops a day alone from the text, and refuses a time on a day that has passed', async ({
    command,
    db,
  }) => {
    await command(SAM, 'call the lab by fri');
    expect((await command(SAM, 'call the lab by 3pm yesterday')).reply?.text).toBe(
      'Tue Nov 24 has passed; a follow-up is due today or later. Nothing was saved.',
    );
    expect((await command(SAM, 'call the lab by 15')).reply?.text).toBe(
      '"15" is not a day I can read. Nothing was saved.',
    );
    expect((await db.select().from(notes)).map((row) => [row.text, row.due])).toEqual([
      ['call the lab', '2026-11-27'],
    ]);
  });

  it('reads the last "by", keeping an earlier one that names no day', () => {
    expect(readNote('stop by the lab by 4pm thu', NOW, zone)).toEqual({
      ok: true,
      text: 'stop by the lab by 4pm thu',
      due: '2026-11-26',
    });
    expect(readNote('stop by the lab by fri', NOW, zone)).toEqual({
      ok: true,
      text: 'stop by the lab',
      due: '2026-11-27',
    });
    expect(readNote('order by 2 boxes', NOW, zone)).toEqual({
      ok: true,
      text: 'order by 2 boxes',
      due: undefined,
    });
  });
});
