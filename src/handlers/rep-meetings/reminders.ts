import { DateTime } from 'luxon';
import { getRepMeeting, listBookedRepMeetings } from '../../db/repositories/rep-meetings.ts';
import { parseReference } from '../../domain/references.ts';
import { findDueRepReminders, readRepRules } from '../../domain/rep-meetings.ts';
import type { DataDrivenJob } from '../kernel/jobs.ts';
import { describeRep, describeVisitTime, formatRepReference } from './card.ts';

/**
 * A direct message to whoever booked a rep visit, `reps.reminderMinutes` before it. Each visit is its own
 * run (key `RM-5`), due from its reminder time until the visit starts, so a process that was down at the
 * reminder time still sends it once, late, if the visit is yet to come.
 */
export const repRemindersJob: DataDrivenJob = {
  name: 'rep-reminders',
  async listDueRuns(ctx) {
    const { db, office, now } = ctx;
    const minutes = readRepRules(office).reminderMinutes;
    const rows = await listBookedRepMeetings(
      db,
      office.office.id,
      now.toJSDate(),
      now.plus({ minutes: minutes + 1 }).toJSDate(),
    );
    const visits = rows.map((row) => ({ row, start: DateTime.fromJSDate(row.slotStart) }));
    return findDueRepReminders(visits, now, office).map((due) => ({
      runKey: formatRepReference(due.visit.row),
      scheduledAt: due.remindAt,
      late: due.late,
    }));
  },
  async run(ctx, due) {
    const { db, office, now } = ctx;
    const number = parseReference(due.runKey, 'RM');
    const row = number === undefined ? undefined : await getRepMeeting(db, office.office.id, number);
    // Cancelled or started between listing and claiming: the claim stands, and nobody is reminded.
    if (row?.status !== 'booked' || row.slotStart <= now.toJSDate()) return [];
    const zone = office.office.timezone;
    const reference = formatRepReference(row);
    const inMinutes = Math.max(
      1,
      Math.round(DateTime.fromJSDate(row.slotStart).diff(now, 'minutes').minutes),
    );
    const text = `Reminder: rep visit ${reference} in ${inMinutes} minutes (${describeVisitTime(row, zone)}): ${describeRep(row)}.`;
    return [
      {
        kind: 'dm',
        to: { platform: row.bookerPlatform, userId: row.bookerUserId },
        message: {
          text,
          lines: [
            text,
            ...(row.topic ? [`Topic: ${row.topic}`] : []),
            ...(row.providerNames.length > 0 ? [`Providers expected: ${row.providerNames.join(', ')}`] : []),
            `Lunch provided: ${row.lunch ? 'yes' : 'no'}`,
          ],
        },
      },
    ];
  },
};
