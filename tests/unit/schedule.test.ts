import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import {
  atOfficeTime,
  type DailySchedule,
  findDueRun,
  findLatestScheduledRun,
  findNextScheduledRun,
} from '../../src/domain/schedule.ts';

const weekdays: DailySchedule['days'] = ['mon', 'tue', 'wed', 'thu', 'fri'];

describe('findNextScheduledRun', () => {
  it('keeps 07:45 local across the November DST change in New York', () => {
    const schedule: DailySchedule = { time: '07:45', days: weekdays, holidays: [], zone: 'America/New_York' };
    const friday = DateTime.fromISO('2026-10-30T08:00', { zone: schedule.zone }); // Fri, EDT
    const next = findNextScheduledRun(friday, schedule);
    expect(next?.toISO()).toBe('2026-11-02T07:45:00.000-05:00'); // Mon, EST
    expect(next?.toUTC().toISO()).toBe('2026-11-02T12:45:00.000Z');
  });

  it('keeps 07:45 local across the March DST change in London', () => {
    const schedule: DailySchedule = { time: '07:45', days: weekdays, holidays: [], zone: 'Europe/London' };
    const friday = DateTime.fromISO('2027-03-26T09:00', { zone: schedule.zone }); // Fri, GMT
    const next = findNextScheduledRun(friday, schedule);
    expect(next?.toISO()).toBe('2027-03-29T07:45:00.000+01:00'); // Mon, BST
    expect(next?.toUTC().toISO()).toBe('2027-03-29T06:45:00.000Z');
  });

  it('runs a time skipped by the spring-forward jump at the first minute after it', () => {
    const schedule: DailySchedule = { time: '02:30', days: ['sun'], holidays: [], zone: 'America/New_York' };
    const saturday = DateTime.fromISO('2027-03-13T12:00', { zone: schedule.zone }); // Sat
    expect(findNextScheduledRun(saturday, schedule)?.toISO()).toBe('2027-03-14T03:30:00.000-04:00');
  });

  it('reads a time once on a fall-back day, for the daily jobs and the reminder and report jobs alike', () => {
    const schedule: DailySchedule = { time: '01:30', days: ['sun'], holidays: [], zone: 'America/New_York' };
    const saturday = DateTime.fromISO('2026-10-31T12:00', { zone: schedule.zone });
    const daily = findNextScheduledRun(saturday, schedule);
    expect(atOfficeTime('2026-11-01', '01:30', schedule.zone).toISO()).toBe(daily?.toISO());
    expect(atOfficeTime('2027-03-14', '02:30', schedule.zone).toISO()).toBe('2027-03-14T03:30:00.000-04:00');
  });

  it('skips weekends and holidays', () => {
    const schedule: DailySchedule = {
      time: '07:45',
      days: weekdays,
      holidays: ['2026-11-26'],
      zone: 'America/New_York',
    };
    const wednesday = DateTime.fromISO('2026-11-25T08:00', { zone: schedule.zone }); // Wed
    expect(findNextScheduledRun(wednesday, schedule)?.toISODate()).toBe('2026-11-27'); // Fri; Thu is a holiday
  });
});

describe('findDueRun', () => {
  const schedule: DailySchedule = { time: '07:45', days: weekdays, holidays: [], zone: 'America/New_York' };

  it('is due on time at the scheduled minute, keyed by the day', () => {
    const now = DateTime.fromISO('2026-11-25T07:45:10', { zone: schedule.zone }); // Wed
    expect(findDueRun(now, schedule, 120)).toMatchObject({ runKey: '2026-11-25', late: false });
  });

  it('is due late within the catch-up window', () => {
    const now = DateTime.fromISO('2026-11-25T09:30', { zone: schedule.zone }); // Wed
    expect(findDueRun(now, schedule, 120)).toMatchObject({ runKey: '2026-11-25', late: true });
  });

  it('is not due after the catch-up window or before the time', () => {
    expect(
      findDueRun(DateTime.fromISO('2026-11-25T10:00', { zone: schedule.zone }), schedule, 120),
    ).toBeUndefined();
    expect(
      findDueRun(DateTime.fromISO('2026-11-25T07:44', { zone: schedule.zone }), schedule, 120),
    ).toBeUndefined();
  });

  it('finds Friday’s run as the latest on a Saturday', () => {
    const saturday = DateTime.fromISO('2026-11-28T07:50', { zone: schedule.zone }); // Sat
    expect(findLatestScheduledRun(saturday, schedule)?.toISODate()).toBe('2026-11-27');
    expect(findDueRun(saturday, schedule, 120)).toBeUndefined();
  });
});
