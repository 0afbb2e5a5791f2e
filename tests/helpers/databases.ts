import { randomBytes } from 'node:crypto';
import postgres from 'postgres';
import { afterAll, beforeAll } from 'vitest';
import { type Database, type Db, openDatabase } from '../../src/db/client.ts';
import { findDatabaseUrl } from './postgres-url.ts';
import { startTcpProxy, type TcpProxy } from './tcp-proxy.ts';

/** A database a test suite runs against: embedded PGlite always, real PostgreSQL when a URL is given. */
export interface DatabaseTarget {
  name: 'pglite' | 'postgres';
  /** Opens a fresh, migrated, empty database; its `close()` also throws the database away. */
  open(): Promise<Database>;
}

/** The server URL database tests use, from TEST_DATABASE_URL or DATABASE_URL; undefined runs PGlite only. */
export function testDatabaseUrl(): string | undefined {
  return process.env.TEST_DATABASE_URL || process.env.DATABASE_URL || undefined;
}

/** Every database the database tests run against; use with `describe.each(databaseTargets())('… on $name')`. */
export function databaseTargets(): DatabaseTarget[] {
  const targets: DatabaseTarget[] = [{ name: 'pglite', open: () => openDatabase({ dataDir: null }) }];
  const url = testDatabaseUrl();
  if (url) targets.push({ name: 'postgres', open: () => openFreshPostgres(url) });
  return targets;
}

/**
 * Opens `target` before the suite it is called in and closes it after all its tests; `db` is the open
 * database's, once the suite runs.
 */
export function openForSuite(target: DatabaseTarget): { readonly db: Db } {
  let database: Database | undefined;
  beforeAll(async () => {
    database = await target.open();
  });
  afterAll(async () => {
    await database?.close();
  });
  return {
    get db() {
      if (!database) throw new Error('the suite’s database is not open yet');
      return database.db;
    },
  };
}

/** Creates `ft_<random>` on the server at `serverUrl`, opens and migrates it, and drops it on close. */
export async function openFreshPostgres(serverUrl: string): Promise<Database> {
  const name = `ft_${randomBytes(6).toString('hex')}`;
  const admin = postgres(serverUrl, { max: 1, onnotice: () => {} });
  try {
    await admin.unsafe(`create database ${name}`);
  } finally {
    await admin.end({ timeout: 5 });
  }
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  const database = await openDatabase({ url: url.toString(), dataDir: null });
  return {
    ...database,
    async close() {
      await database.close();
      const dropper = postgres(serverUrl, { max: 1, onnotice: () => {} });
      try {
        await dropper.unsafe(`drop database if exists ${name} with (force)`);
      } finally {
        await dropper.end({ timeout: 5 });
      }
    },
  };
}

/**
 * A fresh database on the server at `serverUrl`, opened twice: `direct`, the test's own connection straight
 * to the server (it drops the database on close), and `database`, the app's, through `proxy`, which the
 * test can stall or cut. Closing them is the caller's, in the order its faults need.
 */
export async function openPostgresBehindProxy(
  serverUrl: string,
): Promise<{ direct: Database; proxy: TcpProxy; database: Database }> {
  const direct = await openFreshPostgres(serverUrl);
  const server = new URL(serverUrl);
  const proxy = await startTcpProxy({ host: server.hostname, port: Number(server.port || 5432) });
  const database = await openDatabase({
    url: await findDatabaseUrl(direct, serverUrl, proxy.port),
    dataDir: null,
  });
  return { direct, proxy, database };
}
