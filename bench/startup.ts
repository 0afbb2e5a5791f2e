/**
 * bench/startup: `npm start`'s command from spawn to /healthz 200, and resident memory
 * once up, with PGlite (a first start in an empty DATA_DIR, then a restart) and with PostgreSQL (a first
 * start that migrates an empty database, then a restart). Slack is on, pointed at a local stub. Memory is
 * judged for both databases, with PGlite's own limits: it carries a whole PostgreSQL in the process.
 *
 * Run alone: `npm run bench -- startup` (BENCH_DATABASE_URL, BENCH_STARTS=5).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findFreePort, readStartCommand } from '../tests/helpers/processes.ts';
import { writeBenchOffice } from './lib/bench-office.ts';
import { benchServerUrl, createScratchDatabase } from './lib/postgres.ts';
import { readResidentMb, repoRoot, waitForHealthy } from './lib/processes.ts';
import { formatTable, goalMark } from './lib/results.ts';
import { median } from './lib/statistics.ts';

const GOAL_START_MS = 3_000;
const GOAL_RESIDENT_MB = 200;
const GOAL_PGLITE_RESIDENT_MB = 250;
const GOAL_PGLITE_AFTER_LOAD_MB = 300;
// Memory settles once start-up garbage is collected and the first scheduler tick has run.
const SETTLE_MS = 2_000;

export interface StartupCase {
  database: 'PostgreSQL' | 'PGlite';
  start: 'first start' | 'restart';
  /** milliseconds from spawn to /healthz 200, one per start */
  readyMs: number[];
  residentMb: number[];
}

export interface StartupResults {
  cases: StartupCase[];
  afterLoadMb: Partial<Record<StartupCase['database'], number>>;
  goals: { name: string; measured: string; met: boolean }[];
}

/** Starts the app as `npm start` does, waits for /healthz, reads its memory, and stops it. */
async function timeOneStart(env: Record<string, string>): Promise<{ readyMs: number; residentMb: number }> {
  const port = await findFreePort();
  const start = readStartCommand();
  const child = spawn(start.program, start.args, {
    cwd: repoRoot,
    env: {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      HOME: process.env.HOME ?? '/tmp',
      PORT: String(port),
      ...env,
    },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let errors = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    errors += chunk.toString('utf8');
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const started = performance.now();
  try {
    await waitForHealthy(`http://127.0.0.1:${port}/healthz`, 60_000);
    const readyMs = performance.now() - started;
    await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
    return { readyMs, residentMb: readResidentMb(child.pid ?? 0) };
  } catch (error) {
    throw new Error(`${error instanceof Error ? error.message : String(error)}\n${errors.slice(-2000)}`);
  } finally {
    child.kill('SIGTERM');
    await exited;
  }
}

/**
 * Times `starts` first starts and `starts` restarts on each database. `afterLoadMb` is the memory each
 * database's app had after the ack-load run, when that ran first; it is shown and judged with the rest.
 */
export async function runStartup(options: {
  starts: number;
  afterLoadMb?: Partial<Record<StartupCase['database'], number>>;
  log?: (line: string) => void;
}): Promise<StartupResults> {
  const log = options.log ?? ((line: string) => console.log(line));
  const office = writeBenchOffice(20);
  const base = {
    HOST: '127.0.0.1',
    SLACK_SIGNING_SECRET: 'bench-signing-secret',
    SLACK_BOT_TOKEN: 'xoxb-bench',
    // Nothing listens here: start-up makes no Slack call, and /healthz does not need one.
    SLACK_API_URL: 'http://127.0.0.1:9/api/',
    SANDBOX: '0',
    OFFICE_CONFIG: office.path,
  };
  const cases: StartupCase[] = [];
  const record = (database: StartupCase['database'], start: StartupCase['start']) => {
    const entry: StartupCase = { database, start, readyMs: [], residentMb: [] };
    cases.push(entry);
    return async (env: Record<string, string>) => {
      const { readyMs, residentMb } = await timeOneStart({ ...base, ...env });
      entry.readyMs.push(readyMs);
      entry.residentMb.push(residentMb);
      log(`  ${database}, ${start}: ${readyMs.toFixed(0)} ms, ${residentMb.toFixed(0)} MB`);
    };
  };
  try {
    const postgresFirst = record('PostgreSQL', 'first start');
    const postgresRestart = record('PostgreSQL', 'restart');
    const pgliteFirst = record('PGlite', 'first start');
    const pgliteRestart = record('PGlite', 'restart');
    for (let round = 0; round < options.starts; round += 1) {
      const scratch = await createScratchDatabase(benchServerUrl, 'bench_start');
      try {
        await postgresFirst({ DATABASE_URL: scratch.url });
        await postgresRestart({ DATABASE_URL: scratch.url });
      } finally {
        await scratch.drop();
      }
      const dataDir = mkdtempSync(join(tmpdir(), 'frontdesk-bench-start-'));
      try {
        await pgliteFirst({ DATA_DIR: dataDir });
        await pgliteRestart({ DATA_DIR: dataDir });
      } finally {
        rmSync(dataDir, { recursive: true, force: true });
      }
    }
  } finally {
    rmSync(join(office.path, '..'), { recursive: true, force: true });
  }
  const goals = cases
    .filter((entry) => entry.database === 'PostgreSQL')
    .flatMap((entry) => [
      {
        name: `PostgreSQL, ${entry.start}: /healthz 200 in under ${GOAL_START_MS / 1000} s`,
        // Met only when the slowest start is, so the table names it beside the median.
        measured: `${median(entry.readyMs).toFixed(0)} ms (median), ${Math.max(...entry.readyMs).toFixed(0)} ms (slowest)`,
        met: Math.max(...entry.readyMs) < GOAL_START_MS,
      },
      {
        name: `PostgreSQL, ${entry.start}: under ${GOAL_RESIDENT_MB} MB resident`,
        measured: `${median(entry.residentMb).toFixed(0)} MB (median), ${Math.max(...entry.residentMb).toFixed(0)} MB (most)`,
        met: Math.max(...entry.residentMb) < GOAL_RESIDENT_MB,
      },
    ]);
  for (const entry of cases.filter((entry) => entry.database === 'PGlite')) {
    goals.push({
      name: `PGlite, ${entry.start}: at most ${GOAL_PGLITE_RESIDENT_MB} MB resident`,
      measured: `${median(entry.residentMb).toFixed(0)} MB (median), ${Math.max(...entry.residentMb).toFixed(0)} MB (most)`,
      met: Math.max(...entry.residentMb) <= GOAL_PGLITE_RESIDENT_MB,
    });
  }
  const afterLoad = options.afterLoadMb?.PostgreSQL;
  if (afterLoad !== undefined) {
    goals.push({
      name: `PostgreSQL, after the ack-load run: under ${GOAL_RESIDENT_MB} MB resident`,
      measured: `${afterLoad.toFixed(0)} MB`,
      met: afterLoad < GOAL_RESIDENT_MB,
    });
  }
  const pgliteAfterLoad = options.afterLoadMb?.PGlite;
  if (pgliteAfterLoad !== undefined) {
    goals.push({
      name: `PGlite, after the ack-load run: at most ${GOAL_PGLITE_AFTER_LOAD_MB} MB resident`,
      measured: `${pgliteAfterLoad.toFixed(0)} MB`,
      met: pgliteAfterLoad <= GOAL_PGLITE_AFTER_LOAD_MB,
    });
  }
  return { cases, goals, afterLoadMb: options.afterLoadMb ?? {} };
}

/** The startup table with its goals. */
export function formatStartup(results: StartupResults): string {
  const table = formatTable(
    ['database', 'start', 'to /healthz 200 (median)', 'slowest', 'resident MB (median)', 'after ack-load MB'],
    results.cases.map((entry) => [
      entry.database,
      entry.start,
      `${median(entry.readyMs).toFixed(0)} ms`,
      `${Math.max(...entry.readyMs).toFixed(0)} ms`,
      median(entry.residentMb).toFixed(0),
      results.afterLoadMb[entry.database]?.toFixed(0) ?? '–',
    ]),
  );
  const goals = formatTable(
    ['goal', 'measured', ''],
    results.goals.map((goal) => [goal.name, goal.measured, goalMark(goal.met)]),
  );
  return ['Start-up (`npm start` to /healthz 200)', table, '', goals].join('\n');
}
