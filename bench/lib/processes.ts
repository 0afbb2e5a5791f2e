import { type ChildProcess, spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** The repository root, where `build/main.js` and `node_modules` are. */
export const repoRoot = fileURLToPath(new URL('../../', import.meta.url));

const CLOCK_TICKS_PER_SECOND = 100;
const OUTPUT_TAIL_CHARS = 64 * 1024;

/** A child node process of a benchmark, with what it printed. */
export interface BenchProcess {
  child: ChildProcess;
  pid: number;
  output(): string;
  /** SIGTERM, then SIGKILL after `graceMs`; resolves when it has exited. */
  stop(graceMs?: number): Promise<void>;
}

/**
 * Runs `node <script>` directly (no npm or tsx wrapper process), so the pid is the program itself and its
 * memory and CPU can be read from /proc; a TypeScript script runs with tsx's loader.
 */
export function spawnNodeScript(
  script: string,
  env: Record<string, string>,
  nodeFlags: readonly string[] = [],
): BenchProcess {
  const loader = script.endsWith('.ts') ? ['--import', 'tsx'] : [];
  const child = spawn(process.execPath, [...nodeFlags, ...loader, script], {
    cwd: repoRoot,
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: process.env.HOME ?? '/tmp', ...env },
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  // Only the tail is kept: an app under load logs a line per request, and the start-up lines and the
  // last error are what a failed run needs.
  let output = '';
  const collect = (chunk: Buffer) => {
    output = (output + chunk.toString('utf8')).slice(-OUTPUT_TAIL_CHARS);
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  if (child.pid === undefined) throw new Error(`could not start ${script}`);
  return {
    child,
    pid: child.pid,
    output: () => output,
    async stop(graceMs = 10_000) {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** Resolves with the first JSON line a helper script prints (its port), or rejects if it exits first. */
export function readFirstJsonLine<T>(process: BenchProcess, timeoutMs = 30_000): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no start-up line within ${timeoutMs} ms`)), timeoutMs);
    const check = () => {
      const line = process
        .output()
        .split('\n')
        .find((text) => text.startsWith('{'));
      if (!line) return;
      clearTimeout(timer);
      process.child.stdout?.off('data', check);
      resolve(JSON.parse(line) as T);
    };
    process.child.stdout?.on('data', check);
    process.child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`exited (${code}) before it was ready:\n${process.output().slice(-2000)}`));
    });
  });
}

/** Polls `url` until it answers 200; resolves with the milliseconds that took. */
export async function waitForHealthy(
  url: string,
  timeoutMs: number,
  process?: BenchProcess,
): Promise<number> {
  const started = performance.now();
  while (performance.now() - started < timeoutMs) {
    if (process && process.child.exitCode !== null) {
      throw new Error(`the app exited before ${url} answered:\n${process.output().slice(-2000)}`);
    }
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(1_000) });
      if (response.ok) return performance.now() - started;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`${url} did not answer 200 within ${timeoutMs} ms`);
}

/** Resident memory of a process in MB, from /proc. */
export function readResidentMb(pid: number): number {
  const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return match?.[1] ? Number(match[1]) / 1024 : Number.NaN;
}

/** User + system CPU a process has used so far, in ms. */
export function readCpuMs(pid: number): number {
  try {
    // Fields after the command name (which may hold spaces), counted from the state field.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS_PER_SECOND;
  } catch {
    return 0;
  }
}

/** How long a thread has run on a core so far, and waited for one while it was ready to run, in ms. */
export interface ThreadSchedule {
  runMs: number;
  waitMs: number;
}

/**
 * The schedule so far of a process's main thread, the one that runs a node program's JavaScript (V8's
 * compiler and collector threads beside it are left out), from /proc's schedstat: nanoseconds run and
 * nanoseconds waited on a run queue. Undefined where the kernel keeps no such count.
 */
export function readMainThreadSchedule(pid: number): ThreadSchedule | undefined {
  try {
    const [run, wait] = readFileSync(`/proc/${pid}/task/${pid}/schedstat`, 'utf8')
      .trim()
      .split(/\s+/)
      .map(Number);
    return run === undefined || wait === undefined ? undefined : { runMs: run / 1e6, waitMs: wait / 1e6 };
  } catch {
    return undefined;
  }
}

/** The machine's CPU time so far, all cores together, in clock ticks: busy, and in all (busy + idle + iowait). */
export interface MachineTicks {
  busy: number;
  total: number;
}

/** Reads /proc/stat's first line (`parseMachineTicks`). */
export function readMachineTicks(): MachineTicks {
  return parseMachineTicks(readFileSync('/proc/stat', 'utf8'));
}

/**
 * The machine's ticks from /proc/stat's `cpu` line: user, nice, system, idle, iowait, irq, softirq, steal.
 * Guest time is already counted in user time, so the later fields are left out.
 */
export function parseMachineTicks(procStat: string): MachineTicks {
  const line = procStat.split('\n').find((candidate) => candidate.startsWith('cpu '));
  if (!line) throw new Error('/proc/stat has no cpu line');
  const [user = 0, nice = 0, system = 0, idle = 0, iowait = 0, irq = 0, softirq = 0, steal = 0] = line
    .trim()
    .split(/\s+/)
    .slice(1, 9)
    .map(Number);
  const busy = user + nice + system + irq + softirq + steal;
  return { busy, total: busy + idle + iowait };
}

/** CPU used so far by every PostgreSQL server process on this machine, in ms. */
export function readPostgresCpuMs(): number {
  let total = 0;
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(`/proc/${entry}/comm`, 'utf8').trim() === 'postgres')
        total += readCpuMs(Number(entry));
    } catch {
      // the process ended while we looked
    }
  }
  return total;
}
