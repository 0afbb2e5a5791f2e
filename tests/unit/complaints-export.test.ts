import { describe, expect, it } from 'vitest';
import type { ComplaintRow } from '../../src/db/repositories/complaints.ts';
import { buildComplaintRows, COMPLAINT_EXPORT_HEADER } from '../../src/handlers/complaints/export.ts';
import { formatCsvCell } from '../../src/handlers/kernel/csv.ts';
import { buildOfficeConfig } from '../helpers/office.ts';

const office = buildOfficeConfig();

function buildRow(overrides: Partial<ComplaintRow> = {}): ComplaintRow {
  return {
    id: 1,
    officeId: 'main',
    number: 1,
    reporterKey: 'staff:sam-lee',
    reporterName: 'Sam Lee',
    reporterPlatform: 'slack',
    reporterUserId: 'U0SAM',
    anonymous: false,
    about: 'patient',
    category: 'billing',
    severity: 'medium',
    description: 'Charged twice',
    occurredWhen: '',
    desiredOutcome: '',
    wantsCallback: false,
    callbackName: '',
    callbackPhone: '',
    status: 'new',
    ackDueDay: '2026-03-10',
    resolveDueDay: '2026-04-17',
    ownerKey: null,
    ownerName: null,
    ownerPlatform: null,
    ownerUserId: null,
    acknowledgedAt: null,
    resolvedByName: null,
    resolvedAt: null,
    resolution: null,
    patientContacted: null,
    reopenedByName: null,
    reopenedAt: null,
    reopenCount: 0,
    createdAt: new Date('2026-03-06T17:00:00Z'), // Fri noon in New York
    ...overrides,
  };
}

describe('formatCsvCell', () => {
  it('leaves plain text alone', () => {
    expect(formatCsvCell('Charged twice')).toBe('Charged twice');
  });

  it('quotes a comma, a quote or a line break, doubling quotes', () => {
    expect(formatCsvCell('late, rude')).toBe('"late, rude"');
    expect(formatCsvCell('said "no"')).toBe('"said ""no"""');
    expect(formatCsvCell('one\ntwo')).toBe('"one\ntwo"');
  });

  it('defuses a spreadsheet formula', () => {
    expect(formatCsvCell('=HYPERLINK("x")')).toBe('"\'=HYPERLINK(""x"")"');
    expect(formatCsvCell('-5 stars')).toBe("'-5 stars");
  });
});

describe('buildComplaintRows', () => {
  const zone = office.office.timezone;

  it('writes one row per complaint with each clock’s due day and times in the office zone', () => {
    expect(COMPLAINT_EXPORT_HEADER.slice(0, 12)).toEqual([
      'reference',
      'filed',
      'from',
      'category',
      'severity',
      'status',
      'reporter',
      'owner',
      'acknowledge_by',
      'acknowledged',
      'resolve_by',
      'resolved',
    ]);
    expect(buildComplaintRows([buildRow()], new Map(), zone)).toEqual([
      [
        'CP-1',
        '2026-03-06T12:00',
        'patient',
        'billing',
        'medium',
        'new',
        'Sam Lee',
        '',
        '2026-03-10',
        '',
        '2026-04-17',
        '',
        '',
        '',
        'no',
        '',
        '',
        '',
        'Charged twice',
        '',
        '',
        '0',
        '',
        '',
        '',
      ],
    ]);
  });

  it('names who resolved a complaint, and how often, when and by whom it was reopened since', () => {
    const [row] = buildComplaintRows(
      [
        buildRow({
          status: 'reopened',
          resolvedByName: 'Dr. Omar Haddad',
          resolvedAt: new Date('2026-03-09T15:00:00Z'),
          resolution: 'Refunded',
          reopenedByName: 'Dana Reyes',
          reopenedAt: new Date('2026-03-10T14:30:00Z'),
          reopenCount: 2,
        }),
      ],
      new Map(),
      zone,
    );
    const cell = (name: (typeof COMPLAINT_EXPORT_HEADER)[number]) =>
      row?.[COMPLAINT_EXPORT_HEADER.indexOf(name)];
    expect(cell('status')).toBe('reopened');
    expect(cell('resolved')).toBe('2026-03-09T11:00');
    expect(cell('resolved_by')).toBe('Dr. Omar Haddad');
    expect(cell('resolution')).toBe('Refunded');
    expect(cell('reopened')).toBe('2');
    expect(cell('reopened_last')).toBe('2026-03-10T10:30');
    expect(cell('reopened_by')).toBe('Dana Reyes');
  });

  it('never names an anonymous reporter', () => {
    const [row] = buildComplaintRows([buildRow({ anonymous: true, about: 'staff' })], new Map(), zone);
    expect(row).not.toContain('Sam Lee');
    expect(row?.[6]).toBe('anonymous');
  });

  it('lists the oldest first and keeps every text whole', () => {
    const rows = buildComplaintRows(
      [
        buildRow({ number: 2, createdAt: new Date('2026-03-07T17:00:00Z'), description: 'y'.repeat(3000) }),
        buildRow({ number: 1 }),
      ],
      new Map(),
      zone,
    );
    expect(rows.map((row) => row[0])).toEqual(['CP-1', 'CP-2']);
    expect(rows[1]?.[COMPLAINT_EXPORT_HEADER.indexOf('what_happened')]).toHaveLength(3000);
  });
});
