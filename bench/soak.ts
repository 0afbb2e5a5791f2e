/**
 * bench/soak: the real app on PostgreSQL under a steady mix of signed commands and button presses for
 * BENCH_SOAK_MINUTES (default 10) at BENCH_SOAK_RATE requests/s (default 20). Checks that memory at the
 * end is within 10 % of memory after the warm-up minute, judged on the live heap after a full collection
 * (resident memory is reported beside it: it rises and falls with the collector), that nothing failed,
 * and that every filing was stored once with one card and every approval was applied once. Not part of
 * `npm run bench`.
 *
 * Run: `npm run bench:soak` (BENCH_DATABASE_URL, BENCH_SOAK_MINUTES, BENCH_SOAK_RATE).
 */
import { pathToFileURL } from 'node:url';
import { count, eq, ne } from 'drizzle-orm';
import { outbox } from '../src/db/schema/platform.ts';
import { supplyRequests } from '../src/db/schema/supplies.ts';
import { timeOffRequests } from '../src/db/schema/time-off.ts';
import { TIME_OFF_ACTIONS } from '../src/handlers/time-off/ids.ts';
import { buildApp } from '../tests/helpers/build.ts';
import {
  buildBlockActionsBody,
  buildSlashCommandBody,
  postSignedSlack,
} from '../tests/helpers/slack-signing.ts';
import { writeBenchOffice } from './lib/bench-office.ts';
import { benchServerUrl, readPostgresVersion } from './lib/postgres.ts';
import { describeMachine, formatTable, goalMark, writeResults } from './lib/results.ts';
import { median, percentile } from './lib/statistics.ts';
import { countCards, SIGNING_SECRET, startFrontdeskTarget, startSlackStub } from './lib/targets.ts';

const WARM_UP_MS = 60_000;
// Each reading runs a full collection in the app, so readings are spaced out.
const MEMORY_SAMPLE_MS = 5_000;
const MEMORY_WINDOW_MS = 30_000;
const GOAL_MEMORY_GROWTH = 0.1;
const MANAGER = { userId: 'U0DANA', userName: 'dana' };
const SUPPLY_ITEMS = ['GLV-M', 'PPR-EX', 'ALC-PAD', 'GAUZE-4', 'MSK-PR'];

// Ten requests in every ten: 4 time-off filings, 2 supply requests, 2 approvals, a list and a huddle.
const MIX = [
  'timeoff',
  'supplies',
  'timeoff',
  'approve',
  'list',
  'timeoff',
  'supplies',
  'approve',
  'timeoff',
  'huddle',
] as const;
type RequestKind = (typeof MIX)[number];

/** What the instrumented app (bench/lib/instrumented-main.js) answers to 'memory'. */
interface MemoryReading {
  rssMb: number;
  heapAfterGcMb: number;
}

interface MemorySample extends MemoryReading {
  atSeconds: number;
}

interface SoakResults {
  minutes: number;
  rate: number;
  requests: Record<RequestKind, number>;
  errors: number;
  latencyMs: { p50: number; p99: number; max: number };
  /** live heap after a full collection (what a leak grows) and resident memory, after warm-up and at the end */
  memoryMb: {
    heapAfterWarmUp: number;
    heapAtEnd: number;
    heapGrowth: number;
    rssAfterWarmUp: number;
    rssAtEnd: number;
    samples: MemorySample[];
  };
  stored: { timeOff: number; supplies: number; approved: number; outboxNotSent: number };
  filed: { timeOff: number; supplies: number };
  cards: { cards: number; references: number; duplicates: number };
  goals: { name: string; measured: string; met: boolean }[];
}

export async function runSoak(options: { minutes: number; rate: number; log?: (line: string) => void }) {
  const log = options.log ?? ((line: string) => console.log(line));
  const office = writeBenchOffice(200);
  const stub = await startSlackStub(office.approvalsChannel);
  const target = await startFrontdeskTarget('postgres', stub, office, {});
  const nextFiling = office.timeOffFilings(stub.responseUrl);
  const requests = Object.fromEntries(MIX.map((kind) => [kind, 0])) as Record<RequestKind, number>;
  const waitingForDecision: string[] = [];
  const latencies: number[] = [];
  const memory: MemorySample[] = [];
  const readMemory = () =>
    new Promise<MemoryReading>((resolve) => {
      target.process.child.once('message', (reading) => resolve(reading as MemoryReading));
      target.process.child.send('memory');
    });
  const filed = { timeOff: 0, supplies: 0 };
  let errors = 0;
  let sequence = 0;

  function buildBody(kind: RequestKind): string | undefined {
    const person = nextFiling();
    switch (kind) {
      case 'timeoff':
        return buildSlashCommandBody(person);
      case 'supplies': {
        const item = SUPPLY_ITEMS[sequence % SUPPLY_ITEMS.length];
        return buildSlashCommandBody({ ...person, command: '/supplies', text: `2 ${item}` });
      }
      case 'list':
        return buildSlashCommandBody({ ...person, text: 'list' });
      case 'huddle':
        return buildSlashCommandBody({ ...person, command: '/huddle', text: '' });
      case 'approve': {
        const reference = waitingForDecision.shift();
        if (!reference) return undefined;
        return buildBlockActionsBody({
          actionId: TIME_OFF_ACTIONS.approve,
          value: reference,
          ...MANAGER,
          channelId: office.approvalsChannel,
          responseUrl: stub.responseUrl,
        });
      }
    }
  }

  async function send(kind: RequestKind): Promise<void> {
    const body = buildBody(kind);
    if (!body) return;
    requests[kind] += 1;
    const started = performance.now();
    try {
      const response = await postSignedSlack(target.url, SIGNING_SECRET, body);
      const text = await response.text();
      latencies.push(performance.now() - started);
      if (response.status !== 200 || /something went wrong/i.test(text)) {
        errors += 1;
        return;
      }
      const reference = /\b(TO|SR)-\d+\b/.exec(text)?.[0];
      if (kind === 'timeoff' && reference?.startsWith('TO-')) {
        filed.timeOff += 1;
        waitingForDecision.push(reference);
      } else if (kind === 'supplies' && reference?.startsWith('SR-')) {
        filed.supplies += 1;
      } else if (kind === 'timeoff' || kind === 'supplies') {
        errors += 1;
      }
    } catch {
      errors += 1;
    }
  }

  const durationMs = options.minutes * 60_000;
  const started = performance.now();
  const inFlight = new Set<Promise<void>>();
  const sampler = setInterval(() => {
    const atSeconds = Math.round((performance.now() - started) / 1000);
    void readMemory().then((reading) => memory.push({ atSeconds, ...reading }));
  }, MEMORY_SAMPLE_MS);
  let lastMinute = 0;
  try {
    // A steady rate: request n goes out at n / rate seconds, however long earlier ones take.
    while (performance.now() - started < durationMs) {
      const kind = MIX[sequence % MIX.length] ?? 'timeoff';
      const pending = send(kind);
      sequence += 1;
      inFlight.add(pending);
      void pending.finally(() => inFlight.delete(pending));
      const due = started + (sequence * 1000) / options.rate;
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, due - performance.now())));
      const minute = Math.floor((performance.now() - started) / 60_000);
      if (minute > lastMinute) {
        lastMinute = minute;
        log(
          `  soak: minute ${minute}, ${sequence} requests, ${errors} errors, ${memory.at(-1)?.heapAfterGcMb.toFixed(1)} MB live heap, ${memory.at(-1)?.rssMb.toFixed(0)} MB resident`,
        );
      }
    }
    await Promise.all(inFlight);
  } finally {
    clearInterval(sampler);
  }

  // Let the outbox finish: one card per filing, then the approvals' card updates.
  const approvals = requests.approve;
  const drainDeadline = performance.now() + 60_000;
  for (;;) {
    const stats = await stub.stats();
    const done =
      countCards(stats).cards >= filed.timeOff + filed.supplies &&
      (stats.calls['chat.update'] ?? 0) >= approvals;
    if (done || performance.now() > drainDeadline) break;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  await new Promise((resolve) => setTimeout(resolve, 1_000));
  const cards = countCards(await stub.stats());
  await target.process.stop();
  await stub.process.stop();

  const database = await target.openDatabase?.();
  if (!database) throw new Error('the soak needs the database it ran on');
  let stored: SoakResults['stored'];
  try {
    const [timeOff] = await database.db.select({ n: count() }).from(timeOffRequests);
    const [supplies] = await database.db.select({ n: count() }).from(supplyRequests);
    const [approved] = await database.db
      .select({ n: count() })
      .from(timeOffRequests)
      .where(eq(timeOffRequests.status, 'approved'));
    const [unsent] = await database.db.select({ n: count() }).from(outbox).where(ne(outbox.status, 'sent'));
    stored = {
      timeOff: timeOff?.n ?? 0,
      supplies: supplies?.n ?? 0,
      approved: approved?.n ?? 0,
      outboxNotSent: unsent?.n ?? 0,
    };
  } finally {
    await database.close();
    await target.cleanUp();
  }

  // A short trial run scales the warm-up down; each memory figure is the median of its window's samples.
  const warmUpMs = Math.min(WARM_UP_MS, durationMs / 5);
  const windowMs = Math.max(2 * MEMORY_SAMPLE_MS, Math.min(MEMORY_WINDOW_MS, durationMs / 10));
  const afterWarmUp = memory.filter(
    (sample) => sample.atSeconds * 1000 >= warmUpMs && sample.atSeconds * 1000 < warmUpMs + windowMs,
  );
  const atEnd = memory.filter((sample) => sample.atSeconds * 1000 >= durationMs - windowMs);
  const heapAfterWarmUp = median(afterWarmUp.map((sample) => sample.heapAfterGcMb));
  const heapAtEnd = median(atEnd.map((sample) => sample.heapAfterGcMb));
  const heapGrowth = heapAtEnd / heapAfterWarmUp - 1;
  const rssAfterWarmUp = median(afterWarmUp.map((sample) => sample.rssMb));
  const rssAtEnd = median(atEnd.map((sample) => sample.rssMb));
  const sorted = [...latencies].sort((a, b) => a - b);
  const results: SoakResults = {
    minutes: options.minutes,
    rate: options.rate,
    requests,
    errors,
    latencyMs: { p50: percentile(sorted, 50), p99: percentile(sorted, 99), max: sorted.at(-1) ?? 0 },
    memoryMb: { heapAfterWarmUp, heapAtEnd, heapGrowth, rssAfterWarmUp, rssAtEnd, samples: memory },
    stored,
    filed,
    cards,
    goals: [
      {
        name: `memory (live heap after a full collection) at the end within ${GOAL_MEMORY_GROWTH * 100} % of after warm-up`,
        measured: `${heapAfterWarmUp.toFixed(1)} MB → ${heapAtEnd.toFixed(1)} MB (${(heapGrowth * 100).toFixed(1)} %); resident ${rssAfterWarmUp.toFixed(0)} → ${rssAtEnd.toFixed(0)} MB`,
        met: Math.abs(heapGrowth) <= GOAL_MEMORY_GROWTH,
      },
      { name: 'no error', measured: `${errors} errors in ${sequence} requests`, met: errors === 0 },
      {
        name: 'every filing stored once, with exactly one card',
        measured: `${stored.timeOff + stored.supplies} stored, ${cards.cards} cards (${cards.duplicates} duplicated) for ${filed.timeOff + filed.supplies} filings; ${stored.outboxNotSent} messages unsent`,
        met:
          stored.timeOff === filed.timeOff &&
          stored.supplies === filed.supplies &&
          cards.references === filed.timeOff + filed.supplies &&
          cards.duplicates === 0 &&
          stored.outboxNotSent === 0,
      },
      {
        name: 'every approval applied once',
        measured: `${stored.approved} approved for ${approvals} presses`,
        met: stored.approved === approvals,
      },
    ],
  };
  return results;
}

export function formatSoak(results: SoakResults): string {
  const mix = formatTable(
    ['requests', 'count'],
    Object.entries(results.requests).map(([kind, number]) => [kind, String(number)]),
  );
  const goals = formatTable(
    ['goal', 'measured', ''],
    results.goals.map((goal) => [goal.name, goal.measured, goalMark(goal.met)]),
  );
  return [
    `Soak: ${results.minutes} min at ${results.rate} requests/s on PostgreSQL; ack p50 ${results.latencyMs.p50.toFixed(0)} ms, p99 ${results.latencyMs.p99.toFixed(0)} ms, max ${results.latencyMs.max.toFixed(0)} ms`,
    mix,
    '',
    goals,
  ].join('\n');
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const minutes = Number(process.env.BENCH_SOAK_MINUTES ?? 10);
  const rate = Number(process.env.BENCH_SOAK_RATE ?? 20);
  if (!(minutes > 0) || !(rate > 0))
    throw new Error('BENCH_SOAK_MINUTES and BENCH_SOAK_RATE must be positive numbers');
  buildApp();
  const results = await runSoak({ minutes, rate });
  console.log(formatSoak(results));
  const path = writeResults('soak', {
    measuredAt: new Date().toISOString(),
    machine: describeMachine({ postgres: await readPostgresVersion(benchServerUrl) }),
    ...results,
  });
  console.log(`\nwritten to ${path}`);
}
