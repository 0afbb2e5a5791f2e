import { DateTime } from 'luxon';
import type { OfficeConfig, StaffMember, Weekday } from '../config/office.ts';
import { addDays, type DayPart, getWeekday, type IsoDay, listDays } from './dates.ts';

/** The part of the office config every working-day rule reads: `timeoff.workdays` and `timeoff.holidays`. */
export type OfficeCalendar = Pick<OfficeConfig, 'timeoff'>;

/** A day is open when it falls on one of `weekdays` and is not one of `holidays`. */
export function isOpenDay(day: IsoDay, weekdays: readonly Weekday[], holidays: readonly IsoDay[]): boolean {
  const weekday = getWeekday(day);
  return weekday !== undefined && weekdays.includes(weekday) && !holidays.includes(day);
}

/** An office holiday: one of `timeoff.holidays`, whatever its weekday. */
export function isHoliday(day: IsoDay, office: OfficeCalendar): boolean {
  return office.timeoff.holidays.includes(day);
}

/** A working day is one of `timeoff.workdays` that is not in `timeoff.holidays`. */
export function isWorkingDay(day: IsoDay, office: OfficeCalendar): boolean {
  return isOpenDay(day, office.timeoff.workdays, office.timeoff.holidays);
}

/** The working days from `start` to `end`, both included, in order; empty when `end` is before `start`. */
export function listWorkingDays(start: IsoDay, end: IsoDay, office: OfficeCalendar): IsoDay[] {
  return listDays(start, end).filter((day) => isWorkingDay(day, office));
}

/** Working days (office workdays, not holidays) from start to end inclusive; a half day counts 0.5. */
export function countWorkingDays(start: IsoDay, end: IsoDay, part: DayPart, office: OfficeCalendar): number {
  const days = listWorkingDays(start, end, office).length;
  return part === 'full' ? days : days * 0.5;
}

/** The first working day after `day`; `day` itself never counts. */
export function findNextWorkingDay(day: IsoDay, office: OfficeCalendar): IsoDay {
  let cursor = addDays(day, 1);
  // Terminates: the config requires at least one workday, and the holiday list is finite.
  while (!isWorkingDay(cursor, office)) cursor = addDays(cursor, 1);
  return cursor;
}

/** The `count`-th working day after `day` (office workdays, not holidays); `day` itself never counts. */
export function addWorkingDays(day: IsoDay, count: number, office: OfficeCalendar): IsoDay {
  let cursor = day;
  for (let step = 0; step < count; step += 1) cursor = findNextWorkingDay(cursor, office);
  return cursor;
}

/** The office holidays from `start` to `end`, both included, in the order the config lists them. */
export function listHolidays(start: IsoDay, end: IsoDay, office: OfficeCalendar): IsoDay[] {
  // Config holidays are validated as YYYY-MM-DD, so they compare as strings.
  return office.timeoff.holidays.filter((holiday) => holiday >= start && holiday <= end);
}

/** Hours between two instants that fall on working days (office workdays, not holidays), in the office zone. */
export function countWorkingHoursBetween(
  from: DateTime,
  to: DateTime,
  office: Pick<OfficeConfig, 'office' | 'timeoff'>,
): number {
  const zone = office.office.timezone;
  let hours = 0;
  let cursor = from.setZone(zone);
  const end = to.setZone(zone);
  while (cursor < end) {
    // Day by day in the office zone, so a DST day counts its 23 or 25 real hours.
    const nextMidnight = cursor.startOf('day').plus({ days: 1 });
    const stop = DateTime.min(nextMidnight, end);
    const day = cursor.toISODate();
    if (day && isWorkingDay(day, office)) hours += stop.diff(cursor, 'hours').hours;
    cursor = stop;
  }
  return hours;
}

/** Whether `member` works on `day`: an office working day that is one of their own workdays, if they have a pattern. */
export function isScheduledOn(
  member: Pick<StaffMember, 'workdays'>,
  day: IsoDay,
  office: Pick<OfficeConfig, 'timeoff'>,
): boolean {
  return listScheduledOn([member], day, office).length > 0;
}

/** Those of `members` who work on `day` (`isScheduledOn`), with the day looked at once for all of them. */
export function listScheduledOn<Member extends Pick<StaffMember, 'workdays'>>(
  members: readonly Member[],
  day: IsoDay,
  office: Pick<OfficeConfig, 'timeoff'>,
): Member[] {
  const weekday = isWorkingDay(day, office) ? getWeekday(day) : undefined;
  if (weekday === undefined) return [];
  return members.filter((member) => (member.workdays ?? office.timeoff.workdays).includes(weekday));
}
