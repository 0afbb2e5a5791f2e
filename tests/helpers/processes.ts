import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';

/** The repository root as a path. */
export const repoRootPath = fileURLToPath(new URL('../../', import.meta.url));

/** A TCP port nothing listens on right now. */
export async function findFreePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/**
 * `npm start`'s command from package.json as a program and its arguments (`node` is this Node), so tests
 * and benchmarks run exactly what an operator runs, without npm in between.
 */
export function readStartCommand(): { program: string; args: string[] } {
  const scripts = (
    JSON.parse(readFileSync(`${repoRootPath}package.json`, 'utf8')) as {
      scripts: { start: string };
    }
  ).scripts;
  const [program = 'node', ...args] = scripts.start.split(/\s+/);
  return { program: program === 'node' ? process.execPath : program, args };
}

/** A running `npm start` command with its output collected. */
export interface FrontdeskProcess {
  child: ChildProcess;
  stdout(): string;
  stderr(): string;
  /** resolves with the exit code (or the signal name) when the process ends */
  exited: Promise<number | string>;
  /** Sends `signal` to the app, as a terminal or an orchestrator would. */
  signal(signal: NodeJS.Signals): void;
  /** SIGKILLs the app and anything it started (its process group) if it still runs, and waits. */
  kill(): Promise<void>;
}

const spawned = new Set<FrontdeskProcess>();

/** Kills every process spawnFrontdesk started that is still running; for afterAll. */
export async function killSpawnedProcesses(): Promise<void> {
  await Promise.all([...spawned].map((process) => process.kill()));
}

/**
 * Starts the real process as `npm start` would (or as `command`, such as the Docker image's CMD), with only
 * `env` (plus PATH and HOME) in its environment, so a DATABASE_URL or Slack token of the machine running
 * the tests cannot leak in.
 */
export function spawnFrontdesk(
  env: Record<string, string>,
  start: { program: string; args: string[]; cwd?: string } = readStartCommand(),
): FrontdeskProcess {
  const child = spawn(start.program, start.args, {
    cwd: start.cwd ?? repoRootPath,
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: process.env.HOME ?? '/tmp', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    // Its own process group, so a clean-up kill reaches whatever the app started too.
    detached: true,
  });
  let out = '';
  let err = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    out += chunk.toString('utf8');
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    err += chunk.toString('utf8');
  });
  let running = true;
  const exited = new Promise<number | string>((resolve) => {
    child.on('exit', (code, signal) => {
      running = false;
      resolve(code ?? signal ?? 'unknown');
    });
  });
  const group = child.pid;
  const handle: FrontdeskProcess = {
    child,
    stdout: () => out,
    stderr: () => err,
    exited,
    signal(signal) {
      child.kill(signal);
    },
    async kill() {
      // While the app runs, the group is ours; it also holds the esbuild helper tsx may have started.
      if (!running || group === undefined) return;
      globalThis.process.kill(-group, 'SIGKILL');
      await exited;
    },
  };
  spawned.add(handle);
  exited.then(() => spawned.delete(handle));
  return handle;
}

/** Resolves with `promise`, or rejects after `ms` saying what was awaited. */
export async function within<T>(ms: number, what: string, promise: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not happen within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** Polls `url` until it answers 200 or `ms` pass; rejects early if `process` exits. */
export async function waitForOk(url: string, ms: number, process?: FrontdeskProcess): Promise<Response> {
  const deadline = Date.now() + ms;
  let exited: number | string | undefined;
  process?.exited.then((code) => {
    exited = code;
  });
  while (Date.now() < deadline) {
    if (exited !== undefined) throw new Error(`the process exited (${exited}) before ${url} answered`);
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(1_000) });
      if (response.ok) return response;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`${url} did not answer 200 within ${ms} ms`);
}
