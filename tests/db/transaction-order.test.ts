import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/db/client.ts';
import { runsOneTransactionAtATime } from '../../src/db/transaction-order.ts';
import { databaseTargets, openForSuite } from '../helpers/databases.ts';
import { createGate } from '../helpers/gate.ts';

describe.each(databaseTargets())('runsOneTransactionAtATime on $name', (target) => {
  const database = openForSuite(target);

  it('says so for PGlite only, on the database and inside its transactions', async () => {
    const expected = target.name === 'pglite';
    expect(runsOneTransactionAtATime(database.db)).toBe(expected);
    await database.db.transaction(async (tx) => {
      expect(runsOneTransactionAtATime(tx)).toBe(expected);
    });
  });
});

// What skipping the per-person lock on PGlite rests on: a second transaction, or a query outside one,
// does not start until the transaction before it has ended.
describe('PGlite', () => {
  const database = openForSuite({ name: 'pglite', open: () => openDatabase({ dataDir: null }) });

  it('starts nothing while a transaction is open', async () => {
    const events: string[] = [];
    const firstMayFinish = createGate();
    const started = createGate();
    const first = database.db.transaction(async (tx) => {
      await tx.execute(sql`select 1`);
      events.push('first began');
      started.open();
      await firstMayFinish.opened;
      events.push('first ends');
    });
    await started.opened;
    const second = database.db.transaction(async (tx) => {
      await tx.execute(sql`select 1`);
      events.push('second began');
    });
    const outside = database.db.execute(sql`select 1`).then(() => events.push('query outside ran'));
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(events).toEqual(['first began']);
    firstMayFinish.open();
    await Promise.all([first, second, outside]);
    expect(events.slice(0, 2)).toEqual(['first began', 'first ends']);
    expect(events.slice(2).sort()).toEqual(['query outside ran', 'second began']);
  });
});
