// Run by `npm test` (db:check), from the project root: fails when src/db/schema holds a change that no
// committed migration does. `drizzle-kit check` only checks that the migrations agree with each other,
// so this runs `drizzle-kit generate` into a scratch copy of the migrations and fails if it writes
// anything. Offline: generate compares the schema with the last snapshot and never opens a database.
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import config from '../drizzle.config.ts';

const root = process.cwd();
const migrations = resolve(root, config.out ?? 'drizzle');
const scratch = mkdtempSync(join(tmpdir(), 'frontdesk-db-check-'));

try {
  cpSync(migrations, join(scratch, 'migrations'), { recursive: true });
  const before = new Set(readdirSync(join(scratch, 'migrations')));
  // drizzle-kit reads --out relative to its working directory, so it runs inside the scratch folder.
  const generate = spawnSync(
    join(root, 'node_modules/.bin/drizzle-kit'),
    [
      'generate',
      `--dialect=${config.dialect}`,
      `--schema=${resolve(root, String(config.schema))}`,
      '--out=./migrations',
    ],
    // No input: a question (is this column a rename?) ends the run instead of waiting for an answer.
    { cwd: scratch, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 60_000 },
  );
  const output = `${generate.stdout ?? ''}${generate.stderr ?? ''}`;
  const added = readdirSync(join(scratch, 'migrations')).filter((name) => !before.has(name));
  if (added.length > 0) {
    fail(
      `src/db/schema differs from the migrations: drizzle-kit would write ${added.join(', ')}. ` +
        'Run `npm run db:generate`, review the new migration and commit it.',
    );
  } else if (generate.status !== 0 || !output.includes('No schema changes')) {
    // drizzle-kit exits 0 on some failures (an unreadable schema), so only its own verdict counts as a pass.
    fail(`drizzle-kit generate did not confirm that the schema matches the migrations:\n${output}`);
  }
} finally {
  rmSync(scratch, { recursive: true, force: true });
}

function fail(message: string): void {
  process.stderr.write(`db:check: ${message}\n`);
  process.exitCode = 1;
}
