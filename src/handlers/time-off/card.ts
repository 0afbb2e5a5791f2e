import type { OfficeConfig } from '../../config/office.ts';
import type { TimeOffRow } from '../../db/repositories/time-off.ts';
import { type RecordedCallOut, toCallOutAbsence } from '../../domain/call-outs.ts';
import {
  type DigestAbsence,
  dropCoversOfAbsent,
  findAbsentWindow,
  findRolesBelowCoverage,
  MIDDAY,
} from '../../domain/coverage.ts';
import { type Credential, clearedBy } from '../../domain/credentials.ts';
import { formatDay, formatDayRange, formatOfficeTime } from '../../domain/dates.ts';
import { describeLeaveType, findLeaveBank, personCalendar } from '../../domain/leave-banks.ts';
import { formatRole } from '../../domain/people.ts';
import { formatReference } from '../../domain/references.ts';
import {
  type CoverageGap,
  computeBalanceAfterRequest,
  type DayPart,
  findCoverageGaps,
  formatCoverageGap,
  type TimeOffRequest,
} from '../../domain/time-off.ts';
import { withKeys } from '../../domain/with-keys.ts';
import { writeApproveValue } from '../kernel/approve-value.ts';
import type { Button, Message } from '../kernel/message.ts';
import { type LeaveFacts, readRequestBank } from './balances.ts';
import { TIME_OFF_ACTIONS } from './ids.ts';

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
        ? `🚫 Cancelled by ${row.cancelledByName ?? 'someone'}${when(row.cancelledAt)} (was approved by ${row.decidedByName})${row.cancelNote ? ` — ${row.cancelNote}` : ''}`
        : `↩️ Withdrawn by ${row.cancelledByName ?? 'someone'}${when(row.cancelledAt)}`;
  }
}

/**
 * The balance of each year the request touches (a range across New Year names both) in the bank its type
 * draws from, at the request's last day that year and at each later approved leave (accrual counts up to
 * then): approved leave, sick call-outs and this request counted, other pending requests apart. None for a
 * bank not counted.
 */
function computeRequestBalances(office: OfficeConfig, row: TimeOffRow, leave: LeaveFacts) {
  const bank = findLeaveBank(row.type, office);
  if (!bank.tracked) return [];
  const years = [...new Set([Number(row.startDay.slice(0, 4)), Number(row.endDay.slice(0, 4))])];
  const request = toTimeOffRequest(row);
  const calendar = personCalendar(office, leave.member);
  const seen = listRequestsAsDecided(row, leave.rows);
  // What the bank holds is read without other pending requests too, as they are shown apart: their days
  // would otherwise open carried-over days or room under a cap that the number does not take off.
  const counted = {
    ...leave,
    rows: seen.filter((other) => other.status === 'approved' || other.id === row.id),
  };
  return years.map((year) =>
    computeBalanceAfterRequest({
      bank: readRequestBank(office, bank, counted),
      year,
      request,
      others: seen
        .filter((other) => other.startDay <= `${year}-12-31` && other.endDay >= `${year}-01-01`)
        .filter((other) => findLeaveBank(other.type, office).id === bank.id)
        .map(toTimeOffRequest),
      office: calendar,
    }),
  );
}

/**
 * The person's requests as they stood when `row` was decided (or withdrawn), so a decided card redrawn later
 * (a stale press) keeps the numbers of its decision: requests filed after it are left out, and leave
 * approved after it is still pending. A pending request's card sees them as they are.
 */
function listRequestsAsDecided(row: TimeOffRow, rows: readonly TimeOffRow[]): TimeOffRow[] {
  const closedAt = row.status === 'pending' ? undefined : (row.decidedAt ?? row.cancelledAt);
  if (!closedAt) return [...rows];
  return rows
    .filter((other) => other.id === row.id || other.createdAt <= closedAt)
    .map((other) =>
      other.id !== row.id && other.status === 'approved' && other.decidedAt && other.decidedAt > closedAt
        ? { ...other, status: 'pending' as const }
        : other,
    );
}

/** The request's bank by name (`Vacation`) where the office has policies, so several banks; else empty. */
function nameBankOf(office: OfficeConfig, row: TimeOffRow): string {
  return (office.timeoff.policies?.length ?? 0) > 0 ? findLeaveBank(row.type, office).name : '';
}

/**
 * `Sam Lee 3 days over the 2026 allowance`: each year approving the request takes past its allowance,
 * counting approved leave, in the words an Approve confirmation and its answer use.
 */
export function findAllowanceOverruns(office: OfficeConfig, row: TimeOffRow, leave: LeaveFacts): string[] {
  const bank = nameBankOf(office, row);
  return computeRequestBalances(office, row, leave)
    .filter((balance) => balance.left < 0)
    .map(
      (balance) =>
        `${row.requesterName} ${-balance.left} day${balance.left === -1 ? '' : 's'} over the ${balance.year}${bank ? ` ${bank}` : ''} allowance`,
    );
}

/** The card's balance line (`computeRequestBalances`); a decided card says its numbers are those at the decision, since it is not redrawn after. */
function describeBalances(office: OfficeConfig, row: TimeOffRow, leave: LeaveFacts): string {
  const bank = findLeaveBank(row.type, office);
  if (!bank.tracked) return `${bank.name} is not counted against a balance`;
  const named = nameBankOf(office, row);
  const parts = computeRequestBalances(office, row, leave).map((balance) => {
    const year = balance.year;
    const after = balance.counted ? ' after this request' : '';
    const pending = balance.otherPending > 0 ? ` (${balance.otherPending} more pending)` : '';
    const over = balance.left < 0 ? ' ⚠️ over the allowance' : '';
    return `${named ? `${named}: ` : ''}${balance.left} of ${balance.allowance} days left in ${year}${after}${pending}${over}`;
  });
  return `${parts.join('; ')}${row.status === 'pending' ? '' : ' (at decision)'}`;
}

/**
 * Approve, with a confirmation naming what approving would leave (a role short, the requester over their
 * allowance); its value carries the warnings shown, so a press from a card drawn before them is asked
 * again (`approveButton`).
 */
function buildApproveButton(
  reference: string,
  gaps: readonly CoverageGap[],
  overruns: readonly string[],
  zone: string,
): Button {
  const warnings = [...gaps.map((gap) => formatCoverageGap(gap, zone)), ...overruns];
  const button: Button = {
    label: 'Approve',
    actionId: TIME_OFF_ACTIONS.approve,
    value: writeApproveValue(reference, warnings),
    style: 'primary',
  };
  if (warnings.length === 0) return button;
  return withKeys(button, {
    confirm: {
      title: gaps.length > 0 ? 'Approve with a coverage gap?' : 'Approve over the allowance?',
      text: `Approving ${reference} leaves ${warnings.join('; ')}.`,
      confirm: 'Approve anyway',
      deny: 'Go back',
    },
  });
}

/**
 * Roles that approving `row` would put below their minimum, from the approved leave and the call-outs of
 * others now. Time off is decided in half days, so a call-out counts for each half it touches; a covered
 * call-out leaves no gap while its coverer is at work, the requester included.
 */
export function findGapsIfApproved(
  office: OfficeConfig,
  row: TimeOffRow,
  approvedOthers: readonly TimeOffRow[],
  callOuts: readonly (RecordedCallOut & { personKey: string })[] = [],
  credentials: readonly Credential[] = [],
) {
  const request = { role: row.requesterRole, start: row.startDay, end: row.endDay, part: row.part };
  const othersOff: DigestAbsence[] = approvedOthers
    .filter((other) => other.id !== row.id && other.requesterKey !== row.requesterKey)
    .map((other) => ({
      name: other.requesterName,
      role: other.requesterRole,
      start: other.startDay,
      end: other.endDay,
      part: other.part,
    }));
  const calledOut = callOuts
    .filter((callOut) => callOut.personKey !== row.requesterKey)
    .map((callOut) => toCallOutAbsence(callOut, office));
  const everyone = dropCoversOfAbsent(
    [...othersOff, { ...request, name: row.requesterName }, ...calledOut],
    office.office.hours,
  );
  const callOutsAfter = everyone.slice(othersOff.length + 1);
  const cleared = clearedBy(credentials, office);
  const found = findCoverageGaps({
    request,
    approvedOff: [
      ...othersOff,
      ...callOutsAfter
        .filter((absence) => !absence.coveredBy)
        .map((absence) => ({ ...absence, part: findHalvesTouched(absence, office.office.hours) })),
    ],
    staff: office.staff,
    coverage: office.coverage,
    office,
    cleared,
  });
  // A cover the requester would give up leaves the role they stand in for short as well.
  const givenUp = calledOut.filter(
    (absence, index) =>
      absence.coveredBy && !callOutsAfter[index]?.coveredBy && absence.role && absence.role !== request.role,
  );
  for (const absence of givenUp) {
    const short = findRolesBelowCoverage(absence.start, everyone, office, cleared).filter(
      (gap) => gap.role === absence.role,
    );
    const [first] = short;
    if (!first || found.gaps.some((gap) => gap.day === absence.start && gap.role === first.role)) continue;
    const onDuty = Math.min(...short.map((gap) => gap.onDuty));
    found.gaps.push({ day: absence.start, role: first.role, onDuty, needed: first.needed });
  }
  return found;
}

/** The half days an absence's hours touch: `late 10:30` is a morning, `leaving 14:00` an afternoon. */
function findHalvesTouched(absence: DigestAbsence, hours: { open: string; close: string }): DayPart {
  const window = findAbsentWindow(absence, absence.start, hours);
  if (!window) return 'full';
  if (window[1] <= MIDDAY) return 'am';
  if (window[0] >= MIDDAY) return 'pm';
  return 'full';
}

/** What a time-off card is drawn from besides the request: read by `loadTimeOffCard`. */
export interface TimeOffCardFacts {
  /** credentials in force: a lapsed one the role requires keeps its holder out of the count */
  credentials: readonly Credential[];
  /** active call-outs on the request's days */
  callOuts: readonly (RecordedCallOut & { personKey: string })[];
  /** the requester's requests, call-outs, carry-overs and adjustments in the years this one touches */
  leave: LeaveFacts;
  /** other people's pending and approved requests overlapping this one's days */
  overlapping: readonly TimeOffRow[];
}

/**
 * The approvals-channel card of a request: balance, coverage warnings from approved leave, and the other
 * people asking for the same days, from facts read as the card is posted or updated.
 */
export function buildTimeOffCard(office: OfficeConfig, row: TimeOffRow, facts: TimeOffCardFacts): Message {
  const zone = office.office.timezone;
  const reference = formatReference('TO', row.number);
  const { leave, overlapping } = facts;
  const coverage = findGapsIfApproved(
    office,
    row,
    overlapping.filter((other) => other.status === 'approved'),
    facts.callOuts,
    facts.credentials,
  );

  const days = describeTimeOffDays(row, zone);
  const lines: string[] = [];
  if (row.status === 'pending') {
    for (const gap of coverage.gaps) lines.push(`⚠️ Coverage: ${formatCoverageGap(gap, zone)}`);
    for (const off of coverage.othersOff)
      lines.push(`Also off ${formatDay(off.day, zone)}: ${off.names.join(', ')}`);
    for (const other of overlapping.filter((candidate) => candidate.status === 'pending'))
      lines.push(`Also asking: ${other.requesterName} (pending) ${describeTimeOffDays(other, zone)}`);
  }
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
      { label: 'Type', value: describeLeaveType(row.type, office) },
      ...(row.reason ? [{ label: 'Reason', value: row.reason }] : []),
      { label: 'Balance', value: describeBalances(office, row, leave) },
    ],
    ...(lines.length > 0 ? { lines } : {}),
    ...(row.status === 'pending'
      ? {
          buttons: [
            buildApproveButton(reference, coverage.gaps, findAllowanceOverruns(office, row, leave), zone),
            { label: 'Deny', actionId: TIME_OFF_ACTIONS.deny, value: reference, style: 'danger' as const },
          ],
        }
      : {}),
    note: describeStatus(row, zone),
  };
}
