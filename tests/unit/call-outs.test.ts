import fc from 'fast-check';
import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import type { StaffMember } from '../../src/config/office.ts';
import {
  doCallOutsOverlap,
  findCoverCandidates,
  parseCallOut,
  parseClockTime,
  toCallOutAbsence,
} from '../../src/domain/call-outs.ts';
import {
  type DigestAbsence,
  describeAbsenceSections,
  dropCoversOfAbsent,
  findRolesBelowCoverage,
} from '../../src/domain/coverage.ts';
import { buildOfficeConfig } from '../helpers/office.ts';

const zone = 'America/New_York';
const hours = { open: '08:00', close: '18:00' };
const staff: StaffMember[] = [
  { name: 'Dana Reyes', role: 'manager', manager: true },
  { name: 'Sam Lee', role: 'front-desk', manager: false },
  { name: 'Priya Shah', role: 'front-desk', manager: false, workdays: ['mon', 'wed', 'fri'] },
  { name: 'Ana Cruz', role: 'medical-assistant', manager: false },
  { name: 'Luis Ortega', role: 'billing', manager: false, covers: ['front-desk'] },
  { name: 'Grace Kim', role: 'nurse', manager: false, covers: ['medical-assistant'] },
];
const office = {
  ...buildOfficeConfig(),
  office: { id: 'main', name: 'Test Practice', timezone: zone, hours },
  staff,
  coverage: { 'front-desk': 1, 'medical-assistant': 1 },
};
const MONDAY = '2026-11-30';
const TUESDAY = '2026-12-01';
const NOW = DateTime.fromISO(`${MONDAY}T07:00`, { zone });

const callOut = (name: string, role: string, extra: Partial<DigestAbsence> = {}): DigestAbsence => ({
  name,
  role,
  start: MONDAY,
  end: MONDAY,
  part: 'full',
  ...extra,
});

describe('parseClockTime', () => {
  it.each([
    ['10:30', '10:30'],
    ['9', '09:00'],
    ['14.00', '14:00'],
    ['2pm', '14:00'],
    ['2:30 PM', '14:30'],
    ['12am', '00:00'],
  ])('reads %s as %s', (text, expected) => {
    expect(parseClockTime(text)).toBe(expected);
  });

  it.each(['25:00', '24:00', '13pm', '0am', '13:30 PM', '10:75', 'soon', '1030', '-1', ''])(
    'reads no time in %j',
    (text) => {
      expect(parseClockTime(text)).toBeUndefined();
    },
  );

  it('reads every valid 24-hour time back as itself', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 23 }), fc.integer({ min: 0, max: 59 }), (hour, minute) => {
        const written = `${String(hour).padStart(2, '0')}:${String(minute).padStart(2, '0')}`;
        expect(parseClockTime(written)).toBe(written);
      }),
    );
  });
});

describe('parseCallOut', () => {
  it('reads a sick day, today by default, with the rest as the reason', () => {
    expect(parseCallOut('sick fever since last night', NOW, office)).toEqual({
      ok: true,
      draft: {
        kind: 'sick',
        day: MONDAY,
        from: undefined,
        until: undefined,
        reason: 'fever since last night',
      },
    });
    expect(parseCallOut('sick tomorrow', NOW, office)).toMatchObject({ ok: true, draft: { day: TUESDAY } });
    expect(parseCallOut('sick dec 3', NOW, office)).toMatchObject({ ok: true, draft: { day: '2026-12-03' } });
  });

  it('reads late and leaving as part of today, with a time and a reason', () => {
    expect(parseCallOut('late 10:30 car', NOW, office)).toMatchObject({
      ok: true,
      draft: { kind: 'late', day: MONDAY, until: '10:30', reason: 'car' },
    });
    expect(parseCallOut('leaving 2 pm dentist', NOW, office)).toMatchObject({
      ok: true,
      draft: { kind: 'leaving', from: '14:00', reason: 'dentist' },
    });
  });

  it('refuses a late arrival or an early leaving for a day that is not today, naming the day', () => {
    expect(parseCallOut('late 10:30 tomorrow', NOW, office)).toEqual({
      ok: false,
      reason: 'not_today',
      kind: 'late',
      day: TUESDAY,
      today: MONDAY,
    });
    expect(parseCallOut('leaving 14:00 fri', NOW, office)).toMatchObject({
      ok: false,
      reason: 'not_today',
      kind: 'leaving',
      day: '2026-12-04',
    });
    expect(parseCallOut('late 9 am yesterday', NOW, office)).toMatchObject({
      reason: 'not_today',
      day: '2026-11-29',
    });
  });

  it('takes today named after the time, and does not keep it as the reason', () => {
    expect(parseCallOut('late 10:30 today', NOW, office)).toMatchObject({
      ok: true,
      draft: { kind: 'late', day: MONDAY, until: '10:30', reason: '' },
    });
    expect(parseCallOut('leaving 2pm mon dentist', NOW, office)).toMatchObject({
      ok: true,
      draft: { kind: 'leaving', day: MONDAY, from: '14:00', reason: 'dentist' },
    });
  });

  it('keeps a reason that only mentions a day later on', () => {
    expect(parseCallOut('leaving 14:00 dentist then school run friday', NOW, office)).toMatchObject({
      ok: true,
      draft: { day: MONDAY, reason: 'dentist then school run friday' },
    });
    expect(parseCallOut('late 10:30 2 kids sick', NOW, office)).toMatchObject({
      ok: true,
      draft: { day: MONDAY, reason: '2 kids sick' },
    });
    expect(parseCallOut('late 10:30 sat in traffic', NOW, office)).toMatchObject({
      ok: true,
      draft: { day: MONDAY, reason: 'sat in traffic' },
    });
    expect(parseCallOut('late 10:30 sun in my eyes on the road', NOW, office)).toMatchObject({
      ok: true,
      draft: { day: MONDAY, reason: 'sun in my eyes on the road' },
    });
    expect(parseCallOut('late 10:30 sat', NOW, office)).toMatchObject({ ok: false, reason: 'not_today' });
  });

  it.each([
    ['sick nov 27', 'past'],
    ['sick dec 5', 'closed'],
    ['sick dec 25', 'too_far'],
    ['sick dec 1 to dec 2', 'range'],
    ['sick dec 1 pm', 'half_day'],
    ['sick dec 1 to', 'range'],
    ['late', 'missing_time'],
    ['late noonish', 'not_a_time'],
    ['late 08:00', 'outside_hours'],
    ['leaving 18:00', 'outside_hours'],
    ['holiday', 'no_kind'],
  ])('refuses %j: %s', (text, reason) => {
    expect(parseCallOut(text, NOW, office)).toMatchObject({ ok: false, reason });
  });

  it('never accepts a day before today, whatever the day', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 80 }), (back) => {
        const day = NOW.minus({ days: back }).toFormat('LLL d').toLowerCase();
        const parsed = parseCallOut(`sick ${day}`, NOW, office);
        expect(parsed.ok && parsed.draft.day < MONDAY).toBe(false);
      }),
    );
  });
});

describe('doCallOutsOverlap', () => {
  it('sees a late arrival and an early leaving on one day apart, a full day over both', () => {
    const late = { day: MONDAY, from: undefined, until: '10:30' };
    const leaving = { day: MONDAY, from: '14:00', until: undefined };
    const allDay = { day: MONDAY, from: undefined, until: undefined };
    expect(doCallOutsOverlap(late, leaving, hours)).toBe(false);
    expect(doCallOutsOverlap(allDay, leaving, hours)).toBe(true);
    expect(doCallOutsOverlap(allDay, { ...allDay, day: TUESDAY }, hours)).toBe(false);
  });
});

describe('findCoverCandidates', () => {
  const find = (params: Partial<Parameters<typeof findCoverCandidates>[0]> = {}) =>
    findCoverCandidates({
      absentName: 'Sam Lee',
      role: 'front-desk',
      day: MONDAY,
      from: undefined,
      until: undefined,
      absences: [],
      covering: [],
      office,
      ...params,
    }).map((member) => member.name);

  it('asks the same role and whoever covers it, never the absent person', () => {
    expect(find()).toEqual(['Priya Shah', 'Luis Ortega']);
  });

  it('leaves out a part-timer on a day they do not work', () => {
    expect(find({ day: TUESDAY })).toEqual(['Luis Ortega']);
  });

  it('leaves out people away during the hours, but not those away at other hours', () => {
    expect(
      find({ absences: [callOut('Priya Shah', 'front-desk', { from: '14:00' })], until: '10:30' }),
    ).toEqual(['Priya Shah', 'Luis Ortega']);
    expect(find({ absences: [callOut('Priya Shah', 'front-desk', { part: 'am' })], until: '10:30' })).toEqual(
      ['Luis Ortega'],
    );
  });

  it('leaves out people already covering someone that day', () => {
    expect(find({ covering: ['Luis Ortega'] })).toEqual(['Priya Shah']);
  });

  it('asks nobody for a role nobody covers', () => {
    expect(find({ role: 'physician' })).toEqual([]);
  });
});

describe('coverage for part of a day', () => {
  it('is short only for the hours of a late arrival', () => {
    const absences = [
      callOut('Priya Shah', 'front-desk'),
      callOut('Sam Lee', 'front-desk', { until: '10:30' }),
    ];
    expect(findRolesBelowCoverage(MONDAY, absences, office)).toEqual([
      { role: 'front-desk', onDuty: 0, needed: 1, from: '08:00', until: '10:30' },
    ]);
  });

  it('counts a morning off and an early leaving apart, and both at once where they meet', () => {
    const absences = [
      callOut('Priya Shah', 'front-desk', { part: 'am' }),
      callOut('Sam Lee', 'front-desk', { from: '11:00' }),
    ];
    expect(findRolesBelowCoverage(MONDAY, absences, office)).toEqual([
      { role: 'front-desk', onDuty: 0, needed: 1, from: '11:00', until: '12:00' },
    ]);
  });

  it('counts a part-timer only on their workdays', () => {
    expect(
      findRolesBelowCoverage(
        TUESDAY,
        [{ ...callOut('Sam Lee', 'front-desk'), start: TUESDAY, end: TUESDAY }],
        office,
      ),
    ).toEqual([{ role: 'front-desk', onDuty: 0, needed: 1, from: '08:00', until: '18:00' }]);
    expect(findRolesBelowCoverage(MONDAY, [callOut('Sam Lee', 'front-desk')], office)).toEqual([]);
  });

  it('fills a covered absence, and takes the coverer from their own role', () => {
    const luisCovers = { name: 'Luis Ortega', role: 'billing' };
    const anaCoveredByGrace = { name: 'Grace Kim', role: 'nurse' };
    const absences = [
      callOut('Priya Shah', 'front-desk'),
      callOut('Sam Lee', 'front-desk', { coveredBy: luisCovers }),
      callOut('Ana Cruz', 'medical-assistant', { coveredBy: anaCoveredByGrace }),
    ];
    const covered = { ...office, coverage: { 'front-desk': 1, 'medical-assistant': 1, nurse: 1 } };
    expect(findRolesBelowCoverage(MONDAY, absences, covered)).toEqual([
      { role: 'nurse', onDuty: 0, needed: 1, from: '08:00', until: '18:00' },
    ]);
  });

  it('counts a covered absence again once its coverer is away then too, and keeps a cover for other hours', () => {
    const luisCovers = { name: 'Luis Ortega', role: 'billing' };
    const coveredAllDay = [
      callOut('Priya Shah', 'front-desk'),
      callOut('Sam Lee', 'front-desk', { coveredBy: luisCovers }),
      callOut('Luis Ortega', 'billing', { from: '14:00' }),
    ];
    const frontDesk = { ...office, coverage: { 'front-desk': 1 } };
    expect(dropCoversOfAbsent(coveredAllDay, office.office.hours)[1]?.coveredBy).toBeUndefined();
    expect(
      findRolesBelowCoverage(MONDAY, dropCoversOfAbsent(coveredAllDay, office.office.hours), frontDesk),
    ).toEqual([{ role: 'front-desk', onDuty: 0, needed: 1, from: '08:00', until: '18:00' }]);
    const coveredMorning = [
      callOut('Priya Shah', 'front-desk'),
      callOut('Sam Lee', 'front-desk', { until: '10:30', coveredBy: luisCovers }),
      callOut('Luis Ortega', 'billing', { from: '14:00' }),
    ];
    expect(dropCoversOfAbsent(coveredMorning, office.office.hours)[1]?.coveredBy).toEqual(luisCovers);
  });

  it('shows call-outs in the huddle with their hours, and who covers whom, never the kind', () => {
    const absences = [
      toCallOutAbsence(
        {
          personName: 'Sam Lee',
          personRole: 'front-desk',
          day: MONDAY,
          fromTime: null,
          untilTime: '10:30',
          coverState: 'confirmed',
          coverKey: 'staff:luis-ortega',
        },
        office,
      ),
      callOut('Priya Shah', 'front-desk'),
    ];
    const sections = describeAbsenceSections(MONDAY, absences, office);
    expect(sections).toContainEqual({ heading: 'Out today', lines: ['Sam Lee (until 10:30) · Priya Shah'] });
    expect(sections).toContainEqual({
      heading: 'Covering today',
      lines: ['Luis Ortega covers for Sam Lee (until 10:30)'],
    });
    expect(sections).toContainEqual({ heading: 'Coverage', lines: [] });
  });
});

describe('the huddle names each person away once', () => {
  it('joins overlapping parts of one person’s day into one, in a part’s own words when it holds the rest', () => {
    const outIn = (absences: DigestAbsence[]) =>
      describeAbsenceSections(MONDAY, absences, office).find((section) => section.heading === 'Out today')
        ?.lines;
    expect(
      outIn([
        callOut('Sam Lee', 'front-desk', { part: 'am' }),
        callOut('Sam Lee', 'front-desk', { until: '10:30' }),
      ]),
    ).toEqual(['Sam Lee (morning)']);
    expect(
      outIn([
        callOut('Sam Lee', 'front-desk', { from: '10:00', until: '12:00' }),
        callOut('Sam Lee', 'front-desk', { from: '11:00' }),
        callOut('Sam Lee', 'front-desk', { until: '09:00' }),
      ]),
    ).toEqual(['Sam Lee (until 9:00, from 10:00)']);
  });

  it('names someone with time off and a call-out that day once, with each part of the day, as off all day if either says so', () => {
    const sections = describeAbsenceSections(
      MONDAY,
      [
        callOut('Sam Lee', 'front-desk', { part: 'pm' }),
        callOut('Sam Lee', 'front-desk', { until: '10:30' }),
      ],
      office,
    );
    expect(sections).toContainEqual({ heading: 'Out today', lines: ['Sam Lee (until 10:30, afternoon)'] });
    const lateAndEarly = describeAbsenceSections(
      MONDAY,
      [
        callOut('Sam Lee', 'front-desk', { until: '10:30' }),
        callOut('Sam Lee', 'front-desk', { from: '15:00' }),
        callOut('Priya Shah', 'front-desk', { from: '10:00', until: '12:00' }),
      ],
      office,
    );
    expect(lateAndEarly).toContainEqual({
      heading: 'Out today',
      lines: ['Sam Lee (until 10:30, from 15:00) · Priya Shah (10:00–12:00)'],
    });
    // A morning off and a call-out from noon leave no part of the day: off all day.
    const together = describeAbsenceSections(
      MONDAY,
      [callOut('Sam Lee', 'front-desk', { part: 'am' }), callOut('Sam Lee', 'front-desk', { from: '12:00' })],
      office,
    );
    expect(together).toContainEqual({ heading: 'Out today', lines: ['Sam Lee'] });
    const allDay = describeAbsenceSections(
      MONDAY,
      [callOut('Sam Lee', 'front-desk', { until: '10:30' }), callOut('Sam Lee', 'front-desk')],
      office,
    );
    expect(allDay).toContainEqual({ heading: 'Out today', lines: ['Sam Lee'] });
  });
});
