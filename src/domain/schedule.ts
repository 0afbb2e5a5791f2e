import { DateTime } from 'luxon';
import type { OfficeConfig, Weekday } from '../config/office.ts';
import { isOpenDay } from './calendar.ts';

/** A daily job's times: `time` ("07:45") on `days`, never on `holidays`, in the office zone. */
export interface DailySchedule {
  time: string;
  days: readonly Weekday[];
  holidays: readonly string[];
  zone: string;
}

const SEARCH_DAYS = 8;

/**
 * The instant the job is due on a calendar day, or undefined when the day is not scheduled.
 * A time that does not exist that day (clocks jump forward over it) moves forward by the jump: 02:30 runs at 03:30.
 */
export function findScheduledInstant(day: DateTime, schedule: DailySchedule): DateTime | undefined {
  const local = day.setZone(schedule.zone);
  const isoDay = local.toISODate();
  if (!isoDay || !isOpenDay(isoDay, schedule.days, schedule.holidays)) return undefined;
  return atOfficeTime(isoDay, schedule.time, schedule.zone);
}

/**
 * `time` ("07:45") on office day `day`, as every schedule reads it: a time the clocks skip moves forward
 * by the jump, and on a fall-back day a repeated time is read the one way luxon reads a wall time.
 */
export function atOfficeTime(day: string, time: string, zone: string): DateTime {
  const [year, month, date] = day.split('-').map(Number);
  const [hour = 0, minute = 0] = time.split(':').map(Number);
  return DateTime.fromObject({ year, month, day: date, hour, minute }, { zone });
}

/** The most recent scheduled instant at or before `now`, looking back a week. */
export function findLatestScheduledRun(now: DateTime, schedule: DailySchedule): DateTime | undefined {
  const today = now.setZone(schedule.zone).startOf('day');
  for (let back = 0; back < SEARCH_DAYS; back += 1) {
    const instant = findScheduledInstant(today.minus({ days: back }), schedule);
    if (instant && instant <= now) return instant;
  }
  return undefined;
}

/** The first scheduled instant after `now`, looking ahead up to a year (holidays can cluster). */
export function findNextScheduledRun(now: DateTime, schedule: DailySchedule): DateTime | undefined {
  const today = now.setZone(schedule.zone).startOf('day');
  for (let ahead = 0; ahead < 366; ahead += 1) {
    const instant = findScheduledInstant(today.plus({ days: ahead }), schedule);
    if (instant && instant > now) return instant;
  }
  return undefined;
}

/**
 * Whether a run is due now: the latest scheduled instant, if it is no more than `catchUpMinutes` old.
 * `late` is set when the run starts more than two minutes after its time (a process that was down).
 */
export function findDueRun(
  now: DateTime,
  schedule: DailySchedule,
  catchUpMinutes: number,
): { runKey: string; scheduledAt: DateTime; late: boolean } | undefined {
  const latest = findLatestScheduledRun(now, schedule);
  if (!latest) return undefined;
  const minutesLate = now.diff(latest, 'minutes').minutes;
  if (minutesLate > Math.max(catchUpMinutes, 1)) return undefined;
  return { runKey: latest.toISODate() ?? latest.toISO() ?? '', scheduledAt: latest, late: minutesLate > 2 };
}

/** The latest scheduled run when it is past its catch-up window: one a process that was down missed. */
export function findMissedRun(
  now: DateTime,
  schedule: DailySchedule,
  catchUpMinutes: number,
): { runKey: string; scheduledAt: DateTime } | undefined {
  const latest = findLatestScheduledRun(now, schedule);
  if (!latest || now.diff(latest, 'minutes').minutes <= Math.max(catchUpMinutes, 1)) return undefined;
  return { runKey: latest.toISODate() ?? latest.toISO() ?? '', scheduledAt: latest };
}

/** Reminders run once a working day (office workdays, not holidays) at `reminders.time`. */
export function buildReminderSchedule(
  office: Pick<OfficeConfig, 'office' | 'timeoff' | 'reminders'>,
): DailySchedule {
  return {
    time: office.reminders.time,
    days: office.timeoff.workdays,
    holidays: office.timeoff.holidays,
    zone: office.office.timezone,
  };
}
