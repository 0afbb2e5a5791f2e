import type { Logger } from 'drizzle-orm';
import { asc, eq, getTableColumns, sql } from 'drizzle-orm';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { drizzle as drizzlePostgres } from 'drizzle-orm/postgres-js';
import { beforeEach, describe, expect, it } from 'vitest';
import type { Db } from '../../src/db/client.ts';
import { fixedQuery } from '../../src/db/fixed-query.ts';
import { flatRowsMapper } from '../../src/db/flat-row-mapper.ts';
import * as schema from '../../src/db/schema/index.ts';
import { auditLog } from '../../src/db/schema/index.ts';
import { databaseTargets, openForSuite } from '../helpers/databases.ts';

const entitiesOf = fixedQuery<{ officeId: string }, { entity: string }[]>((db) =>
  db
    .select({ entity: auditLog.entity })
    .from(auditLog)
    .where(eq(auditLog.officeId, sql.placeholder('officeId')))
    .orderBy(asc(auditLog.id)),
);

// Every kind of field a flat selection holds: columns (a timestamp, JSON), an expression with a decoder
// of its own, and an aliased one that is null.
const everyKindOfField = () => ({
  ...getTableColumns(auditLog),
  doubled: sql<number>`${auditLog.id} * 2`.mapWith(Number),
  nothing: sql<string | null>`null`.as('nothing'),
});

const auditRowsOf = fixedQuery<{ officeId: string }, Record<string, unknown>[]>((db) =>
  db
    .select(everyKindOfField())
    .from(auditLog)
    .where(eq(auditLog.officeId, sql.placeholder('officeId')))
    .orderBy(asc(auditLog.id)),
);

const nestedEntitiesOf = fixedQuery<{ officeId: string }, { entry: { entity: string } }[]>((db) =>
  db
    .select({ entry: { entity: auditLog.entity } })
    .from(auditLog)
    .where(eq(auditLog.officeId, sql.placeholder('officeId')))
    .orderBy(asc(auditLog.id)),
);

function audit(db: Db, officeId: string, entity: string) {
  return db.insert(auditLog).values({
    officeId,
    actor: 'k',
    actorName: 'Sam',
    platform: 'slack',
    action: 'test',
    entity,
    detail: {},
  });
}

describe.each(databaseTargets())('fixed queries on $name', (target) => {
  const database = openForSuite(target);
  beforeEach(async () => {
    await database.db.delete(auditLog);
  });

  it('runs with each call’s values, on the database and inside a transaction it was not built in', async () => {
    await audit(database.db, 'a', 'TO-1');
    await audit(database.db, 'b', 'TO-2');
    expect(await entitiesOf(database.db, { officeId: 'a' })).toEqual([{ entity: 'TO-1' }]);
    await expect(
      database.db.transaction(async (tx) => {
        await audit(tx, 'b', 'TO-3');
        // Only the transaction's own connection sees its uncommitted row.
        expect(await entitiesOf(tx, { officeId: 'b' })).toEqual([{ entity: 'TO-2' }, { entity: 'TO-3' }]);
        throw new Error('roll back');
      }),
    ).rejects.toThrow('roll back');
    expect(await entitiesOf(database.db, { officeId: 'b' })).toEqual([{ entity: 'TO-2' }]);
  });

  it('maps a flat selection’s rows as drizzle’s own query does, each value through its decoder', async () => {
    await audit(database.db, 'a', 'TO-1');
    await audit(database.db, 'a', 'TO-2');
    const mapped = await auditRowsOf(database.db, { officeId: 'a' });
    const byDrizzle = await database.db
      .select(everyKindOfField())
      .from(auditLog)
      .where(eq(auditLog.officeId, 'a'))
      .orderBy(asc(auditLog.id));
    expect(mapped).toEqual(byDrizzle);
    expect(Object.keys(mapped[0] ?? {})).toEqual(Object.keys(byDrizzle[0] ?? {}));
    expect(mapped[0]?.at).toBeInstanceOf(Date);
    expect(mapped[0]?.detail).toEqual({});
    expect(mapped[0]?.doubled).toBe(2 * Number(mapped[0]?.id));
    expect(mapped[0]?.nothing).toBeNull();
  });

  it('finds a flat selection in what drizzle keeps on its prepared query, and no nested one', () => {
    // A drizzle upgrade that moved its fields would leave every fixed query on drizzle's slower mapping.
    const prepare = (selection: Record<string, unknown>) =>
      database.db
        .select(selection as never)
        .from(auditLog)
        .prepare('mapper_check');
    expect(flatRowsMapper(prepare(everyKindOfField()))).toBeTypeOf('function');
    expect(flatRowsMapper(prepare({ entry: { entity: auditLog.entity } }))).toBeUndefined();
  });

  it('keeps drizzle’s mapping for a nested selection', async () => {
    await audit(database.db, 'a', 'TO-1');
    expect(await nestedEntitiesOf(database.db, { officeId: 'a' })).toEqual([{ entry: { entity: 'TO-1' } }]);
  });

  it('logs through the query logger of the database it runs on', async () => {
    const logged: string[] = [];
    const logger: Logger = { logQuery: (query) => logged.push(query) };
    const client = (database.db as unknown as { $client: never }).$client;
    const logging = (target.name === 'postgres'
      ? drizzlePostgres(client, { schema, logger })
      : drizzlePglite(client, { schema, logger })) as unknown as Db;
    await entitiesOf(database.db, { officeId: 'a' });
    expect(logged).toEqual([]);
    await entitiesOf(logging, { officeId: 'a' });
    expect(logged).toHaveLength(1);
    expect(logged[0]).toContain('from "audit_log"');
  });
});
