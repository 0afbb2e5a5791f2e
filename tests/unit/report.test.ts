import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { type OfficeConfig, parseOfficeConfig } from '../../src/config/office.ts';
import {
  buildReportFigures,
  findFirstWorkingDayOfMonth,
  formatRate,
  getMonthRange,
  parseReportPeriod,
  type ReportFacts,
  type ReportPeriod,
} from '../../src/domain/report.ts';
import { buildOfficeConfig, readExampleOfficeYaml } from '../helpers/office.ts';

const office = buildOfficeConfig();
const zone = office.office.timezone; // America/New_York
const at = (iso: string) => DateTime.fromISO(iso, { zone });

function period(text: string, now = at('2026-12-01T09:00')): ReportPeriod {
  const parsed = parseReportPeriod(text, now, zone);
  if (!parsed.ok) throw new Error(`no period for ${text}`);
  return parsed.period;
}

const NO_FACTS: ReportFacts = {
  timeOff: [],
  absences: [],
  cleared: () => true,
  callOuts: [],
  supplyLines: [],
  stockCounts: [],
  complaints: [],
  repVisits: [],
  checkReadings: [],
  firstCheckReadings: {},
  firstUsedOn: undefined,
};

describe('getMonthRange', () => {
  it('runs from midnight to midnight in the office zone across the spring DST change (743 hours)', () => {
    const march = getMonthRange(2026, 3, zone);
    expect(march.start.toISO()).toBe('2026-03-01T00:00:00.000-05:00');
    expect(march.end.toISO()).toBe('2026-04-01T00:00:00.000-04:00');
    expect(march.end.diff(march.start, 'hours').hours).toBe(743);
    expect([march.first, march.last]).toEqual(['2026-03-01', '2026-03-31']);
  });

  it('gains the fall-back hour in November (721 hours)', () => {
    const november = getMonthRange(2026, 11, zone);
    expect(november.end.diff(november.start, 'hours').hours).toBe(721);
  });

  it('ends December at the New Year’s midnight', () => {
    const december = getMonthRange(2026, 12, zone);
    expect(december.end.toISO()).toBe('2027-01-01T00:00:00.000-05:00');
    expect(december.last).toBe('2026-12-31');
  });
});

describe('parseReportPeriod', () => {
  it('reads nothing as the last full month, across a year end', () => {
    const last = period('', at('2027-01-04T09:00')); // Mon
    expect([last.key, last.label, last.partial]).toEqual(['2026-12', 'December 2026', false]);
  });

  it('reads `this month` as the month so far, ending now and today', () => {
    const now = at('2026-11-18T15:30'); // Wed
    const soFar = period('this month', now);
    expect([soFar.label, soFar.first, soFar.last, soFar.partial]).toEqual([
      'November 2026 so far',
      '2026-11-01',
      '2026-11-18',
      true,
    ]);
    expect(soFar.end.toMillis()).toBe(now.toMillis());
  });

  it('reads the current month named by number as the month so far', () => {
    expect(period('2026-12', at('2026-12-10T09:00')).label).toBe('December 2026 so far');
  });

  it('refuses a month that has not started and text that is not a month', () => {
    const now = at('2026-12-01T09:00');
    expect(parseReportPeriod('2027-01', now, zone)).toEqual({ ok: false, reason: 'future' });
    expect(parseReportPeriod('2026-13', now, zone)).toEqual({ ok: false, reason: 'not_a_month' });
    expect(parseReportPeriod('november', now, zone)).toEqual({ ok: false, reason: 'not_a_month' });
  });

  it('takes the office’s month, not UTC’s, just after midnight on the 1st', () => {
    // 00:30 on Dec 1 in New York is 05:30 UTC: the last full month is November either way, but at 23:30 on
    // Nov 30 in New York (04:30 UTC on Dec 1) it is still October.
    expect(period('', at('2026-11-30T23:30')).key).toBe('2026-10');
  });
});

describe('findFirstWorkingDayOfMonth', () => {
  it('skips a weekend and a holiday at the start of a month', () => {
    expect(findFirstWorkingDayOfMonth('2026-11-15', office)).toBe('2026-11-02'); // Sun Nov 1 → Mon
    expect(findFirstWorkingDayOfMonth('2027-01-20', office)).toBe('2027-01-04'); // Fri Jan 1 is a holiday
  });
});

describe('formatRate', () => {
  it('gives the share to the whole percent, and says when nothing was due', () => {
    expect(formatRate(2, 3)).toBe('2 of 3 (67%)');
    expect(formatRate(0, 0)).toBe('none due');
  });
});

describe('buildReportFigures', () => {
  const november = period('2026-11');
  const now = at('2026-12-01T09:00');

  it('counts the working days of time off inside the month only, by role and type, half days as 0.5', () => {
    const figures = buildReportFigures(
      november,
      {
        ...NO_FACTS,
        timeOff: [
          // Fri Oct 30 to Tue Nov 3: Mon Nov 2 and Tue Nov 3 fall in November.
          {
            role: 'front-desk',
            type: 'vacation',
            start: '2026-10-30',
            end: '2026-11-03',
            part: 'full',
            workdays: undefined,
          },
          {
            role: 'front-desk',
            type: 'vacation',
            start: '2026-11-10',
            end: '2026-11-10',
            part: 'am',
            workdays: undefined,
          },
          // Wed Nov 25 to Fri Nov 27 around Thanksgiving (Nov 26), for a person who works Mon–Wed only: 1 day.
          {
            role: 'nurse',
            type: 'sick',
            start: '2026-11-25',
            end: '2026-11-27',
            part: 'full',
            workdays: ['mon', 'tue', 'wed'],
          },
        ],
      },
      office,
      now,
    );
    expect(figures.timeOff).toEqual([
      { role: 'Front desk', type: 'Vacation', requests: 2, days: 2.5 },
      { role: 'Nurse', type: 'Sick', requests: 1, days: 1 },
    ]);
  });

  it('counts a day below coverage once per role, and all day only when the gap spans the opening hours', () => {
    const figures = buildReportFigures(
      november,
      {
        ...NO_FACTS,
        absences: [
          {
            name: 'Ana Cruz',
            role: 'medical-assistant',
            start: '2026-11-18',
            end: '2026-11-18',
            part: 'full',
          },
          {
            name: 'Marcus Bell',
            role: 'medical-assistant',
            start: '2026-11-18',
            end: '2026-11-19',
            part: 'full',
          },
          { name: 'Ana Cruz', role: 'medical-assistant', start: '2026-11-19', end: '2026-11-19', part: 'am' },
        ],
      },
      office,
      now,
    );
    expect(figures.coverage.find((row) => row.role === 'Medical assistant')).toEqual({
      role: 'Medical assistant',
      days: 2,
      allDay: 1,
    });
    expect(figures.workingDays).toBe(20); // 21 weekdays less Thanksgiving
  });

  it('counts days a role is short with nobody away: a part-time rota, a lapsed credential, a minimum above its staff', () => {
    const shortOffice: OfficeConfig = {
      ...office,
      // Three on the front desk are needed, and only two work there.
      coverage: { ...office.coverage, 'front-desk': 3 },
      // No medical assistant, nor the nurse who covers them, on Thursdays and Fridays.
      staff: office.staff.map((member) =>
        ['Ana Cruz', 'Marcus Bell', 'Grace Kim'].includes(member.name)
          ? { ...member, workdays: ['mon', 'tue', 'wed'] }
          : member,
      ),
    };
    const figures = buildReportFigures(
      november,
      {
        ...NO_FACTS,
        // Both physicians' licences lapsed on Mon Nov 30.
        cleared: (_member, role, day) => role !== 'physician' || day < '2026-11-30',
      },
      shortOffice,
      now,
    );
    expect(figures.coverage).toEqual([
      { role: 'Front desk', days: 20, allDay: 20 },
      // Thu Nov 5, 12, 19 and Fri Nov 6, 13, 20, 27 (Thu Nov 26 is Thanksgiving).
      { role: 'Medical assistant', days: 7, allDay: 7 },
      { role: 'Physician', days: 1, allDay: 1 },
    ]);
  });

  it('sums spend approved in the month that still stands, by category and vendor, and leaves unpriced lines out', () => {
    const line = (
      approvedAt: string,
      status: 'approved' | 'cancelled' | 'received',
      sku: string | null,
      cents: number | null,
    ) => ({
      sku,
      status,
      approvedAt: at(approvedAt).toJSDate(),
      quantity: 2,
      unitPriceCents: cents,
    });
    const figures = buildReportFigures(
      november,
      {
        ...NO_FACTS,
        supplyLines: [
          line('2026-11-02T10:00', 'approved', 'GLV-M', 1250),
          line('2026-11-30T23:59', 'received', 'SYR-3', 1890),
          line('2026-11-10T10:00', 'cancelled', 'GLV-M', 1250),
          line('2026-12-01T00:00', 'approved', 'GLV-M', 1250),
          line('2026-11-12T10:00', 'approved', null, 500),
          line('2026-11-12T10:00', 'approved', null, null),
        ],
      },
      office,
      now,
    );
    expect(figures.spend).toEqual({
      totalCents: 2500 + 3780 + 1000,
      budgetCents: 150000,
      byCategory: [
        { name: 'Injections', cents: 3780 },
        { name: 'PPE', cents: 2500 },
        { name: 'Not in the catalog', cents: 1000 },
      ],
      byVendor: [
        { name: 'Henry Schein', cents: 3780 },
        { name: 'Medline', cents: 2500 },
        { name: 'Not in the catalog', cents: 1000 },
      ],
      unpriced: 1,
    });
  });

  it('lists items counted below par in the month, with their lowest count', () => {
    const count = (sku: string, value: number, iso: string) => ({
      sku,
      count: value,
      at: at(iso).toJSDate(),
    });
    const figures = buildReportFigures(
      november,
      {
        ...NO_FACTS,
        stockCounts: [
          count('GLV-M', 4, '2026-11-03T09:00'),
          count('GLV-M', 2, '2026-11-20T09:00'),
          count('GLV-M', 12, '2026-11-25T09:00'),
          count('PPR-EX', 12, '2026-11-03T09:00'),
          count('SYR-3', 0, '2026-10-31T09:00'),
        ],
      },
      office,
      now,
    );
    expect(figures.belowPar).toEqual([
      { sku: 'GLV-M', name: 'Nitrile gloves (M)', par: 10, lowest: 2, times: 2 },
    ]);
  });

  it('rates complaints on time by the end of the due day in the office zone, and leaves running clocks apart', () => {
    const complaint = (ackDue: string, acknowledgedAt: string | null, resolvedAt: string | null) => ({
      category: 'billing' as const,
      severity: 'high' as const,
      status: resolvedAt
        ? ('resolved' as const)
        : acknowledgedAt
          ? ('acknowledged' as const)
          : ('new' as const),
      ackDue,
      resolveDue: '2026-11-20',
      acknowledgedAt: acknowledgedAt ? at(acknowledgedAt).toJSDate() : null,
      resolvedAt: resolvedAt ? at(resolvedAt).toJSDate() : null,
    });
    const figures = buildReportFigures(
      november,
      {
        ...NO_FACTS,
        complaints: [
          // 23:30 on the due day in New York is the next day in UTC: still on time.
          complaint('2026-11-05', '2026-11-05T23:30', '2026-11-19T10:00'),
          complaint('2026-11-05', '2026-11-06T08:00', null),
          complaint('2026-12-02', null, null),
        ],
      },
      office,
      now,
    );
    expect(figures.complaints).toMatchObject({
      total: 3,
      byCategory: [{ category: 'Billing', count: 3 }],
      bySeverity: [{ severity: 'High', count: 3 }],
      acknowledgement: { onTime: 1, due: 2, running: 1 },
      resolution: { onTime: 1, due: 3, running: 0 },
    });
  });

  it('counts a check time done on time within its grace, late after it, and missed only once its grace has passed', () => {
    const checked = buildOfficeConfig({
      checks: [
        {
          id: 'fridge',
          name: 'Vaccine fridge',
          times: ['08:00'],
          days: ['mon', 'tue', 'wed', 'thu', 'fri'],
          assignee: { role: 'medical-assistant' },
          fields: [{ id: 'temp', label: 'Temperature °C', type: 'number', min: 2, max: 8 }],
          graceMinutes: 60,
        },
      ],
    });
    const reading = (day: string, recordedAt: string, outOfRange: boolean) => ({
      checkId: 'fridge',
      day,
      dueTime: '08:00',
      recordedAt: at(recordedAt).toJSDate(),
      outOfRange,
    });
    const soFar = period('this month', at('2026-11-03T08:30')); // Tue, before today's grace ends
    const figures = buildReportFigures(
      soFar,
      { ...NO_FACTS, checkReadings: [reading('2026-11-02', '2026-11-02T09:00', false)] },
      checked,
      at('2026-11-03T08:30'),
    );
    expect(figures.checks).toEqual([
      {
        checkId: 'fridge',
        name: 'Vaccine fridge',
        countedFrom: '2026-11-01',
        inUse: true,
        due: 1,
        onTime: 1,
        late: 0,
        missed: 0,
        outOfRange: 0,
      },
    ]);
    const later = buildReportFigures(
      period('this month', at('2026-11-03T09:01')),
      { ...NO_FACTS, checkReadings: [reading('2026-11-02', '2026-11-02T09:01', true)] },
      checked,
      at('2026-11-03T09:01'),
    );
    expect(later.checks[0]).toMatchObject({ due: 2, onTime: 0, late: 1, missed: 1, outOfRange: 1 });
  });

  it('groups rep visits by company however it was written, most visits first', () => {
    const figures = buildReportFigures(
      november,
      {
        ...NO_FACTS,
        repVisits: [
          { company: 'Acme Pharma', companyKey: 'acmepharma', day: '2026-11-17' },
          { company: 'ACME pharma', companyKey: 'acmepharma', day: '2026-11-18' },
          { company: 'Beta Labs', companyKey: 'betalabs', day: '2026-11-19' },
          { company: 'Beta Labs', companyKey: 'betalabs', day: '2026-12-01' },
        ],
      },
      office,
      now,
    );
    expect(figures.repVisits).toEqual([
      { company: 'Acme Pharma', visits: 2 },
      { company: 'Beta Labs', visits: 1 },
    ]);
  });
});

describe('report.to in office.yaml', () => {
  it('takes staff names, and stops start-up with one line naming a name not on the staff list', () => {
    const yaml = readExampleOfficeYaml();
    expect(
      parseOfficeConfig(`${yaml}\nreport: { to: [Dana Reyes, Luis Ortega] }\n`, 'office.yaml').report,
    ).toEqual({
      to: ['Dana Reyes', 'Luis Ortega'],
    });
    expect(() =>
      parseOfficeConfig(`${yaml}\nreport: { to: [Dana Reyes, Nobody Here] }\n`, 'office.yaml'),
    ).toThrow(
      'office.yaml: report.to.1: Nobody Here is not in staff; use a name exactly as the staff list has it',
    );
  });
});
