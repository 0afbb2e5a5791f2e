import type { PGlite } from '@electric-sql/pglite';
import type { Logger } from 'drizzle-orm';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { drizzle as drizzlePostgres } from 'drizzle-orm/postgres-js';
import type postgres from 'postgres';
import type { Database, Db } from '../../src/db/client.ts';
import * as schema from '../../src/db/schema/index.ts';

/** One statement as drizzle sent it, with its parameters. */
export interface CapturedQuery {
  sql: string;
  params: unknown[];
}

/** A statement's `EXPLAIN (ANALYZE, BUFFERS)`: the plan text and the figures read from it. */
export interface ExplainedQuery {
  label: string;
  sql: string;
  executionMs: number;
  /** shared buffers the whole statement hit and read */
  sharedHit: number;
  sharedRead: number;
  /** the plan's scan lines (which index, or a sequential scan, on which table) */
  scans: string[];
  plan: string;
}

// openDatabase hides its driver client; the drizzle instance it returns carries it as `$client`.
function readClient(database: Database): postgres.Sql | PGlite {
  return (database.db as unknown as { $client: postgres.Sql | PGlite }).$client;
}

/**
 * A second drizzle instance on the same connection pool (or PGlite) with a logger that records every
 * statement, so the SQL the repositories generate can be replayed under EXPLAIN.
 */
export function createCapturingDb(database: Database): { db: Db; queries: CapturedQuery[] } {
  const queries: CapturedQuery[] = [];
  const logger: Logger = { logQuery: (query, params) => queries.push({ sql: query, params }) };
  const client = readClient(database);
  const db =
    database.kind === 'postgres'
      ? (drizzlePostgres(client as postgres.Sql, { schema, logger }) as unknown as Db)
      : (drizzlePglite(client as PGlite, { schema, logger }) as unknown as Db);
  return { db, queries };
}

function describeTable(query: string): string {
  const verb = query.trimStart().split(/\s+/, 1)[0]?.toLowerCase() ?? 'query';
  const table = /\b(?:from|into|update)\s+"([a-z_]+)"/i.exec(query)?.[1] ?? '?';
  return `${verb} ${table}`;
}

/** Runs `EXPLAIN (ANALYZE, BUFFERS)` of `query` on the database it was captured from. */
export async function explainQuery(
  database: Database,
  query: CapturedQuery,
  label: string,
): Promise<ExplainedQuery> {
  const client = readClient(database);
  const text = `explain (analyze, buffers) ${query.sql}`;
  const rows =
    database.kind === 'postgres'
      ? await (client as postgres.Sql).unsafe<Record<string, string>[]>(text, query.params as never[])
      : (await (client as PGlite).query<Record<string, string>>(text, query.params)).rows;
  const plan = rows.map((row) => Object.values(row)[0] ?? '').join('\n');
  const buffers = /Buffers: shared(?: hit=(\d+))?(?: read=(\d+))?/.exec(plan);
  return {
    label: `${label} · ${describeTable(query.sql)}`,
    sql: query.sql,
    executionMs: Number(/Execution Time: ([\d.]+) ms/.exec(plan)?.[1] ?? Number.NaN),
    sharedHit: Number(buffers?.[1] ?? 0),
    sharedRead: Number(buffers?.[2] ?? 0),
    scans: plan
      .split('\n')
      .filter((line) => /Scan/.test(line) && !/^\s*(Planning|Execution)/.test(line))
      .map((line) => line.replace(/^[\s>-]+/, '').replace(/\s+\(cost=.*$/, '')),
    plan,
  };
}
