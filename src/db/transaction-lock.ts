import { sql } from 'drizzle-orm';
import type { Db } from './client.ts';
import { fixedQuery } from './fixed-query.ts';
import { runsOneTransactionAtATime } from './transaction-order.ts';

/**
 * Holds a lock named `key` until the caller's transaction ends, so transactions that take the same key run
 * their reads and writes one after the other. Where transactions run one at a time anyway (PGlite), none
 * can come between them, and no lock is taken.
 */
export async function lockUntilTransactionEnds(db: Db, key: string): Promise<void> {
  if (runsOneTransactionAtATime(db)) return;
  await takeTransactionLock(db, { key });
}

// A fixed query, sent as it is issued: reads issued right behind it are sent after it, and see what the
// transactions it waited for committed.
const takeTransactionLock = fixedQuery<{ key: string }, unknown>((db) =>
  db
    .select({ locked: sql`pg_advisory_xact_lock(hashtextextended(${sql.placeholder('key')}, 0))` })
    .from(sql`(select 1) as one`),
);
