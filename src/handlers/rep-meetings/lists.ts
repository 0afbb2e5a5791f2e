import { listBookedRepMeetings } from '../../db/repositories/rep-meetings.ts';
import type { HandlerContext } from '../kernel/context.ts';
import type { Outcome } from '../kernel/message.ts';
import { replyOnly } from '../kernel/message.ts';
import { ensureCalendarToken } from './calendar.ts';
import { describeRep, describeVisitTime, formatRepReference } from './card.ts';

const LIST_LIMIT = 25;
const LIST_YEARS_AHEAD = 1;

/** `/reps list`: every upcoming booked visit, earliest first. */
export async function listUpcoming(ctx: HandlerContext): Promise<Outcome> {
  const { db, now, officeId, zone } = ctx;
  const rows = await listBookedRepMeetings(
    db,
    officeId,
    now.toJSDate(),
    now.plus({ years: LIST_YEARS_AHEAD }).toJSDate(),
  );
  const lines = rows
    .slice(0, LIST_LIMIT)
    .map(
      (row) =>
        `${formatRepReference(row)} · ${describeVisitTime(row, zone)} · ${describeRep(row)}${row.lunch ? ' · lunch' : ''} · booked by ${row.bookerName}`,
    );
  if (rows.length > LIST_LIMIT) lines.push(`…and ${rows.length - LIST_LIMIT} more`);
  if (rows.length === 0) lines.push('No rep visits are booked. /reps shows the open slots.');
  return replyOnly({
    text: `Upcoming rep visits: ${rows.length}`,
    title: 'Upcoming rep visits',
    lines,
  });
}

/** `/reps calendar`: (managers) the address of the calendar feed, made on first use when the config has none. */
export async function showCalendar(ctx: HandlerContext): Promise<Outcome> {
  const token = await ensureCalendarToken(ctx.db, ctx.office, ctx.now);
  const path = `/calendar/${token}.ics`;
  const how =
    'In Google Calendar: Other calendars → From URL; in Outlook: Add calendar → Subscribe from web.';
  const privacy =
    'It lists booked rep visits and approved time off (never the kind of leave). Anyone with the link can read it: share it with staff only.';
  if (ctx.publicUrl) {
    const address = `${ctx.publicUrl}${path}`;
    return replyOnly({
      text: `Calendar feed: ${address}`,
      title: 'Calendar feed of rep visits and time off',
      lines: [`Subscribe to ${address}`, how, privacy],
    });
  }
  return replyOnly({
    text: `Calendar feed: ${path} on your frontdesk server`,
    title: 'Calendar feed of rep visits and time off',
    lines: [
      `Subscribe to https://<your frontdesk address>${path}`,
      `Use the same address Slack sends commands to (without /slack/events). ${how}`,
      privacy,
    ],
  });
}
