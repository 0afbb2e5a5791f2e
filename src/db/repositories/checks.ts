import { and, asc, eq, gte, inArray, lt, min, sql } from 'drizzle-orm';
import type { Db } from '../client.ts';
import { checkReadings } from '../schema/index.ts';

export type CheckReadingRow = typeof checkReadings.$inferSelect;
export type NewCheckReadingRow = Omit<typeof checkReadings.$inferInsert, 'id' | 'number'>;

/**
 * Stores a reading for its slot, in one statement: `undefined` when the slot was already recorded (by
 * anyone), so two people recording the same check time at once store exactly one reading.
 */
export async function createCheckReading(
  db: Db,
  values: NewCheckReadingRow,
): Promise<CheckReadingRow | undefined> {
  const [row] = await db.insert(checkReadings).values(values).onConflictDoNothing().returning();
  return row;
}

/** The reading of one slot, if it was recorded. */
export async function getCheckReading(
  db: Db,
  params: { officeId: string; checkId: string; day: string; dueTime: string },
): Promise<CheckReadingRow | undefined> {
  const [row] = await db
    .select()
    .from(checkReadings)
    .where(
      and(
        eq(checkReadings.officeId, params.officeId),
        eq(checkReadings.checkId, params.checkId),
        eq(checkReadings.day, params.day),
        eq(checkReadings.dueTime, params.dueTime),
      ),
    );
  return row;
}

/** The reading with reference number `number` (CK-12 → 12), if there is one. */
export async function getCheckReadingByNumber(
  db: Db,
  officeId: string,
  number: number,
): Promise<CheckReadingRow | undefined> {
  const [row] = await db
    .select()
    .from(checkReadings)
    .where(and(eq(checkReadings.officeId, officeId), eq(checkReadings.number, number)));
  return row;
}

/**
 * Corrects a reading in one statement, only if it is still at `revision` (what the person correcting saw):
 * `undefined` when someone corrected it meanwhile. The first correction keeps the reading as recorded.
 */
export async function correctCheckReading(
  db: Db,
  params: {
    officeId: string;
    number: number;
    revision: number;
    values: CheckReadingRow['values'];
    outOfRange: boolean;
    actionTaken: string | null;
    correctedByKey: string;
    correctedByName: string;
    correctedAt: Date;
    correctionReason: string;
  },
): Promise<CheckReadingRow | undefined> {
  const [row] = await db
    .update(checkReadings)
    .set({
      originalValues: sql`coalesce(${checkReadings.originalValues}, ${checkReadings.values})`,
      originalOutOfRange: sql`coalesce(${checkReadings.originalOutOfRange}, ${checkReadings.outOfRange})`,
      // The original action may have been empty: it is copied only on the first correction.
      originalActionTaken: sql`case when ${checkReadings.revision} = 0 then ${checkReadings.actionTaken} else ${checkReadings.originalActionTaken} end`,
      values: params.values,
      outOfRange: params.outOfRange,
      actionTaken: params.actionTaken,
      correctedByKey: params.correctedByKey,
      correctedByName: params.correctedByName,
      correctedAt: params.correctedAt,
      correctionReason: params.correctionReason,
      revision: sql`${checkReadings.revision} + 1`,
    })
    .where(
      and(
        eq(checkReadings.officeId, params.officeId),
        eq(checkReadings.number, params.number),
        eq(checkReadings.revision, params.revision),
      ),
    )
    .returning();
  return row;
}

/** Every reading of any check for the given days, earliest slot first. */
export async function listCheckReadingsOn(
  db: Db,
  officeId: string,
  days: readonly string[],
): Promise<CheckReadingRow[]> {
  if (days.length === 0) return [];
  return db
    .select()
    .from(checkReadings)
    .where(and(eq(checkReadings.officeId, officeId), inArray(checkReadings.day, [...days])))
    .orderBy(asc(checkReadings.day), asc(checkReadings.dueTime));
}

/** One check's readings for days from `fromDay` up to (not including) `toDay`, in slot order: the inspector's log. */
export async function listCheckReadingsBetween(
  db: Db,
  params: { officeId: string; checkId: string; fromDay: string; toDay: string },
): Promise<CheckReadingRow[]> {
  return db
    .select()
    .from(checkReadings)
    .where(
      and(
        eq(checkReadings.officeId, params.officeId),
        eq(checkReadings.checkId, params.checkId),
        gte(checkReadings.day, params.fromDay),
        lt(checkReadings.day, params.toDay),
      ),
    )
    .orderBy(asc(checkReadings.day), asc(checkReadings.dueTime));
}

/** The day of each check's first reading ever, by check id: one row a check, whatever the history. */
export async function listFirstReadingDays(db: Db, officeId: string): Promise<Record<string, string>> {
  const rows = await db
    .select({ checkId: checkReadings.checkId, first: min(checkReadings.day) })
    .from(checkReadings)
    .where(eq(checkReadings.officeId, officeId))
    .groupBy(checkReadings.checkId);
  return Object.fromEntries(rows.flatMap((row) => (row.first ? [[row.checkId, row.first]] : [])));
}
