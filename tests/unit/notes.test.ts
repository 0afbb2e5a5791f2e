import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import {
  describeDue,
  isDue,
  MAX_NOTE_LENGTH,
  readDueDay,
  readNote,
  sortNotesDueFirst,
} from '../../src/domain/notes.ts';

const zone = 'America/New_York';
// Wed Nov 25, 2026, late evening in New York: already Thursday in UTC, so the office's day must be used.
const NOW = DateTime.fromISO('2026-11-25T22:30', { zone });

describe('readNote', () => {
  it('reads a trailing `by <day>` as the due day, in the office zone', () => {
    expect(readNote('call the lab by fri', NOW, zone)).toEqual({
      ok: true,
      text: 'call the lab',
      due: '2026-11-27',
    });
    expect(readNote('call the lab by tomorrow', NOW, zone)).toMatchObject({ due: '2026-11-26' });
    expect(readNote('order toner by dec 4', NOW, zone)).toMatchObject({
      text: 'order toner',
      due: '2026-12-04',
    });
    expect(readNote('renew lease By 2027-01-15', NOW, zone)).toMatchObject({ due: '2027-01-15' });
  });

  it('keeps a `by` that names no day as part of the text, and uses the last one that does', () => {
    expect(readNote('ask Sam to stop by the lab', NOW, zone)).toEqual({
      ok: true,
      text: 'ask Sam to stop by the lab',
      due: undefined,
    });
    expect(readNote('reach Ana by phone by mon', NOW, zone)).toEqual({
      ok: true,
      text: 'reach Ana by phone',
      due: '2026-11-30',
    });
  });

  it('accepts today and refuses a past day, an unreadable one, and an empty note', () => {
    expect(readNote('call back by today', NOW, zone)).toMatchObject({ ok: true, due: '2026-11-25' });
    expect(readNote('call back by nov 20', NOW, zone)).toEqual({
      ok: false,
      message: 'Fri Nov 20 has passed; a follow-up is due today or later.',
    });
    expect(readNote('call back by dec 45', NOW, zone)).toMatchObject({
      ok: false,
      message: expect.stringMatching(/not a day I can read/),
    });
    expect(readNote('   ', NOW, zone)).toEqual({ ok: false, message: 'Say what to follow up on.' });
    expect(readNote('by fri', NOW, zone)).toEqual({ ok: false, message: 'Say what to follow up on.' });
  });

  it('refuses a note with nothing visible in it, as an empty one, with or without a due day', () => {
    const empty = { ok: false, message: 'Say what to follow up on.' };
    expect(readNote('\u200b\u200b\u200d', NOW, zone)).toEqual(empty);
    expect(readNote('\u202e\u00ad\u2060 by fri', NOW, zone)).toEqual(empty);
    expect(readNote('\u0007\u0001\u001b', NOW, zone)).toEqual(empty);
  });

  it('names the year of a past day in another year, so it does not read as next year’s', () => {
    expect(readNote('call the lab by 1999-01-01', NOW, zone)).toEqual({
      ok: false,
      message: 'Fri Jan 1, 1999 has passed; a follow-up is due today or later.',
    });
  });

  it(`caps a note at ${MAX_NOTE_LENGTH} characters and says how long it was`, () => {
    expect(readNote('x'.repeat(MAX_NOTE_LENGTH), NOW, zone)).toMatchObject({ ok: true });
    expect(readNote(`${'x'.repeat(5000)} by fri`, NOW, zone)).toEqual({
      ok: false,
      message: `That follow-up is 5,000 characters; keep it under ${MAX_NOTE_LENGTH}.`,
    });
  });
});

describe('readDueDay', () => {
  it('names no day for text that is not one, and refuses days beyond next year', () => {
    expect(readDueDay('the lab', NOW, zone)).toBeUndefined();
    expect(readDueDay('2029-01-01', NOW, zone)).toEqual({
      ok: false,
      message: '2029-01-01 is too far ahead.',
    });
  });
});

describe('due rules', () => {
  const notes = [
    { number: 1, text: 'a', due: undefined },
    { number: 2, text: 'b', due: '2026-12-01' },
    { number: 3, text: 'c', due: '2026-11-20' },
    { number: 4, text: 'd', due: undefined },
  ];

  it('lists dated notes soonest first, then undated ones in filing order', () => {
    expect(sortNotesDueFirst(notes).map((note) => note.number)).toEqual([3, 2, 1, 4]);
  });

  it('is due on its day and after, never without a day', () => {
    expect(isDue({ due: '2026-11-25' }, '2026-11-25')).toBe(true);
    expect(isDue({ due: '2026-11-20' }, '2026-11-25')).toBe(true);
    expect(isDue({ due: '2026-11-26' }, '2026-11-25')).toBe(false);
    expect(isDue({ due: undefined }, '2026-11-25')).toBe(false);
  });

  it('says due today, overdue since, or the day', () => {
    expect(describeDue('2026-11-25', '2026-11-25', zone)).toBe('due today');
    expect(describeDue('2026-11-20', '2026-11-25', zone)).toBe('overdue since Fri Nov 20');
    expect(describeDue('2026-12-04', '2026-11-25', zone)).toBe('due Fri Dec 4');
    expect(describeDue(undefined, '2026-11-25', zone)).toBeUndefined();
  });
});
