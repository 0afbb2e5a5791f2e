import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import {
  formatDay,
  formatDayNamingYear,
  formatDayRange,
  formatDayWithYear,
  formatOfficeTime,
  formatTypedDay,
  getOfficeDay,
  getOfficeMonth,
  getPlanningWindow,
  getWeekday,
  listDays,
  parseDateRange,
  parseOfficeMonth,
} from '../../src/domain/dates.ts';

const zone = 'America/New_York';
const now = DateTime.fromISO('2026-11-25T10:00', { zone }); // Wed

describe('parseDateRange', () => {
  it('reads an ISO range and keeps the rest as the reason', () => {
    expect(parseDateRange('2026-12-01 to 2026-12-03 family visit', now, zone)).toEqual({
      ok: true,
      start: '2026-12-01',
      end: '2026-12-03',
      part: 'full',
      rest: 'family visit',
    });
  });

  it('reads a month name and day as the next such day', () => {
    expect(parseDateRange('dec 1', now, zone)).toEqual({
      ok: true,
      start: '2026-12-01',
      end: '2026-12-01',
      part: 'full',
      rest: '',
    });
  });

  it('leaves a one- or two-digit number after a day for the time, never reading it as a year', () => {
    expect(parseDateRange('dec 2 12 pm Jordan from Acme', now, zone)).toMatchObject({
      ok: true,
      start: '2026-12-02',
      rest: '12 pm Jordan from Acme',
    });
    expect(parseDateRange('dec 2 10 am', now, zone)).toMatchObject({ ok: true, start: '2026-12-02' });
    expect(parseDateRange('dec 2 2026 dentist', now, zone)).toMatchObject({ ok: true, start: '2026-12-02' });
  });

  it('reads today as today', () => {
    expect(parseDateRange('nov 25', now, zone)).toMatchObject({ ok: true, start: '2026-11-25' });
    expect(parseDateRange('today sick', now, zone)).toMatchObject({
      ok: true,
      start: '2026-11-25',
      rest: 'sick',
    });
  });

  it.each([
    ['dec 1 - dec 3', '2026-12-01', '2026-12-03'],
    ['dec 1 – dec 3', '2026-12-01', '2026-12-03'],
    ['dec 1–dec 3', '2026-12-01', '2026-12-03'],
    ['dec 1 to dec 3', '2026-12-01', '2026-12-03'],
    ['dec 1 through dec 3', '2026-12-01', '2026-12-03'],
    ['dec 1 thru dec 3', '2026-12-01', '2026-12-03'],
    ['dec 1-3', '2026-12-01', '2026-12-03'],
    ['12/1 through 12/4', '2026-12-01', '2026-12-04'],
    ['12/1-12/4', '2026-12-01', '2026-12-04'],
    ['2026-12-01–2026-12-03', '2026-12-01', '2026-12-03'],
    ['Dec 1st through Dec 4th', '2026-12-01', '2026-12-04'],
    ['from dec 1 to dec 3', '2026-12-01', '2026-12-03'],
    ['dec 28 - jan 3', '2026-12-28', '2027-01-03'],
  ])('reads the range %s', (text, start, end) => {
    expect(parseDateRange(`${text} family visit`, now, zone)).toEqual({
      ok: true,
      start,
      end,
      part: 'full',
      rest: 'family visit',
    });
  });

  it('reads tomorrow as the next office day', () => {
    expect(parseDateRange('tomorrow', now, zone)).toMatchObject({
      ok: true,
      start: '2026-11-26',
      end: '2026-11-26',
    });
  });

  it('reads a bare weekday as the next such day on or after today', () => {
    expect(parseDateRange('fri', now, zone)).toMatchObject({ ok: true, start: '2026-11-27' });
    expect(parseDateRange('wed', now, zone)).toMatchObject({ ok: true, start: '2026-11-25' });
    expect(parseDateRange('Tuesday dentist', now, zone)).toMatchObject({
      start: '2026-12-01',
      rest: 'dentist',
    });
  });

  it('reads next monday as the first monday after today', () => {
    expect(parseDateRange('next monday', now, zone)).toMatchObject({ ok: true, start: '2026-11-30' });
    expect(parseDateRange('next wed', now, zone)).toMatchObject({ ok: true, start: '2026-12-02' });
  });

  it('counts a weekday after a range word from the start', () => {
    expect(parseDateRange('fri to tue', now, zone)).toMatchObject({ start: '2026-11-27', end: '2026-12-01' });
  });

  it('reads a weekday written before a date', () => {
    expect(parseDateRange('mon dec 7 wedding', now, zone)).toMatchObject({
      start: '2026-12-07',
      rest: 'wedding',
    });
  });

  it('reads a morning half day after an ISO date', () => {
    expect(parseDateRange('2026-12-07 am dentist', now, zone)).toEqual({
      ok: true,
      start: '2026-12-07',
      end: '2026-12-07',
      part: 'am',
      rest: 'dentist',
    });
  });

  it('reads an afternoon half day after a month name', () => {
    expect(parseDateRange('dec 8 pm', now, zone)).toEqual({
      ok: true,
      start: '2026-12-08',
      end: '2026-12-08',
      part: 'pm',
      rest: '',
    });
  });

  it('reads morning and afternoon as half days', () => {
    expect(parseDateRange('tomorrow morning', now, zone)).toMatchObject({ start: '2026-11-26', part: 'am' });
    expect(parseDateRange('dec 8 afternoon school play', now, zone)).toMatchObject({
      part: 'pm',
      rest: 'school play',
    });
  });

  it('refuses a half day on a range', () => {
    expect(parseDateRange('dec 1 - dec 3 am', now, zone)).toEqual({
      ok: false,
      reason: 'half_day_range',
      start: '2026-12-01',
      end: '2026-12-03',
    });
  });

  it.each(['dec 8 pm to dec 9', 'dec 8 pm - dec 9 family', 'dec 8 am through dec 9', 'dec 8 pm to wed'])(
    'refuses %s as a half day inside a range instead of reading the range as the reason',
    (text) => {
      expect(parseDateRange(text, now, zone)).toMatchObject({
        ok: false,
        reason: 'half_day_range',
        start: '2026-12-08',
        end: '2026-12-09',
      });
    },
  );

  it('keeps a reason that starts with a range word after a half day when no day follows', () => {
    expect(parseDateRange('fri pm to see the dentist', now, zone)).toEqual({
      ok: true,
      start: '2026-11-27',
      end: '2026-11-27',
      part: 'pm',
      rest: 'to see the dentist',
    });
  });

  it('keeps a reason that starts with a range word when no second date follows', () => {
    expect(parseDateRange('dec 1 to see mom', now, zone)).toMatchObject({
      start: '2026-12-01',
      end: '2026-12-01',
      rest: 'to see mom',
    });
  });

  it.each([
    ['dec 9 to', '2026-12-09'],
    ['dec 9 -', '2026-12-09'],
    ['dec 9 through  ', '2026-12-09'],
    ['fri am to', '2026-11-27'],
  ])('refuses %j, a range cut off before its last day, instead of reading one day', (text, start) => {
    expect(parseDateRange(text, now, zone)).toEqual({ ok: false, reason: 'missing_end', start });
  });

  it('drops punctuation between the date and the reason', () => {
    expect(parseDateRange('dec 1, family', now, zone)).toMatchObject({ start: '2026-12-01', rest: 'family' });
    expect(parseDateRange('dec 1 - follow-up visit', now, zone)).toMatchObject({ rest: 'follow-up visit' });
  });

  it('parses ISO dates exactly', () => {
    expect(parseDateRange('2027-01-01', now, zone)).toMatchObject({ start: '2027-01-01', end: '2027-01-01' });
    expect(parseDateRange('2026-11-01', now, zone)).toMatchObject({ start: '2026-11-01' });
  });

  it.each(['2026-02-30', '13/45', '2/30', 'dec 32', '2026-12-01 to 2026-02-30', 'dec 1 - 13/45'])(
    'refuses the impossible date %s instead of rolling it over',
    (text) => {
      expect(parseDateRange(text, now, zone)).toMatchObject({ ok: false, reason: 'unparseable' });
    },
  );

  // Found by the property test in tests/unit/parsers.property.test.ts: chrono read `dec 13/45` as Dec 13, 2045.
  it.each(['fri - dec 13/45', 'dec 13/45', 'dec 1 to dec 13/45'])(
    'refuses the impossible month/day inside %s instead of reading a far year',
    (text) => {
      expect(parseDateRange(text, now, zone)).toEqual({
        ok: false,
        reason: 'unparseable',
        fragment: 'dec 13/45',
      });
    },
  );

  it('still reads a possible month/day after a weekday', () => {
    expect(parseDateRange('mon 12/7 dentist', now, zone)).toEqual({
      ok: true,
      start: '2026-12-07',
      end: '2026-12-07',
      part: 'full',
      rest: 'dentist',
    });
  });

  it('names the unreadable part', () => {
    expect(parseDateRange('13/45 party', now, zone)).toEqual({
      ok: false,
      reason: 'unparseable',
      fragment: '13/45',
    });
  });

  it('reports no date when the text does not start with one', () => {
    expect(parseDateRange('family visit', now, zone)).toEqual({ ok: false, reason: 'no_date' });
    expect(parseDateRange('', now, zone)).toEqual({ ok: false, reason: 'no_date' });
    expect(parseDateRange('may', now, zone)).toEqual({ ok: false, reason: 'no_date' });
  });

  it('refuses a range that ends before it starts', () => {
    expect(parseDateRange('dec 3 - dec 1', now, zone)).toEqual({
      ok: false,
      reason: 'end_before_start',
      start: '2026-12-03',
      end: '2026-12-01',
    });
    expect(parseDateRange('2026-12-03 to 2026-12-01', now, zone)).toMatchObject({
      reason: 'end_before_start',
    });
  });

  it('uses the office day late in the evening when UTC is already tomorrow', () => {
    const evening = DateTime.fromISO('2026-11-25T22:30', { zone }); // Wed, 03:30 Thu in UTC
    expect(evening.toUTC().day).toBe(26);
    expect(parseDateRange('today', evening, zone)).toMatchObject({ start: '2026-11-25' });
    expect(parseDateRange('tomorrow', evening, zone)).toMatchObject({ start: '2026-11-26' });
    expect(parseDateRange('wed', evening, zone)).toMatchObject({ start: '2026-11-25' });
    expect(parseDateRange('thu', evening, zone)).toMatchObject({ start: '2026-11-26' });
    expect(parseDateRange('nov 25', evening, zone)).toMatchObject({ start: '2026-11-25' });
  });

  it('uses the office day when `now` arrives in another zone', () => {
    const utcNow = DateTime.fromISO('2026-11-26T03:30', { zone: 'utc' }); // Thu in UTC, Wed 22:30 in the office
    expect(parseDateRange('tomorrow', utcNow, zone)).toMatchObject({ start: '2026-11-26' });
  });
});

describe('parseOfficeMonth', () => {
  it('reads YYYY-MM in the office zone, from its first instant to the next month’s', () => {
    const october = parseOfficeMonth(' 2026-10 ', zone);
    expect(october?.label).toBe('October 2026');
    expect(october?.key).toBe('2026-10');
    expect(october?.start.toISO()).toBe('2026-10-01T00:00:00.000-04:00');
    expect(october?.end.toISO()).toBe('2026-11-01T00:00:00.000-04:00');
    expect(parseOfficeMonth('2026-12', zone)?.end.toISO()).toBe('2027-01-01T00:00:00.000-05:00');
  });

  it.for([
    '2026-13',
    '2026-00',
    '2026-1',
    '26-11',
    'october',
    '2026-11-01',
    '1999-12',
    '2100-01',
    '9999-12',
    '',
  ])('refuses %j', (text) => {
    expect(parseOfficeMonth(text, zone)).toBeUndefined();
  });

  it('names the month containing an instant in the office zone, not UTC', () => {
    const lateOnOctober31 = DateTime.fromISO('2026-11-01T02:00', { zone: 'utc' });
    expect(getOfficeMonth(lateOnOctober31, zone).key).toBe('2026-10');
  });
});

describe('getOfficeDay', () => {
  it('returns the calendar day in the office zone', () => {
    expect(getOfficeDay(DateTime.fromISO('2026-11-26T03:30', { zone: 'utc' }), zone)).toBe('2026-11-25'); // Wed in NY
  });
});

describe('formatDay', () => {
  it('formats a day as weekday, month and day', () => {
    expect(formatDay('2026-12-01', zone)).toBe('Tue Dec 1');
  });

  it('adds the year when asked', () => {
    expect(formatDayWithYear('2027-12-31', zone)).toBe('Fri Dec 31, 2027');
  });
});

describe('formatDayNamingYear', () => {
  it('names the year only for a day outside today’s year', () => {
    expect(formatDayNamingYear('2026-01-01', '2026-11-25', zone)).toBe('Thu Jan 1');
    expect(formatDayNamingYear('1999-01-01', '2026-11-25', zone)).toBe('Fri Jan 1, 1999');
    expect(formatDayNamingYear('2027-12-01', '2026-11-25', zone)).toBe('Wed Dec 1, 2027');
  });
});

describe('formatTypedDay', () => {
  it('writes a day as people type it only where it reads back as that day, else in full', () => {
    expect(formatTypedDay('2026-12-08', '2026-11-25')).toBe('dec 8');
    expect(formatTypedDay('2026-11-25', '2026-11-25')).toBe('nov 25');
    expect(formatTypedDay('2027-12-08', '2026-11-25')).toBe('2027-12-08');
    // `jan 5` typed on Nov 25 is next year's.
    expect(formatTypedDay('2026-01-05', '2026-11-25')).toBe('2026-01-05');
  });
});

describe('formatOfficeTime', () => {
  it('names the office minute, and the next minute anew', () => {
    expect(formatOfficeTime(new Date('2026-11-30T14:05:59.900Z'), zone)).toBe('Mon Nov 30 at 9:05 AM');
    expect(formatOfficeTime(new Date('2026-11-30T14:06:00.000Z'), zone)).toBe('Mon Nov 30 at 9:06 AM');
  });

  it('keeps one label per zone for the same instant', () => {
    const at = new Date('2026-11-30T14:05:00Z');
    expect(formatOfficeTime(at, zone)).toBe('Mon Nov 30 at 9:05 AM');
    expect(formatOfficeTime(at, 'America/Los_Angeles')).toBe('Mon Nov 30 at 6:05 AM');
  });

  it('follows the clock change: the repeated hour of November shows both times', () => {
    expect(formatOfficeTime(new Date('2026-11-01T05:30:00Z'), zone)).toBe('Sun Nov 1 at 1:30 AM');
    expect(formatOfficeTime(new Date('2026-11-01T06:30:00Z'), zone)).toBe('Sun Nov 1 at 1:30 AM');
    expect(formatOfficeTime(new Date('2026-11-01T07:30:00Z'), zone)).toBe('Sun Nov 1 at 2:30 AM');
  });
});

describe('getPlanningWindow', () => {
  it('runs from the start of last year to the end of next year, in the office zone', () => {
    expect(getPlanningWindow(now, zone)).toEqual({ first: '2025-01-01', last: '2027-12-31' });
    // 02:00 on Jan 1 in UTC is still Dec 31 in New York: the office's year decides.
    const newYearUtc = DateTime.fromISO('2027-01-01T02:00', { zone: 'utc' });
    expect(getPlanningWindow(newYearUtc, zone)).toEqual({ first: '2025-01-01', last: '2027-12-31' });
  });
});

describe('formatDayRange', () => {
  it('formats a range with an en dash', () => {
    expect(formatDayRange('2026-11-30', '2026-12-02')).toBe('Mon Nov 30 – Wed Dec 2');
  });

  it('formats one day as that day alone', () => {
    expect(formatDayRange('2026-12-07', '2026-12-07')).toBe('Mon Dec 7');
  });

  it('adds the year when the range crosses into a new year', () => {
    expect(formatDayRange('2026-12-30', '2027-01-01')).toBe('Wed Dec 30, 2026 – Fri Jan 1, 2027');
  });
});

describe('listDays', () => {
  it('lists every day inclusive', () => {
    expect(listDays('2026-11-30', '2026-12-02')).toEqual(['2026-11-30', '2026-12-01', '2026-12-02']);
  });

  it('lists each day once across the end of daylight saving time', () => {
    expect(listDays('2026-10-31', '2026-11-02')).toEqual(['2026-10-31', '2026-11-01', '2026-11-02']);
  });

  it('lists each day once across the start of daylight saving time', () => {
    expect(listDays('2027-03-13', '2027-03-15')).toEqual(['2027-03-13', '2027-03-14', '2027-03-15']);
  });

  it('returns nothing when the end is before the start', () => {
    expect(listDays('2026-12-03', '2026-12-01')).toEqual([]);
  });
});

describe('getWeekday', () => {
  it('names the weekday a day falls on', () => {
    expect(getWeekday('2026-12-01')).toBe('tue');
    expect(getWeekday('2026-12-06')).toBe('sun');
  });

  it('names nothing for text that is no day', () => {
    expect(getWeekday('2026-02-30')).toBeUndefined();
  });
});

describe('parseDateRange with a recently passed day', () => {
  const zone = 'America/New_York';
  const now = DateTime.fromISO('2026-11-25T10:00', { zone }); // Wed

  it('reads a day that passed days ago as this year, not next year', () => {
    expect(parseDateRange('nov 20', now, zone)).toMatchObject({ ok: true, start: '2026-11-20' });
  });

  it('still reads a day months ago as next year', () => {
    expect(parseDateRange('jan 5', now, zone)).toMatchObject({ ok: true, start: '2027-01-05' });
  });

  it('reads a leap day just passed as this year’s, though next year has none', () => {
    const march = DateTime.fromISO('2028-03-01T10:00', { zone });
    expect(parseDateRange('feb 29', march, zone)).toMatchObject({ ok: true, start: '2028-02-29' });
    expect(parseDateRange('2/29 to mar 2', march, zone)).toMatchObject({
      ok: true,
      start: '2028-02-29',
      end: '2028-03-02',
    });
    // A year without one is still no day.
    expect(parseDateRange('feb 29', DateTime.fromISO('2027-03-01T10:00', { zone }), zone)).toMatchObject({
      ok: false,
      reason: 'unparseable',
    });
  });
});
