import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import type { Weekday } from '../../src/config/office.ts';
import {
  addWorkingDays,
  countWorkingDays,
  countWorkingHoursBetween,
  findNextWorkingDay,
  isHoliday,
  isOpenDay,
  isWorkingDay,
  listHolidays,
  listWorkingDays,
} from '../../src/domain/calendar.ts';
import { buildOfficeConfig } from '../helpers/office.ts';

const office = buildOfficeConfig(); // Mon–Fri; holidays include Thu 2026-11-26 and Fri 2026-12-25
const zone = office.office.timezone;

describe('isOpenDay', () => {
  it('accepts a listed weekday that is not a holiday', () => {
    expect(isOpenDay('2026-12-06', ['sun'], [])).toBe(true); // Sun
  });

  it('refuses an unlisted weekday and a listed holiday', () => {
    expect(isOpenDay('2026-12-07', ['sun'], [])).toBe(false); // Mon
    expect(isOpenDay('2026-12-06', ['sun'], ['2026-12-06'])).toBe(false); // Sun
  });

  it('refuses text that names no day', () => {
    expect(isOpenDay('2026-02-30', ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'], [])).toBe(false);
  });
});

describe('isHoliday', () => {
  it('names an office holiday and nothing else', () => {
    expect(isHoliday('2026-11-26', office)).toBe(true); // Thu
    expect(isHoliday('2026-11-28', office)).toBe(false); // Sat
  });
});

describe('isWorkingDay', () => {
  it('accepts a configured workday', () => {
    expect(isWorkingDay('2026-12-01', office)).toBe(true); // Tue
  });

  it('refuses a weekend day', () => {
    expect(isWorkingDay('2026-12-05', office)).toBe(false); // Sat
  });

  it('refuses a holiday on a workday', () => {
    expect(isWorkingDay('2026-12-25', office)).toBe(false); // Fri
  });
});

describe('listWorkingDays', () => {
  it('lists the working days of a range in order, without weekends and holidays', () => {
    expect(listWorkingDays('2026-11-25', '2026-12-01', office)).toEqual([
      '2026-11-25', // Wed
      '2026-11-27', // Fri; Thu is a holiday
      '2026-11-30', // Mon
      '2026-12-01', // Tue
    ]);
  });

  it('lists nothing when the end is before the start', () => {
    expect(listWorkingDays('2026-12-03', '2026-12-01', office)).toEqual([]);
  });
});

describe('countWorkingDays', () => {
  it('counts the workdays of a week', () => {
    expect(countWorkingDays('2026-11-30', '2026-12-04', 'full', office)).toBe(5); // Mon–Fri
  });

  it('skips weekends and holidays', () => {
    expect(countWorkingDays('2026-12-21', '2026-12-27', 'full', office)).toBe(4); // Mon–Sun, Fri Dec 25 off
  });

  it('counts a half day as 0.5', () => {
    expect(countWorkingDays('2026-12-07', '2026-12-07', 'am', office)).toBe(0.5); // Mon
    expect(countWorkingDays('2026-12-07', '2026-12-07', 'pm', office)).toBe(0.5);
  });

  it('counts a half day on a weekend as nothing', () => {
    expect(countWorkingDays('2026-12-05', '2026-12-05', 'pm', office)).toBe(0); // Sat
  });

  it('counts days correctly across the end of daylight saving time', () => {
    expect(countWorkingDays('2026-10-29', '2026-11-03', 'full', office)).toBe(4); // Thu–Tue, clocks back Sun Nov 1
  });

  it('counts days correctly across the start of daylight saving time', () => {
    expect(countWorkingDays('2027-03-12', '2027-03-16', 'full', office)).toBe(3); // Fri–Tue, clocks forward Sun Mar 14
  });
});

describe('findNextWorkingDay', () => {
  it('gives the next day on a weekday', () => {
    expect(findNextWorkingDay('2026-12-01', office)).toBe('2026-12-02'); // Tue → Wed
  });

  it('skips the weekend and a holiday', () => {
    expect(findNextWorkingDay('2026-12-04', office)).toBe('2026-12-07'); // Fri → Mon
    expect(findNextWorkingDay('2026-11-25', office)).toBe('2026-11-27'); // Wed → Fri (Thu is Thanksgiving)
  });
});

describe('addWorkingDays', () => {
  it('skips the weekend', () => {
    expect(addWorkingDays('2026-03-06', 2, office)).toBe('2026-03-10'); // Fri → Tue
  });

  it('starts counting on Monday for a Saturday', () => {
    expect(addWorkingDays('2026-03-07', 1, office)).toBe('2026-03-09'); // Sat → Mon
  });

  it('skips an office holiday', () => {
    expect(addWorkingDays('2026-11-25', 2, office)).toBe('2026-11-30'); // Wed → Fri (Thu is Thanksgiving) → Mon
    expect(addWorkingDays('2026-12-24', 2, office)).toBe('2026-12-29'); // Thu → Mon → Tue (Fri is Christmas)
  });

  it('follows the office workdays', () => {
    const fourDayWeek = {
      timeoff: { ...office.timeoff, workdays: ['mon', 'tue', 'wed', 'thu'] as Weekday[] },
    };
    expect(addWorkingDays('2026-03-05', 1, fourDayWeek)).toBe('2026-03-09'); // Thu → Mon
  });

  it('gives the day itself for zero working days', () => {
    expect(addWorkingDays('2026-03-07', 0, office)).toBe('2026-03-07'); // Sat
  });
});

describe('listHolidays', () => {
  it('lists the holidays of a range, both ends included', () => {
    expect(listHolidays('2026-11-26', '2026-12-25', office)).toEqual(['2026-11-26', '2026-12-25']);
    expect(listHolidays('2026-11-27', '2026-12-24', office)).toEqual([]);
  });
});

describe('countWorkingHoursBetween', () => {
  it('counts only hours on working days', () => {
    const friday = DateTime.fromISO('2026-11-20T16:00', { zone }); // Fri
    const monday = DateTime.fromISO('2026-11-23T16:00', { zone }); // Mon
    expect(countWorkingHoursBetween(friday, monday, office)).toBe(24);
  });

  it('skips a holiday', () => {
    const wednesday = DateTime.fromISO('2026-11-25T12:00', { zone }); // Wed
    const friday = DateTime.fromISO('2026-11-27T12:00', { zone }); // Fri; Thu is a holiday
    expect(countWorkingHoursBetween(wednesday, friday, office)).toBe(24);
  });
});
