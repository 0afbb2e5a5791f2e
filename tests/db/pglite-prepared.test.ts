import { PGlite } from '@electric-sql/pglite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withPreparedStatements } from '../../src/db/pglite-prepared.ts';

const LIMIT = 3;

async function preparedNames(client: PGlite): Promise<string[]> {
  const { rows } = await client.query<{ name: string }>(
    'select name from pg_prepared_statements order by name',
  );
  return rows.map((row) => row.name);
}

describe('PGlite with every query a named prepared statement', () => {
  let plain: PGlite;
  let raw: PGlite;
  let prepared: PGlite;

  beforeAll(async () => {
    plain = new PGlite();
    raw = new PGlite();
    await Promise.all([plain.waitReady, raw.waitReady]);
    prepared = withPreparedStatements(raw, LIMIT);
    for (const client of [plain, prepared]) {
      await client.exec(
        'create table notes (id int primary key, body text not null, at timestamptz, extra jsonb)',
      );
    }
  });
  afterAll(async () => {
    await plain?.close();
    await raw?.close();
  });

  it('answers as PGlite’s own query does: rows, fields and affected rows, in both row modes', async () => {
    const insert = 'insert into notes (id, body, at, extra) values ($1, $2, $3, $4)';
    const values = [
      1,
      `<!channel> '; drop table notes; --`,
      new Date('2026-11-30T09:05:00Z'),
      { a: [1, 'b'] },
    ];
    const read = 'select id, body, at, extra, $1::int + 1 as next from notes where id = $2';
    for (let run = 0; run < 7; run += 1) {
      // Past five runs PostgreSQL may switch a prepared statement to its generic plan: the answer stays.
      const [own, named] = await Promise.all([plain.query(read, [41, 1]), prepared.query(read, [41, 1])]);
      expect(named).toEqual(own);
      if (run === 0) {
        expect(await prepared.query(insert, values)).toEqual(await plain.query(insert, values));
      }
      const arrays = await prepared.query(read, [null, 1], { rowMode: 'array' });
      expect(arrays).toEqual(await plain.query(read, [null, 1], { rowMode: 'array' }));
    }
    const [row] = (await prepared.query<{ body: string; extra: unknown; next: number }>(read, [41, 1])).rows;
    expect(row).toMatchObject({ body: values[1], extra: { a: [1, 'b'] }, next: 42 });
    const { affectedRows } = await prepared.query('update notes set body = $1 where id > $2', ['x', 0]);
    expect(affectedRows).toBe(1);
  });

  it('keeps at most its limit prepared, closing the one used longest ago, and still runs it later', async () => {
    const statements = ['select 1 as n', 'select 2 as n', 'select 3 as n', 'select 4 as n'];
    for (const text of statements) await prepared.query(text);
    expect((await preparedNames(raw)).length).toBeLessThanOrEqual(LIMIT);
    // The first was closed to make room; asked again, it is prepared again and answers.
    expect((await prepared.query<{ n: number }>(statements[0] ?? '')).rows).toEqual([{ n: 1 }]);
    expect((await preparedNames(raw)).length).toBeLessThanOrEqual(LIMIT);
  });

  it('throws a failed statement’s error with its code, keeps nothing of it, and goes on', async () => {
    await expect(
      prepared.query('insert into notes (id, body) values ($1, $2)', [1, 'again']),
    ).rejects.toMatchObject({ code: '23505' });
    await expect(prepared.query('selec nothing')).rejects.toMatchObject({ code: '42601' });
    await expect(prepared.query('selec nothing')).rejects.toMatchObject({ code: '42601' });
    expect((await prepared.query<{ n: number }>('select count(*)::int as n from notes')).rows).toEqual([
      { n: 1 },
    ]);
  });

  it('rolls a transaction back whole when one of its statements fails, and refuses one issued after', async () => {
    let late: Promise<unknown> | undefined;
    await expect(
      prepared.transaction(async (tx) => {
        await tx.query('insert into notes (id, body) values ($1, $2)', [2, 'kept?']);
        try {
          await tx.query('insert into notes (id, body) values ($1, $2)', [1, 'duplicate']);
        } finally {
          // Issued on the next turn of the event loop, as the app's queries are (takingTurns): by then
          // the transaction is ending.
          late = new Promise((resolve) => setImmediate(resolve)).then(() =>
            tx.query('insert into notes (id, body) values ($1, $2)', [3, 'late']),
          );
        }
      }),
    ).rejects.toMatchObject({ code: '23505' });
    await expect(late).rejects.toThrow('Transaction is closed');
    const { rows } = await prepared.query<{ id: number }>('select id from notes order by id');
    expect(rows).toEqual([{ id: 1 }]);
  });
});
