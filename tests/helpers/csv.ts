import { parse } from 'csv-parse/sync';
import { expect } from 'vitest';
import type { Outcome } from '../../src/handlers/kernel/message.ts';

/**
 * The CSV file an outcome carries, read by a strict RFC 4180 parser: it must start with a UTF-8 byte order
 * mark, end every record with CRLF, and have as many cells in each row as in the header. Returns the header
 * and the rows.
 */
export function readCsvAttachment(outcome: Outcome): { name: string; header: string[]; rows: string[][] } {
  const [file, ...more] = (outcome.attachments ?? []).filter(
    (attachment) => attachment.contentType === 'text/csv',
  );
  expect(more).toEqual([]);
  if (!file) throw new Error(`no CSV file in the answer: ${outcome.reply?.text}`);
  const text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(file.content);
  expect(text.startsWith('\uFEFF')).toBe(true);
  expect(text.endsWith('\r\n')).toBe(true);
  const records: string[][] = parse(text, { bom: true, record_delimiter: '\r\n', relax_quotes: false });
  const [header = [], ...rows] = records;
  for (const row of rows) expect(row).toHaveLength(header.length);
  return { name: file.name, header, rows };
}
