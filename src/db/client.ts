import { copyFileSync, cpSync, existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { PGlite } from '@electric-sql/pglite';
import { sql } from 'drizzle-orm';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePostgres } from 'drizzle-orm/postgres-js';
import { migrate as migratePostgres } from 'drizzle-orm/postgres-js/migrator';
import postgres from 'postgres';
import { DatabaseUnavailableError } from './database-error.ts';
import { sessionOf } from './drizzle-session.ts';
import { MIGRATIONS_FOLDER } from './migrations-folder.ts';
import { withTextParsersOnInstance } from './pglite-parsers.ts';
import { PGLITE_TEMPLATE_DIR } from './pglite-template.ts';
import { takingTurns } from './pglite-turns.ts';
import { namesSeveralHosts, openPostgresSocket } from './postgres-socket.ts';

/**
 * The one database type repositories take: a PostgreSQL or PGlite database, or a transaction on either.
 * Made without the schema: frontdesk never uses drizzle's relational queries (`db.query`), for which drizzle
 * would build a query builder per table on every transaction.
 */
export type Db = PgDatabase<PgQueryResultHKT>;

export interface Database {
  db: Db;
  kind: 'postgres' | 'pglite';
  /** where the data lives, without credentials, for the start-up line */
  location: string;
  ping(): Promise<void>;
  close(): Promise<void>;
}

// Any fixed number: replicas starting together take turns applying migrations.
const MIGRATION_LOCK = 7_262_001;

/** Opens PostgreSQL when a URL is given, PGlite in `dataDir` otherwise (or in memory when dataDir is null), and migrates. */
export async function openDatabase(options: {
  url?: string | undefined;
  dataDir: string | null;
}): Promise<Database> {
  return options.url ? openPostgres(options.url) : openPglite(options.dataDir);
}

// Deadlines the server keeps on every serving connection (sent as startup parameters, so they hold from the
// first statement). A statement stuck behind a lock or an overloaded server fails after 5 s, the time a
// person is promised an answer in (the dispatch deadline), so nothing runs on for an answer no one waits for.
// A transaction whose client stops talking mid-way (a stalled network) is rolled back by the server after
// 10 s, releasing its row locks, instead of holding them until TCP gives up many minutes later.
const SERVING_PARAMETERS = {
  application_name: 'frontdesk',
  statement_timeout: 5_000,
  idle_in_transaction_session_timeout: 10_000,
};
// Seconds of silence before TCP keepalive probes a connection (postgres.js: 60), so one a firewall or a
// failover dropped without a word is found and replaced sooner. The OS still needs its probe interval and
// count to give up, minutes more: a person waiting on a statement is answered by the dispatch deadline.
const KEEP_ALIVE_SECONDS = 30;

async function openPostgres(url: string): Promise<Database> {
  const location = describePostgresUrl(url);
  await migratePostgresOnce(url, location);
  const client = postgres(url, {
    max: 10,
    connect_timeout: 5,
    keep_alive: KEEP_ALIVE_SECONDS,
    onnotice: () => {},
    connection: SERVING_PARAMETERS,
    // Several servers are postgres.js's to try in turn, on sockets of its own.
    ...(namesSeveralHosts(url) ? {} : { socket: openPostgresSocket }),
  });
  const db = drizzlePostgres(prepareEveryQuery(client));
  return {
    db,
    kind: 'postgres',
    location,
    ping: async () => {
      await db.execute(sql`select 1`);
    },
    close: () => client.end({ timeout: 5 }),
  };
}

/**
 * Migrates on connections of their own, without the serving statement deadline: waiting for the lock while
 * another replica migrates, or a migration rewriting a large table, may rightly take longer than 5 s.
 */
async function migratePostgresOnce(url: string, location: string): Promise<void> {
  const client = postgres(url, {
    max: 2,
    connect_timeout: 5,
    onnotice: () => {},
    connection: { application_name: 'frontdesk' },
  });
  try {
    const reserved = await client.reserve();
    try {
      await reserved`select pg_advisory_lock(${MIGRATION_LOCK})`;
      await migratePostgres(drizzlePostgres(client), { migrationsFolder: MIGRATIONS_FOLDER });
    } finally {
      await reserved`select pg_advisory_unlock(${MIGRATION_LOCK})`.catch(() => undefined);
      reserved.release();
    }
  } catch (error) {
    throw new DatabaseUnavailableError(`cannot use PostgreSQL at ${location}: ${describeCause(error)}`, {
      cause: error,
    });
  } finally {
    await client.end({ timeout: 1 }).catch(() => undefined);
  }
}

async function openPglite(dataDir: string | null): Promise<Database> {
  // Loaded only here: PGlite's WASM build adds some 40 MB to a process that talks to PostgreSQL instead.
  const [{ PGlite }, { drizzle: drizzlePglite }, { migrate: migratePglite }, { withPreparedStatements }] =
    await Promise.all([
      import('@electric-sql/pglite'),
      import('drizzle-orm/pglite'),
      import('drizzle-orm/pglite/migrator'),
      import('./pglite-prepared.ts'),
    ]);
  if (dataDir !== null) mkdirSync(dataDir, { recursive: true });
  const options = { startParams: pgliteStartParams(PGlite.defaultStartParams) };
  let client: PGlite;
  try {
    if (dataDir === null) {
      client = new PGlite(options);
    } else {
      if (!existsSync(join(dataDir, 'PG_VERSION')) && existsSync(PGLITE_TEMPLATE_DIR)) copyTemplate(dataDir);
      client = new PGlite(dataDir, options);
    }
    await client.waitReady;
  } catch (error) {
    throw new DatabaseUnavailableError(
      `cannot open the embedded database in ${dataDir}: ${describeCause(error)}`,
      {
        cause: error,
      },
    );
  }
  const db = drizzlePglite(takingTurns(withTextParsersOnInstance(withPreparedStatements(client))));
  await migratePglite(db, { migrationsFolder: MIGRATIONS_FOLDER });
  return {
    db,
    kind: 'pglite',
    location: dataDir ?? 'memory',
    ping: async () => {
      await db.execute(sql`select 1`);
    },
    close: () => client.close(),
  };
}

/**
 * The postgres.js client as drizzle is given it, changed in three ways that each save round trips:
 * - drizzle sends every query through `unsafe` with `prepare: false`, and for an unnamed statement with
 *   parameters postgres.js first asks the server for their types and waits for the answer: two round trips
 *   per query, and queries sent together are not pipelined past it. A named statement, which postgres.js
 *   keeps per connection, is described once on each connection and then costs one Bind and Execute,
 *   pipelined with whatever is sent beside it. So every query is sent as one, those without parameters too,
 *   which postgres.js would otherwise send as a simple query, parsed and planned by the server on every run.
 * - a postgres.js query is sent when it is first awaited, which may be a few ticks after it was issued, so
 *   of statements issued together the order they go out in would depend on how deep each caller's awaits
 *   are. Each is sent as it is issued instead: a lock issued first is taken before the reads behind it.
 * - `begin` waits for BEGIN's answer before the transaction's first statement is sent; here BEGIN goes out
 *   with the statements the transaction sends first, on a connection reserved for it, and COMMIT may go out
 *   with its last ones (`sendCommit`).
 * frontdesk never nests transactions, so the reserved connection offers no savepoints.
 */
export function prepareEveryQuery(client: postgres.Sql, transaction?: PipelinedTransaction): postgres.Sql {
  return new Proxy(client, {
    get(target, property, receiver) {
      switch (property) {
        case 'unsafe':
          // Executed at once rather than when first awaited: statements go out in the order they are issued.
          // drizzle's own options here are only `prepare`, which this overrides.
          return (query: string, parameters?: postgres.ParameterOrJSON<never>[]) => {
            // It would run outside the transaction, after its COMMIT.
            if (transaction?.commitSent())
              throw new Error('a statement was issued after its transaction’s COMMIT');
            return target.unsafe(query, parameters, NAMED_STATEMENT).execute();
          };
        case 'begin':
          return (...args: unknown[]) =>
            beginPipelined(target, args.at(-1) as (sql: postgres.Sql) => Promise<unknown>);
        case SEND_COMMIT:
          return transaction?.sendCommit;
        default:
          return Reflect.get(target, property, receiver);
      }
    },
  });
}

// `simple` is postgres.js's own option, missing from its types; without it a query with no parameters
// goes out as a simple query (tests/db/prepared-statements.test.ts).
const NAMED_STATEMENT = { prepare: true, simple: false } as postgres.UnsafeQueryOptions;

const SEND_COMMIT = Symbol('send COMMIT now');

interface PipelinedTransaction {
  sendCommit(): Promise<unknown>;
  commitSent(): boolean;
}

/**
 * Sends COMMIT now, pipelined behind the statements the transaction `tx` has issued: its last statements
 * and its end take one round trip instead of two, and one write (`openPostgresSocket` holds a statement
 * too large for postgres.js to keep back until the COMMIT joins it). Every statement of the transaction must be
 * issued before (with `.execute()` or a fixed query, not a lazy `await` of a query builder); one issued
 * after throws. If a statement before it fails, the server rolls the transaction back instead, and that
 * statement's error is what the caller sees. Returns undefined where a transaction cannot end early
 * (PGlite): it then commits when its callback returns, as usual.
 */
export function sendCommit(tx: Db): Promise<unknown> | undefined {
  const client = sessionOf(tx).client as { [SEND_COMMIT]?: () => Promise<unknown> };
  return client[SEND_COMMIT]?.();
}

/**
 * Runs `work` in a transaction whose statements the server plans for the values each is sent with, on the
 * table sizes of the moment (the SET goes out ahead of them). PostgreSQL otherwise keeps one plan per
 * prepared statement, made by its sixth run, and keeps it until the table is next analysed: made while the
 * outbox or the requests were still small, it scans the whole table on every run once they have grown.
 * For the work that runs once per batch (the outbox claim and marks, a round of redraws), where planning
 * costs little beside what a wrong plan costs.
 */
export function transactionPlannedForValues<T>(db: Db, work: (tx: Db) => Promise<T>): Promise<T> {
  // Issued first, so it runs first on both: PostgreSQL sends it ahead of the work's statements, and PGlite
  // runs queries in the order they were issued (takingTurns).
  return db.transaction(async (tx) => {
    const [, result] = await Promise.all([
      tx.execute(sql`set local plan_cache_mode = force_custom_plan`).execute(),
      work(tx),
    ]);
    return result;
  });
}

/** A transaction on a reserved connection whose BEGIN is sent together with its first statements. */
async function beginPipelined<T>(client: postgres.Sql, use: (sql: postgres.Sql) => Promise<T>): Promise<T> {
  const reserved = await client.reserve();
  let commit: Promise<unknown> | undefined;
  const transaction: PipelinedTransaction = {
    sendCommit: () => {
      commit ??= reserved.unsafe('commit').execute();
      return commit;
    },
    commitSent: () => commit !== undefined,
  };
  try {
    const begun = reserved.unsafe('begin');
    // Sent now, checked below: a failed BEGIN fails the statements behind it too, so it is never missed.
    begun.catch(() => undefined);
    try {
      const result = await use(prepareEveryQuery(reserved, transaction));
      await begun;
      await transaction.sendCommit();
      return result;
    } catch (error) {
      // A COMMIT already sent behind a failed statement ends as a rollback; it is answered before the next.
      await commit?.catch(() => undefined);
      await reserved.unsafe('rollback').catch(() => undefined);
      throw error;
    }
  } finally {
    reserved.release();
  }
}

/**
 * PGlite's own start parameters (single-user mode, no parallel workers) with PostgreSQL's memory settings
 * lowered. PostgreSQL's shared memory lives in the WASM heap, is all touched at start-up, and the WASM heap
 * never gives memory back, so these sizes stay resident for the life of the process.
 */
function pgliteStartParams(defaults: readonly string[]): string[] {
  const settings = {
    // The default 128 MB is 128 MB resident; a practice's hot rows and catalog pages fit in 8 MB (the
    // benchmark's 500 filings make 3 MB of tables), and a page past it comes from the OS file cache.
    shared_buffers: '8MB',
    // Single-user mode runs one backend, but shared memory is sized for 100 by default (about 2 MB).
    max_connections: '1',
    // Single-user mode runs no autovacuum, but shared memory is sized for 16 workers (about 2 MB).
    autovacuum_worker_slots: '1',
    // A migration's index build sorts in up to this much, which the WASM heap then keeps (64 MB by default).
    maintenance_work_mem: '16MB',
  };
  return [...defaults, ...Object.entries(settings).flatMap(([name, value]) => ['-c', `${name}=${value}`])];
}

/**
 * Copies the template into an empty data directory, PG_VERSION last: PGlite takes a directory with
 * PG_VERSION as made, so a start interrupted mid-copy copies again rather than opening half a database.
 */
function copyTemplate(dataDir: string): void {
  const marker = join(PGLITE_TEMPLATE_DIR, 'PG_VERSION');
  cpSync(PGLITE_TEMPLATE_DIR, dataDir, { recursive: true, filter: (source) => source !== marker });
  copyFileSync(marker, join(dataDir, 'PG_VERSION'));
}

/** host:port/database of a postgres URL; the user name and password are left out. */
export function describePostgresUrl(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.hostname}:${parsed.port || '5432'}${parsed.pathname}`;
  } catch {
    return 'the DATABASE_URL address';
  }
}

function describeCause(error: unknown): string {
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    const first = error.message.split('\n')[0] ?? '';
    return typeof code === 'string' && !first.includes(code) ? `${first} (${code})` : first;
  }
  return String(error);
}
