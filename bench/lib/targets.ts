import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Database, openDatabase } from '../../src/db/client.ts';
import { findFreePort, readStartCommand } from '../../tests/helpers/processes.ts';
import type { BenchOffice } from './bench-office.ts';
import { benchServerUrl, createScratchDatabase } from './postgres.ts';
import { type BenchProcess, readFirstJsonLine, spawnNodeScript, waitForHealthy } from './processes.ts';
import type { SlackStubStats } from './slack-stub.ts';

/** What a benchmark measures: a bare Bolt floor or the real app on one database. */
export type TargetName =
  | 'bare Bolt: ack only'
  | 'bare Bolt: ack + post'
  | 'bare Bolt: INSERT + ack + post'
  | 'frontdesk on PostgreSQL'
  | 'frontdesk on PGlite';

const BARE_TARGETS = {
  ack: 'bare Bolt: ack only',
  post: 'bare Bolt: ack + post',
  'insert-post': 'bare Bolt: INSERT + ack + post',
} as const satisfies Record<string, TargetName>;

/** The signing secret every benchmark app is started with and every request is signed with. */
export const SIGNING_SECRET = 'bench-signing-secret';

/** The Slack stub process and its counters. */
export interface SlackStub {
  apiUrl: string;
  responseUrl: string;
  process: BenchProcess;
  stats(): Promise<SlackStubStats>;
  reset(): Promise<void>;
}

/** Starts bench/lib/slack-stub.ts; cards posted to `approvalsChannel` are counted per reference. */
export async function startSlackStub(approvalsChannel: string): Promise<SlackStub> {
  const process = spawnNodeScript('bench/lib/slack-stub.ts', { APPROVALS_CHANNEL: approvalsChannel });
  const { port } = await readFirstJsonLine<{ port: number }>(process);
  const base = `http://127.0.0.1:${port}`;
  return {
    apiUrl: `${base}/api/`,
    responseUrl: `${base}/response/bench`,
    process,
    stats: async () => (await (await fetch(`${base}/__stats`)).json()) as SlackStubStats,
    reset: async () => {
      await fetch(`${base}/__reset`, { method: 'POST' });
    },
  };
}

/** Cards the stub saw, how many references they name, and how many references got more than one. */
export function countCards(stats: SlackStubStats): { cards: number; references: number; duplicates: number } {
  const counts = Object.values(stats.cardsPerReference);
  return {
    cards: counts.reduce((sum, count) => sum + count, 0),
    references: counts.length,
    duplicates: counts.filter((count) => count > 1).length,
  };
}

/** A running target: its URL and process, and how it is checked and stopped. */
export interface RunningTarget {
  name: TargetName;
  url: string;
  process: BenchProcess;
  /** true when the app's answer says a filing was stored (frontdesk) or the command was taken (bare) */
  accepted(body: string): boolean;
  postsCards: boolean;
  /** Opens the app's database to check what it holds; only once the process has stopped (PGlite). */
  openDatabase?: () => Promise<Database>;
  cleanUp(): Promise<void>;
}

/** A bare Bolt app, a floor frontdesk is compared with (bench/lib/bare-bolt-app.ts). */
export async function startBareBolt(
  mode: 'ack' | 'post' | 'insert-post',
  stub: SlackStub,
  office: BenchOffice,
): Promise<RunningTarget> {
  const scratch =
    mode === 'insert-post' ? await createScratchDatabase(benchServerUrl, 'bench_floor') : undefined;
  const process = spawnNodeScript('bench/lib/bare-bolt-app.ts', {
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    SLACK_API_URL: stub.apiUrl,
    BARE_MODE: mode,
    APPROVALS_CHANNEL: office.approvalsChannel,
    ...(scratch ? { DATABASE_URL: scratch.url } : {}),
  });
  const { port } = await readFirstJsonLine<{ port: number }>(process);
  return {
    name: BARE_TARGETS[mode],
    url: `http://127.0.0.1:${port}`,
    process,
    accepted: (body) => body.includes('Got it'),
    postsCards: mode !== 'ack',
    cleanUp: async () => {
      await scratch?.drop();
    },
  };
}

/** The env `npm start` would get for a Slack install pointed at the stub. */
export function frontdeskEnv(
  stub: { apiUrl: string },
  office: BenchOffice,
  port: number,
  database: Record<string, string>,
) {
  return {
    PORT: String(port),
    HOST: '127.0.0.1',
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    SLACK_BOT_TOKEN: 'xoxb-bench',
    SLACK_API_URL: stub.apiUrl,
    SANDBOX: '0',
    OFFICE_CONFIG: office.path,
    ...database,
  };
}

/**
 * The real app, as `npm start` runs it, on a fresh PostgreSQL database or PGlite data directory; with
 * `instruments`, under bench/lib/instrumented-main.js (CPU profile to `profilePath`, memory readings).
 * Resolves once /healthz answers.
 */
export async function startFrontdeskTarget(
  kind: 'postgres' | 'pglite',
  stub: SlackStub,
  office: BenchOffice,
  instruments?: { profilePath?: string },
): Promise<RunningTarget> {
  const profilePath = instruments?.profilePath;
  const port = await findFreePort();
  const scratch = kind === 'postgres' ? await createScratchDatabase(benchServerUrl, 'bench_ack') : undefined;
  const dataDir = kind === 'pglite' ? mkdtempSync(join(tmpdir(), 'frontdesk-bench-data-')) : undefined;
  const database: Record<string, string> = scratch
    ? { DATABASE_URL: scratch.url }
    : { DATA_DIR: dataDir ?? '' };
  // `npm start`'s node flags (the heap limit) and script, so the app runs as an operator runs it.
  const { args } = readStartCommand();
  const process = spawnNodeScript(
    instruments ? 'bench/lib/instrumented-main.js' : (args.at(-1) ?? ''),
    { ...frontdeskEnv(stub, office, port, database), ...(profilePath ? { PROFILE_PATH: profilePath } : {}) },
    args.slice(0, -1),
  );
  const url = `http://127.0.0.1:${port}`;
  await waitForHealthy(`${url}/healthz`, 60_000, process);
  return {
    name: kind === 'postgres' ? 'frontdesk on PostgreSQL' : 'frontdesk on PGlite',
    url,
    process,
    accepted: (body) => /\bTO-\d+\b/.test(body),
    postsCards: true,
    openDatabase: () =>
      openDatabase(scratch ? { url: scratch.url, dataDir: null } : { dataDir: dataDir ?? null }),
    cleanUp: async () => {
      await scratch?.drop();
      if (dataDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
