import { DateTime } from 'luxon';
import type { OfficeConfig } from '../../config/office.ts';
import type { ComplaintRow } from '../../db/repositories/complaints.ts';
import { formatReference } from '../../domain/references.ts';
import { formatCsvRow } from '../kernel/csv.ts';
import { describeReporter } from './card.ts';

// Slack shows at most 3,000 characters of a message's text block: the rows stop short of it and say how many
// are left, and each free-text cell is cut so one long complaint cannot crowd out the rest.
const EXPORT_BUDGET = 2_800;
const CELL_LIMIT = 400;

const HEADER = [
  'reference',
  'filed',
  'from',
  'category',
  'severity',
  'status',
  'reporter',
  'owner',
  'acknowledged',
  'resolved',
  'contacted',
  'call_back',
  'call_back_name',
  'call_back_phone',
  'when',
  'what_happened',
  'outcome_wanted',
  'resolution',
];

function formatInstant(at: Date | null, zone: string): string {
  return at ? DateTime.fromJSDate(at).setZone(zone).toFormat("yyyy-MM-dd'T'HH:mm") : '';
}

function buildRow(row: ComplaintRow, zone: string): { line: string; clipped: boolean } {
  const texts = [row.occurredWhen, row.description, row.desiredOutcome, row.resolution ?? ''];
  const clip = (text: string) => (text.length > CELL_LIMIT ? `${text.slice(0, CELL_LIMIT - 1)}…` : text);
  const cells = [
    formatReference('CP', row.number),
    formatInstant(row.createdAt, zone),
    row.about,
    row.category,
    row.severity,
    row.status,
    describeReporter(row),
    row.ownerName ?? '',
    formatInstant(row.acknowledgedAt, zone),
    formatInstant(row.resolvedAt, zone),
    row.patientContacted === null ? '' : row.patientContacted ? 'yes' : 'no',
    row.wantsCallback ? 'yes' : 'no',
    row.callbackName,
    row.callbackPhone,
    ...texts.map(clip),
  ];
  return {
    line: formatCsvRow(cells),
    clipped: texts.some((text) => text.length > CELL_LIMIT),
  };
}

/**
 * The quality-log CSV as reply lines: a header, then rows, newest first (times in the office zone, anonymous
 * reporters as `anonymous`), while they fit in one message, then "…and N more". `shown` counts the rows.
 */
export function buildComplaintExport(
  rows: readonly ComplaintRow[],
  office: Pick<OfficeConfig, 'office'>,
): { lines: string[]; shown: number } {
  const header = HEADER.join(',');
  const lines = [header];
  let used = header.length;
  let clipped = false;
  for (const row of rows) {
    const built = buildRow(row, office.office.timezone);
    if (used + built.line.length + 1 > EXPORT_BUDGET) break;
    lines.push(built.line);
    used += built.line.length + 1;
    clipped ||= built.clipped;
  }
  const shown = lines.length - 1;
  if (shown < rows.length) lines.push(`…and ${rows.length - shown} more, older`);
  if (rows.length === 0) lines.push('No complaints were filed in that period.');
  if (clipped) {
    lines.push(`Texts over ${CELL_LIMIT} characters are cut here; View details on a card shows them whole.`);
  }
  return { lines, shown };
}
