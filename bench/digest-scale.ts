/**
 * Digest scale benchmark (issue #9): how long the huddle digest and `/timeoff list` take for practices of
 * 20, 200 and 2,000 staff with 1 and 5 years of history, on PostgreSQL and on in-memory PGlite.
 *
 * Goals: under 25 ms (p95) for 200 staff × 5 years on PostgreSQL, and at every size the 5-year p50 at most
 * 1.5 × the 1-year p50 (queries bounded by indexes, not by how much history there is).
 *
 * What is timed, after warm-up, one call after another:
 * - digest: `loadHuddleDigest` + `renderHuddleDigest` (src/handlers/huddle.ts), exactly what `/huddle` and
 *   the scheduled digest run: every query, the pure `buildHuddleDigest`, and rendering the message.
 * - /timeoff list and /timeoff list all: `dispatchInput` (src/handlers/dispatch.ts) with the command as the
 *   Slack and Teams adapters pass it, so BEGIN, the handler's queries, building the reply and COMMIT: what
 *   a person waits for, less the platform round trip. `list` rotates through the staff; `list all` is a manager.
 *
 * Run: `npx tsx bench/digest-scale.ts` (BENCH_DATABASE_URL or postgres://postgres@127.0.0.1:5432/test);
 * writes bench/results/digest-scale.json.
 */
import { pathToFileURL } from 'node:url';
import { DateTime } from 'luxon';
import { pino } from 'pino';
import type { OfficeConfig } from '../src/config/office.ts';
import { type Database, openDatabase } from '../src/db/client.ts';
import { getOfficeDay } from '../src/domain/dates.ts';
import { type Person, resolvePerson } from '../src/domain/people.ts';
import { loadHuddleDigest, renderHuddleDigest } from '../src/handlers/index.ts';
import { dispatchInput } from '../src/handlers/kernel/dispatch.ts';
import type { Outcome } from '../src/handlers/kernel/message.ts';
import { buildDispatchDeps } from '../tests/helpers/dispatch.ts';
import { createCapturingDb, type ExplainedQuery, explainQuery } from './digest-scale/explain.ts';
import { buildScaleOffice } from './digest-scale/office.ts';
import { type SeededRows, seedHistory } from './digest-scale/seed.ts';
import { type Timing, timeInterleaved } from './digest-scale/timing.ts';
import { benchServerUrl, createScratchDatabase, readPostgresVersion } from './lib/postgres.ts';
import { describeMachine, formatTable, readLoadAverage, writeResults } from './lib/results.ts';

export interface DigestScaleOptions {
  /** a PostgreSQL server URL; each size and history gets its own `bench_<random>` database there */
  databaseUrl: string;
  log?: (line: string) => void;
  /** staff sizes on PostgreSQL (default 20, 200, 2,000) */
  sizes?: readonly number[];
  /** staff sizes also run on in-memory PGlite (default 20, 200, 2,000; [] skips PGlite) */
  pgliteSizes?: readonly number[];
  /** timed repetitions per operation after warm-up (default 50) */
  repetitions?: number;
}

type Engine = 'postgres' | 'pglite';
type OperationName = 'digest' | 'list' | 'listAll';

const OPERATIONS: readonly OperationName[] = ['digest', 'list', 'listAll'];
const OPERATION_LABELS: Record<OperationName, string> = {
  digest: 'digest',
  list: '/timeoff list',
  listAll: '/timeoff list all',
};
const HISTORY_YEARS = [1, 5] as const;
const WARMUP = 20;
const FIRST_WARMUP = 100;
// Timed repetitions are split into this many blocks, the 1- and 5-year databases taking turns.
const ROUNDS = 10;
const ABSOLUTE_GOAL_MS = 25;
const ABSOLUTE_GOAL_STAFF = 200;
const ABSOLUTE_GOAL_YEARS = 5;
const GROWTH_GOAL = 1.5;
// A Tuesday at digest time: rep slots fall on it and Thanksgiving (2026-11-26) is in the week ahead.
const NOW_ISO = '2026-11-24T07:45';
const SEED = 20_260_009;

interface ComboResult {
  engine: Engine;
  staff: number;
  years: number;
  rows: SeededRows;
  seedMs: number;
  timings: Record<OperationName, Timing>;
  /** what was produced, to show the runs did real work */
  sample: { digestSections: string[]; listLines: number; listAllTitle: string };
  queries: Record<OperationName, ExplainedQuery[]>;
}

interface GoalCheck {
  kind: 'absolute' | 'growth';
  goal: string;
  engine: Engine;
  staff: number;
  operation: OperationName;
  measured: string;
  met: boolean;
}

async function openBenchDatabase(
  engine: Engine,
  serverUrl: string,
): Promise<{ database: Database; dispose(): Promise<void> }> {
  if (engine === 'pglite') {
    const database = await openDatabase({ dataDir: null });
    return { database, dispose: () => database.close() };
  }
  const scratch = await createScratchDatabase(serverUrl, 'bench');
  try {
    const database = await openDatabase({ url: scratch.url, dataDir: null });
    return {
      database,
      async dispose() {
        await database.close();
        await scratch.drop();
      },
    };
  } catch (error) {
    await scratch.drop();
    throw error;
  }
}

// Handlers log only failures here; a failure also fails the run (checkReply).
const errorLogger = pino({ level: 'error' }, pino.destination(2));

function checkReply(outcome: Outcome, what: string): Outcome {
  const text = outcome.reply?.text ?? '';
  if (!outcome.reply || /something went wrong|Only managers/.test(text)) {
    throw new Error(`${what} did not answer as expected: ${text}`);
  }
  return outcome;
}

interface History {
  years: number;
  database: Database;
  dispose(): Promise<void>;
  rows: SeededRows;
  seedMs: number;
  operations: Record<OperationName, (repetition: number) => Promise<unknown>>;
}

/** The three timed operations on `db`; `list` rotates through the non-manager staff by repetition. */
function buildOperations(
  db: Database['db'],
  office: OfficeConfig,
  now: DateTime,
): Record<OperationName, (repetition: number) => Promise<unknown>> {
  const today = getOfficeDay(now, office.office.timezone);
  const deps = buildDispatchDeps(db, office, errorLogger);
  const people: Person[] = office.staff
    .filter((member) => !member.manager)
    .map((member) => resolvePerson(office, 'slack', member.slack ?? ''));
  const manager = office.staff.find((member) => member.manager);
  if (!manager?.slack || people.length === 0) throw new Error('the synthetic office lacks staff');
  const managerPerson = resolvePerson(office, 'slack', manager.slack);
  const command = (text: string) => ({ kind: 'command', command: 'timeoff', text }) as const;
  return {
    digest: async () => renderHuddleDigest(await loadHuddleDigest(db, office, today, now, errorLogger)),
    list: async (repetition) =>
      checkReply(
        await dispatchInput(deps, people[repetition % people.length] as Person, command('list'), now),
        '/timeoff list',
      ),
    listAll: async () =>
      checkReply(await dispatchInput(deps, managerPerson, command('list all'), now), '/timeoff list all'),
  };
}

/**
 * One practice size on one engine: a database per history length, seeded, then every operation timed on
 * both histories taking turns (so machine noise does not favour one), then each operation's SQL explained.
 */
async function runSize(
  engine: Engine,
  staffCount: number,
  options: { serverUrl: string; repetitions: number; warmup: number; log: (line: string) => void },
): Promise<ComboResult[]> {
  const now = DateTime.fromISO(NOW_ISO, { zone: 'America/New_York' }); // Tue
  const longest = Math.max(...HISTORY_YEARS);
  const calendarYears = Array.from({ length: longest + 2 }, (_, index) => now.year - longest + index);
  const office = buildScaleOffice(staffCount, calendarYears);
  const histories: History[] = [];
  try {
    for (const years of HISTORY_YEARS) {
      const { database, dispose } = await openBenchDatabase(engine, options.serverUrl);
      const seedStarted = performance.now();
      let rows: SeededRows;
      try {
        rows = await seedHistory(database.db, { office, years, now, seed: SEED + staffCount + years });
      } catch (error) {
        await dispose();
        throw error;
      }
      const seedMs = Math.round(performance.now() - seedStarted);
      histories.push({
        years,
        database,
        dispose,
        rows,
        seedMs,
        operations: buildOperations(database.db, office, now),
      });
      options.log(
        `  ${engine} ${staffCount} staff × ${years} y: seeded ${rows.total.toLocaleString('en-US')} rows in ${(seedMs / 1000).toFixed(1)} s`,
      );
    }

    const timings = histories.map(() => ({}) as Record<OperationName, Timing>);
    for (const name of OPERATIONS) {
      const measured = await timeInterleaved(
        histories,
        (history, repetition) => history.operations[name](repetition),
        {
          warmup: options.warmup,
          repetitions: options.repetitions,
          rounds: ROUNDS,
        },
      );
      measured.forEach((timing, index) => {
        (timings[index] as Record<OperationName, Timing>)[name] = timing;
      });
    }

    const results: ComboResult[] = [];
    for (const [index, history] of histories.entries()) {
      const digest = (await history.operations.digest(0)) as ReturnType<typeof renderHuddleDigest>;
      const list = (await history.operations.list(0)) as Outcome;
      const listAll = (await history.operations.listAll(0)) as Outcome;
      // The same operations once more through a drizzle instance that records its SQL, then each
      // statement under EXPLAIN (ANALYZE, BUFFERS).
      const queries = {} as Record<OperationName, ExplainedQuery[]>;
      for (const name of OPERATIONS) {
        const capturing = createCapturingDb(history.database);
        await buildOperations(capturing.db, office, now)[name](0);
        queries[name] = [];
        for (const [position, query] of capturing.queries.entries()) {
          if (/^\s*insert\b/i.test(query.sql)) continue;
          queries[name].push(
            await explainQuery(history.database, query, `${OPERATION_LABELS[name]} #${position + 1}`),
          );
        }
      }
      results.push({
        engine,
        staff: staffCount,
        years: history.years,
        rows: history.rows,
        seedMs: history.seedMs,
        timings: timings[index] as Record<OperationName, Timing>,
        sample: {
          digestSections: (digest.sections ?? []).map(
            (section) => `${section.heading}: ${section.lines.length} line(s)`,
          ),
          listLines: list.reply?.lines?.length ?? 0,
          listAllTitle: listAll.reply?.text ?? '',
        },
        queries,
      });
    }
    return results;
  } finally {
    for (const history of histories) await history.dispose();
  }
}

function findCombo(results: readonly ComboResult[], engine: Engine, staff: number, years: number) {
  return results.find(
    (result) => result.engine === engine && result.staff === staff && result.years === years,
  );
}

function checkGoals(results: readonly ComboResult[]): GoalCheck[] {
  const checks: GoalCheck[] = [];
  const absolute = findCombo(results, 'postgres', ABSOLUTE_GOAL_STAFF, ABSOLUTE_GOAL_YEARS);
  if (absolute) {
    for (const operation of OPERATIONS) {
      const p95 = absolute.timings[operation].p95;
      checks.push({
        kind: 'absolute',
        goal: `p95 < ${ABSOLUTE_GOAL_MS} ms at ${ABSOLUTE_GOAL_STAFF} staff × ${ABSOLUTE_GOAL_YEARS} years on PostgreSQL`,
        engine: 'postgres',
        staff: ABSOLUTE_GOAL_STAFF,
        operation,
        measured: `${p95.toFixed(2)} ms`,
        met: p95 < ABSOLUTE_GOAL_MS,
      });
    }
  }
  for (const five of results.filter((result) => result.years === 5)) {
    const one = findCombo(results, five.engine, five.staff, 1);
    if (!one) continue;
    for (const operation of OPERATIONS) {
      const growth = five.timings[operation].p50 / one.timings[operation].p50;
      checks.push({
        kind: 'growth',
        goal: `5-year p50 ≤ ${GROWTH_GOAL} × 1-year p50`,
        engine: five.engine,
        staff: five.staff,
        operation,
        measured: `${growth.toFixed(2)}×`,
        met: growth <= GROWTH_GOAL,
      });
    }
  }
  return checks;
}

function describeGoal(result: ComboResult, checks: readonly GoalCheck[]): string {
  const mine = checks.filter((check) => check.engine === result.engine && check.staff === result.staff);
  if (result.years === 1) return 'baseline';
  const growth = mine.filter((check) => check.kind === 'growth');
  const absolute = mine.filter((check) => check.kind === 'absolute');
  const missed = [...growth, ...absolute].filter((check) => !check.met);
  const worst = growth
    .map((check) => check.measured)
    .sort((a, b) => Number.parseFloat(b) - Number.parseFloat(a))[0];
  const parts = [
    `growth ≤ ${worst ?? '?'}`,
    ...(absolute.length > 0 ? [`p95 < ${ABSOLUTE_GOAL_MS} ms`] : []),
  ];
  if (missed.length === 0) return `met (${parts.join(', ')})`;
  return `MISSED: ${missed.map((check) => `${OPERATION_LABELS[check.operation]} ${check.measured}`).join(', ')}`;
}

function buildTable(results: readonly ComboResult[], checks: readonly GoalCheck[]): string {
  const ms = (timing: Timing) => `${timing.p50.toFixed(2)} / ${timing.p95.toFixed(2)}`;
  return formatTable(
    [
      'database',
      'staff',
      'years',
      'rows seeded',
      'digest p50 / p95 ms',
      '/timeoff list p50 / p95 ms',
      '/timeoff list all p50 / p95 ms',
      'goal',
    ],
    results.map((result) => [
      result.engine === 'postgres' ? 'PostgreSQL' : 'PGlite (memory)',
      result.staff.toLocaleString('en-US'),
      String(result.years),
      result.rows.total.toLocaleString('en-US'),
      ms(result.timings.digest),
      ms(result.timings.list),
      ms(result.timings.listAll),
      describeGoal(result, checks),
    ]),
  );
}

/**
 * The statements worth reading for a missed goal: for growth, those whose execution time grew more than the
 * goal allows from 1 to 5 years (else the slowest two); for the absolute goal, the slowest two.
 */
function selectSlowQueries(
  results: readonly ComboResult[],
  check: GoalCheck,
): { combo: ComboResult; queries: ExplainedQuery[] } | undefined {
  const combo = findCombo(results, check.engine, check.staff, 5);
  if (!combo) return undefined;
  const one = findCombo(results, check.engine, check.staff, 1);
  const candidates = combo.queries[check.operation];
  const baseline = new Map(
    (one?.queries[check.operation] ?? []).map((query) => [query.label, query.executionMs]),
  );
  const grown = candidates.filter((query) => {
    if (check.kind !== 'growth') return false;
    const before = baseline.get(query.label);
    return before !== undefined && query.executionMs > 0.2 && query.executionMs > GROWTH_GOAL * before;
  });
  const slowest = [...candidates].sort((a, b) => b.executionMs - a.executionMs).slice(0, 2);
  return { combo, queries: grown.length > 0 ? grown : slowest };
}

/** Runs every size and history, prints the table (and the plans behind any missed goal), writes the JSON. */
export async function runDigestScale(options: DigestScaleOptions): Promise<{
  table: string;
  goalsMet: boolean;
  results: unknown;
}> {
  const log = options.log ?? (() => {});
  const repetitions = options.repetitions ?? 50;
  const sizes = options.sizes ?? [20, 200, 2000];
  const pgliteSizes = options.pgliteSizes ?? [20, 200, 2000];
  const started = performance.now();
  const loadAtStart = readLoadAverage();
  const postgresVersion = await readPostgresVersion(options.databaseUrl);
  log(`digest-scale: ${postgresVersion}, ${repetitions} timed repetitions after ${WARMUP} warm-up`);

  const results: ComboResult[] = [];
  const plan: [Engine, number[]][] = [
    ['postgres', [...sizes]],
    ['pglite', [...pgliteSizes]],
  ];
  for (const [engine, engineSizes] of plan) {
    for (const staff of engineSizes) {
      // The first size also warms up the process (module loading, JIT), so it gets a longer warm-up.
      const warmup = results.length === 0 ? FIRST_WARMUP : WARMUP;
      results.push(
        ...(await runSize(engine, staff, { serverUrl: options.databaseUrl, repetitions, warmup, log })),
      );
    }
  }

  const checks = checkGoals(results);
  const goalsMet = checks.every((check) => check.met);
  const table = buildTable(results, checks);
  log('');
  log(table);
  log('');

  const missed = checks.filter((check) => !check.met);
  const slowPlans: {
    goal: string;
    engine: Engine;
    staff: number;
    operation: string;
    queries: ExplainedQuery[];
  }[] = [];
  for (const check of missed) {
    const slow = selectSlowQueries(results, check);
    if (!slow) continue;
    slowPlans.push({
      goal: check.goal,
      engine: check.engine,
      staff: check.staff,
      operation: OPERATION_LABELS[check.operation],
      queries: slow.queries,
    });
    const statements = slow.combo.queries[check.operation];
    const serverMs = statements.reduce((sum, query) => sum + query.executionMs, 0);
    log(
      `MISSED ${check.goal}: ${OPERATION_LABELS[check.operation]} on ${check.engine}, ${check.staff} staff: ${check.measured}`,
    );
    log(
      `   its ${statements.length} statements execute in ${serverMs.toFixed(2)} ms on the server (p50 of the whole operation ${slow.combo.timings[check.operation].p50.toFixed(2)} ms); the slow ones:`,
    );
    for (const query of slow.queries) {
      log(
        `-- ${query.label}: ${query.executionMs} ms, shared hit ${query.sharedHit} read ${query.sharedRead}`,
      );
      log(query.sql);
      log(query.plan);
      log('');
    }
  }
  if (goalsMet) log('All goals met.');
  const elapsedSeconds = Math.round((performance.now() - started) / 100) / 10;
  log(`digest-scale took ${elapsedSeconds} s`);

  const summary = {
    benchmark: 'digest-scale',
    timestamp: new Date().toISOString(),
    machine: describeMachine(
      { platform: `${process.platform} ${process.arch}`, postgres: postgresVersion },
      loadAtStart,
    ),
    method: {
      now: `${NOW_ISO} America/New_York (Tue)`,
      warmup: WARMUP,
      firstSizeWarmup: FIRST_WARMUP,
      rounds: `${ROUNDS} blocks per operation, the 1- and 5-year databases of a size taking turns`,
      repetitions,
      digest:
        'loadHuddleDigest + renderHuddleDigest (src/handlers/huddle.ts), as /huddle and the scheduled digest',
      list: "dispatchInput (src/handlers/dispatch.ts) with '/timeoff list', rotating through non-manager staff",
      listAll: "dispatchInput with '/timeoff list all' by a manager",
      history:
        'per person 15–25 time-off requests a year (up to 120 days ahead); per 20 staff 3 supply requests a week and 3 complaints a month; rep slots (3 a week per 200 staff) 80% booked up to 8 weeks ahead',
    },
    goals: {
      absolute: `p95 < ${ABSOLUTE_GOAL_MS} ms for every operation at ${ABSOLUTE_GOAL_STAFF} staff × ${ABSOLUTE_GOAL_YEARS} years on PostgreSQL`,
      growth: `5-year p50 ≤ ${GROWTH_GOAL} × 1-year p50 for every operation at every size`,
      checks,
      met: goalsMet,
    },
    elapsedSeconds,
    runs: results.map((result) => ({
      engine: result.engine,
      staff: result.staff,
      years: result.years,
      rows: result.rows,
      seedMs: result.seedMs,
      timingsMs: result.timings,
      sample: result.sample,
      queries: Object.fromEntries(
        OPERATIONS.map((name) => [
          name,
          result.queries[name].map((query) => ({
            label: query.label,
            executionMs: query.executionMs,
            sharedHit: query.sharedHit,
            sharedRead: query.sharedRead,
            scans: query.scans,
          })),
        ]),
      ),
    })),
    slowPlans,
    table,
  };
  writeResults('digest-scale', summary);
  return { table, goalsMet, results: summary };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  // Results are written, not asserted: a missed goal is in the table and the JSON, not the exit code.
  await runDigestScale({
    databaseUrl: benchServerUrl,
    log: (line) => console.log(line),
  });
}
