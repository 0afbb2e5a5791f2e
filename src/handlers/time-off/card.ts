import type { OfficeConfig } from '../../config/office.ts';
import type { Db } from '../../db/client.ts';
import {
  listActiveTimeOffForPerson,
  listTimeOffBetween,
  type TimeOffRow,
} from '../../db/repositories/time-off.ts';
import { formatDay, formatDayRange, formatOfficeTime } from '../../domain/dates.ts';
import { formatReference } from '../../domain/references.ts';
import {
  computeBalance,
  type DayPart,
  findCoverageGaps,
  formatCoverageGap,
  formatRole,
  type TimeOffRequest,
  type TimeOffType,
} from '../../domain/time-off.ts';
import type { Message } from '../kernel/message.ts';
import { TIME_OFF_ACTIONS } from './ids.ts';

export const TIME_OFF_TYPE_LABELS: Record<TimeOffType, string> = {
  vacation: 'Vacation',
  sick: 'Sick',
  personal: 'Personal',
  education: 'Continuing education',
  other: 'Other',
};

const PART_LABELS: Record<DayPart, string> = { full: '', am: ' (morning)', pm: ' (afternoon)' };

/** The row as the domain sees it. */
export function toTimeOffRequest(row: TimeOffRow): TimeOffRequest {
  return {
    reference: formatReference('TO', row.number),
    requesterKey: row.requesterKey,
    requesterRole: row.requesterRole,
    start: row.startDay,
    end: row.endDay,
    part: row.part,
    type: row.type,
    status: row.status,
    workingDays: row.workingDays,
  };
}

/** `Mon Dec 7 (morning)` or `Mon Dec 1 – Wed Dec 3`. */
export function describeTimeOffDays(
  row: Pick<TimeOffRow, 'startDay' | 'endDay' | 'part'>,
  zone: string,
): string {
  const days =
    row.startDay === row.endDay ? formatDay(row.startDay, zone) : formatDayRange(row.startDay, row.endDay);
  return `${days}${PART_LABELS[row.part]}`;
}

/** `1 working day`, `2.5 working days`. */
export function describeWorkingDays(days: number): string {
  return `${days} working day${days === 1 ? '' : 's'}`;
}

/** A person's balance for the year the request starts in, from their pending and approved requests. */
export async function loadYearBalance(db: Db, office: OfficeConfig, requesterKey: string, year: number) {
  const rows = await listActiveTimeOffForPerson(
    db,
    office.office.id,
    requesterKey,
    `${year}-01-01`,
    `${year}-12-31`,
  );
  return computeYearBalance(office, year, rows);
}

/** The balance for `year` from a person's active requests; rows outside the year are ignored. */
function computeYearBalance(office: OfficeConfig, year: number, rows: readonly TimeOffRow[]) {
  return computeBalance({
    allowanceDays: office.timeoff.allowanceDays,
    year,
    requests: rows
      .filter((row) => row.startDay <= `${year}-12-31` && row.endDay >= `${year}-01-01`)
      .map(toTimeOffRequest),
    office,
  });
}

function describeStatus(row: TimeOffRow, zone: string): string {
  const when = (at: Date | null) => (at ? ` on ${formatOfficeTime(at, zone)}` : '');
  switch (row.status) {
    case 'pending':
      return `Filed ${formatOfficeTime(row.createdAt, zone)} · waiting for a manager`;
    case 'approved':
      return `✅ Approved by ${row.decidedByName ?? 'a manager'}${when(row.decidedAt)}`;
    case 'denied':
      return `❌ Denied by ${row.decidedByName ?? 'a manager'}${when(row.decidedAt)}${row.decisionNote ? ` — ${row.decisionNote}` : ''}`;
    case 'cancelled':
      return row.decidedAt
        ? `🚫 Cancelled by ${row.cancelledByName ?? 'someone'}${when(row.cancelledAt)} (was approved by ${row.decidedByName})`
        : `↩️ Withdrawn by ${row.cancelledByName ?? 'someone'}${when(row.cancelledAt)}`;
  }
}

/**
 * The approvals-channel card of a request, built from the database as it stands: balance, coverage
 * warnings and who else is off are recomputed each time the card is posted or updated. A caller that has
 * just read the requester's active requests for the year (filing does) passes them to save a query.
 */
export async function buildTimeOffCard(
  db: Db,
  office: OfficeConfig,
  row: TimeOffRow,
  requesterActiveRows?: readonly TimeOffRow[],
): Promise<Message> {
  const zone = office.office.timezone;
  const reference = formatReference('TO', row.number);
  const year = Number(row.startDay.slice(0, 4));
  const balance = requesterActiveRows
    ? computeYearBalance(office, year, requesterActiveRows)
    : await loadYearBalance(db, office, row.requesterKey, year);
  const others = (
    await listTimeOffBetween(db, office.office.id, row.startDay, row.endDay, ['approved'])
  ).filter((other) => other.id !== row.id && other.requesterKey !== row.requesterKey);
  const coverage = findCoverageGaps({
    request: { role: row.requesterRole, start: row.startDay, end: row.endDay, part: row.part },
    approvedOff: others.map((other) => ({
      name: other.requesterName,
      role: other.requesterRole,
      start: other.startDay,
      end: other.endDay,
      part: other.part,
    })),
    staff: office.staff,
    coverage: office.coverage,
    office,
  });

  const days = describeTimeOffDays(row, zone);
  const lines: string[] = [];
  if (row.status === 'pending') {
    for (const gap of coverage.gaps) lines.push(`⚠️ Coverage: ${formatCoverageGap(gap, zone)}`);
    for (const off of coverage.othersOff)
      lines.push(`Also off ${formatDay(off.day, zone)}: ${off.names.join(', ')}`);
  }
  const balanceText = `${balance.remaining} of ${balance.allowance} days left in ${year}`;
  return {
    text: `Time off ${reference}: ${row.requesterName}, ${days} — ${row.status}`,
    title: `Time off ${reference} — ${row.requesterName}`,
    fields: [
      {
        label: 'Who',
        value: row.requesterRole
          ? `${row.requesterName} (${formatRole(row.requesterRole)})`
          : row.requesterName,
      },
      { label: 'Dates', value: days },
      { label: 'Working days', value: String(row.workingDays) },
      { label: 'Type', value: TIME_OFF_TYPE_LABELS[row.type] },
      ...(row.reason ? [{ label: 'Reason', value: row.reason }] : []),
      {
        label: 'Balance',
        value: balance.remaining < 0 ? `⚠️ ${balanceText} (over the allowance)` : balanceText,
      },
    ],
    ...(lines.length > 0 ? { lines } : {}),
    ...(row.status === 'pending'
      ? {
          buttons: [
            {
              label: 'Approve',
              actionId: TIME_OFF_ACTIONS.approve,
              value: reference,
              style: 'primary' as const,
            },
            { label: 'Deny', actionId: TIME_OFF_ACTIONS.deny, value: reference, style: 'danger' as const },
          ],
        }
      : {}),
    note: describeStatus(row, zone),
  };
}
