import { eq, type Logger, sql } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/postgres-js';
import { beforeAll, describe, expect, it } from 'vitest';
import { type Db, transactionPlannedForValues } from '../../src/db/client.ts';
import {
  listActiveTimeOffOf,
  listTimeOffOfPersonAndOnSpans,
  listTimeOffOnSpans,
} from '../../src/db/repositories/time-off.ts';
import * as schema from '../../src/db/schema/index.ts';
import { databaseTargets, openForSuite } from '../helpers/databases.ts';

/** A parameter as SQL text, for EXECUTE: strings quoted, arrays as array literals. */
function literal(value: unknown): string {
  const text = Array.isArray(value) ? `{${value.join(',')}}` : String(value);
  return `'${text.replaceAll("'", "''")}'`;
}

// PostgreSQL keeps one plan per prepared statement, made once for all values (a generic plan), often while the
// requests table is still small and has no statistics: the plan it makes then must still go straight to the
// rows asked for, or every filing walks all the office's requests once the table has grown.
describe.each(databaseTargets().filter((target) => target.name === 'postgres'))(
  'the plans PostgreSQL keeps for the time-off reads on $name',
  (target) => {
    const database = openForSuite(target);
    let logging: Db;
    const logged: { query: string; params: unknown[] }[] = [];

    beforeAll(async () => {
      const logger: Logger = { logQuery: (query, params) => logged.push({ query, params }) };
      const client = (database.db as unknown as { $client: never }).$client;
      logging = drizzle(client, { schema, logger }) as unknown as Db;
      // One office, 800 requests, never analyzed: as a new practice's database looks after a busy first minute.
      await database.db.execute(sql`insert into time_off_requests (office_id, requester_key, requester_name,
          requester_platform, requester_user_id, start_day, end_day, part, type, working_days)
        select 'main', 'staff:person-' || (g % 400), 'x', 'slack', 'U', day, day, 'full', 'vacation', 1
        from generate_series(1, 800) g, lateral (select (date '2026-12-01' + (g * 7 % 390))::date as day) d`);
    });

    /** The generic plan of the statement `read` sends, as EXPLAIN shows it. */
    async function genericPlanOf(read: (db: Db) => Promise<unknown>): Promise<string> {
      logged.length = 0;
      await read(logging);
      const [statement] = logged;
      if (!statement) throw new Error('no statement was sent');
      return database.db.transaction(async (tx) => {
        await tx.execute(sql.raw('set local plan_cache_mode = force_generic_plan'));
        await tx.execute(sql.raw(`prepare planned as ${statement.query}`));
        const rows = (await tx.execute(
          sql.raw(`explain (costs off) execute planned(${statement.params.map(literal).join(', ')})`),
        )) as unknown as { 'QUERY PLAN': string }[];
        await tx.execute(sql.raw('deallocate planned'));
        return [...rows].map((row) => row['QUERY PLAN']).join('\n');
      });
    }

    it('reads the requests on some days through the range index alone', async () => {
      const plan = await genericPlanOf((db) =>
        listTimeOffOnSpans(db, 'main', [{ first: '2027-03-03', last: '2027-03-03' }]),
      );
      expect(plan).toContain('time_off_requests_days_idx');
      expect(plan).not.toMatch(/time_off_requests_person_idx|time_off_requests_number_idx|Seq Scan/);
    });

    it('reads one person’s requests with the person in the index condition', async () => {
      const plan = await genericPlanOf((db) =>
        listActiveTimeOffOf(db, 'main', ['staff:person-7'], '2026-12-01'),
      );
      expect(plan).toMatch(/Index Cond: \(\(office_id = \$1\) AND \(requester_key = \$2\)/);
    });

    it('reads a filing’s requests (the person’s, and everyone’s on its days) each branch as alone', async () => {
      const plan = await genericPlanOf((db) =>
        listTimeOffOfPersonAndOnSpans(db, 'main', 'staff:person-7', '2026-01-01', '2027-12-31', [
          { first: '2027-03-03', last: '2027-03-03' },
        ]),
      );
      expect(plan).toMatch(/Index Cond: \(\(office_id = \$1\) AND \(requester_key = \$2\)/);
      expect(plan).toContain('time_off_requests_days_idx');
      expect(plan).not.toMatch(/Seq Scan/);
    });
  },
);

describe.each(databaseTargets())('a filing’s requests read in one statement on $name', (target) => {
  const database = openForSuite(target);

  it('gives the person’s requests and everyone’s on the days apart, as the two reads alone give them', async () => {
    await database.db.execute(sql`insert into time_off_requests (office_id, requester_key, requester_name,
        requester_platform, requester_user_id, start_day, end_day, part, type, working_days, status)
      values ('both', 'staff:sam-lee', 'Sam', 'slack', 'U0SAM', '2026-12-09', '2026-12-09', 'full', 'vacation', 1, 'pending'),
        ('both', 'staff:sam-lee', 'Sam', 'slack', 'U0SAM', '2026-12-02', '2026-12-02', 'am', 'vacation', 0.5, 'approved'),
        ('both', 'staff:sam-lee', 'Sam', 'slack', 'U0SAM', '2026-12-03', '2026-12-03', 'full', 'vacation', 1, 'denied'),
        ('both', 'staff:ana-cruz', 'Ana', 'slack', 'U0ANA', '2026-12-08', '2026-12-10', 'full', 'sick', 3, 'pending'),
        ('both', 'staff:ana-cruz', 'Ana', 'slack', 'U0ANA', '2026-12-21', '2026-12-21', 'full', 'sick', 1, 'approved'),
        ('elsewhere', 'staff:sam-lee', 'Sam', 'slack', 'U0SAM', '2026-12-09', '2026-12-09', 'full', 'vacation', 1, 'pending')`);
    const spans = [{ first: '2026-12-09', last: '2026-12-09' }];
    const both = await listTimeOffOfPersonAndOnSpans(
      database.db,
      'both',
      'staff:sam-lee',
      '2026-01-01',
      '2026-12-31',
      spans,
    );
    expect(both.ofPerson).toEqual(
      await listActiveTimeOffOf(database.db, 'both', ['staff:sam-lee'], '2026-01-01', '2026-12-31'),
    );
    expect(both.onSpans).toEqual(await listTimeOffOnSpans(database.db, 'both', spans));
    expect(both.ofPerson.map((row) => row.startDay)).toEqual(['2026-12-02', '2026-12-09']);
    expect(both.onSpans.map((row) => row.requesterKey)).toEqual(['staff:ana-cruz', 'staff:sam-lee']);
    expect(Object.keys(both.onSpans[0] ?? {})).not.toContain('read');
  });
});

describe.each(databaseTargets())('transactionPlannedForValues on $name', (target) => {
  const database = openForSuite(target);

  async function planMode(db: Db): Promise<string> {
    const rows = (await db.execute(sql`select current_setting('plan_cache_mode') as mode`)) as unknown as
      | { mode: string }[]
      | { rows: { mode: string }[] };
    const [row] = Array.isArray(rows) ? rows : rows.rows;
    return row?.mode ?? '';
  }

  async function countNamedStatements(db: Db): Promise<number> {
    const rows = (await db.execute(
      sql`select count(*)::int as named from pg_prepared_statements`,
    )) as unknown as { named: number }[] | { rows: { named: number }[] };
    const [row] = Array.isArray(rows) ? rows : rows.rows;
    return row?.named ?? -1;
  }

  it('plans the statements of its transaction for their values, and only that transaction', async () => {
    const inside = await transactionPlannedForValues(database.db, async (tx) => {
      await tx.select().from(schema.timeOffRequests).where(eq(schema.timeOffRequests.officeId, 'plans'));
      return { mode: await planMode(tx), named: await countNamedStatements(tx) };
    });
    // Both run every statement prepared (PGlite through withPreparedStatements), so both need the setting.
    expect(inside.mode).toBe('force_custom_plan');
    expect(inside.named).toBeGreaterThan(0);
    expect(await planMode(database.db)).toBe('auto');
  });
});
