/**
 * `npm run bench`: ack-load, then start-up (with the memory the app had after the load), then
 * digest-scale, then report-build; `npm run bench -- startup digest-scale` runs only those. Each prints its table with every
 * goal marked met or MISSED and writes its JSON to bench/results/. A missed goal is reported, not a
 * failure: the exit code says only whether the run itself worked. The soak is `npm run bench:soak`.
 */
import { buildApp } from '../tests/helpers/build.ts';
import { formatAckLoad, readLoadOptions, runAckLoad } from './ack-load.ts';
import { runDigestScale } from './digest-scale.ts';
import { benchServerUrl, readPostgresVersion } from './lib/postgres.ts';
import { describeMachine, writeResults } from './lib/results.ts';
import { formatReportBuild, runReportBuild } from './report-build.ts';
import { formatStartup, runStartup } from './startup.ts';

const PARTS = ['ack-load', 'startup', 'digest-scale', 'report-build'] as const;
const asked = process.argv.slice(2);
const unknown = asked.filter((part) => !(PARTS as readonly string[]).includes(part));
if (unknown.length > 0) {
  console.error(`unknown benchmark ${unknown.join(', ')}; choose from ${PARTS.join(', ')}`);
  process.exit(2);
}
const runs = (part: (typeof PARTS)[number]) => asked.length === 0 || asked.includes(part);
// The app is measured as `npm start` runs it: compiled, from the sources as they stand.
if (runs('ack-load') || runs('startup')) buildApp();

const log = (line: string) => console.log(line);
const postgresVersion = await readPostgresVersion(benchServerUrl);
const machine = describeMachine({ postgres: postgresVersion });
log(
  `frontdesk benchmarks on ${machine.cores} × ${machine.cpu}, ${machine.memoryGb} GB, Node ${machine.node}, ${postgresVersion}`,
);
log(`PostgreSQL server: ${benchServerUrl.replace(/\/\/[^@/]*@/, '//')}\n`);
let missed = 0;

const ackLoad = runs('ack-load') ? await runAckLoad({ ...readLoadOptions(), log }) : undefined;
if (ackLoad) {
  writeResults('ack-load', { measuredAt: new Date().toISOString(), machine, ...ackLoad });
  log(`\n${formatAckLoad(ackLoad)}\n`);
  missed += ackLoad.goals.filter((goal) => !goal.met).length;
}

if (runs('startup')) {
  const startup = await runStartup({
    starts: Number(process.env.BENCH_STARTS ?? 5),
    ...(ackLoad
      ? {
          afterLoadMb: {
            PostgreSQL: ackLoad.residentMbAfterRun['frontdesk on PostgreSQL'],
            PGlite: ackLoad.residentMbAfterRun['frontdesk on PGlite'],
          },
        }
      : {}),
    log,
  });
  writeResults('startup', { measuredAt: new Date().toISOString(), machine, ...startup });
  log(`\n${formatStartup(startup)}\n`);
  missed += startup.goals.filter((goal) => !goal.met).length;
}

if (runs('digest-scale')) {
  const digest = await runDigestScale({ databaseUrl: benchServerUrl, log });
  if (!digest.goalsMet) missed += 1;
}

if (runs('report-build')) {
  const report = await runReportBuild({ databaseUrl: benchServerUrl, log });
  writeResults('report-build', { measuredAt: new Date().toISOString(), machine, ...report });
  log(`\n${formatReportBuild(report)}\n`);
  missed += report.goals.filter((goal) => !goal.met).length;
}

log(
  `\n${missed === 0 ? 'Every goal met.' : `${missed} goal(s) missed; see the tables above.`} Results are in bench/results/.`,
);
