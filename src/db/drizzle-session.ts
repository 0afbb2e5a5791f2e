import { entityKind } from 'drizzle-orm';

/**
 * The parts of a drizzle database's session (`db._.session`) frontdesk reaches past drizzle's public API
 * for. drizzle types `_` as internal; this is the one place that says what is read there, so a drizzle
 * upgrade that moves them breaks here and in the tests of the three users, not silently.
 */
export interface DrizzleSession {
  /** the driver's client the session sends through: postgres.js's `Sql` (or a reserved one), or PGlite */
  client: unknown;
  /** the query logger drizzle was given, if any */
  logger: unknown;
  /** drizzle's session class, named by its `entityKind` (`PgliteSession`, `PostgresJsSession`…) */
  constructor: { [entityKind]?: string };
}

/** The session of `db`: a drizzle database, `Db`, or a transaction on one. */
export function sessionOf(db: object): DrizzleSession {
  return (db as { _: { session: DrizzleSession } })._.session;
}
