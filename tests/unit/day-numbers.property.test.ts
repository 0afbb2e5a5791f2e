import fc from 'fast-check';
import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { addDays, getWeekday, listDays } from '../../src/domain/dates.ts';
import { fromDayNumber, toDayNumber } from '../../src/domain/day-numbers.ts';

const MIN = DateTime.fromISO('1900-01-01', { zone: 'utc' });
// Any day from 1900 to 2199: leap centuries (2000) and non-leap ones (1900, 2100) included.
const anyDay = fc
  .integer({ min: 0, max: 109_572 })
  .map((offset) => MIN.plus({ days: offset }).toISODate() as string);

describe('day numbers', () => {
  it('agree with luxon on the day number, the weekday and stepping by any number of days (property)', () => {
    fc.assert(
      fc.property(anyDay, fc.integer({ min: -800, max: 800 }), (day, step) => {
        const luxon = DateTime.fromISO(day, { zone: 'utc' });
        expect(toDayNumber(day)).toBe(luxon.toMillis() / 86_400_000);
        expect(fromDayNumber(toDayNumber(day) as number)).toBe(day);
        expect(getWeekday(day)).toBe(luxon.toFormat('ccc').toLowerCase());
        expect(addDays(day, step)).toBe(luxon.plus({ days: step }).toISODate());
      }),
      { numRuns: 2_000 },
    );
  });

  it('names no day for dates that do not exist or are not written YYYY-MM-DD', () => {
    for (const text of [
      '2026-02-29',
      '2100-02-29',
      '2026-04-31',
      '2026-13-01',
      '2026-00-10',
      '2026-1-5',
      'soon',
    ]) {
      expect(toDayNumber(text)).toBeUndefined();
      expect(getWeekday(text)).toBeUndefined();
      expect(() => addDays(text, 1)).toThrow(RangeError);
    }
    expect(toDayNumber('2024-02-29')).toBe(19_782);
    expect(toDayNumber('2000-02-29')).toBe(11_016);
  });

  it('lists the days of a range across a year end, and none when it ends before it starts', () => {
    expect(listDays('2026-12-30', '2027-01-02')).toEqual([
      '2026-12-30',
      '2026-12-31',
      '2027-01-01',
      '2027-01-02',
    ]);
    expect(listDays('2027-01-02', '2026-12-30')).toEqual([]);
  });
});
