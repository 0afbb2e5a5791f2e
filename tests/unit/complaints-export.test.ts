import { describe, expect, it } from 'vitest';
import type { ComplaintRow } from '../../src/db/repositories/complaints.ts';
import { buildComplaintExport } from '../../src/handlers/complaints/export.ts';
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

describe('buildComplaintExport', () => {
  it('writes a header and one row per complaint with times in the office zone', () => {
    const { lines, shown } = buildComplaintExport([buildRow()], office);
    expect(shown).toBe(1);
    expect(lines[0]).toMatch(/^reference,filed,from,category,severity,status,reporter,owner,/);
    expect(lines[1]).toBe(
      'CP-1,2026-03-06T12:00,patient,billing,medium,new,Sam Lee,,,,,no,,,,Charged twice,,',
    );
  });

  it('never names an anonymous reporter', () => {
    const { lines } = buildComplaintExport([buildRow({ anonymous: true, about: 'staff' })], office);
    expect(lines.join('\n')).not.toContain('Sam Lee');
    expect(lines[1]).toContain(',anonymous,');
  });

  it('stops before Slack’s text limit and says how many are left', () => {
    const rows = Array.from({ length: 40 }, (_, index) =>
      buildRow({ number: index + 1, description: 'x'.repeat(300) }),
    );
    const { lines, shown } = buildComplaintExport(rows, office);
    expect(shown).toBeGreaterThan(0);
    expect(shown).toBeLessThan(40);
    expect(lines.join('\n').length).toBeLessThan(3000);
    expect(lines.at(-1)).toBe(`…and ${40 - shown} more, older`);
  });

  it('cuts a very long text and says so', () => {
    const { lines } = buildComplaintExport([buildRow({ description: 'y'.repeat(3000) })], office);
    expect(lines[1]?.length).toBeLessThan(600);
    expect(lines.at(-1)).toMatch(/over 400 characters are cut/);
  });
});
