import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import type { Db } from '../../src/db/client.ts';
import { databaseTargets, openForSuite } from '../helpers/databases.ts';

// A simple query is parsed and planned by the server on every run; a named statement once per connection.
describe.each(databaseTargets())('statements without parameters on $name', (target) => {
  const database = openForSuite(target);

  async function preparedCopies(tx: Db, statement: string): Promise<number> {
    const result = (await tx.execute(
      sql`select count(*)::int as copies from pg_prepared_statements where statement = ${statement}`,
    )) as unknown as { copies: number }[] | { rows: { copies: number }[] };
    const [row] = Array.isArray(result) ? result : result.rows;
    return row?.copies ?? -1;
  }

  it('run as a named prepared statement, kept for the next run on the connection', async () => {
    const statement = `select 'prepared without parameters' as probe`;
    await database.db.transaction(async (tx) => {
      for (let run = 0; run < 2; run += 1)
        expect(await tx.execute(sql.raw(statement))).toSatisfy((result: unknown) =>
          JSON.stringify(result).includes('prepared without parameters'),
        );
      expect(await preparedCopies(tx, statement)).toBe(1);
    });
  });
});
