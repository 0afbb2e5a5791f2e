import { asc, eq, sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/db/client.ts';
import { auditLog } from '../../src/db/schema/index.ts';
import { openForSuite } from '../helpers/databases.ts';

describe('PGlite queries take turns with the rest of the app', () => {
  const database = openForSuite({ name: 'pglite', open: () => openDatabase({ dataDir: null }) });

  it('lets the event loop run between the statements of one piece of work', async () => {
    const events: string[] = [];
    setImmediate(() => events.push('another request'));
    await database.db.transaction(async (tx) => {
      for (let index = 1; index <= 3; index += 1) {
        await tx.execute(sql`select 1`);
        events.push(`statement ${index}`);
      }
    });
    for (let index = 4; index <= 5; index += 1) {
      await database.db.execute(sql`select 1`);
      events.push(`statement ${index}`);
    }
    expect(events[0]).toBe('another request');
    expect(events.slice(1)).toEqual([1, 2, 3, 4, 5].map((index) => `statement ${index}`));
  });

  it('runs statements issued together in the order they were issued', async () => {
    const entities = Array.from({ length: 12 }, (_, index) => `TO-${index + 1}`);
    await database.db.transaction(async (tx) => {
      await Promise.all(
        entities.map((entity) =>
          tx
            .insert(auditLog)
            .values({
              officeId: 'turns',
              actor: 'k',
              actorName: 'Sam',
              platform: 'slack',
              action: 'a',
              entity,
            })
            .execute(),
        ),
      );
    });
    const rows = await database.db
      .select({ entity: auditLog.entity })
      .from(auditLog)
      .where(eq(auditLog.officeId, 'turns'))
      .orderBy(asc(auditLog.id));
    expect(rows.map((row) => row.entity)).toEqual(entities);
  });
});
