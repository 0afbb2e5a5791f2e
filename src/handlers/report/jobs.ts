import type { OfficeConfig, StaffMember } from '../../config/office.ts';
import { getOfficeDay } from '../../domain/dates.ts';
import { listManagers, slugifyName } from '../../domain/people.ts';
import { findFirstWorkingDayOfMonth, findLastFullMonth } from '../../domain/report.ts';
import { atOfficeTime } from '../../domain/schedule.ts';
import { type DataDrivenJob, explainLateRun, listRecipients } from '../kernel/jobs.ts';
import type { Effect } from '../kernel/message.ts';
import { buildReportMessage } from './card.ts';
import { loadReportFigures } from './loaders.ts';

// A process down on the first working day still sends the report, late, within this many days.
const CATCH_UP_DAYS = 7;
// A run that starts more than two minutes after its time says it is late.
const LATE_MINUTES = 2;

/** Who gets the monthly report: `report.to`, else every manager. */
export function listReportRecipients(office: OfficeConfig): readonly StaffMember[] {
  const names = office.report?.to;
  if (!names) return listManagers(office);
  // The config check refuses a name not on the staff list, so each name finds its entry.
  return office.staff.filter((member) =>
    names.some((name) => slugifyName(name) === slugifyName(member.name)),
  );
}

/**
 * The last month's report to `report.to` on the first working day of each month at `reminders.time`, once
 * across processes (run key `2026-11`, the month reported). A direct message carries no files, so it holds
 * the figures as text and tells a manager how to get the charts and the CSV.
 */
export const monthlyReportJob: DataDrivenJob = {
  name: 'monthly-report',
  async listDueRuns({ office, now }) {
    const zone = office.office.timezone;
    const today = getOfficeDay(now, zone);
    const firstWorkingDay = findFirstWorkingDayOfMonth(today, office);
    const sendAt = atOfficeTime(firstWorkingDay, office.reminders.time, zone);
    if (now < sendAt || now > sendAt.plus({ days: CATCH_UP_DAYS })) return [];
    const late = now.diff(sendAt, 'minutes').minutes > LATE_MINUTES;
    return [{ runKey: findLastFullMonth(now, zone).key, scheduledAt: sendAt, late }];
  },
  async run({ db, office, now }, due) {
    const period = findLastFullMonth(now, office.office.timezone);
    // Listed in one month and claimed in the next (a minute before midnight): that run is not this month's.
    if (period.key !== due.runKey) return [];
    const figures = await loadReportFigures(db, office, period, now);
    const late = due.late ? ` (Sent late: ${explainLateRun(due, 'on the first working day')}.)` : '';
    // Only a manager may run /report, so only a manager is pointed to it.
    const managerClosing = `/report ${period.key} gives the charts and a CSV of these figures.${late}`;
    const staffClosing = `Ask a manager for the charts and a CSV of these figures.${late}`;
    const managers = listManagers(office);
    return listReportRecipients(office).flatMap((member) => {
      const isManager = managers.includes(member);
      const closing = isManager ? managerClosing : staffClosing;
      const message = buildReportMessage(figures, office.office.name, closing, isManager);
      return listRecipients(member).map((to): Effect => ({ kind: 'dm', to, message }));
    });
  },
};
