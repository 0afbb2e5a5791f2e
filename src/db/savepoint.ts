import { sql } from 'drizzle-orm';
import { PgTransaction } from 'drizzle-orm/pg-core';
import type { Db } from './client.ts';

/**
 * Runs `work` in a savepoint when `db` is a transaction: when it fails, what it did is undone and the
 * transaction goes on, where a failed statement would otherwise abort it. The savepoint is written out rather
 * than nested with `tx.transaction`, which the pipelined PostgreSQL connection does not offer (client.ts).
 * Calls must not overlap within one transaction: they share the savepoint's name. Outside a transaction each
 * statement stands alone, so a failure is only caught.
 */
export async function trySavepoint<T>(
  db: Db,
  work: () => Promise<T>,
): Promise<{ ok: true; value: T } | { ok: false; error: unknown }> {
  if (!(db instanceof PgTransaction)) {
    try {
      return { ok: true, value: await work() };
    } catch (error) {
      return { ok: false, error };
    }
  }
  const tx = db;
  await tx.execute(sql`savepoint isolated_part`);
  try {
    const value = await work();
    await tx.execute(sql`release savepoint isolated_part`);
    return { ok: true, value };
  } catch (error) {
    await tx.execute(sql`rollback to savepoint isolated_part`);
    return { ok: false, error };
  }
}
