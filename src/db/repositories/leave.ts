import { and, eq, gte, lte, sql } from 'drizzle-orm';
import type { Db } from '../client.ts';
import { fixedQuery } from '../fixed-query.ts';
import { callOuts, leaveAdjustments, leaveCarryOvers } from '../schema/index.ts';

export type LeaveAdjustmentRow = typeof leaveAdjustments.$inferSelect;
export type LeaveCarryOverRow = typeof leaveCarryOvers.$inferSelect;

/** These people's adjustments and carry-overs in `fromYear`…`toYear`, and their sick call-outs' days. */
export async function listLeaveRecords(
  db: Db,
  officeId: string,
  personKeys: readonly string[],
  fromYear: number,
  toYear: number,
): Promise<{
  adjustments: LeaveAdjustmentRow[];
  carryOvers: LeaveCarryOverRow[];
  sickDays: { personKey: string; day: string }[];
}> {
  const values = { officeId, people: [...personKeys], fromYear, toYear };
  const [adjustments, carryOvers, sickDays] = await Promise.all([
    selectAdjustments(db, values),
    selectCarryOvers(db, values),
    selectSickDays(db, { ...values, fromDay: `${fromYear}-01-01`, toDay: `${toYear}-12-31` }),
  ]);
  return { adjustments, carryOvers, sickDays };
}

interface PeopleYears extends Record<string, unknown> {
  officeId: string;
  people: string[];
  fromYear: number;
  toYear: number;
}

const selectAdjustments = fixedQuery<PeopleYears, LeaveAdjustmentRow[]>((db) =>
  db
    .select()
    .from(leaveAdjustments)
    .where(
      and(
        eq(leaveAdjustments.officeId, sql.placeholder('officeId')),
        sql`${leaveAdjustments.personKey} = any(${sql.placeholder('people')})`,
        gte(leaveAdjustments.year, sql.placeholder('fromYear')),
        lte(leaveAdjustments.year, sql.placeholder('toYear')),
      ),
    ),
);

const selectCarryOvers = fixedQuery<PeopleYears, LeaveCarryOverRow[]>((db) =>
  db
    .select()
    .from(leaveCarryOvers)
    .where(
      and(
        eq(leaveCarryOvers.officeId, sql.placeholder('officeId')),
        sql`${leaveCarryOvers.personKey} = any(${sql.placeholder('people')})`,
        gte(leaveCarryOvers.year, sql.placeholder('fromYear')),
        lte(leaveCarryOvers.year, sql.placeholder('toYear')),
      ),
    ),
);

const selectSickDays = fixedQuery<
  { officeId: string; people: string[]; fromDay: string; toDay: string },
  { personKey: string; day: string }[]
>((db) =>
  db
    .select({ personKey: callOuts.personKey, day: callOuts.day })
    .from(callOuts)
    .where(
      and(
        eq(callOuts.officeId, sql.placeholder('officeId')),
        sql`${callOuts.personKey} = any(${sql.placeholder('people')})`,
        eq(callOuts.status, 'active'),
        eq(callOuts.kind, 'sick'),
        gte(callOuts.day, sql.placeholder('fromDay')),
        lte(callOuts.day, sql.placeholder('toDay')),
      ),
    ),
);

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
