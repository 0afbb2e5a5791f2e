import { spawn } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readDockerImage } from '../helpers/dockerfile.ts';
import {
  type FrontdeskProcess,
  findFreePort,
  killSpawnedProcesses,
  repoRootPath,
  spawnFrontdesk,
  waitForOk,
  within,
} from '../helpers/processes.ts';
import { type RecordingSlackApi, startRecordingSlackApi } from '../helpers/slack-api-server.ts';

// Docker cannot run here: this runs the image's own CMD and HEALTHCHECK, read from the Dockerfile, in a
// folder holding what the image's WORKDIR holds, with its ENV and a temporary folder standing in for the
// /data volume.
const image = readDockerImage();
const scratch = mkdtempSync(join(tmpdir(), 'frontdesk-image-'));
const workdir = join(scratch, 'app');

/**
 * Fills `into` as the Dockerfile's last stage fills its WORKDIR: what it copies from the build stage (whose
 * /app is this repository once `npm ci` has built it) and from the build context. node_modules is linked
 * rather than copied. A compiled file that still reaches into src/ then fails here as in the image.
 */
function layOutImage(into: string): void {
  for (const { sources, destination } of image.finalCopies) {
    for (const source of sources.map((path) => path.replace(/^\/app\//, ''))) {
      const target = join(
        into,
        destination.endsWith('/') ? join(destination, basename(source)) : destination,
      );
      mkdirSync(dirname(target), { recursive: true });
      if (source === 'node_modules') symlinkSync(join(repoRootPath, source), target);
      else cpSync(join(repoRootPath, source), target, { recursive: true });
    }
  }
}

/** A Dockerfile command as a program to spawn: `node` is this Node, as the image's node is the image's. */
function toProgram(command: string[]): { program: string; args: string[] } {
  const [program = '', ...args] = command;
  return { program: program === 'node' ? process.execPath : program, args };
}

/** Runs the HEALTHCHECK command as Docker does, inside the container's environment; resolves its exit code. */
function runHealthcheck(env: Record<string, string>): Promise<number | null> {
  const { program, args } = toProgram(image.healthcheck?.command ?? []);
  const child = spawn(program, args, { cwd: workdir, env, stdio: 'ignore' });
  return new Promise((resolve) => child.on('exit', (code) => resolve(code)));
}

describe('the Docker image’s start command, run outside Docker', () => {
  let slackApi: RecordingSlackApi;
  let app: FrontdeskProcess;
  let env: Record<string, string>;
  const dataDir = join(scratch, 'data');

  beforeAll(async () => {
    slackApi = await startRecordingSlackApi();
    env = {
      ...image.env,
      DATA_DIR: dataDir,
      PORT: String(await findFreePort()),
      // As compose runs it once .env is filled in: Slack on, so it binds every address, as in a container.
      SLACK_SIGNING_SECRET: 'image-start-secret',
      SLACK_BOT_TOKEN: 'xoxb-image-start',
      SLACK_API_URL: slackApi.apiUrl,
    };
    layOutImage(workdir);
    app = spawnFrontdesk(env, { ...toProgram(image.cmd ?? []), cwd: workdir });
  });

  afterAll(async () => {
    await killSpawnedProcesses();
    await slackApi?.close();
    rmSync(scratch, { recursive: true, force: true });
  });

  it('runs in a folder holding only what the image copies: the compiled app, not its sources', () => {
    expect(readdirSync(workdir).sort()).toEqual([
      'build',
      'node_modules',
      'office.example.yaml',
      'package.json',
    ]);
  });

  it('reads CMD, ENV and HEALTHCHECK from the Dockerfile', () => {
    expect(image.cmd?.[0]).toBe('node');
    expect(image.env).toHaveProperty('DATA_DIR');
    expect(image.healthcheck?.command?.[0]).toBe('node');
  });

  it('answers /healthz, and the HEALTHCHECK command exits 0', async () => {
    const health = await waitForOk(`http://127.0.0.1:${env.PORT}/healthz`, 60_000, app);

    expect(await health.json()).toEqual({ status: 'ok' });
    expect(await runHealthcheck(env)).toBe(0);
    expect(readdirSync(dataDir)).toContain('PG_VERSION');
  }, 65_000);

  it('exits with code 0 within 10 s of SIGTERM, and the HEALTHCHECK command then fails', async () => {
    await waitForOk(`http://127.0.0.1:${env.PORT}/healthz`, 60_000, app);
    app.signal('SIGTERM');

    expect(await within(10_000, 'exit after SIGTERM', app.exited)).toBe(0);
    expect(app.stderr()).toBe('');
    expect(await runHealthcheck(env)).toBe(1);
  }, 65_000);
});
