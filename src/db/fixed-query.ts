import type { Db } from './client.ts';
import { sessionOf } from './drizzle-session.ts';
import { flatRowsMapper, type RowsMapper } from './flat-row-mapper.ts';

/** What drizzle's `.prepare()` gives: the query's SQL built once, run with its placeholders' values. */
interface PreparedQuery<Result> {
  execute(values?: Record<string, unknown>): Promise<Result>;
}

let built = 0;

/**
 * A query of fixed shape whose SQL drizzle builds once instead of on every call: building it walks the whole
 * query tree and was a quarter of a filing's CPU time. `build` writes the query with `sql.placeholder`s
 * for what varies, and the result runs it with their values on any database or transaction.
 *
 * drizzle binds a prepared query to the client it was built on, so it cannot run inside another
 * transaction (drizzle-orm#613); here each run borrows the prepared query with the caller's client (and
 * query logger, if it has one) put in its place. One is built per kind of database (PostgreSQL, PGlite),
 * as their prepared queries differ. A flat selection's rows are mapped by `flatRowsMapper`, in drizzle's
 * place (as its `customResultMapper`).
 */
export function fixedQuery<Values extends Record<string, unknown>, Result>(
  build: (db: Db) => { prepare(name: string): PreparedQuery<Result> },
): (db: Db, values: Values) => Promise<Result> {
  const name = `fixed_${++built}`;
  const byKind = new Map<unknown, { prepared: PreparedQuery<Result>; mapRows?: RowsMapper }>();
  return (db, values) => {
    const session = sessionOf(db);
    let query = byKind.get(session.constructor);
    if (!query) {
      const prepared = build(db).prepare(name);
      query = { prepared, mapRows: flatRowsMapper(prepared) };
      byKind.set(session.constructor, query);
    }
    const borrowed: PreparedQuery<Result> = Object.create(query.prepared, {
      client: { value: session.client },
      logger: { value: session.logger },
      ...(query.mapRows ? { customResultMapper: { value: query.mapRows } } : {}),
    });
    return borrowed.execute(values);
  };
}
