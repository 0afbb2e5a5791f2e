import { type Logger, pino } from 'pino';

/** A pino logger that keeps every line in memory, so tests can read what would have been logged. */
export interface RecordingLogger {
  logger: Logger;
  /** every line as pino wrote it (JSON text) */
  lines: string[];
  /** every line parsed */
  records(): Array<Record<string, unknown> & { level: number; msg?: string }>;
  /** all lines joined, for "this text never appears in the log" assertions */
  text(): string;
}

/** Builds a recording logger at `level` (default trace, so nothing is filtered out of the assertions). */
export function createRecordingLogger(level: pino.LevelWithSilent = 'trace'): RecordingLogger {
  const lines: string[] = [];
  const logger = pino(
    { level, base: { app: 'frontdesk-test' } },
    {
      write(line: string) {
        lines.push(line.trimEnd());
      },
    },
  );
  return {
    logger,
    lines,
    records: () => lines.map((line) => JSON.parse(line)),
    text: () => lines.join('\n'),
  };
}
