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
