import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/db/client.ts';
import { MIGRATIONS_FOLDER } from '../../src/db/migrations-folder.ts';
import { PGLITE_TEMPLATE_DIR } from '../../src/db/pglite-template.ts';

const journal = JSON.parse(readFileSync(join(MIGRATIONS_FOLDER, 'meta/_journal.json'), 'utf8')) as {
  entries: { when: number }[];
};

/** What identifies a PostgreSQL data directory (initdb draws it), and the migrations it holds. */
async function describeDataDir(dataDir: string): Promise<{ systemId: string; migrations: number[] }> {
  const db = new PGlite(dataDir);
  try {
    const [control] = (
      await db.query<{ id: string }>('select system_identifier::text as id from pg_control_system()')
    ).rows;
    const migrations = await db.query<{ at: string }>(
      'select created_at::text as at from drizzle.__drizzle_migrations order by created_at',
    );
    return { systemId: control?.id ?? '', migrations: migrations.rows.map((row) => Number(row.at)) };
  } finally {
    await db.close();
  }
}

// npm's postinstall builds the template (scripts/prepare-pglite-template.ts); CI installs from a clean clone.
describe('the embedded database template a first start copies', () => {
  let scratch: string;
  let template: { systemId: string; migrations: number[] };

  beforeAll(async () => {
    scratch = mkdtempSync(join(tmpdir(), 'frontdesk-template-'));
    // Read from a copy: the template itself is never opened, so nothing it holds is changed by a start.
    cpSync(PGLITE_TEMPLATE_DIR, join(scratch, 'copy'), { recursive: true });
    template = await describeDataDir(join(scratch, 'copy'));
  });
  afterAll(() => {
    rmSync(scratch, { recursive: true, force: true });
  });

  it('is there after npm install', () => {
    expect(existsSync(join(PGLITE_TEMPLATE_DIR, 'PG_VERSION'))).toBe(true);
  });

  it('holds every migration, so a first start runs none', () => {
    expect(template.migrations).toEqual(journal.entries.map((entry) => entry.when));
  });

  it('is what a first start on an empty data directory opens (no initdb)', async () => {
    const dataDir = join(scratch, 'first-start');
    const database = await openDatabase({ dataDir });
    await database.close();
    expect(template.systemId).toMatch(/^\d+$/);
    expect(await describeDataDir(dataDir)).toEqual(template);
  });
});
