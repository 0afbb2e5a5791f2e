import { DateTime } from 'luxon';
import type { Outcome } from './message.ts';

/**
 * One CSV cell (RFC 4180): quoted when it holds a comma, quote or line break. A cell starting with
 * `=`, `+`, `-` or `@` gets a leading apostrophe so a spreadsheet never runs typed text as a formula.
 */
export function formatCsvCell(value: string | number): string {
  if (typeof value === 'number') return String(value);
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}

/** One CSV line of cells, each made safe as above. */
export function formatCsvRow(cells: readonly (string | number)[]): string {
  return cells.map(formatCsvCell).join(',');
}

// Excel opens a UTF-8 CSV as UTF-8 only when it starts with a byte order mark.
const BOM = '\uFEFF';

/** A complete CSV file (RFC 4180): the header row and every row, CRLF line ends, UTF-8 with a BOM. */
export function buildCsvFile(
  header: readonly string[],
  rows: readonly (readonly (string | number)[])[],
): Uint8Array {
  const lines = [header, ...rows].map(formatCsvRow);
  return new TextEncoder().encode(`${BOM}${lines.join('\r\n')}\r\n`);
}

/** An instant as every export writes it: ISO 8601 in the office zone, to the minute (`2026-11-30T09:05`). */
export function formatCsvInstant(at: Date | null | undefined, zone: string): string {
  return at ? (DateTime.fromJSDate(at).setZone(zone).toFormat("yyyy-MM-dd'T'HH:mm") ?? '') : '';
}

/**
 * An export as the person gets it: one line saying what it holds, and the file, which Slack uploads into
 * their direct messages and Teams and the sandbox offer as a link. Never kept with a delivery's answer.
 */
export function answerWithCsv(params: {
  name: string;
  title: string;
  header: readonly string[];
  rows: readonly (readonly (string | number)[])[];
}): Outcome {
  const text = `${params.title}: ${params.rows.length} row${params.rows.length === 1 ? '' : 's'}, as a CSV file.`;
  return {
    reply: { text },
    attachments: [
      {
        name: params.name,
        contentType: 'text/csv',
        content: buildCsvFile(params.header, params.rows),
        title: `${params.title} (CSV)`,
      },
    ],
    confidentialReply: true,
    effects: [],
  };
}
