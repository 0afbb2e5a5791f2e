import { entityKind } from 'drizzle-orm';
import { sessionOf } from './drizzle-session.ts';

/**
 * Whether `db` (a drizzle database, `Db`, or a transaction on one) is PGlite's: one connection, and one
 * transaction at a time (PGlite queues a transaction until the one before it has ended), so no lock
 * between transactions can ever be contended there.
 */
export function runsOneTransactionAtATime(db: object): boolean {
  return sessionOf(db).constructor[entityKind] === 'PgliteSession';
}
