import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import type { OfficeConfig } from '../../src/config/office.ts';
import { formatRole } from '../../src/domain/people.ts';
import type { ApprovedAbsence, TimeOffRequest, TimeOffStatus } from '../../src/domain/time-off.ts';
import {
  canCancel,
  canTransition,
  computeBalance,
  doRangesOverlap,
  evaluateTimeOffRequest,
  findCoverageGaps,
  formatCoverageGap,
} from '../../src/domain/time-off.ts';

const zone = 'America/New_York';
const now = DateTime.fromISO('2026-11-25T10:00', { zone }); // Wed

const office: OfficeConfig = {
  office: {
    id: 'main',
    name: 'Riverside Family Practice',
    timezone: zone,
    hours: { open: '08:00', close: '18:00' },
  },
  channels: { approvals: 'C0APPROVALS', huddle: 'C0HUDDLE', complaints: 'C0COMPLAINTS' },
  callouts: { escalateMinutes: 30, autoConfirm: false },
  credentials: { kinds: [], remindDays: [90, 60, 30, 14, 7] },
  staff: [
    { name: 'Ana Cruz', role: 'front-desk', manager: false },
    { name: 'Sam Lee', role: 'front-desk', manager: false },
    { name: 'Marcus Bell', role: 'medical-assistant', manager: false },
    { name: 'Dana Reyes', role: 'manager', manager: true },
  ],
  coverage: { 'front-desk': 1, 'medical-assistant': 1 },
  timeoff: { allowanceDays: 15, workdays: ['mon', 'tue', 'wed', 'thu', 'fri'], holidays: ['2026-12-25'] },
  digest: { time: '07:45', days: ['mon', 'tue', 'wed', 'thu', 'fri'], catchUpMinutes: 120 },
  reminders: { pendingHours: 24, time: '10:00' },
  reps: { minutes: 20, slots: [] },
  supplies: { catalog: [] },
};

function buildRequest(overrides: Partial<TimeOffRequest>): TimeOffRequest {
  return {
    reference: 'TO-1',
    requesterKey: 'slack:U0ANA',
    requesterRole: 'front-desk',
    start: '2026-12-01',
    end: '2026-12-01',
    part: 'full',
    type: 'vacation',
    status: 'pending',
    workingDays: 1,
    ...overrides,
  };
}

function buildAbsence(overrides: Partial<ApprovedAbsence>): ApprovedAbsence {
  return {
    name: 'Sam Lee',
    role: 'front-desk',
    start: '2026-12-03',
    end: '2026-12-03',
    part: 'full',
    ...overrides,
  };
}

describe('computeBalance', () => {
  it('subtracts approved and pending days and ignores denied and cancelled ones', () => {
    const requests = [
      buildRequest({ start: '2026-12-01', end: '2026-12-03', status: 'approved' }),
      buildRequest({ start: '2026-12-07', end: '2026-12-07', part: 'am', status: 'pending' }),
      buildRequest({ start: '2026-12-08', end: '2026-12-08', status: 'denied' }),
      buildRequest({ start: '2026-12-09', end: '2026-12-09', status: 'cancelled' }),
    ];
    expect(computeBalance({ allowanceDays: 15, year: 2026, requests, office })).toEqual({
      allowance: 15,
      approved: 3,
      pending: 0.5,
      remaining: 11.5,
    });
  });

  it('counts each day of a request across new year in its own year', () => {
    const requests = [buildRequest({ start: '2026-12-28', end: '2027-01-05', status: 'approved' })]; // Mon–Tue
    expect(computeBalance({ allowanceDays: 15, year: 2026, requests, office })).toMatchObject({
      approved: 4,
      remaining: 11,
    });
    expect(computeBalance({ allowanceDays: 15, year: 2027, requests, office })).toMatchObject({
      approved: 3,
      remaining: 12,
    });
  });

  it('ignores requests in other years', () => {
    const requests = [buildRequest({ start: '2027-02-01', end: '2027-02-02', status: 'approved' })];
    expect(computeBalance({ allowanceDays: 15, year: 2026, requests, office })).toMatchObject({
      remaining: 15,
    });
  });
});

describe('evaluateTimeOffRequest', () => {
  const draft = { start: '2026-12-01', end: '2026-12-03', part: 'full', type: 'vacation' } as const; // Tue–Thu

  it('accepts a request and returns its cost and the balance after it', () => {
    expect(evaluateTimeOffRequest({ draft, existing: [], now, office })).toEqual({
      ok: true,
      workingDays: 3,
      balances: [{ year: 2026, left: 12 }],
      overBalance: false,
    });
  });

  it('accepts a request over the balance and flags it', () => {
    const tight = { ...office, timeoff: { ...office.timeoff, allowanceDays: 2 } };
    expect(evaluateTimeOffRequest({ draft, existing: [], now, office: tight })).toEqual({
      ok: true,
      workingDays: 3,
      balances: [{ year: 2026, left: -1 }],
      overBalance: true,
    });
  });

  it('counts the person’s pending and approved time in the balance', () => {
    const existing = [buildRequest({ start: '2026-12-14', end: '2026-12-18', status: 'approved' })];
    expect(evaluateTimeOffRequest({ draft, existing, now, office })).toMatchObject({
      ok: true,
      balances: [{ year: 2026, left: 7 }],
    });
  });

  it('reports the balance of each year for a request across new year', () => {
    const newYear = { start: '2026-12-30', end: '2027-01-05', part: 'full', type: 'vacation' } as const;
    expect(evaluateTimeOffRequest({ draft: newYear, existing: [], now, office })).toMatchObject({
      ok: true,
      workingDays: 5,
      balances: [
        { year: 2026, left: 13 },
        { year: 2027, left: 12 },
      ],
    });
  });

  it('refuses a request that starts before today', () => {
    const past = { ...draft, start: '2026-11-24' }; // Tue
    expect(evaluateTimeOffRequest({ draft: past, existing: [], now, office })).toEqual({
      ok: false,
      reason: 'in_the_past',
      today: '2026-11-25',
    });
  });

  it('accepts a request that starts today', () => {
    const sick = { start: '2026-11-25', end: '2026-11-25', part: 'full', type: 'sick' } as const; // Wed
    expect(evaluateTimeOffRequest({ draft: sick, existing: [], now, office })).toMatchObject({ ok: true });
  });

  it('takes today from the office zone late in the evening', () => {
    const evening = DateTime.fromISO('2026-11-25T22:30', { zone }); // Wed, already Thu in UTC
    const sick = { start: '2026-11-25', end: '2026-11-25', part: 'full', type: 'sick' } as const;
    expect(evaluateTimeOffRequest({ draft: sick, existing: [], now: evening, office })).toMatchObject({
      ok: true,
    });
  });

  it('refuses a range longer than 60 calendar days', () => {
    const long = { ...draft, end: '2027-01-30' };
    expect(evaluateTimeOffRequest({ draft: long, existing: [], now, office })).toEqual({
      ok: false,
      reason: 'too_long',
      calendarDays: 61,
      maxCalendarDays: 60,
    });
    expect(
      evaluateTimeOffRequest({ draft: { ...draft, end: '2027-01-29' }, existing: [], now, office }),
    ).toMatchObject({
      ok: true,
    });
  });

  it('refuses a range with no working day', () => {
    const weekend = { ...draft, start: '2026-12-05', end: '2026-12-06' }; // Sat–Sun
    const holiday = { ...draft, start: '2026-12-25', end: '2026-12-25' }; // Fri
    expect(evaluateTimeOffRequest({ draft: weekend, existing: [], now, office })).toEqual({
      ok: false,
      reason: 'no_working_days',
    });
    expect(evaluateTimeOffRequest({ draft: holiday, existing: [], now, office })).toMatchObject({
      reason: 'no_working_days',
    });
  });

  it('refuses a range that ends before it starts', () => {
    const backwards = { ...draft, start: '2026-12-03', end: '2026-12-01' };
    expect(evaluateTimeOffRequest({ draft: backwards, existing: [], now, office })).toMatchObject({
      reason: 'end_before_start',
    });
  });

  it('refuses a half day on a range', () => {
    const halfRange = { ...draft, part: 'am' } as const;
    expect(evaluateTimeOffRequest({ draft: halfRange, existing: [], now, office })).toMatchObject({
      reason: 'half_day_range',
    });
  });

  it.each(['pending', 'approved'] as const)(
    'refuses an overlap with the person’s own %s request',
    (status) => {
      const existing = [buildRequest({ reference: 'TO-7', start: '2026-12-03', end: '2026-12-04', status })];
      expect(evaluateTimeOffRequest({ draft, existing, now, office })).toEqual({
        ok: false,
        reason: 'overlaps_existing',
        conflicting: 'TO-7',
      });
    },
  );

  it.each(['denied', 'cancelled'] as const)('ignores an overlap with a %s request', (status) => {
    const existing = [buildRequest({ start: '2026-12-03', end: '2026-12-04', status })];
    expect(evaluateTimeOffRequest({ draft, existing, now, office })).toMatchObject({
      ok: true,
      balances: [{ year: 2026, left: 12 }],
    });
  });

  it('accepts an afternoon off on a day whose morning is already off', () => {
    const existing = [
      buildRequest({ start: '2026-12-07', end: '2026-12-07', part: 'am', status: 'approved' }),
    ];
    const afternoon = { start: '2026-12-07', end: '2026-12-07', part: 'pm', type: 'personal' } as const; // Mon
    expect(evaluateTimeOffRequest({ draft: afternoon, existing, now, office })).toMatchObject({
      ok: true,
      workingDays: 0.5,
      balances: [{ year: 2026, left: 14 }],
    });
  });

  it('refuses the same half or a full day on a day with a half day off', () => {
    const existing = [
      buildRequest({ reference: 'TO-9', start: '2026-12-07', end: '2026-12-07', part: 'am' }),
    ];
    for (const part of ['am', 'full'] as const) {
      const again = { start: '2026-12-07', end: '2026-12-07', part, type: 'personal' } as const;
      expect(evaluateTimeOffRequest({ draft: again, existing, now, office })).toMatchObject({
        reason: 'overlaps_existing',
        conflicting: 'TO-9',
      });
    }
  });
});

describe('doRangesOverlap', () => {
  it('finds no overlap between ranges that only touch', () => {
    const a = { start: '2026-12-01', end: '2026-12-02', part: 'full' } as const;
    const b = { start: '2026-12-03', end: '2026-12-04', part: 'full' } as const;
    expect(doRangesOverlap(a, b)).toBe(false);
  });

  it('finds no overlap between a morning and an afternoon of the same day', () => {
    const am = { start: '2026-12-07', end: '2026-12-07', part: 'am' } as const;
    const pm = { start: '2026-12-07', end: '2026-12-07', part: 'pm' } as const;
    expect(doRangesOverlap(am, pm)).toBe(false);
    expect(doRangesOverlap(am, am)).toBe(true);
  });
});

describe('findCoverageGaps', () => {
  const base = { staff: office.staff, coverage: office.coverage, office };
  const request = { role: 'front-desk', start: '2026-12-02', end: '2026-12-03', part: 'full' } as const; // Wed–Thu

  it('flags a day when approving leaves the role below its minimum and names who else is off', () => {
    expect(findCoverageGaps({ ...base, request, approvedOff: [buildAbsence({})] })).toEqual({
      gaps: [{ day: '2026-12-03', role: 'front-desk', onDuty: 0, needed: 1 }],
      othersOff: [{ day: '2026-12-03', names: ['Sam Lee'] }],
    });
  });

  it('finds no gap when enough of the role stay on duty', () => {
    expect(findCoverageGaps({ ...base, request, approvedOff: [] })).toEqual({ gaps: [], othersOff: [] });
  });

  it('lists people of other roles who are off without flagging a gap', () => {
    const marcus = buildAbsence({
      name: 'Marcus Bell',
      role: 'medical-assistant',
      start: '2026-12-02',
      end: '2026-12-02',
    });
    expect(findCoverageGaps({ ...base, request, approvedOff: [marcus] })).toEqual({
      gaps: [],
      othersOff: [{ day: '2026-12-02', names: ['Marcus Bell'] }],
    });
  });

  it('flags every working day for a role of one and skips weekends and holidays', () => {
    const assistant = {
      role: 'medical-assistant',
      start: '2026-12-24',
      end: '2026-12-28',
      part: 'full',
    } as const; // Thu–Mon
    expect(findCoverageGaps({ ...base, request: assistant, approvedOff: [] }).gaps).toEqual([
      { day: '2026-12-24', role: 'medical-assistant', onDuty: 0, needed: 1 },
      { day: '2026-12-28', role: 'medical-assistant', onDuty: 0, needed: 1 },
    ]);
  });

  it('finds no gap when the other person is off the other half of the day', () => {
    const afternoon = { ...request, start: '2026-12-03', end: '2026-12-03', part: 'pm' } as const;
    const morningOff = buildAbsence({ part: 'am' });
    expect(findCoverageGaps({ ...base, request: afternoon, approvedOff: [morningOff] }).gaps).toEqual([]);
  });

  it('flags a full day when the other person is off half of it', () => {
    const fullDay = { ...request, start: '2026-12-03', end: '2026-12-03' } as const;
    expect(
      findCoverageGaps({ ...base, request: fullDay, approvedOff: [buildAbsence({ part: 'am' })] }).gaps,
    ).toEqual([{ day: '2026-12-03', role: 'front-desk', onDuty: 0, needed: 1 }]);
  });

  it('treats a morning and an afternoon off as a full day off and names the person once', () => {
    const pair = [buildAbsence({ part: 'am' }), buildAbsence({ part: 'pm' })];
    const morning = { ...request, start: '2026-12-03', end: '2026-12-03', part: 'am' } as const;
    expect(findCoverageGaps({ ...base, request: morning, approvedOff: pair })).toEqual({
      gaps: [{ day: '2026-12-03', role: 'front-desk', onDuty: 0, needed: 1 }],
      othersOff: [{ day: '2026-12-03', names: ['Sam Lee'] }],
    });
  });

  it('finds no gap for a role without a coverage minimum', () => {
    const manager = { role: 'manager', start: '2026-12-02', end: '2026-12-03', part: 'full' } as const;
    expect(findCoverageGaps({ ...base, request: manager, approvedOff: [] }).gaps).toEqual([]);
  });
});

describe('formatCoverageGap', () => {
  it('names the role in words and the day', () => {
    const gap = { day: '2026-12-03', role: 'front-desk', onDuty: 0, needed: 1 };
    expect(formatCoverageGap(gap, zone)).toBe('Front desk: 0 of 1 needed on Thu Dec 3');
  });

  it('humanises a longer role slug', () => {
    expect(formatRole('medical-assistant')).toBe('Medical assistant');
  });
});

describe('canTransition', () => {
  const statuses: TimeOffStatus[] = ['pending', 'approved', 'denied', 'cancelled'];
  const legal = ['pending→approved', 'pending→denied', 'pending→cancelled', 'approved→cancelled'];
  const pairs = statuses.flatMap((from) => statuses.map((to) => [from, to] as const));

  it.each(pairs.filter(([from, to]) => legal.includes(`${from}→${to}`)))('allows %s → %s', (from, to) => {
    expect(canTransition(from, to)).toBe(true);
  });

  it.each(pairs.filter(([from, to]) => !legal.includes(`${from}→${to}`)))('refuses %s → %s', (from, to) => {
    expect(canTransition(from, to)).toBe(false);
  });
});

describe('canCancel', () => {
  it('lets the requester withdraw a pending request', () => {
    expect(canCancel(buildRequest({ status: 'pending' }), now, zone, 'requester')).toEqual({ ok: true });
  });

  it('lets a manager cancel an approved request that has not started', () => {
    const approved = buildRequest({ status: 'approved', start: '2026-11-26' }); // Thu
    expect(canCancel(approved, now, zone, 'manager')).toEqual({ ok: true });
  });

  it('refuses to cancel an approved request that starts today or earlier', () => {
    for (const start of ['2026-11-25', '2026-11-20']) {
      const approved = buildRequest({ status: 'approved', start, end: '2026-11-27' });
      expect(canCancel(approved, now, zone, 'requester')).toEqual({ ok: false, reason: 'already_started' });
    }
  });

  it('takes the start from the office zone late in the evening', () => {
    const evening = DateTime.fromISO('2026-11-25T22:30', { zone }); // Wed, already Thu in UTC
    const approved = buildRequest({ status: 'approved', start: '2026-11-26' });
    expect(canCancel(approved, evening, zone, 'requester')).toEqual({ ok: true });
  });

  it.each(['denied', 'cancelled'] as const)('refuses to cancel a %s request', (status) => {
    expect(canCancel(buildRequest({ status }), now, zone, 'manager')).toEqual({
      ok: false,
      reason: 'already_closed',
    });
  });

  it('refuses anyone who is neither the requester nor a manager', () => {
    expect(canCancel(buildRequest({ status: 'pending' }), now, zone, 'other')).toEqual({
      ok: false,
      reason: 'not_permitted',
    });
  });
});
