import { and, eq, gte, lte, sql } from 'drizzle-orm';
import type { AnyPgColumn } from 'drizzle-orm/pg-core';
import type { Db } from '../client.ts';
import { fixedQuery } from '../fixed-query.ts';
import { callOuts, leaveAdjustments, leaveCarryOvers } from '../schema/index.ts';

export type LeaveAdjustmentRow = typeof leaveAdjustments.$inferSelect;
export type LeaveCarryOverRow = typeof leaveCarryOvers.$inferSelect;

/** One leave record as `listLeaveRecords` reads it: a manager's adjustment, a carry-over or a sick day. */
interface LeaveRecord {
  kind: 'adjustment' | 'carry-over' | 'sick';
  personKey: string;
  bank: string | null;
  year: number | null;
  days: number | null;
  day: string | null;
}

/** These people's adjustments and carry-overs in `fromYear`…`toYear`, and their sick call-outs' days. */
export async function listLeaveRecords(
  db: Db,
  officeId: string,
  personKeys: readonly string[],
  fromYear: number,
  toYear: number,
): Promise<{
  adjustments: { personKey: string; bank: string; year: number; days: number }[];
  carryOvers: { personKey: string; bank: string; year: number; carriedDays: number }[];
  sickDays: { personKey: string; day: string }[];
}> {
  // One statement for all three kinds: for most people all three are empty, and each statement has a cost.
  const records = await selectLeaveRecords(db, {
    officeId,
    people: [...personKeys],
    fromYear,
    toYear,
    fromDay: `${fromYear}-01-01`,
    toDay: `${toYear}-12-31`,
  });
  const banked = (kind: LeaveRecord['kind']) =>
    records.flatMap(({ kind: recordKind, personKey, bank, year, days }) =>
      recordKind === kind && bank !== null && year !== null && days !== null
        ? [{ personKey, bank, year, days }]
        : [],
    );
  return {
    adjustments: banked('adjustment'),
    carryOvers: banked('carry-over').map(({ personKey, bank, year, days }) => ({
      personKey,
      bank,
      year,
      carriedDays: days,
    })),
    sickDays: records.flatMap(({ kind, personKey, day }) =>
      kind === 'sick' && day !== null ? [{ personKey, day }] : [],
    ),
  };
}

const selectLeaveRecords = fixedQuery<
  { officeId: string; people: string[]; fromYear: number; toYear: number; fromDay: string; toDay: string },
  LeaveRecord[]
>((db) => {
  const person = (column: AnyPgColumn) => sql`${column} = any(${sql.placeholder('people')})`;
  const banked = (kind: LeaveRecord['kind'], table: typeof leaveAdjustments | typeof leaveCarryOvers) => {
    const days = table === leaveAdjustments ? leaveAdjustments.days : leaveCarryOvers.carriedDays;
    return db
      .select({
        kind: sql<LeaveRecord['kind']>`${kind}::text`.as('kind'),
        personKey: sql<string>`${table.personKey}`.as('person_key'),
        bank: sql<string | null>`${table.bank}`.as('bank'),
        year: sql<number | null>`${table.year}`.as('year'),
        days: sql<number | null>`${days}`.as('days'),
        day: sql<string | null>`null::text`.as('day'),
      })
      .from(table)
      .where(
        and(
          eq(table.officeId, sql.placeholder('officeId')),
          person(table.personKey),
          gte(table.year, sql.placeholder('fromYear')),
          lte(table.year, sql.placeholder('toYear')),
        ),
      );
  };
  return banked('adjustment', leaveAdjustments)
    .unionAll(banked('carry-over', leaveCarryOvers))
    .unionAll(
      db
        .select({
          kind: sql<LeaveRecord['kind']>`'sick'::text`.as('kind'),
          personKey: sql<string>`${callOuts.personKey}`.as('person_key'),
          bank: sql<string | null>`null::text`.as('bank'),
          year: sql<number | null>`null::integer`.as('year'),
          days: sql<number | null>`null::double precision`.as('days'),
          day: sql<string | null>`${callOuts.day}::text`.as('day'),
        })
        .from(callOuts)
        .where(
          and(
            eq(callOuts.officeId, sql.placeholder('officeId')),
            person(callOuts.personKey),
            eq(callOuts.status, 'active'),
            eq(callOuts.kind, 'sick'),
            gte(callOuts.day, sql.placeholder('fromDay')),
            lte(callOuts.day, sql.placeholder('toDay')),
          ),
        ),
    );
});

/** Records a manager's adjustment. */
export async function createLeaveAdjustment(
  db: Db,
  values: Omit<typeof leaveAdjustments.$inferInsert, 'id'>,
): Promise<LeaveAdjustmentRow> {
  const [row] = await db.insert(leaveAdjustments).values(values).returning();
  if (!row) throw new Error('adjustment not stored');
  return row;
}

/** Records one person's carry-over into `year` once; `undefined` when it was already recorded. */
export async function recordCarryOver(
  db: Db,
  values: Omit<typeof leaveCarryOvers.$inferInsert, 'id'>,
): Promise<LeaveCarryOverRow | undefined> {
  const [row] = await db.insert(leaveCarryOvers).values(values).onConflictDoNothing().returning();
  return row;
}

/** One person's carry-over of a bank into `year`, locked until the transaction ends, if the year-end recorded one. */
export async function lockCarryOver(
  db: Db,
  key: { officeId: string; personKey: string; bank: string; year: number },
): Promise<LeaveCarryOverRow | undefined> {
  const [row] = await db
    .select()
    .from(leaveCarryOvers)
    .where(
      and(
        eq(leaveCarryOvers.officeId, key.officeId),
        eq(leaveCarryOvers.personKey, key.personKey),
        eq(leaveCarryOvers.bank, key.bank),
        eq(leaveCarryOvers.year, key.year),
      ),
    )
    .for('update');
  return row;
}

/** Replaces a carry-over's figures, worked out again after a request it counted was denied or withdrawn. */
export async function updateCarryOver(
  db: Db,
  id: number,
  figures: { carriedDays: number; forfeitedDays: number },
): Promise<void> {
  await db.update(leaveCarryOvers).set(figures).where(eq(leaveCarryOvers.id, id));
}

/**
 * Whether the office holds a leave record the year-end of `year` works from, of that year or before: an
 * adjustment, a carry-over, or an active sick call-out. With `hasTimeOffBy`, whether frontdesk was in use by then.
 */
export async function hasLeaveRecordsBy(db: Db, officeId: string, year: number): Promise<boolean> {
  const banked = (table: typeof leaveAdjustments | typeof leaveCarryOvers) =>
    db
      .select({ found: sql<number>`1`.as('found') })
      .from(table)
      .where(and(eq(table.officeId, officeId), lte(table.year, year)));
  const [row] = await banked(leaveAdjustments)
    .unionAll(banked(leaveCarryOvers))
    .unionAll(
      db
        .select({ found: sql<number>`1`.as('found') })
        .from(callOuts)
        .where(
          and(
            eq(callOuts.officeId, officeId),
            eq(callOuts.status, 'active'),
            eq(callOuts.kind, 'sick'),
            lte(callOuts.day, `${year}-12-31`),
          ),
        ),
    )
    .limit(1);
  return row !== undefined;
}
