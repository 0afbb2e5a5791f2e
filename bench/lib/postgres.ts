import { randomBytes } from 'node:crypto';
import postgres from 'postgres';

/** The server the benchmarks use: BENCH_DATABASE_URL, else the local one. */
export const benchServerUrl = process.env.BENCH_DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/test';

/** A database made for one benchmark run, dropped afterwards. */
export interface ScratchDatabase {
  url: string;
  drop(): Promise<void>;
}

/** Creates `<prefix>_<random>` on the server and returns its URL. */
export async function createScratchDatabase(serverUrl: string, prefix: string): Promise<ScratchDatabase> {
  const name = `${prefix}_${randomBytes(5).toString('hex')}`;
  await withAdmin(serverUrl, (sql) => sql.unsafe(`create database ${name}`));
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      await withAdmin(serverUrl, (sql) => sql.unsafe(`drop database if exists ${name} with (force)`));
    },
  };
}

/** The server's version line, e.g. "PostgreSQL 15.19 (Debian …)". */
export async function readPostgresVersion(serverUrl: string): Promise<string> {
  const rows = await withAdmin(serverUrl, (sql) => sql<{ version: string }[]>`select version()`);
  return rows[0]?.version.split(' on ')[0] ?? 'unknown';
}

async function withAdmin<T>(serverUrl: string, use: (sql: postgres.Sql) => Promise<T>): Promise<T> {
  const sql = postgres(serverUrl, { max: 1, onnotice: () => {} });
  try {
    return await use(sql);
  } finally {
    await sql.end({ timeout: 5 });
  }
}
