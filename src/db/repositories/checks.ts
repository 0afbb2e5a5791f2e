import { and, asc, eq, gte, inArray, lt } from 'drizzle-orm';
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

/** One check's readings recorded within [from, to), in the order they were recorded: the inspector's log. */
export async function listCheckReadingsRecordedBetween(
  db: Db,
  params: { officeId: string; checkId: string; from: Date; to: Date },
): Promise<CheckReadingRow[]> {
  return db
    .select()
    .from(checkReadings)
    .where(
      and(
        eq(checkReadings.officeId, params.officeId),
        eq(checkReadings.checkId, params.checkId),
        gte(checkReadings.recordedAt, params.from),
        lt(checkReadings.recordedAt, params.to),
      ),
    )
    .orderBy(asc(checkReadings.recordedAt), asc(checkReadings.number));
}
