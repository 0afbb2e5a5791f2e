import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { type OfficeConfig, parseOfficeConfig } from '../../src/config/office.ts';
import {
  checkBookingWindow,
  evaluateRepBooking,
  findCapMonth,
  findDueRepReminders,
  findOpenRepSlots,
  findRepSlot,
  findVisitsDuringTimeOff,
  formatSlotKey,
  listRepSlots,
  matchStaffNames,
  normalizeCompany,
  parseRepBookingText,
  parseSlotKey,
  type RepBookingDraft,
  type RepVisit,
  readRepRules,
} from '../../src/domain/rep-meetings.ts';
import { readExampleOfficeYaml } from '../helpers/office.ts';

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
    { name: 'Sam Lee', role: 'front-desk', manager: false },
    { name: 'Dr. Helen Park', role: 'physician', manager: false },
    { name: 'Dr. Omar Haddad', role: 'physician', manager: true },
    { name: 'Dana Reyes', role: 'manager', manager: true },
  ],
  coverage: {},
  timeoff: {
    allowanceDays: 15,
    workdays: ['mon', 'tue', 'wed', 'thu', 'fri'],
    holidays: ['2026-11-26', '2026-12-25'],
  },
  digest: { time: '07:45', days: ['mon', 'tue', 'wed', 'thu', 'fri'], catchUpMinutes: 120 },
  reminders: { pendingHours: 24, time: '10:00' },
  reps: {
    minutes: 20,
    slots: [
      { day: 'tue', time: '12:00' },
      { day: 'wed', time: '12:00' },
      { day: 'thu', time: '12:00' },
    ],
  },
  supplies: { catalog: [] },
};

function withReps(reps: Partial<OfficeConfig['reps']>): OfficeConfig {
  return { ...office, reps: { ...office.reps, ...reps } };
}

function draft(overrides: Partial<RepBookingDraft> = {}): RepBookingDraft {
  return { day: '2026-12-02', time: '12:00', repName: 'Jordan Smith', company: 'Acme Pharma', ...overrides };
}

describe('readRepRules', () => {
  it('fills in the defaults an office config leaves out', () => {
    expect(readRepRules(office)).toEqual({
      closed: [],
      minNoticeHours: 24,
      maxWeeksAhead: 8,
      maxPerCompanyPerMonth: 2,
      reminderMinutes: 60,
    });
  });

  it('reads the optional rules from the office config file, and refuses a short calendar token', () => {
    const yaml = readExampleOfficeYaml().replace(
      '  minutes: 20\n',
      '  minutes: 20\n  closed: [2026-12-09]\n  maxPerCompanyPerMonth: 3\n  reminderMinutes: 30\n',
    );
    const parsed = parseOfficeConfig(yaml, 'office.yaml');
    expect(readRepRules(parsed)).toMatchObject({
      closed: ['2026-12-09'],
      maxPerCompanyPerMonth: 3,
      reminderMinutes: 30,
    });
    const short = readExampleOfficeYaml().replace('  minutes: 20\n', '  minutes: 20\n  calendarToken: abc\n');
    expect(() => parseOfficeConfig(short, 'office.yaml')).toThrow(/reps\.calendarToken: expected 24 to 128/);
  });
});

describe('listRepSlots', () => {
  it('lists the configured weekday slots at their time in the office zone, 20 minutes long', () => {
    const slots = listRepSlots('2026-11-30', '2026-12-06', office); // Mon – Sun
    expect(slots.map(formatSlotKey)).toEqual(['2026-12-01T12:00', '2026-12-02T12:00', '2026-12-03T12:00']);
    expect(slots[0]?.start.toUTC().toISO()).toBe('2026-12-01T17:00:00.000Z');
    expect(slots[0]?.end.diff(slots[0].start, 'minutes').minutes).toBe(20);
  });

  it('skips office holidays and reps.closed days', () => {
    const closed = withReps({ closed: ['2026-11-25'] });
    const slots = listRepSlots('2026-11-24', '2026-11-26', closed); // Tue – Thu, Thanksgiving on Thu
    expect(slots.map(formatSlotKey)).toEqual(['2026-11-24T12:00']);
  });

  it('keeps the wall time across the autumn DST change', () => {
    const slots = listRepSlots(
      '2026-10-27',
      '2026-11-03',
      withReps({ slots: [{ day: 'tue', time: '12:00' }] }),
    );
    expect(slots.map((slot) => slot.start.toUTC().toFormat('yyyy-MM-dd HH:mm'))).toEqual([
      '2026-10-27 16:00', // Tue, EDT
      '2026-11-03 17:00', // Tue, EST
    ]);
  });

  it('drops a slot whose time the spring-forward jump skips, and keeps one in the repeated autumn hour', () => {
    const sunday = withReps({ slots: [{ day: 'sun', time: '02:30' }], minutes: 20 });
    expect(listRepSlots('2026-03-08', '2026-03-08', sunday)).toEqual([]); // Sun, 2:00 → 3:00
    const autumn = withReps({ slots: [{ day: 'sun', time: '01:30' }] });
    const [slot] = listRepSlots('2026-11-01', '2026-11-01', autumn); // Sun, 2:00 → 1:00
    expect(slot?.start.toFormat('HH:mm')).toBe('01:30');
  });
});

describe('findOpenRepSlots', () => {
  it('lists the next 14 days without taken slots, slots inside the notice, or the holiday', () => {
    const open = findOpenRepSlots({ now, office, taken: new Set(['2026-12-02T12:00']) });
    // Wed Nov 25 noon is 2 hours away, Thu Nov 26 is Thanksgiving, Dec 9 is the 15th day.
    expect(open.map(formatSlotKey)).toEqual(['2026-12-01T12:00', '2026-12-03T12:00', '2026-12-08T12:00']);
  });

  it('stops at reps.maxWeeksAhead', () => {
    const open = findOpenRepSlots({ now, office: withReps({ maxWeeksAhead: 1 }), taken: new Set() });
    expect(open.map(formatSlotKey)).toEqual(['2026-12-01T12:00', '2026-12-02T12:00']);
  });
});

describe('checkBookingWindow', () => {
  const slot = (day: string) => findRepSlot(day, '12:00', office) ?? expect.fail(`no slot on ${day}`);

  it('refuses a slot less than reps.minNoticeHours ahead, and one that has started', () => {
    expect(checkBookingWindow(slot('2026-11-25'), now, office)).toMatchObject({
      ok: false,
      reason: 'too_soon',
    });
    expect(checkBookingWindow(slot('2026-11-24'), now, office)).toMatchObject({
      ok: false,
      reason: 'in_the_past',
    });
    const justEnough = DateTime.fromISO('2026-11-30T12:00', { zone }); // Mon, 24 hours before
    expect(checkBookingWindow(slot('2026-12-01'), justEnough, office)).toEqual({ ok: true });
  });

  it('refuses a slot more than reps.maxWeeksAhead weeks ahead', () => {
    expect(checkBookingWindow(slot('2027-01-20'), now, office)).toEqual({ ok: true }); // Wed, 8 weeks on
    expect(checkBookingWindow(slot('2027-01-21'), now, office)).toMatchObject({
      ok: false,
      reason: 'too_far',
      maxWeeksAhead: 8,
    });
  });
});

describe('evaluateRepBooking', () => {
  const evaluate = (
    overrides: Partial<RepBookingDraft> = {},
    companyVisitsInMonth = 0,
    at = now,
    on = office,
  ) => evaluateRepBooking({ draft: draft(overrides), now: at, office: on, companyVisitsInMonth });

  it('accepts a configured slot with the normalised company', () => {
    const result = evaluate({ company: 'Acme Pharma, Inc.' });
    expect(result).toMatchObject({ ok: true, companyKey: 'acmepharmainc' });
    expect(result.ok && formatSlotKey(result.slot)).toBe('2026-12-02T12:00');
  });

  it.each([
    ['a missing rep name', { repName: '  ' }, 'rep_name_missing'],
    ['a rep name over 200 characters', { repName: 'x'.repeat(201) }, 'rep_name_too_long'],
    ['a missing company', { company: '' }, 'company_missing'],
    ['a company of punctuation only', { company: '—' }, 'company_missing'],
    ['a company over 200 characters', { company: 'y'.repeat(201) }, 'company_too_long'],
    ['a past day', { day: '2026-11-24' }, 'in_the_past'],
    ['a holiday', { day: '2026-11-26' }, 'holiday'],
    ['a time that is not a slot', { time: '13:00' }, 'not_a_slot'],
    ['a weekday without slots', { day: '2026-12-04' }, 'not_a_slot'],
    ['a slot inside the notice', { day: '2026-11-25' }, 'too_soon'],
    ['a slot beyond 8 weeks', { day: '2027-02-02' }, 'too_far'],
  ])('refuses %s', (_label, overrides, reason) => {
    expect(evaluate(overrides)).toMatchObject({ ok: false, reason });
  });

  it('accepts exactly 200 characters', () => {
    expect(evaluate({ repName: 'x'.repeat(200), company: 'y'.repeat(200) })).toMatchObject({ ok: true });
  });

  it('refuses a reps.closed day', () => {
    const closed = withReps({ closed: ['2026-12-02'] });
    expect(evaluate({}, 0, now, closed)).toMatchObject({ ok: false, reason: 'closed_day' });
  });

  it('names the day’s slot times when the time is wrong', () => {
    expect(evaluate({ time: '12:30' })).toMatchObject({ reason: 'not_a_slot', times: ['12:00'] });
    expect(evaluate({ day: '2026-12-04' })).toMatchObject({ reason: 'not_a_slot', times: [] });
  });

  it('caps a company at reps.maxPerCompanyPerMonth visits in the slot’s month', () => {
    expect(evaluate({}, 1)).toMatchObject({ ok: true });
    expect(evaluate({}, 2)).toEqual({ ok: false, reason: 'company_cap', count: 2, max: 2, month: '2026-12' });
    expect(evaluate({}, 2, now, withReps({ maxPerCompanyPerMonth: 3 }))).toMatchObject({ ok: true });
  });
});

describe('normalizeCompany', () => {
  it('compares company names without case, spaces or punctuation', () => {
    expect(normalizeCompany('Acme Pharma, Inc.')).toBe(normalizeCompany('ACME pharma inc'));
    expect(normalizeCompany('Bayer-Schering')).toBe(normalizeCompany('bayer schering'));
    expect(normalizeCompany('Édition Médica')).toBe('editionmedica');
    expect(normalizeCompany('Acme')).not.toBe(normalizeCompany('Acme Pharma'));
  });
});

describe('findCapMonth', () => {
  it('names the calendar month of a day with its first and last day', () => {
    expect(findCapMonth('2026-11-26')).toEqual({ month: '2026-11', first: '2026-11-01', last: '2026-11-30' });
    expect(findCapMonth('2028-02-10')).toEqual({ month: '2028-02', first: '2028-02-01', last: '2028-02-29' });
    expect(findCapMonth('2026-02-30')).toBeUndefined();
  });
});

describe('parseRepBookingText', () => {
  it.each([
    ['2026-12-02 12:00 Jordan Smith from Acme Pharma', '2026-12-02', '12:00'],
    ['dec 2 noon Jordan Smith from Acme Pharma', '2026-12-02', '12:00'],
    ['wed 12pm Jordan Smith from Acme Pharma', '2026-11-25', '12:00'],
    ['2026-12-02 1:30 p.m. Jordan Smith from Acme Pharma', '2026-12-02', '13:30'],
    ['tomorrow 09:15 Jordan Smith from Acme Pharma', '2026-11-26', '09:15'],
  ])('reads %s', (text, day, time) => {
    expect(parseRepBookingText(text, now, zone)).toEqual({
      ok: true,
      day,
      time,
      repName: 'Jordan Smith',
      company: 'Acme Pharma',
    });
  });

  it('keeps "from" inside the company after the first one', () => {
    expect(parseRepBookingText('dec 2 12:00 Jo Li from Made From Nature', now, zone)).toMatchObject({
      repName: 'Jo Li',
      company: 'Made From Nature',
    });
  });

  it.each([
    ['Jordan Smith from Acme', 'no_date'],
    ['2026-02-30 12:00 Jordan Smith from Acme', 'unparseable_date'],
    ['dec 1 to dec 3 12:00 Jordan Smith from Acme', 'not_one_day'],
    ['dec 2 Jordan Smith from Acme', 'no_time'],
    ['dec 2 12 Jordan Smith from Acme', 'no_time'],
    ['dec 2 25:00 Jordan Smith from Acme', 'no_time'],
    ['dec 2 12:00 Jordan Smith', 'no_company'],
    ['dec 2 12:00 from Acme', 'no_company'],
  ])('refuses %s', (text, reason) => {
    expect(parseRepBookingText(text, now, zone)).toMatchObject({ ok: false, reason });
  });
});

describe('parseSlotKey', () => {
  it('reads a slot key and nothing else', () => {
    expect(parseSlotKey('2026-12-02T12:00')).toEqual({ day: '2026-12-02', time: '12:00' });
    expect(parseSlotKey('2026-12-02 12:00')).toBeUndefined();
    expect(parseSlotKey('RM-5')).toBeUndefined();
  });
});

describe('matchStaffNames', () => {
  it('matches full names, names without a title and unique last names, and lists the rest', () => {
    const result = matchStaffNames('Dr. Helen Park, omar haddad and Lee; Nobody', office.staff);
    expect(result.members.map((member) => member.name)).toEqual([
      'Dr. Helen Park',
      'Dr. Omar Haddad',
      'Sam Lee',
    ]);
    expect(result.unknown).toEqual(['Nobody']);
    expect(matchStaffNames('', office.staff)).toEqual({ members: [], unknown: [] });
  });
});

describe('findVisitsDuringTimeOff', () => {
  const visit = (reference: string, day: string, time: string, providerKeys: string[]): RepVisit => ({
    reference,
    day,
    time,
    repName: 'Jordan Smith',
    company: 'Acme',
    providerKeys,
  });
  const visits = [
    visit('RM-1', '2026-12-01', '12:00', ['staff:dr-helen-park']),
    visit('RM-2', '2026-12-02', '12:00', ['staff:dr-omar-haddad']),
    visit('RM-3', '2026-12-03', '09:00', ['staff:dr-helen-park', 'staff:dr-omar-haddad']),
    visit('RM-4', '2026-12-08', '12:00', ['staff:dr-helen-park']),
  ];

  it('finds the visits on the days off that expect the provider', () => {
    const off = {
      personKey: 'staff:dr-helen-park',
      start: '2026-12-01',
      end: '2026-12-03',
      part: 'full' as const,
    };
    expect(findVisitsDuringTimeOff(visits, off).map((found) => found.reference)).toEqual(['RM-1', 'RM-3']);
  });

  it('counts a morning off for visits before noon and an afternoon off from noon', () => {
    const am = {
      personKey: 'staff:dr-helen-park',
      start: '2026-12-03',
      end: '2026-12-03',
      part: 'am' as const,
    };
    const pm = { ...am, part: 'pm' as const };
    expect(findVisitsDuringTimeOff(visits, am).map((found) => found.reference)).toEqual(['RM-3']);
    expect(findVisitsDuringTimeOff(visits, pm)).toEqual([]);
  });
});

describe('findDueRepReminders', () => {
  const at = (iso: string) => DateTime.fromISO(iso, { zone });
  const visits = [{ id: 1, start: at('2026-12-01T12:00') }];

  it('is due from reps.reminderMinutes before the visit until it starts, late after two minutes', () => {
    expect(findDueRepReminders(visits, at('2026-12-01T10:59'), office)).toEqual([]);
    expect(findDueRepReminders(visits, at('2026-12-01T11:00'), office)).toMatchObject([{ late: false }]);
    expect(findDueRepReminders(visits, at('2026-12-01T11:30'), office)).toMatchObject([{ late: true }]);
    expect(findDueRepReminders(visits, at('2026-12-01T12:00'), office)).toEqual([]);
  });

  it('follows reps.reminderMinutes', () => {
    const due = findDueRepReminders(visits, at('2026-12-01T11:45'), withReps({ reminderMinutes: 15 }));
    expect(due[0]?.remindAt.toFormat('HH:mm')).toBe('11:45');
    expect(findDueRepReminders(visits, at('2026-12-01T11:30'), withReps({ reminderMinutes: 15 }))).toEqual(
      [],
    );
  });
});
