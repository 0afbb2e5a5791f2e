import type { DateTime } from 'luxon';
import type { OfficeConfig } from '../../config/office.ts';
import type { Db } from '../../db/client.ts';
import { listActiveTimeOffOf, listTimeOffBetween } from '../../db/repositories/time-off.ts';
import { getOfficeDay } from '../../domain/dates.ts';
import { findLeaveBank } from '../../domain/leave-banks.ts';
import { formatReference } from '../../domain/references.ts';
import type { HandlerContext } from '../kernel/context.ts';
import type { Message, Outcome } from '../kernel/message.ts';
import { replyOnly } from '../kernel/message.ts';
import { describeBankLines, loadLeaveFacts } from './balances.ts';
import { describeTimeOffDays, describeWorkingDays } from './card.ts';

/** A person's upcoming and pending time off, and their balance per bank as of today. */
export async function describeMyTimeOff(
  db: Db,
  office: OfficeConfig,
  personKey: string,
  now: DateTime,
): Promise<Message> {
  const zone = office.office.timezone;
  const today = getOfficeDay(now, zone);
  const rows = await listActiveTimeOffOf(db, office.office.id, [personKey], today);
  const year = now.setZone(zone).year;
  const leave = await loadLeaveFacts(db, office, personKey, year, year);
  // With policies, each request names the bank it draws from.
  const banked = (office.timeoff.policies?.length ?? 0) > 0;
  const lines = rows.map(
    (row) =>
      `${formatReference('TO', row.number)} · ${describeTimeOffDays(row, zone)} · ${describeWorkingDays(row.workingDays)}${banked ? ` · ${findLeaveBank(row.type, office).name}` : ''} · ${row.status}`,
  );
  if (lines.length === 0) lines.push('You have no upcoming or pending time off.');
  lines.push(...describeBankLines(office, year, today, leave));
  return {
    text: `Your time off: ${rows.length} upcoming or pending`,
    title: 'Your time off',
    lines,
  };
}

export async function listMine(ctx: HandlerContext): Promise<Outcome> {
  return replyOnly(await describeMyTimeOff(ctx.db, ctx.office, ctx.actor.key, ctx.now));
}

const LIST_ALL_DAYS = 30;
const LIST_LIMIT = 40;

export async function listEveryone(ctx: HandlerContext): Promise<Outcome> {
  const { db, now, officeId, zone } = ctx;
  const today = getOfficeDay(now, zone);
  const until =
    now
      .setZone(zone)
      .plus({ days: LIST_ALL_DAYS - 1 })
      .toISODate() ?? today;
  const rows = await listTimeOffBetween(db, officeId, today, until);
  const lines = rows
    .slice(0, LIST_LIMIT)
    .map(
      (row) =>
        `${describeTimeOffDays(row, zone)} · ${row.requesterName} · ${formatReference('TO', row.number)} · ${row.status}`,
    );
  if (rows.length > LIST_LIMIT) lines.push(`…and ${rows.length - LIST_LIMIT} more`);
  if (rows.length === 0) lines.push(`Nobody has time off in the next ${LIST_ALL_DAYS} days.`);
  return replyOnly({
    text: `Time off in the next ${LIST_ALL_DAYS} days: ${rows.length}`,
    title: `Everyone’s time off, next ${LIST_ALL_DAYS} days`,
    lines,
  });
}
