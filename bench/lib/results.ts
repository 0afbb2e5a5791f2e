import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { join } from 'node:path';
import { repoRoot } from './processes.ts';

/** The 1/5/15-minute load averages, rounded to hundredths. */
export function readLoadAverage(): number[] {
  return loadavg().map((load) => Math.round(load * 100) / 100);
}

/**
 * What the figures were measured on, written next to them. Given the load averages read when the run
 * started (`readLoadAverage()`), it also records them with those at the end: other work on the machine
 * shows up as noise in the figures.
 */
export function describeMachine(extra: Record<string, string> = {}, loadAtStart?: readonly number[]) {
  const cores = cpus();
  return {
    cpu: cores[0]?.model.trim() ?? 'unknown',
    cores: cores.length,
    memoryGb: Math.round(totalmem() / 2 ** 30),
    node: process.version,
    ...extra,
    ...(loadAtStart ? { loadAverage: { atStart: [...loadAtStart], atEnd: readLoadAverage() } } : {}),
  };
}

/** Writes `bench/results/<name>.json` and returns its path. */
export function writeResults(name: string, results: unknown): string {
  const directory = join(repoRoot, 'bench', 'results');
  mkdirSync(directory, { recursive: true });
  const path = join(directory, `${name}.json`);
  writeFileSync(path, `${JSON.stringify(results, null, 2)}\n`);
  return path;
}

/** A plain-text table with aligned columns, as it is printed and pasted into the README. */
export function formatTable(headers: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = headers.map((header, column) =>
    Math.max(header.length, ...rows.map((row) => (row[column] ?? '').length)),
  );
  const line = (cells: readonly string[]) =>
    `| ${cells.map((cell, column) => cell.padEnd(widths[column] ?? 0)).join(' | ')} |`;
  return [
    line(headers),
    `|${widths.map((width) => '-'.repeat(width + 2)).join('|')}|`,
    ...rows.map(line),
  ].join('\n');
}

/** "met" or "MISSED", for the goal column. */
export function goalMark(met: boolean): string {
  return met ? 'met' : 'MISSED';
}
