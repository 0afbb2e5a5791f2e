import { randomBytes } from 'node:crypto';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { asc } from 'drizzle-orm';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import { drizzle as drizzlePostgres } from 'drizzle-orm/postgres-js';
import { migrate as migratePostgres } from 'drizzle-orm/postgres-js/migrator';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../src/db/client.ts';
import { MIGRATIONS_FOLDER } from '../../src/db/migrations-folder.ts';
import { auditLog, complaintResolutions, complaints } from '../../src/db/schema/index.ts';
import { testDatabaseUrl } from '../helpers/databases.ts';

const BEFORE_HISTORY = '0026_downloads_actor_platform';

/** A copy of the migrations that ends with `lastTag`, as a database last migrated then had them. */
function copyMigrationsThrough(lastTag: string, into: string): string {
  const folder = join(into, 'migrations');
  cpSync(MIGRATIONS_FOLDER, folder, { recursive: true });
  const journalPath = join(folder, 'meta/_journal.json');
  const journal = JSON.parse(readFileSync(journalPath, 'utf8')) as { entries: { tag: string }[] };
  const last = journal.entries.findIndex((entry) => entry.tag === lastTag);
  expect(last).toBeGreaterThanOrEqual(0);
  writeFileSync(journalPath, JSON.stringify({ ...journal, entries: journal.entries.slice(0, last + 1) }));
  return folder;
}

/** An empty database that migrates only when told, from a folder given each time. */
interface MigratingDatabase {
  db: Db;
  migrate(folder: string): Promise<void>;
  close(): Promise<void>;
}

async function openPglite(): Promise<MigratingDatabase> {
  const client = new PGlite();
  const db = drizzlePglite(client);
  return {
    db,
    migrate: (folder) => migratePglite(db, { migrationsFolder: folder }),
    close: () => client.close(),
  };
}

async function openPostgres(serverUrl: string): Promise<MigratingDatabase> {
  const name = `ft_${randomBytes(6).toString('hex')}`;
  const admin = postgres(serverUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database ${name}`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  const client = postgres(url.toString(), { max: 1, onnotice: () => {} });
  const db = drizzlePostgres(client);
  return {
    db,
    migrate: (folder) => migratePostgres(db, { migrationsFolder: folder }),
    async close() {
      await client.end({ timeout: 5 });
      await admin.unsafe(`drop database if exists ${name} with (force)`);
      await admin.end({ timeout: 5 });
    },
  };
}

function migrationTargets(): { name: string; open: () => Promise<MigratingDatabase> }[] {
  const url = testDatabaseUrl();
  return [
    { name: 'pglite', open: openPglite },
    ...(url ? [{ name: 'postgres', open: () => openPostgres(url) }] : []),
  ];
}

const filed = {
  officeId: 'main',
  reporterKey: 'staff:sam-lee',
  reporterName: 'Sam Lee',
  reporterPlatform: 'slack',
  reporterUserId: 'U0SAM',
  about: 'patient',
  category: 'billing',
  severity: 'medium',
  description: 'Charged twice',
  ackDueDay: '2026-03-10',
  resolveDueDay: '2026-04-17',
  ownerKey: 'staff:dana-reyes',
  ownerName: 'Dana Reyes',
  createdAt: new Date('2026-03-06T17:00:00Z'),
} as const;
const DANA = { actor: 'staff:dana-reyes', actorName: 'Dana Reyes', platform: 'slack' };
const OMAR = { actor: 'staff:omar-haddad', actorName: 'Dr. Omar Haddad', platform: 'slack' };

describe.each(migrationTargets())('migration 0027 on $name', ({ open }) => {
  let scratch: string;
  let database: MigratingDatabase;

  beforeAll(async () => {
    scratch = mkdtempSync(join(tmpdir(), 'frontdesk-migration-'));
    database = await open();
    await database.migrate(copyMigrationsThrough(BEFORE_HISTORY, scratch));
    const { db } = database;
    await db.insert(complaints).values([
      {
        ...filed,
        number: 1,
        status: 'resolved',
        resolution: 'Refunded',
        resolvedByName: 'Dana Reyes',
        resolvedAt: new Date('2026-03-09T15:00:00Z'),
        patientContacted: true,
      },
      {
        // Resolved twice and reopened twice: only the last resolution was kept.
        ...filed,
        number: 2,
        status: 'reopened',
        resolution: 'Apologised again',
        resolvedByName: 'Dana Reyes',
        resolvedAt: new Date('2026-03-12T15:00:00Z'),
        patientContacted: false,
        reopenedByName: 'Dr. Omar Haddad',
        reopenedAt: new Date('2026-03-13T15:00:00Z'),
        reopenCount: 2,
      },
      {
        ...filed,
        number: 3,
        status: 'resolved',
        resolution: 'Explained the bill',
        resolvedByName: 'Dr. Omar Haddad',
        resolvedAt: new Date('2026-03-09T16:00:00Z'),
        patientContacted: true,
      },
      { ...filed, number: 4, status: 'acknowledged' },
    ]);
    await db.insert(auditLog).values([
      {
        ...DANA,
        officeId: 'main',
        action: 'complaint.resolved',
        entity: 'CP-1',
        at: new Date('2026-03-09T15:00:00Z'),
      },
      {
        ...OMAR,
        officeId: 'main',
        action: 'complaint.resolved',
        entity: 'CP-2',
        at: new Date('2026-03-10T15:00:00Z'),
      },
      {
        ...DANA,
        officeId: 'main',
        action: 'complaint.resolved',
        entity: 'CP-2',
        at: new Date('2026-03-12T15:00:00Z'),
      },
      // Another office's CP-3, and CP-3's own entry of another kind: neither names who resolved this CP-3.
      {
        ...DANA,
        officeId: 'other',
        action: 'complaint.resolved',
        entity: 'CP-3',
        at: new Date('2026-03-09T16:00:00Z'),
      },
      {
        ...DANA,
        officeId: 'main',
        action: 'complaint.viewed',
        entity: 'CP-3',
        at: new Date('2026-03-09T17:00:00Z'),
      },
    ]);
    await database.migrate(MIGRATIONS_FOLDER);
  });
  afterAll(async () => {
    await database?.close();
    rmSync(scratch, { recursive: true, force: true });
  });

  it('carries each complaint’s resolution into the history, as the round it was given in', async () => {
    const { db } = database;
    const numbers = new Map((await db.select().from(complaints)).map((row) => [row.id, row.number]));
    const carried = await db
      .select()
      .from(complaintResolutions)
      .orderBy(asc(complaintResolutions.complaintId));
    expect(carried.map((row) => ({ ...row, number: numbers.get(row.complaintId) }))).toMatchObject([
      {
        number: 1,
        officeId: 'main',
        round: 1,
        resolution: 'Refunded',
        patientContacted: true,
        resolvedByKey: 'staff:dana-reyes',
        resolvedByName: 'Dana Reyes',
        resolvedAt: new Date('2026-03-09T15:00:00Z'),
      },
      {
        number: 2,
        round: 2,
        resolution: 'Apologised again',
        patientContacted: false,
        resolvedByKey: 'staff:dana-reyes',
        resolvedByName: 'Dana Reyes',
      },
      {
        number: 3,
        round: 1,
        resolution: 'Explained the bill',
        resolvedByKey: null,
        resolvedByName: 'Dr. Omar Haddad',
      },
    ]);
  });

  it('refuses a second resolution of the same round', async () => {
    const { db } = database;
    const [first] = await db.select().from(complaintResolutions).orderBy(asc(complaintResolutions.id));
    if (!first) throw new Error('nothing was carried over');
    const { id: _id, ...again } = first;
    await expect(db.insert(complaintResolutions).values(again)).rejects.toThrow();
  });
});
