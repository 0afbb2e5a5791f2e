import { PGlite, type QueryOptions, types } from '@electric-sql/pglite';
import { sql } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/pglite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TYPES_READ_AS_TEXT, withTextParsersOnInstance } from '../../src/db/pglite-parsers.ts';
import { outbox } from '../../src/db/schema/index.ts';

const TEXT_OIDS = Object.values(TYPES_READ_AS_TEXT).map(String).sort();

const VALUES = sql`select
  timestamptz '2026-11-30 09:05:00+00' as at,
  timestamp '2026-11-30 09:05:00' as local_at,
  date '2026-11-30' as day,
  interval '1 day 2 hours' as span,
  array[date '2026-11-30', date '2026-12-01'] as days,
  array[1.5, 2.25]::numeric[] as amounts,
  42 as answer`;

describe('PGlite parsers set on the instance instead of passed with every query', () => {
  let plain: PGlite;
  let wrapped: PGlite;
  /** the options each query reached the wrapped instance with */
  const reached: (QueryOptions | undefined)[] = [];

  beforeAll(async () => {
    plain = new PGlite();
    wrapped = new PGlite();
    await Promise.all([plain.waitReady, wrapped.waitReady]);
    const query = wrapped.query.bind(wrapped);
    wrapped.query = (text, params, options) => {
      reached.push(options);
      return query(text, params, options);
    };
  });
  afterAll(async () => {
    await plain?.close();
    await wrapped?.close();
  });

  it('covers exactly the types drizzle reads as text, each with a parser that keeps the text', async () => {
    const seen: QueryOptions[] = [];
    const recorder = {
      query: async (_text: string, _params: unknown[], options: QueryOptions) => {
        seen.push(options);
        return { rows: [], fields: [] };
      },
    } as unknown as PGlite;
    const db = drizzle(recorder);
    await db.select().from(outbox);
    await db.execute(sql`select 1`);
    expect(seen).toHaveLength(2);
    for (const options of seen) {
      expect(Object.keys(options.parsers ?? {}).sort()).toEqual(TEXT_OIDS);
      for (const parse of Object.values(options.parsers ?? {}))
        expect(parse('2026-11-30', 0)).toBe('2026-11-30');
    }
  });

  it('reads dates, times, intervals and arrays as drizzle on the plain instance does, with no parsers sent', async () => {
    const fromPlain = await drizzle(plain).execute(VALUES);
    reached.length = 0;
    const db = drizzle(withTextParsersOnInstance(wrapped));
    const fromWrapped = await db.execute(VALUES);
    const inTransaction = await db.transaction((tx) => tx.execute(VALUES));

    expect(fromWrapped.rows).toEqual(fromPlain.rows);
    expect(inTransaction.rows).toEqual(fromPlain.rows);
    expect(fromWrapped.rows[0]).toMatchObject({ day: '2026-11-30', answer: 42 });
    expect(reached.length).toBeGreaterThan(0);
    for (const options of reached) expect(options?.parsers).toBeUndefined();
  });

  it('passes on any other parser with its query', async () => {
    const client = withTextParsersOnInstance(wrapped);
    const doubled = await client.query<{ n: number }>('select 21 as n', [], {
      parsers: { [types.INT4]: (value) => Number(value) * 2 },
    });
    expect(doubled.rows[0]?.n).toBe(42);
  });
});
