import { and, eq, gte, inArray, lte } from 'drizzle-orm';
import type { Db } from '../client.ts';
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
  const people = [...personKeys];
  const [adjustments, carryOvers, sickDays] = await Promise.all([
    db
      .select()
      .from(leaveAdjustments)
      .where(
        and(
          eq(leaveAdjustments.officeId, officeId),
          inArray(leaveAdjustments.personKey, people),
          gte(leaveAdjustments.year, fromYear),
          lte(leaveAdjustments.year, toYear),
        ),
      ),
    db
      .select()
      .from(leaveCarryOvers)
      .where(
        and(
          eq(leaveCarryOvers.officeId, officeId),
          inArray(leaveCarryOvers.personKey, people),
          gte(leaveCarryOvers.year, fromYear),
          lte(leaveCarryOvers.year, toYear),
        ),
      ),
    db
      .select({ personKey: callOuts.personKey, day: callOuts.day })
      .from(callOuts)
      .where(
        and(
          eq(callOuts.officeId, officeId),
          inArray(callOuts.personKey, people),
          eq(callOuts.status, 'active'),
          inArray(callOuts.kind, ['sick']),
          gte(callOuts.day, `${fromYear}-01-01`),
          lte(callOuts.day, `${toYear}-12-31`),
        ),
      ),
  ]);
  return { adjustments, carryOvers, sickDays };
}

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
