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
