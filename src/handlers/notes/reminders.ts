import { DateTime } from 'luxon';
import type { OfficeConfig } from '../../config/office.ts';
import { listDueNotes, type NoteRow } from '../../db/repositories/notes.ts';
import type { IsoDay } from '../../domain/dates.ts';
import { findNextScheduledRun } from '../../domain/schedule.ts';
import type { DailyJob } from '../kernel/jobs.ts';
import type { Effect } from '../kernel/message.ts';
import { buildDueReminder } from './card.ts';
import { listWriterRecipients, toNoteFacts } from './loaders.ts';

/**
 * Each writer's follow-ups due that day or overdue, in one direct message to them, at `digest.time` on the
 * office's workdays (never on holidays); the run key is the day, so every writer gets it once across
 * processes. Only ever a direct message: follow-ups are never in a channel or the huddle.
 */
export const noteRemindersJob: DailyJob = {
  name: 'note-reminders',
  schedule: (office) => ({
    time: office.digest.time,
    days: office.timeoff.workdays,
    holidays: office.timeoff.holidays,
    zone: office.office.timezone,
  }),
  catchUpMinutes: (office) => office.digest.catchUpMinutes,
  async run({ db, office }, due) {
    const today = due.runKey;
    const byWriter = new Map<string, NoteRow[]>();
    for (const row of await listDueNotes(db, office.office.id, today)) {
      byWriter.set(row.writerKey, [...(byWriter.get(row.writerKey) ?? []), row]);
    }
    const effects: Effect[] = [];
    for (const rows of byWriter.values()) {
      const [first] = rows;
      if (!first) continue;
      const message = buildDueReminder(rows.map(toNoteFacts), today, office.office.timezone);
      for (const to of listWriterRecipients(first, office)) effects.push({ kind: 'dm', to, message });
    }
    return effects;
  },
};

/**
 * The day of the first morning message that carries a follow-up due on `due`, filed at `now`: the due day
 * itself, or the next working day when it is a weekend or holiday, or when its message has already gone out.
 */
export function findFirstReminderDay(due: IsoDay, office: OfficeConfig, now: DateTime): IsoDay | undefined {
  const schedule = noteRemindersJob.schedule(office);
  const dueStart = DateTime.fromISO(due, { zone: schedule.zone }).startOf('day');
  const next = findNextScheduledRun(DateTime.max(now, dueStart.minus({ milliseconds: 1 })), schedule);
  return next?.toISODate() ?? undefined;
}
