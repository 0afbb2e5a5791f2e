import type { DateTime } from 'luxon';
import type { OfficeConfig, StaffMember } from '../config/office.ts';
import { countWorkingDays, listScheduledOn, listWorkingDays } from './calendar.ts';
import type { ClearedFor } from './coverage.ts';
import type { DayPart, IsoDay } from './dates.ts';
import { formatDay, getOfficeDay, listDays } from './dates.ts';
import { formatRole, listStaffOfRole } from './people.ts';
import { withKeys } from './with-keys.ts';

export type { DayPart, IsoDay } from './dates.ts';

/** Why a person is away: a built-in type (vacation, sick, personal, education, other) or one of the office's own. */
export type TimeOffType = string;

/** Where a request stands; `cancelled` also covers a request its requester withdrew. */
export type TimeOffStatus = 'pending' | 'approved' | 'denied' | 'cancelled';

/** A filed request as the domain sees it; `workingDays` is counted when it is filed (half days are 0.5). */
export type TimeOffRequest = {
  reference: string;
  requesterKey: string;
  requesterRole: string | null;
  start: IsoDay;
  end: IsoDay;
  part: DayPart;
  type: TimeOffType;
  status: TimeOffStatus;
  workingDays: number;
};

/** What a person asks for before anything is stored. */
export type TimeOffDraft = Pick<TimeOffRequest, 'start' | 'end' | 'part' | 'type'>;

/** Allowance and use in one calendar year, in working days; `remaining` may go below zero. */
export type TimeOffBalance = { allowance: number; approved: number; pending: number; remaining: number };

/** The verdict on a draft: refused with a reason, or accepted with its cost (over balance is allowed, flagged). */
export type TimeOffEvaluation =
  | { ok: true; workingDays: number; balanceAfter: number; overBalance: boolean }
  | { ok: false; reason: 'end_before_start' | 'half_day_range' | 'no_working_days' }
  | { ok: false; reason: 'in_the_past'; today: IsoDay }
  | { ok: false; reason: 'too_long'; calendarDays: number; maxCalendarDays: number }
  | { ok: false; reason: 'overlaps_existing'; conflicting: string };

/** A role that would fall below its minimum on a day if the request were approved. */
export type CoverageGap = { day: IsoDay; role: string; onDuty: number; needed: number };

/** Who else is off on one day of the request, any role. */
export type OthersOff = { day: IsoDay; names: string[] };

/** Another person's approved time off, as coverage needs it. */
export type ApprovedAbsence = {
  name: string;
  role: string | null | undefined;
  start: IsoDay;
  end: IsoDay;
  part: DayPart;
};

/** Who is asking to cancel, relative to the request. */
export type CancelActor = 'requester' | 'manager' | 'other';

/** A cancellation is allowed, or refused with a reason. */
export type CancelCheck =
  | { ok: true }
  | { ok: false; reason: 'not_permitted' | 'already_closed' | 'already_started' };

/** The longest request, in calendar days, both ends included. */
export const MAX_REQUEST_CALENDAR_DAYS = 60;

type Half = 'am' | 'pm';
type DayRange = Pick<TimeOffRequest, 'start' | 'end' | 'part'>;

const TRANSITIONS: Readonly<Record<TimeOffStatus, readonly TimeOffStatus[]>> = {
  pending: ['approved', 'denied', 'cancelled'],
  approved: ['cancelled'],
  denied: [],
  cancelled: [],
};

/** Allowance minus approved minus pending working days that fall in `year`; a Dec→Jan request is split by year. */
export function computeBalance(params: {
  allowanceDays: number;
  year: number;
  requests: readonly Pick<TimeOffRequest, 'start' | 'end' | 'part' | 'status'>[];
  office: Pick<OfficeConfig, 'timeoff'>;
}): TimeOffBalance {
  const { allowanceDays, year, requests, office } = params;
  const firstDay = `${year}-01-01`;
  const lastDay = `${year}-12-31`;
  let approved = 0;
  let pending = 0;
  for (const request of requests) {
    if (request.status !== 'approved' && request.status !== 'pending') continue;
    const start = request.start > firstDay ? request.start : firstDay;
    const end = request.end < lastDay ? request.end : lastDay;
    const days = countWorkingDays(start, end, request.part, office);
    if (request.status === 'approved') approved += days;
    else pending += days;
  }
  return { allowance: allowanceDays, approved, pending, remaining: allowanceDays - approved - pending };
}

/**
 * One year's balance as a request's card shows it: what is left after this request (approved leave and
 * this request counted), and other requests still pending shown apart, so the number does not move when
 * someone else's request is decided. A denied or cancelled request counts for nothing.
 */
export function computeBalanceAfterRequest(params: {
  allowanceDays: number;
  year: number;
  request: Pick<TimeOffRequest, 'reference' | 'start' | 'end' | 'part' | 'status'>;
  others: readonly Pick<TimeOffRequest, 'reference' | 'start' | 'end' | 'part' | 'status'>[];
  office: Pick<OfficeConfig, 'timeoff'>;
}): { year: number; allowance: number; left: number; otherPending: number; counted: boolean } {
  const { allowanceDays, year, request, office } = params;
  const others = params.others.filter((other) => other.reference !== request.reference);
  const before = computeBalance({ allowanceDays, year, requests: others, office });
  const counted = request.status === 'approved' || request.status === 'pending';
  const own = counted ? computeBalance({ allowanceDays: 0, year, requests: [request], office }) : undefined;
  const thisDays = own ? own.approved + own.pending : 0;
  return {
    year,
    allowance: allowanceDays,
    left: allowanceDays - before.approved - thisDays,
    otherPending: before.pending,
    counted,
  };
}

/** Refuses a draft that is backwards, starts before today, exceeds 60 days, holds no working day or overlaps the person's own pending/approved time. */
export function evaluateTimeOffRequest(params: {
  draft: TimeOffDraft;
  existing: readonly Pick<TimeOffRequest, 'reference' | 'start' | 'end' | 'part' | 'status' | 'type'>[];
  now: DateTime;
  office: Pick<OfficeConfig, 'office' | 'timeoff'>;
  /**
   * The bank the draft draws from: what it holds each year (besides requests) and which types share it.
   * Without it, every type shares `timeoff.allowanceDays`. `office.timeoff.workdays` are the person's.
   */
  bank?: { available(year: number): number; includes(type: string): boolean };
}): TimeOffEvaluation {
  const { draft, existing, now, office } = params;
  const bank = params.bank ?? { available: () => office.timeoff.allowanceDays, includes: () => true };
  if (draft.end < draft.start) return { ok: false, reason: 'end_before_start' };
  if (draft.part !== 'full' && draft.start !== draft.end) return { ok: false, reason: 'half_day_range' };

  const today = getOfficeDay(now, office.office.timezone);
  if (draft.start < today) return { ok: false, reason: 'in_the_past', today };

  const calendarDays = listDays(draft.start, draft.end).length;
  if (calendarDays > MAX_REQUEST_CALENDAR_DAYS) {
    return { ok: false, reason: 'too_long', calendarDays, maxCalendarDays: MAX_REQUEST_CALENDAR_DAYS };
  }

  const workingDays = countWorkingDays(draft.start, draft.end, draft.part, office);
  if (workingDays === 0) return { ok: false, reason: 'no_working_days' };

  const active = existing.filter((request) => request.status === 'pending' || request.status === 'approved');
  const conflict = active.find((request) => doRangesOverlap(request, draft));
  if (conflict) return { ok: false, reason: 'overlaps_existing', conflicting: conflict.reference };

  const requests = [
    ...active.filter((request) => bank.includes(request.type)),
    withKeys(draft, { status: 'pending' as const }),
  ];
  const startYear = Number(draft.start.slice(0, 4));
  const endYear = Number(draft.end.slice(0, 4));
  const remaining: number[] = [];
  for (let year = startYear; year <= endYear; year += 1) {
    remaining.push(computeBalance({ allowanceDays: bank.available(year), year, requests, office }).remaining);
  }
  return {
    ok: true,
    workingDays,
    balanceAfter: remaining[0] ?? bank.available(startYear),
    overBalance: remaining.some((days) => days < 0),
  };
}

/** Two requests overlap when they share a day, unless that day is a morning off in one and an afternoon off in the other. */
export function doRangesOverlap(a: DayRange, b: DayRange): boolean {
  if (a.start > b.end || b.start > a.end) return false;
  return a.part === 'full' || b.part === 'full' || a.part === b.part;
}

/** On each working day of the request, flags the requester's role when approving leaves fewer on duty than `coverage` needs, and lists who else is off. */
export function findCoverageGaps(params: {
  request: DayRange & { role: string | null | undefined };
  approvedOff: readonly ApprovedAbsence[];
  staff: readonly Pick<StaffMember, 'name' | 'role' | 'workdays'>[];
  coverage: Readonly<Record<string, number>>;
  office: Pick<OfficeConfig, 'timeoff'>;
  /** who may count toward a role that day (a lapsed required credential says no) */
  cleared?: ClearedFor;
}): { gaps: CoverageGap[]; othersOff: OthersOff[] } {
  const { request, approvedOff, staff, coverage, office } = params;
  const cleared: ClearedFor = params.cleared ?? (() => true);
  const role = request.role ?? undefined;
  const needed = role === undefined ? 0 : (coverage[role] ?? 0);
  const gaps: CoverageGap[] = [];
  const othersOff: OthersOff[] = [];
  const ofRole = listStaffOfRole(staff, role);

  for (const day of listWorkingDays(request.start, request.end, office)) {
    const offToday = approvedOff.filter((absence) => listHalvesOff(absence, day).length > 0);
    const names = [...new Set(offToday.map((absence) => absence.name))];
    if (names.length > 0) othersOff.push({ day, names });
    if (role === undefined || needed === 0) continue;
    // A part-timer counts toward coverage only on their own workdays.
    let rostered = 0;
    for (const member of listScheduledOn(ofRole, day, office)) if (cleared(member, role, day)) rostered += 1;

    // A person is off for a half if any of their approved requests covers it, so am + pm is a full day off.
    const onDutyByHalf = listHalvesOff(request, day).map((half) => {
      const away = new Set(
        offToday
          .filter((absence) => absence.role === role && listHalvesOff(absence, day).includes(half))
          .map((absence) => absence.name),
      );
      return Math.max(0, rostered - away.size - 1);
    });
    const onDuty = Math.min(...onDutyByHalf);
    if (onDuty < needed) gaps.push({ day, role, onDuty, needed });
  }
  return { gaps, othersOff };
}

/** Renders a gap as `Front desk: 0 of 1 needed on Wed Dec 3`. */
export function formatCoverageGap(gap: CoverageGap, zone: string): string {
  return `${formatRole(gap.role)}: ${gap.onDuty} of ${gap.needed} needed on ${formatDay(gap.day, zone)}`;
}

/** Pending goes to approved, denied or cancelled; approved only to cancelled; denied and cancelled are final. */
export function canTransition(from: TimeOffStatus, to: TimeOffStatus): boolean {
  return TRANSITIONS[from].includes(to);
}

/** The requester or a manager may cancel a pending request, or an approved one before its first day. */
export function canCancel(
  request: Pick<TimeOffRequest, 'status' | 'start'>,
  now: DateTime,
  zone: string,
  byRole: CancelActor,
): CancelCheck {
  if (!canTransition(request.status, 'cancelled')) return { ok: false, reason: 'already_closed' };
  if (byRole === 'other') return { ok: false, reason: 'not_permitted' };
  if (request.status === 'approved' && request.start <= getOfficeDay(now, zone)) {
    return { ok: false, reason: 'already_started' };
  }
  return { ok: true };
}

function listHalvesOff(range: DayRange, day: IsoDay): Half[] {
  if (day < range.start || day > range.end) return [];
  return range.part === 'full' ? ['am', 'pm'] : [range.part];
}
