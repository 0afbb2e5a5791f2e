/**
 * Monthly report benchmark: how long `/report 2026-10` takes for a practice of 200 staff with 5 years of
 * history on PostgreSQL, as a manager waits for it: `dispatchInput` with the command (BEGIN, every query of
 * the month, the figures, six charts drawn as PNG, the CSV, the audit row, COMMIT), less the platform upload.
 *
 * Goal: under 2 s (p95). The history is seeded by the digest-scale seeder (time off, supplies and stock,
 * complaints, rep visits), with a vaccine-fridge check configured so the checks part is counted too.
 *
 * Run: `npm run bench -- report-build` (BENCH_DATABASE_URL or postgres://postgres@127.0.0.1:5432/test);
 * writes bench/results/report-build.json.
 */
import { DateTime } from 'luxon';
import { pino } from 'pino';
import type { OfficeConfig } from '../src/config/office.ts';
import { openDatabase } from '../src/db/client.ts';
import { resolvePerson } from '../src/domain/people.ts';
import { dispatchInput } from '../src/handlers/kernel/dispatch.ts';
import { buildDispatchDeps } from '../tests/helpers/dispatch.ts';
import { buildScaleOffice } from './digest-scale/office.ts';
import { seedHistory } from './digest-scale/seed.ts';
import { summarizeSamples, type Timing } from './digest-scale/timing.ts';
import { createScratchDatabase } from './lib/postgres.ts';
import { formatTable, goalMark } from './lib/results.ts';

const STAFF = 200;
const YEARS = 5;
const GOAL_MS = 2000;
const WARMUP = 2;
const REPETITIONS = 10;
const NOW_ISO = '2026-11-24T07:45';
const SEED = 20_261_124;

export interface ReportBuildResult {
  staff: number;
  years: number;
  month: string;
  seededRows: number;
  timing: Timing;
  attachments: number;
  goals: { name: string; met: boolean }[];
}

// The handler logs only failures here.
const errorLogger = pino({ level: 'error' }, pino.destination(2));

export async function runReportBuild(options: {
  databaseUrl: string;
  log: (line: string) => void;
}): Promise<ReportBuildResult> {
  const now = DateTime.fromISO(NOW_ISO, { zone: 'America/New_York' }); // Tue
  const years = Array.from({ length: YEARS + 2 }, (_, index) => now.year - YEARS + index);
  const scale = buildScaleOffice(STAFF, years);
  const office: OfficeConfig = {
    ...scale,
    checks: [
      {
        id: 'fridge',
        name: 'Vaccine fridge',
        times: ['08:00', '16:30'],
        days: ['mon', 'tue', 'wed', 'thu', 'fri'],
        assignee: { role: 'medical-assistant' },
        fields: [{ id: 'temp', label: 'Temperature °C', type: 'number', min: 2, max: 8 }],
        graceMinutes: 60,
      },
    ],
  };
  const manager = office.staff.find((member) => member.manager);
  if (!manager?.slack) throw new Error('the scale office has no manager on Slack');
  const scratch = await createScratchDatabase(options.databaseUrl, 'bench_report');
  try {
    const database = await openDatabase({ url: scratch.url, dataDir: null });
    try {
      options.log(`report-build: seeding ${STAFF} staff × ${YEARS} years…`);
      const seeded = await seedHistory(database.db, { office, years: YEARS, now, seed: SEED });
      const deps = buildDispatchDeps(database.db, office, errorLogger);
      const actor = resolvePerson(office, 'slack', manager.slack);
      const samples: number[] = [];
      let attachments = 0;
      for (let round = 0; round < WARMUP + REPETITIONS; round += 1) {
        const started = performance.now();
        const outcome = await dispatchInput(
          deps,
          actor,
          { kind: 'command', command: 'report', text: '2026-10' },
          now,
        );
        const elapsed = performance.now() - started;
        attachments = outcome.attachments?.length ?? 0;
        if (!outcome.reply?.title?.includes('October 2026') || attachments !== 7)
          throw new Error(`the report did not answer as expected: ${outcome.reply?.text ?? ''}`);
        if (round >= WARMUP) samples.push(elapsed);
      }
      const timing = summarizeSamples(samples);
      return {
        staff: STAFF,
        years: YEARS,
        month: '2026-10',
        seededRows: seeded.total,
        timing,
        attachments,
        goals: [
          { name: `p95 under ${GOAL_MS} ms at ${STAFF} staff × ${YEARS} years`, met: timing.p95 < GOAL_MS },
        ],
      };
    } finally {
      await database.close();
    }
  } finally {
    await scratch.drop();
  }
}

/** The result as the table `npm run bench` prints. */
export function formatReportBuild(result: ReportBuildResult): string {
  return formatTable(
    ['staff × years', 'month', 'rows seeded', 'p50', 'p95', 'files', 'goal (p95 < 2 s)'],
    [
      [
        `${result.staff} × ${result.years}`,
        result.month,
        String(result.seededRows),
        `${result.timing.p50} ms`,
        `${result.timing.p95} ms`,
        String(result.attachments),
        goalMark(result.goals.every((goal) => goal.met)),
      ],
    ],
  );
}
