import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import type { OfficeConfig } from '../../src/config/office.ts';
import { describeComplaintSection } from '../../src/domain/complaints.ts';
import { type DigestAbsence, describeAbsenceSections } from '../../src/domain/coverage.ts';
import { listDays } from '../../src/domain/dates.ts';
import { assembleHuddleDigest, DIGEST_ORDER, type DigestDecision } from '../../src/domain/digest.ts';
import { describeRepVisitSection } from '../../src/domain/rep-meetings.ts';
import { describeSupplySections } from '../../src/domain/supplies.ts';

const zone = 'America/New_York';
const office = {
  office: { id: 'main', name: 'Test Practice', timezone: zone, hours: { open: '08:00', close: '18:00' } },
  timeoff: { allowanceDays: 15, workdays: ['mon', 'tue', 'wed', 'thu', 'fri'], holidays: ['2026-11-26'] },
  coverage: { 'front-desk': 1, 'medical-assistant': 1 },
  staff: [
    { name: 'Dana Reyes', role: 'manager', manager: true },
    { name: 'Sam Lee', role: 'front-desk', manager: false },
    { name: 'Priya Shah', role: 'front-desk', manager: false },
    { name: 'Ana Cruz', role: 'medical-assistant', manager: false },
  ],
  reminders: { pendingHours: 24, time: '10:00' },
} satisfies Pick<OfficeConfig, 'office' | 'timeoff' | 'coverage' | 'staff' | 'reminders'>;
const now = DateTime.fromISO('2026-11-25T07:45', { zone }); // Wed

interface DigestInput {
  day: string;
  office: typeof office;
  absences: DigestAbsence[];
  decisions: DigestDecision[];
  suppliesToOrder: { reference: string; summary: string }[];
  belowPar: { name: string; onHand: number; par: number; suggested: number; unit: string }[];
  repVisits: { time: string; repName: string; company: string; lunch?: boolean; providerNames?: string[] }[];
  complaints: { open: number; overdue: { reference: string; ageDays: number }[] };
}

/** The huddle as the features put it together: each one's pure sections, in its place. */
function build(overrides: Partial<DigestInput> = {}) {
  const input: DigestInput = {
    day: '2026-11-25',
    office,
    absences: [],
    decisions: [],
    suppliesToOrder: [],
    belowPar: [],
    repVisits: [],
    complaints: { open: 0, overdue: [] },
    ...overrides,
  };
  return assembleHuddleDigest({
    day: input.day,
    now,
    office: input.office,
    decisions: input.decisions,
    parts: [
      { order: DIGEST_ORDER.complaints, sections: [describeComplaintSection(input.complaints)] },
      { order: DIGEST_ORDER.visitors, sections: [describeRepVisitSection(input.repVisits)] },
      {
        order: DIGEST_ORDER.supplies,
        sections: describeSupplySections(input.suppliesToOrder, input.belowPar),
      },
      {
        order: DIGEST_ORDER.people,
        sections: describeAbsenceSections(input.day, input.absences, input.office),
      },
    ],
  });
}

describe('the huddle digest', () => {
  it('says a quiet day in one line and has no sections', () => {
    const digest = build({ day: '2026-12-02' });
    expect(digest.sections).toEqual([]);
    expect(digest.emptyLine).toMatch(/quiet day/);
  });

  it('lists who is out today with half days, and who is out on the next working day', () => {
    const digest = build({
      absences: [
        { name: 'Sam Lee', role: 'front-desk', start: '2026-11-25', end: '2026-11-25', part: 'full' },
        { name: 'Ana Cruz', role: 'medical-assistant', start: '2026-11-25', end: '2026-11-25', part: 'am' },
        { name: 'Priya Shah', role: 'front-desk', start: '2026-11-27', end: '2026-11-27', part: 'pm' },
      ],
    });
    expect(digest.sections).toContainEqual({ heading: 'Out today', lines: ['Sam Lee · Ana Cruz (morning)'] });
    // Thursday is a holiday, so the next working day is Friday.
    expect(digest.sections).toContainEqual({ heading: 'Out Fri Nov 27', lines: ['Priya Shah (afternoon)'] });
  });

  it('names the next working day only within three weeks', () => {
    const closedUntil = (last: string) =>
      build({
        office: { ...office, timeoff: { ...office.timeoff, holidays: listDays('2026-11-26', last) } },
        absences: [
          { name: 'Priya Shah', role: 'front-desk', start: '2026-12-16', end: '2026-12-17', part: 'full' },
        ],
      }).sections.map((section) => section.heading);
    expect(closedUntil('2026-12-15')).toContain('Out Wed Dec 16'); // 21 days after Wed Nov 25
    expect(closedUntil('2026-12-16')).not.toContain('Out Thu Dec 17'); // 22 days after
  });

  it('flags a role below its minimum, counting a half day off as off for that half', () => {
    const digest = build({
      absences: [
        { name: 'Ana Cruz', role: 'medical-assistant', start: '2026-11-25', end: '2026-11-25', part: 'pm' },
      ],
    });
    expect(digest.sections).toContainEqual({
      heading: 'Coverage',
      lines: ['⚠️ Medical assistant: 0 of 1 needed on duty 12:00–18:00'],
    });
  });

  it('never shows a leave type or a reason', () => {
    const digest = build({
      absences: [
        { name: 'Sam Lee', role: 'front-desk', start: '2026-11-25', end: '2026-11-25', part: 'full' },
      ],
    });
    const text = JSON.stringify(digest);
    expect(text).not.toMatch(/sick|vacation|personal/i);
  });

  it('lists decisions oldest first with their age', () => {
    const digest = build({
      decisions: [
        { reference: 'TO-2', summary: 'Sam Lee: time off Tue Dec 1', filedAt: now.minus({ hours: 5 }) },
        { reference: 'TO-1', summary: 'Ana Cruz: time off Mon Dec 7', filedAt: now.minus({ days: 3 }) },
      ],
    });
    expect(digest.sections).toContainEqual({
      heading: 'Waiting for a decision (2)',
      lines: ['TO-1 · Ana Cruz: time off Mon Dec 7 · 3 days', 'TO-2 · Sam Lee: time off Tue Dec 1 · 5 h'],
    });
  });

  it('shows complaints by reference and age only', () => {
    const digest = build({
      complaints: {
        open: 3,
        overdue: [
          { reference: 'CP-3', ageDays: 6 },
          { reference: 'CP-4', ageDays: 1 },
        ],
      },
    });
    expect(digest.sections).toContainEqual({
      heading: 'Complaints',
      lines: ['3 open, 2 overdue: CP-3 (6 days), CP-4 (1 day)'],
    });
  });

  it('shows rep visits by time, supplies to order and below par', () => {
    const digest = build({
      repVisits: [
        { time: '12:00', repName: 'Jordan Smith', company: 'Acme Pharma' },
        { time: '08:30', repName: 'Lee Park', company: 'Beta Devices' },
      ],
      suppliesToOrder: [{ reference: 'SR-4', summary: '4 box Nitrile gloves (M)' }],
      belowPar: [{ name: 'Exam table paper', onHand: 3, par: 12, suggested: 9, unit: 'roll' }],
    });
    expect(digest.sections).toContainEqual({
      heading: 'Reps today',
      lines: ['08:30 · Lee Park (Beta Devices)', '12:00 · Jordan Smith (Acme Pharma)'],
    });
    expect(digest.sections).toContainEqual({
      heading: 'Supplies to order',
      lines: ['SR-4 · 4 box Nitrile gloves (M)'],
    });
    expect(digest.sections).toContainEqual({
      heading: 'Below par',
      lines: ['Exam table paper: 3 of 12 on hand, order 9 rolls'],
    });
  });

  it('puts each feature’s part in its place, whatever order the features come in', () => {
    const digest = build({
      absences: [
        { name: 'Ana Cruz', role: 'medical-assistant', start: '2026-11-25', end: '2026-11-27', part: 'full' },
      ],
      decisions: [{ reference: 'TO-1', summary: 'Sam Lee: time off Tue Dec 1', filedAt: now }],
      suppliesToOrder: [{ reference: 'SR-4', summary: '4 box Nitrile gloves (M)' }],
      repVisits: [{ time: '12:00', repName: 'Jordan Smith', company: 'Acme Pharma' }],
      complaints: { open: 1, overdue: [] },
    });
    expect(digest.sections.map((section) => section.heading)).toEqual([
      'Out today',
      'Out Fri Nov 27',
      'Coverage',
      'Waiting for a decision (1)',
      'Supplies to order',
      'Reps today',
      'Complaints',
      'Holidays this week',
    ]);
  });

  it('warns of the next working day’s coverage gaps too, naming the day', () => {
    const digest = build({
      absences: [
        { name: 'Ana Cruz', role: 'medical-assistant', start: '2026-11-27', end: '2026-11-27', part: 'full' },
      ],
    });
    expect(digest.sections).toContainEqual({
      heading: 'Coverage',
      lines: ['⚠️ Fri Nov 27 — Medical assistant: 0 of 1 needed on duty'],
    });
  });

  it('counts today among the holidays of the week', () => {
    expect(build({ day: '2026-11-26' }).sections).toContainEqual({
      heading: 'Holidays this week',
      lines: ['Thu Nov 26'],
    });
  });

  it('shows lunch and the providers a rep expects', () => {
    const digest = build({
      repVisits: [
        {
          time: '12:00',
          repName: 'Jordan Smith',
          company: 'Acme Pharma',
          lunch: true,
          providerNames: ['Dr. Omar Haddad'],
        },
      ],
    });
    expect(digest.sections).toContainEqual({
      heading: 'Reps today',
      lines: ['12:00 · Jordan Smith (Acme Pharma) · lunch · expects Dr. Omar Haddad'],
    });
  });

  it('lists holidays in the coming week', () => {
    expect(build().sections).toContainEqual({ heading: 'Holidays this week', lines: ['Thu Nov 26'] });
  });

  it('fits hundreds of items by cutting each section with "and N more"', () => {
    const decisions = Array.from({ length: 400 }, (_, index) => ({
      reference: `TO-${index + 1}`,
      summary: `Person ${index}: time off Tue Dec 1`,
      filedAt: now.minus({ minutes: 400 - index }),
    }));
    const section = build({ decisions }).sections.find((entry) => entry.heading.startsWith('Waiting'));
    expect(section?.lines).toHaveLength(12);
    expect(section?.lines.at(-1)).toBe('…and 389 more');
    expect(section?.lines.join('\n').length).toBeLessThan(3000);
  });
});
