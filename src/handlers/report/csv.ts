import type { ReportFigures } from '../../domain/report.ts';
import { formatCsvRow } from '../kernel/csv.ts';
import type { Attachment } from '../kernel/message.ts';

const HEADER = ['month', 'section', 'group', 'detail', 'measure', 'value'] as const;
// A spreadsheet opening the file needs the BOM to read it as UTF-8, and RFC 4180 ends lines with CRLF.
const BOM = '\uFEFF';
const CRLF = '\r\n';

type Figure = [section: string, group: string, detail: string, measure: string, value: number];

/** Every figure of the report, one per row: the same counts as its text and charts, nothing about a person. */
export function listReportFigureRows(figures: ReportFigures): Figure[] {
  const { spend, complaints } = figures;
  const clock = (name: string, record: { onTime: number; due: number; running: number }): Figure[] => [
    ['complaints', name, '', 'on time', record.onTime],
    ['complaints', name, '', 'due', record.due],
    ['complaints', name, '', 'still within time', record.running],
  ];
  return [
    ['working days', '', '', 'days', figures.workingDays],
    ...figures.timeOff.flatMap((row): Figure[] => [
      ['time off', row.role, row.type, 'requests', row.requests],
      ['time off', row.role, row.type, 'working days', row.days],
    ]),
    ...figures.coverage.flatMap((row): Figure[] => [
      ['below coverage', row.role, '', 'days', row.days],
      ['below coverage', row.role, '', 'all-day days', row.allDay],
    ]),
    ...figures.callOuts.flatMap((row): Figure[] => [
      ['call-outs', row.role, '', 'sick', row.sick],
      ['call-outs', row.role, '', 'in late', row.late],
      ['call-outs', row.role, '', 'leaving early', row.leaving],
      ['call-outs', row.role, '', 'covered', row.covered],
    ]),
    ['supply spend', 'total', '', 'dollars', spend.totalCents / 100],
    ...(spend.budgetCents === undefined
      ? []
      : [['supply spend', 'budget', '', 'dollars', spend.budgetCents / 100] as Figure]),
    ...spend.byCategory.map(
      (row): Figure => ['supply spend', 'category', row.name, 'dollars', row.cents / 100],
    ),
    ...spend.byVendor.map((row): Figure => ['supply spend', 'vendor', row.name, 'dollars', row.cents / 100]),
    ['supply spend', 'unpriced lines', '', 'lines', spend.unpriced],
    ...figures.belowPar.flatMap((row): Figure[] => [
      ['below par', row.name, row.sku, 'lowest count', row.lowest],
      ['below par', row.name, row.sku, 'par', row.par],
      ['below par', row.name, row.sku, 'counts below par', row.times],
    ]),
    ['complaints', 'filed', '', 'complaints', complaints.total],
    ...complaints.byCategory.map(
      (row): Figure => ['complaints', 'category', row.category, 'complaints', row.count],
    ),
    ...complaints.bySeverity.map(
      (row): Figure => ['complaints', 'severity', row.severity, 'complaints', row.count],
    ),
    ...clock('acknowledgement', complaints.acknowledgement),
    ...clock('resolution', complaints.resolution),
    ...figures.repVisits.map((row): Figure => ['rep visits', row.company, '', 'visits', row.visits]),
    ...figures.checks.flatMap((row): Figure[] => [
      ['checks', row.name, row.checkId, 'due', row.due],
      ['checks', row.name, row.checkId, 'on time', row.onTime],
      ['checks', row.name, row.checkId, 'late', row.late],
      ['checks', row.name, row.checkId, 'missed', row.missed],
      ['checks', row.name, row.checkId, 'out of range', row.outOfRange],
      // 0 for a month before the check came into use: its zeros are then not a month of nothing done.
      ['checks', row.name, row.checkId, 'in use', row.inUse ? 1 : 0],
    ]),
  ];
}

/** The figures as an RFC 4180 CSV file: UTF-8 with a BOM, CRLF line ends, a header row, formula-safe cells. */
export function buildReportCsv(figures: ReportFigures): Attachment {
  const rows = listReportFigureRows(figures);
  const lines = [HEADER, ...rows.map((row) => [figures.period.key, ...row])].map(formatCsvRow);
  return {
    name: `report-${figures.period.key}.csv`,
    contentType: 'text/csv',
    content: new TextEncoder().encode(`${BOM}${lines.join(CRLF)}${CRLF}`),
    title: `Practice report figures, ${figures.period.label} (CSV, ${rows.length} figures)`,
  };
}
