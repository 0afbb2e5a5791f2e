import type { DateTime } from 'luxon';
import type { OfficeConfig, StaffMember } from '../config/office.ts';
import { countWorkingDays, listScheduledOn, listWorkingDays } from './calendar.ts';
import type { ClearedFor } from './coverage.ts';
import type { DayPart, IsoDay } from './dates.ts';
import { formatDay, getOfficeDay, listDays } from './dates.ts';
import { roundDays } from './leave-banks.ts';
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

/** What a bank would hold at its lowest in `year` if a request were approved; below zero is over. */
export type YearBalance = { year: number; left: number };

/** The verdict on a draft: refused with a reason, or accepted with its cost (over balance is allowed, flagged). */
export type TimeOffEvaluation =
  | { ok: true; workingDays: number; balances: readonly YearBalance[]; overBalance: boolean }
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

/** Allowance minus approved minus pending working days that fall in `year` (by `through`, when given); a Dec→Jan request is split by year. */
export function computeBalance(params: {
  allowanceDays: number;
  year: number;
  requests: readonly Pick<TimeOffRequest, 'start' | 'end' | 'part' | 'status'>[];
  office: Pick<OfficeConfig, 'timeoff'>;
  through?: IsoDay;
}): TimeOffBalance {
  const { allowanceDays, year, requests, office } = params;
  const firstDay = `${year}-01-01`;
  const lastDay =
    params.through !== undefined && params.through < `${year}-12-31` ? params.through : `${year}-12-31`;
  let approved = 0;
  let pending = 0;
  for (const request of requests) {
    if (request.status !== 'approved' && request.status !== 'pending') continue;
    const start = request.start > firstDay ? request.start : firstDay;
    const end = request.end < lastDay ? request.end : lastDay;
    if (start > end) continue;
    const days = countWorkingDays(start, end, request.part, office);
    if (request.status === 'approved') approved += days;
    else pending += days;
  }
  return {
    allowance: allowanceDays,
    approved,
    pending,
    remaining: roundDays(allowanceDays - approved - pending),
  };
}

/** The last day of `end`'s request that falls in `year`. */
function lastDayIn(end: IsoDay, year: number): IsoDay {
  return end < `${year}-12-31` ? end : `${year}-12-31`;
}

type CountedLeave = Pick<TimeOffRequest, 'start' | 'end' | 'part' | 'status'>;

/**
 * What is left of a bank in `year` from `from` on (a request's last day, or today): at `from` and at the end
 * of each later leave, what the bank holds by then less the leave taken by then, and the lowest. Accrual
 * grows the bank through the year, so leave approved for November cannot make February's request look
 * over, while February's may still leave November short.
 */
export function computeLowestBalance(params: {
  year: number;
  from: IsoDay;
  available: (day: IsoDay) => number;
  /** whether what the bank holds grows through the year; if not, the lowest point is the last leave's end */
  grows: boolean;
  requests: readonly CountedLeave[];
  office: Pick<OfficeConfig, 'timeoff'>;
}): number {
  const { year, from, available, grows, requests, office } = params;
  const later = requests
    .filter((request) => request.status === 'approved' || request.status === 'pending')
    .map((request) => lastDayIn(request.end, year))
    .filter((day) => day > from && day.startsWith(String(year)));
  const checkpoints = grows
    ? [...new Set([from, ...later])]
    : [later.reduce((latest, day) => (day > latest ? day : latest), from)];
  return Math.min(
    ...checkpoints.map(
      (day) =>
        computeBalance({ allowanceDays: available(day), year, requests, office, through: day }).remaining,
    ),
  );
}

/**
 * Requests with the sick call-outs taken from their bank, each an approved day; a day a request already
 * covers counts once, as the request's, and a day a half-day request covers adds the other half.
 */
export function withCallOutDays<T extends CountedLeave>(
  requests: readonly T[],
  callOutDays: readonly IsoDay[],
): (T | { start: IsoDay; end: IsoDay; part: DayPart; status: 'approved' })[] {
  const halvesOff = (day: IsoDay) =>
    new Set(
      requests
        .filter(
          (request) =>
            (request.status === 'approved' || request.status === 'pending') &&
            request.start <= day &&
            day <= request.end,
        )
        .flatMap((request): DayPart[] => (request.part === 'full' ? ['am', 'pm'] : [request.part])),
    );
  return [
    ...requests,
    ...callOutDays.flatMap((day) => {
      const off = halvesOff(day);
      const left = (['am', 'pm'] as const).filter((half) => !off.has(half));
      const part: DayPart | undefined = left.length === 2 ? 'full' : left[0];
      return part ? [{ start: day, end: day, part, status: 'approved' as const }] : [];
    }),
  ];
}

/** A bank as a request's balance reads it. */
export interface RequestBank {
  /** what the bank holds in `year` by `day`: granted by then, days carried over and adjustments */
  available(year: number, day: IsoDay): number;
  /** whether a request of `type` draws from this bank */
  includes(type: string): boolean;
  /** the sick call-outs taken from this bank */
  callOutDays: readonly IsoDay[];
  /** whether what it holds grows through the year (an accrual, a tenure step), not only at its start */
  grows: boolean;
}

/**
 * One year's balance as a request's card shows it: what is left after this request (approved leave,
 * call-outs and this request counted, at its last day and at each later leave), and other requests still
 * pending shown apart, so the number does not move when someone else's request is decided. A denied or
 * cancelled request counts for nothing. `allowance` is what the bank holds by the request's last day.
 */
export function computeBalanceAfterRequest(params: {
  bank: Pick<RequestBank, 'available' | 'callOutDays' | 'grows'>;
  year: number;
  request: Pick<TimeOffRequest, 'reference' | 'start' | 'end' | 'part' | 'status'>;
  others: readonly Pick<TimeOffRequest, 'reference' | 'start' | 'end' | 'part' | 'status'>[];
  office: Pick<OfficeConfig, 'timeoff'>;
}): { year: number; allowance: number; left: number; otherPending: number; counted: boolean } {
  const { bank, year, request, office } = params;
  const others = params.others.filter((other) => other.reference !== request.reference);
  const counted = request.status === 'approved' || request.status === 'pending';
  const from = lastDayIn(request.end, year);
  // Other pending requests are shown apart, so a call-out counts here unless approved leave or this covers it.
  const taken = withCallOutDays(
    [...others.filter((other) => other.status === 'approved'), ...(counted ? [request] : [])],
    bank.callOutDays.filter((day) => day.startsWith(String(year))),
  );
  return {
    year,
    allowance: roundDays(bank.available(year, from)),
    left: computeLowestBalance({
      year,
      from,
      available: (day) => bank.available(year, day),
      grows: bank.grows,
      requests: taken,
      office,
    }),
    otherPending: computeBalance({ allowanceDays: 0, year, requests: others, office }).pending,
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
   * The bank the draft draws from: what it holds by each day (besides requests), which types share it and
   * the call-outs it took.
   * Without it, every type shares `timeoff.allowanceDays`. `office.timeoff.workdays` are the person's.
   */
  bank?: RequestBank;
}): TimeOffEvaluation {
  const { draft, existing, now, office } = params;
  const bank = params.bank ?? {
    available: () => office.timeoff.allowanceDays,
    includes: () => true,
    callOutDays: [],
    grows: false,
  };
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

  const requests = withCallOutDays(
    [
      ...active.filter((request) => bank.includes(request.type)),
      withKeys(draft, { status: 'pending' as const }),
    ],
    bank.callOutDays,
  );
  const balances: YearBalance[] = [];
  for (let year = Number(draft.start.slice(0, 4)); year <= Number(draft.end.slice(0, 4)); year += 1) {
    const left = computeLowestBalance({
      year,
      from: lastDayIn(draft.end, year),
      available: (day) => bank.available(year, day),
      grows: bank.grows,
      requests,
      office,
    });
    balances.push({ year, left });
  }
  return { ok: true, workingDays, balances, overBalance: balances.some((balance) => balance.left < 0) };
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
