import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readExampleOfficeYaml } from '../helpers/office.ts';
import {
  type FrontdeskProcess,
  findFreePort,
  killSpawnedProcesses,
  repoRootPath,
  spawnFrontdesk,
  waitForOk,
  within,
} from '../helpers/processes.ts';
import { waitFor } from '../helpers/wait.ts';

const scratch = mkdtempSync(join(tmpdir(), 'frontdesk-startup-'));
const exampleConfig = join(repoRootPath, 'office.example.yaml');

afterAll(async () => {
  await killSpawnedProcesses();
  rmSync(scratch, { recursive: true, force: true });
});

/** The lines a process wrote to stderr, without blank ones. */
function stderrLines(process: FrontdeskProcess): string[] {
  return process
    .stderr()
    .split('\n')
    .filter((line) => line.trim() !== '');
}

describe('src/main.ts', () => {
  describe('with the embedded defaults', () => {
    let app: FrontdeskProcess;
    let port: number;
    let dataDir: string;
    /** resolves once /healthz and / answer */
    let ready: Promise<{
      health: unknown;
      page: { status: number; type: string; html: string };
    }>;

    beforeAll(async () => {
      port = await findFreePort();
      dataDir = join(scratch, 'data-ok');
      app = spawnFrontdesk({ PORT: String(port), DATA_DIR: dataDir, OFFICE_CONFIG: exampleConfig });
      ready = waitForOk(`http://127.0.0.1:${port}/healthz`, 60_000, app).then(async (response) => {
        const health = await response.json();
        const page = await fetch(`http://127.0.0.1:${port}/`);
        const served = {
          status: page.status,
          type: page.headers.get('content-type') ?? '',
          html: await page.text(),
        };
        return { health, page: served };
      });
      ready.catch(() => {}); // each test awaits it and reports a failure itself
    });

    afterAll(async () => {
      await app?.kill();
    });

    // How fast it starts is measured by bench/startup, not asserted here: a busy machine would fail it.
    it('answers /healthz with 200 and serves the sandbox page at /', async () => {
      const { health, page } = await ready;

      expect(health).toEqual({ status: 'ok' });
      expect(page).toMatchObject({ status: 200, type: expect.stringContaining('text/html') });
      expect(page.html).toContain('frontdesk sandbox');
    }, 65_000);

    it('logs one start-up line naming the database, the platforms and the URL', async () => {
      await ready;
      const records = app
        .stdout()
        .split('\n')
        .filter((line) => line.startsWith('{'))
        .map((line) => JSON.parse(line) as Record<string, unknown>);
      const up = records.filter((record) => String(record.msg).includes(' is up at '));
      expect(up).toHaveLength(1);
      expect(up[0]).toMatchObject({
        database: `PGlite in ${dataDir}`,
        platforms: ['sandbox'],
        url: `http://127.0.0.1:${port}`,
      });
      expect(up[0]?.msg).toContain(`http://127.0.0.1:${port}`);
      expect(up[0]?.msg).toContain('pglite');
      expect(up[0]?.msg).toContain('sandbox');
      expect(existsSync(dataDir)).toBe(true);
    });

    it('exits with code 0 within 10 s of SIGTERM', async () => {
      await ready;
      app.signal('SIGTERM');
      expect(await within(10_000, 'exit after SIGTERM', app.exited)).toBe(0);
      expect(stderrLines(app)).toEqual([]);
    }, 65_000);
  });

  describe('with Slack unreachable at start', () => {
    it('keeps serving and says once that Slack did not answer, without a stack trace', async () => {
      const port = await findFreePort();
      const app = spawnFrontdesk({
        PORT: String(port),
        DATA_DIR: join(scratch, 'data-slack-down'),
        OFFICE_CONFIG: exampleConfig,
        SLACK_SIGNING_SECRET: 'startup-secret',
        SLACK_BOT_TOKEN: 'xoxb-startup',
        // Port 1: nothing listens, so every Web API call is refused at once.
        SLACK_API_URL: 'http://127.0.0.1:1/api/',
      });
      await waitForOk(`http://127.0.0.1:${port}/healthz`, 60_000, app);
      await waitFor(
        () => (app.stdout().includes('Slack did not accept SLACK_BOT_TOKEN') ? true : undefined),
        'the line saying Slack did not answer',
      );
      // A second look after the failed check: the process must still be up and answering.
      await new Promise((resolve) => setTimeout(resolve, 500));
      const health = await fetch(`http://127.0.0.1:${port}/healthz`);

      expect(health.status).toBe(200);
      expect(app.child.exitCode).toBeNull();
      expect(app.stderr()).not.toMatch(/^\s+at /m);
      expect(app.stdout()).not.toContain('xoxb-startup');
      await app.kill();
    }, 65_000);
  });

  describe('with a bad configuration', () => {
    describe.each([
      {
        typo: 'a misspelt time zone',
        from: 'timezone: America/New_York',
        to: 'timezone: America/Nwe_York',
        key: 'office.timezone',
      },
      {
        typo: 'a staff entry without a name',
        from: '{ name: Sam Lee, slack: U0SAM, role: front-desk }',
        to: '{ slack: U0SAM, role: front-desk }',
        key: 'staff.1.name',
      },
      { typo: 'a digest time written 7.45', from: 'time: "07:45"', to: 'time: "7.45"', key: 'digest.time' },
      {
        typo: 'an unknown key',
        from: '  allowanceDays: 15',
        to: '  allowanceDays: 15\n  carryOver: 5',
        key: 'carryOver',
      },
      { typo: 'a Slack id used twice', from: 'slack: U0PRIYA', to: 'slack: U0SAM', key: 'staff.2.slack' },
    ])('with $typo in the office config', ({ from, to, key }) => {
      it(`exits non-zero with one stderr line naming ${key} and writes nothing`, async () => {
        const directory = mkdtempSync(join(scratch, 'typo-'));
        const configPath = join(directory, 'office.yaml');
        const example = readExampleOfficeYaml();
        writeFileSync(configPath, example.replace(from, to));
        const dataDir = join(directory, 'data');

        const app = spawnFrontdesk({
          PORT: String(await findFreePort()),
          DATA_DIR: dataDir,
          OFFICE_CONFIG: configPath,
        });
        const code = await within(60_000, 'exit on a bad config', app.exited);

        expect(code).not.toBe(0);
        const lines = stderrLines(app);
        expect(lines).toHaveLength(1);
        expect(lines[0]).toContain(configPath);
        expect(lines[0]).toContain(key);
        expect(existsSync(dataDir) ? readdirSync(dataDir) : []).toEqual([]);
      }, 65_000);
    });

    it('exits non-zero with one clear line and no stack trace when PostgreSQL cannot be reached', async () => {
      const dataDir = join(scratch, 'data-pg');
      const app = spawnFrontdesk({
        PORT: String(await findFreePort()),
        DATA_DIR: dataDir,
        OFFICE_CONFIG: exampleConfig,
        DATABASE_URL: 'postgres://postgres@127.0.0.1:1/x',
      });
      const code = await within(60_000, 'exit when the database is unreachable', app.exited);

      expect(code).not.toBe(0);
      const lines = stderrLines(app);
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(/^frontdesk: .*PostgreSQL.*127\.0\.0\.1:1\/x/);
      expect(app.stderr()).not.toMatch(/^\s+at /m);
      expect(app.stdout()).not.toMatch(/^\s+at /m);
      expect(existsSync(dataDir)).toBe(false);
    }, 65_000);

    it('exits non-zero with one line naming the variable when PORT is not a number', async () => {
      const app = spawnFrontdesk({
        PORT: 'abc',
        DATA_DIR: join(scratch, 'data-port'),
        OFFICE_CONFIG: exampleConfig,
      });
      const code = await within(60_000, 'exit on a bad PORT', app.exited);

      expect(code).not.toBe(0);
      expect(stderrLines(app)).toEqual([expect.stringMatching(/^frontdesk: PORT: /)]);
    }, 65_000);
  });
});
