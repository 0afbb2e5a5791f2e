import fc from 'fast-check';
import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { parseDocument } from 'yaml';
import { type CheckConfig, type CheckField, parseOfficeConfig } from '../../src/config/office.ts';
import {
  CHECK_SENSE_MARGIN,
  chooseCheckAssignee,
  formatSlotKey,
  isOutOfRange,
  listCheckSlots,
  parseReadingNumber,
  parseSlotKey,
  readCheckReading,
} from '../../src/domain/checks.ts';
import type { DigestAbsence } from '../../src/domain/coverage.ts';
import { buildOfficeConfig, readExampleOfficeYaml } from '../helpers/office.ts';

const office = buildOfficeConfig();
const zone = office.office.timezone; // America/New_York

const temp: Extract<CheckField, { type: 'number' }> = {
  id: 'temp',
  label: 'Temperature °C',
  type: 'number',
  min: 2,
  max: 8,
};
const fridge: CheckConfig = {
  id: 'fridge',
  name: 'Vaccine fridge',
  times: ['08:00', '16:30'],
  days: ['mon', 'tue', 'wed', 'thu', 'fri'],
  assignee: { role: 'medical-assistant' },
  fields: [temp],
  graceMinutes: 60,
};
const everyDay: CheckConfig['days'] = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];

describe('listCheckSlots', () => {
  it('gives each time on a weekday as an instant in the office zone, with the reminder graceMinutes later', () => {
    const slots = listCheckSlots(fridge, '2026-11-30', office); // Mon
    expect(slots.map((slot) => [slot.time, slot.dueAt.toISO(), slot.remindAt.toISO()])).toEqual([
      ['08:00', '2026-11-30T08:00:00.000-05:00', '2026-11-30T09:00:00.000-05:00'],
      ['16:30', '2026-11-30T16:30:00.000-05:00', '2026-11-30T17:30:00.000-05:00'],
    ]);
  });

  it('has none on a day the check is not due, or on an office holiday', () => {
    expect(listCheckSlots(fridge, '2026-11-28', office)).toEqual([]); // Sat
    expect(listCheckSlots(fridge, '2026-11-26', office)).toEqual([]); // Thu, Thanksgiving in the example
  });

  it('keeps the office-clock time across the spring DST change (2026-03-08, New York)', () => {
    const check = { ...fridge, days: everyDay, times: ['01:30', '02:30', '08:00'] };
    const slots = listCheckSlots(check, '2026-03-08', office); // Sun, clocks jump 02:00 → 03:00
    expect(slots.map((slot) => slot.dueAt.toISO())).toEqual([
      '2026-03-08T01:30:00.000-05:00',
      // 02:30 does not exist that day: it moves forward by the jump.
      '2026-03-08T03:30:00.000-04:00',
      '2026-03-08T08:00:00.000-04:00',
    ]);
    // 08:00 is 08:00 on the wall clock both days, though the day before is an hour longer in UTC.
    expect(slots[2]?.dueAt.diff(DateTime.fromISO('2026-03-07T08:00', { zone }), 'hours').hours).toBe(23);
  });

  it('keeps the office-clock time across the autumn DST change (2026-11-01, New York)', () => {
    const check = { ...fridge, days: everyDay, times: ['01:30', '08:00'], graceMinutes: 90 };
    const slots = listCheckSlots(check, '2026-11-01', office); // Sun, clocks fall back 02:00 → 01:00
    expect(slots.map((slot) => slot.dueAt.toISO())).toEqual([
      // 01:30 happens twice: the check is due once, the second time, like every schedule.
      '2026-11-01T01:30:00.000-05:00',
      '2026-11-01T08:00:00.000-05:00',
    ]);
    expect(slots[0]?.remindAt.toISO()).toBe('2026-11-01T03:00:00.000-05:00');
    // The day is 25 hours long: 08:00 is still 08:00 on the wall clock.
    expect(slots[1]?.dueAt.diff(DateTime.fromISO('2026-10-31T08:00', { zone }), 'hours').hours).toBe(25);
  });

  it('lists times earliest first whatever order the config gives', () => {
    const slots = listCheckSlots({ ...fridge, times: ['16:30', '08:00'] }, '2026-11-30', office);
    expect(slots.map((slot) => slot.time)).toEqual(['08:00', '16:30']);
  });
});

describe('formatSlotKey / parseSlotKey', () => {
  it('round-trips a slot as the job run key', () => {
    const [slot] = listCheckSlots(fridge, '2026-11-30', office);
    const key = slot ? formatSlotKey(slot) : '';
    expect(key).toBe('fridge/2026-11-30/08:00');
    expect(parseSlotKey(key)).toEqual({ checkId: 'fridge', day: '2026-11-30', time: '08:00' });
  });

  it.each(['', 'fridge', 'fridge/2026-11-30', 'FRIDGE/2026-11-30/08:00', 'fridge/2026-11-30/8am'])(
    'reads %j as no slot',
    (text) => {
      expect(parseSlotKey(text)).toBeUndefined();
    },
  );
});

describe('chooseCheckAssignee', () => {
  const names = (day: string, time: string, absences: DigestAbsence[] = [], check = fridge) =>
    chooseCheckAssignee(check, day, time, office, absences)?.name;
  const sick = (name: string, day: string): DigestAbsence => ({
    name,
    role: 'medical-assistant',
    start: day,
    end: day,
    part: 'full',
  });

  it('picks the first of the role on the staff list', () => {
    expect(names('2026-11-30', '08:00')).toBe('Ana Cruz');
  });

  it('skips someone on approved leave or out sick, and nobody when all of the role are out', () => {
    expect(names('2026-11-30', '08:00', [sick('Ana Cruz', '2026-11-30')])).toBe('Marcus Bell');
    expect(
      names('2026-11-30', '08:00', [sick('Ana Cruz', '2026-11-30'), sick('Marcus Bell', '2026-11-30')]),
    ).toBeUndefined();
  });

  it('counts a partial absence only at the check’s time', () => {
    const late: DigestAbsence = { ...sick('Ana Cruz', '2026-11-30'), until: '10:30' };
    expect(names('2026-11-30', '08:00', [late])).toBe('Marcus Bell');
    expect(names('2026-11-30', '16:30', [late])).toBe('Ana Cruz');
    // Before opening counts as the first open minute: someone in late is not there either.
    expect(names('2026-11-30', '07:00', [late])).toBe('Marcus Bell');
  });

  it('skips someone whose part-time pattern leaves that day out', () => {
    const partTime = {
      ...office,
      staff: office.staff.map((member) =>
        member.name === 'Ana Cruz' ? { ...member, workdays: ['tue' as const] } : member,
      ),
    };
    expect(chooseCheckAssignee(fridge, '2026-11-30', '08:00', partTime, [])?.name).toBe('Marcus Bell');
    expect(chooseCheckAssignee(fridge, '2026-12-01', '08:00', partTime, [])?.name).toBe('Ana Cruz');
  });

  it('rotates named staff by day, and falls to the next in the rotation when it is someone’s turn but they are out', () => {
    const rotating = { ...fridge, assignee: { rotation: ['Ana Cruz', 'Marcus Bell'] } };
    const monday = names('2026-11-30', '08:00', [], rotating);
    const tuesday = names('2026-12-01', '08:00', [], rotating);
    expect(new Set([monday, tuesday])).toEqual(new Set(['Ana Cruz', 'Marcus Bell']));
    expect(names('2026-12-02', '08:00', [], rotating)).toBe(monday);
    expect(names('2026-11-30', '08:00', [sick(monday ?? '', '2026-11-30')], rotating)).toBe(tuesday);
  });

  it('always picks someone of the role at work when anyone is (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 364 }),
        fc.boolean(),
        fc.boolean(),
        (offset, anaOut, marcusOut) => {
          const day = DateTime.fromISO('2026-01-05', { zone }).plus({ days: offset }).toISODate() ?? '';
          const absences = [
            ...(anaOut ? [sick('Ana Cruz', day)] : []),
            ...(marcusOut ? [sick('Marcus Bell', day)] : []),
          ];
          const chosen = chooseCheckAssignee(fridge, day, '08:00', office, absences);
          const workday = DateTime.fromISO(day).weekday <= 5 && !office.timeoff.holidays.includes(day);
          if (!workday || (anaOut && marcusOut)) expect(chosen).toBeUndefined();
          else expect(chosen?.name).toBe(anaOut ? 'Marcus Bell' : 'Ana Cruz');
        },
      ),
    );
  });
});

describe('readCheckReading', () => {
  it('reads an in-range number and needs no action taken', () => {
    expect(readCheckReading(fridge, { temp: ' 4.5 ' }, '')).toEqual({
      ok: true,
      values: [{ fieldId: 'temp', label: 'Temperature °C', value: '4.5', outOfRange: false }],
      outOfRange: false,
      actionTaken: undefined,
    });
  });

  it('takes the limits themselves as in range, and a comma as the decimal point', () => {
    expect(readCheckReading(fridge, { temp: '2' }, '')).toMatchObject({ ok: true, outOfRange: false });
    expect(readCheckReading(fridge, { temp: '8,0' }, '')).toMatchObject({
      ok: true,
      values: [{ value: '8' }],
    });
  });

  it('asks for the action taken when a value is out of range, and keeps it when given', () => {
    for (const blank of [' ', '\u200b\u200d', '\u202e', '\u3164']) {
      expect(readCheckReading(fridge, { temp: '9.1' }, blank)).toEqual({
        ok: false,
        errors: { action: 'Temperature °C is out of range: say what you did about it (required).' },
      });
    }
    expect(readCheckReading(fridge, { temp: '4' }, '\u200b')).toMatchObject({
      ok: true,
      actionTaken: undefined,
    });
    expect(readCheckReading(fridge, { temp: '9.1' }, 'Moved vaccines to backup fridge')).toMatchObject({
      ok: true,
      outOfRange: true,
      actionTaken: 'Moved vaccines to backup fridge',
      values: [{ value: '9.1', outOfRange: true }],
    });
  });

  it.each([
    ['', /Enter Temperature °C/],
    ['warm', /"warm" is not a number/],
    ['1e3', /not a number/],
    // A thousands comma or a decimal one? Neither is guessed: `5,000` is not stored as 5.
    ['5,000', /"5,000" is not a number/],
    ['1,013', /not a number/],
    ['500', /not a believable reading.*more than 50 beyond it are refused/],
    ['-48.5', /not a believable reading/],
  ])('refuses %j with a clear word on the field', (typed, expected) => {
    const read = readCheckReading(fridge, { temp: typed }, 'whatever');
    expect(read.ok).toBe(false);
    expect(read.ok ? '' : read.errors.temp).toMatch(expected);
  });

  it('reads a decimal comma before one or two digits', () => {
    expect(parseReadingNumber('4,5')).toBe(4.5);
    expect(parseReadingNumber('-2,25')).toBe(-2.25);
  });

  it('reads yes/no answers, out of range when not the expected one, and keeps a note as typed', () => {
    const check: CheckConfig = {
      ...fridge,
      fields: [
        { id: 'sealed', label: 'Door sealed', type: 'yesno', expected: 'yes' },
        { id: 'note', label: 'Note', type: 'text' },
      ],
    };
    expect(readCheckReading(check, { sealed: 'Yes', note: '' }, '')).toMatchObject({
      ok: true,
      outOfRange: false,
    });
    expect(readCheckReading(check, { sealed: 'no', note: '=cmd' }, 'Called the technician')).toMatchObject({
      ok: true,
      outOfRange: true,
      values: [{ value: 'no', outOfRange: true }, { value: '=cmd' }],
    });
    expect(readCheckReading(check, { sealed: 'yes', note: '\u200b\u2060' }, '')).toMatchObject({
      values: [{ value: 'yes' }, { value: '' }],
    });
    expect(readCheckReading(check, { sealed: 'maybe' }, '')).toEqual({
      ok: false,
      errors: { sealed: 'Answer Door sealed with yes or no.' },
    });
  });

  it('marks a number out of range exactly when it is outside min–max, and refuses it only beyond the margin (property)', () => {
    fc.assert(
      fc.property(fc.double({ min: -200, max: 200, noNaN: true }), (raw) => {
        const value = Math.round(raw * 10) / 10;
        const read = readCheckReading(fridge, { temp: value.toFixed(1) }, 'done');
        const beyond = value < 2 - CHECK_SENSE_MARGIN || value > 8 + CHECK_SENSE_MARGIN;
        expect(read.ok).toBe(!beyond);
        if (read.ok) expect(read.outOfRange).toBe(value < 2 || value > 8);
        expect(isOutOfRange(temp, value)).toBe(value < 2 || value > 8);
      }),
    );
  });

  it('reads back every number it writes (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: -100_000, max: 100_000 }),
        fc.integer({ min: 0, max: 99 }),
        (whole, cents) => {
          const text = `${whole}.${String(cents).padStart(2, '0')}`;
          expect(parseReadingNumber(text)).toBeCloseTo(Number(text), 6);
        },
      ),
    );
  });
});

describe('office config checks', () => {
  /** The example office with a `checks` section (the example has it only as a comment). */
  const withChecks = (checks: unknown) => {
    const document = parseDocument(readExampleOfficeYaml());
    document.set('checks', checks);
    return document.toString();
  };
  const base = {
    id: 'fridge',
    name: 'Vaccine fridge',
    times: ['08:00', '16:30'],
    days: ['mon', 'tue', 'wed', 'thu', 'fri'],
    assignee: { role: 'medical-assistant' },
    fields: [{ id: 'temp', label: 'Temperature °C', type: 'number', min: 2, max: 8 }],
  };

  it('has no checks without the key, and fills graceMinutes', () => {
    expect(office.checks).toBeUndefined();
    expect(parseOfficeConfig(withChecks([base]), 'office.yaml').checks).toEqual([
      { ...base, graceMinutes: 60 },
    ]);
  });

  it.each([
    [{ fields: [{ ...base.fields[0], min: 9 }] }, 'checks.0.fields.0.min: is larger than max (8)'],
    [
      { assignee: { role: 'janitor' } },
      'checks.0.assignee.role: janitor is not the role of anyone on the staff list',
    ],
    [
      { assignee: { rotation: ['Ana Cruz', 'Pat Nobody'] } },
      'checks.0.assignee.rotation.1: Pat Nobody is not in staff; use a name exactly as the staff list has it',
    ],
    [
      { assignee: { role: 'medical-assistant', rotation: ['Ana Cruz'] } },
      'checks.0.assignee: give either role or rotation (a list of staff names), not both',
    ],
    [{ times: ['8am'] }, 'checks.0.times.0: expected a 24-hour time like "07:45"'],
    [{ times: ['08:00', '08:00'] }, 'checks.0.times.1: 08:00 is listed twice'],
    [
      { times: ['08:00', '23:30'] },
      'checks.0.times.1: 23:30 plus graceMinutes (60) runs past midnight; a check is recorded on its own day',
    ],
    [
      { times: ['16:30'], graceMinutes: 480 },
      'checks.0.times.0: 16:30 plus graceMinutes (480) runs past midnight; a check is recorded on its own day',
    ],
    [
      { fields: [{ id: 'temp', label: 'T', type: 'color' }] },
      'checks.0.fields.0.type: expected a field type',
    ],
    [{ colour: 'red' }, 'checks.0.colour: is not a setting frontdesk knows'],
  ])('refuses %j with one line naming the key', (change, expected) => {
    expect(() => parseOfficeConfig(withChecks([{ ...base, ...change }]), 'office.yaml')).toThrow(
      `office.yaml: ${expected}`,
    );
  });

  it('refuses two checks with one id', () => {
    expect(() => parseOfficeConfig(withChecks([base, { ...base, name: 'Other' }]), 'office.yaml')).toThrow(
      'office.yaml: checks.1.id: fridge is used twice',
    );
  });
});
