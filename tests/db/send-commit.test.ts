import { count, eq } from 'drizzle-orm';
import { beforeEach, describe, expect, it } from 'vitest';
import { type Db, sendCommit } from '../../src/db/client.ts';
import { writeChangeEffects } from '../../src/db/repositories/change-effects.ts';
import { auditLog, deliveries } from '../../src/db/schema/index.ts';
import { databaseTargets, openForSuite } from '../helpers/databases.ts';

function audit(db: Db, entity: string) {
  return db
    .insert(auditLog)
    .values({ officeId: 'sc', actor: 'k', actorName: 'Sam', platform: 'slack', action: 'test', entity })
    .execute();
}

async function entitiesIn(db: Db): Promise<string[]> {
  const rows = await db.select().from(auditLog).where(eq(auditLog.officeId, 'sc'));
  return rows.map((row) => row.entity).sort();
}

const claim = (db: Db, deliveryId: string) =>
  writeChangeEffects(db, {
    officeId: 'sc',
    rows: [],
    redraws: [],
    claim: { key: { platform: 'slack', deliveryId, officeId: 'sc' }, reply: { text: 'first answer' } },
  });

describe.each(databaseTargets())('sendCommit on $name', (target) => {
  const database = openForSuite(target);
  beforeEach(async () => {
    await database.db.delete(auditLog).where(eq(auditLog.officeId, 'sc'));
    await database.db.delete(deliveries).where(eq(deliveries.officeId, 'sc'));
  });

  it('keeps a statement too large to wait for the others ahead of COMMIT, and commits it', async () => {
    // Over 1 KB, the driver writes a statement out at once rather than with the ones around it.
    const long = `=HYPERLINK("https://x.example","open") <!channel> ${'x'.repeat(5_000)}`;
    await database.db.transaction(async (tx) => {
      const written = Promise.all([audit(tx, 'TO-8'), audit(tx, long), claim(tx, 'd-3')]);
      sendCommit(tx);
      await written;
    });
    expect(await entitiesIn(database.db)).toEqual(['TO-8', long].sort());
  });

  it('commits the statements issued before it, sent with them on PostgreSQL and at the end on PGlite', async () => {
    const sent = await database.db.transaction(async (tx) => {
      const written = Promise.all([audit(tx, 'TO-1'), audit(tx, 'TO-2'), claim(tx, 'd-1')]);
      const commit = sendCommit(tx);
      await written;
      return commit !== undefined;
    });
    expect(sent).toBe(target.name === 'postgres');
    expect(await entitiesIn(database.db)).toEqual(['TO-1', 'TO-2']);
    const [claims] = await database.db
      .select({ n: count() })
      .from(deliveries)
      .where(eq(deliveries.officeId, 'sc'));
    expect(claims?.n).toBe(1);
  });

  it('rolls back everything when a statement before it fails, with a statement’s error', async () => {
    await claim(database.db, 'd-2');
    await expect(
      database.db.transaction(async (tx) => {
        const written = Promise.all([audit(tx, 'TO-3'), claim(tx, 'd-2'), audit(tx, 'TO-4')]);
        sendCommit(tx);
        await written;
      }),
      // The claim's unique violation, or the abort it left the statement behind it in.
    ).rejects.toMatchObject({ cause: { code: expect.stringMatching(/^(23505|25P02)$/) } });
    expect(await entitiesIn(database.db)).toEqual([]);
    // The connection is whole again: the next transaction on it commits.
    await database.db.transaction(async (tx) => {
      const written = audit(tx, 'TO-5');
      sendCommit(tx);
      await written;
    });
    expect(await entitiesIn(database.db)).toEqual(['TO-5']);
  });
});

// PGlite has no COMMIT to send early (sendCommit gives undefined), so only PostgreSQL can be asked this.
describe.each(databaseTargets().filter((target) => target.name === 'postgres'))(
  'after sendCommit on $name',
  (target) => {
    const database = openForSuite(target);
    beforeEach(async () => {
      await database.db.delete(auditLog).where(eq(auditLog.officeId, 'sc'));
    });

    it('refuses a statement issued after it, which would run outside the transaction', async () => {
      await expect(
        database.db.transaction(async (tx) => {
          const written = audit(tx, 'TO-6');
          sendCommit(tx);
          await written;
          await audit(tx, 'TO-7');
        }),
      ).rejects.toMatchObject({
        cause: { message: 'a statement was issued after its transaction’s COMMIT' },
      });
      expect(await entitiesIn(database.db)).toEqual(['TO-6']);
    });
  },
);
