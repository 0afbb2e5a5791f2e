import { and, arrayContains, asc, count, eq, gte, lt, lte, sql } from 'drizzle-orm';
import type { Db } from '../client.ts';
import { calendarFeeds, repMeetings } from '../schema/index.ts';
import { lockUntilTransactionEnds } from '../transaction-lock.ts';

export type RepMeetingRow = typeof repMeetings.$inferSelect;
export type NewRepMeetingRow = Omit<typeof repMeetings.$inferInsert, 'id' | 'number' | 'status'>;

/**
 * Books a slot in one statement: the partial unique index on (office, slot start) lets only one booked row
 * exist per slot, and `ON CONFLICT DO NOTHING` turns the loser of a race into `undefined` instead of an
 * error, so the caller's transaction goes on and can say the slot was just taken.
 */
export async function createRepMeeting(db: Db, values: NewRepMeetingRow): Promise<RepMeetingRow | undefined> {
  const [row] = await db
    .insert(repMeetings)
    .values(values)
    .onConflictDoNothing({
      target: [repMeetings.officeId, repMeetings.slotStart],
      where: sql`${repMeetings.status} = 'booked'`,
    })
    .returning();
  return row;
}

/** The visit with reference number `number`, if it exists in this office. */
export async function getRepMeeting(
  db: Db,
  officeId: string,
  number: number,
): Promise<RepMeetingRow | undefined> {
  const [row] = await db
    .select()
    .from(repMeetings)
    .where(and(eq(repMeetings.officeId, officeId), eq(repMeetings.number, number)));
  return row;
}

/** Booked visits starting at or after `from` and before `until`, earliest first. */
export async function listBookedRepMeetings(
  db: Db,
  officeId: string,
  from: Date,
  until: Date,
): Promise<RepMeetingRow[]> {
  return db
    .select()
    .from(repMeetings)
    .where(
      and(
        eq(repMeetings.officeId, officeId),
        eq(repMeetings.status, 'booked'),
        gte(repMeetings.slotStart, from),
        lt(repMeetings.slotStart, until),
      ),
    )
    .orderBy(asc(repMeetings.slotStart));
}

/** Booked visits from `fromDay` to `toDay` (office days, both included) that expect the provider `providerKey`. */
export async function listBookedRepMeetingsWithProvider(
  db: Db,
  officeId: string,
  providerKey: string,
  fromDay: string,
  toDay: string,
): Promise<RepMeetingRow[]> {
  return db
    .select()
    .from(repMeetings)
    .where(
      and(
        eq(repMeetings.officeId, officeId),
        eq(repMeetings.status, 'booked'),
        gte(repMeetings.slotDay, fromDay),
        lte(repMeetings.slotDay, toDay),
        arrayContains(repMeetings.providerKeys, [providerKey]),
      ),
    )
    .orderBy(asc(repMeetings.slotStart));
}

/**
 * How many booked visits a company has from `fromDay` to `toDay`. Called after lockCompanyMonth, so two
 * bookings for one company and month cannot both count below the cap.
 */
export async function countCompanyRepMeetings(
  db: Db,
  params: { officeId: string; companyKey: string; fromDay: string; toDay: string },
): Promise<number> {
  const [row] = await db
    .select({ total: count() })
    .from(repMeetings)
    .where(
      and(
        eq(repMeetings.officeId, params.officeId),
        eq(repMeetings.companyKey, params.companyKey),
        eq(repMeetings.status, 'booked'),
        gte(repMeetings.slotDay, params.fromDay),
        lte(repMeetings.slotDay, params.toDay),
      ),
    );
  return row?.total ?? 0;
}

/**
 * Serialises bookings of one company in one month until the caller's transaction ends: the cap is a count
 * then an insert, and without the lock two concurrent bookings could both see one visit below a cap of two.
 */
export async function lockCompanyMonth(
  db: Db,
  params: { officeId: string; companyKey: string; month: string },
): Promise<void> {
  await lockUntilTransactionEnds(db, `rep-cap:${params.officeId}:${params.companyKey}:${params.month}`);
}

/** Cancels a visit only while it is still booked; `undefined` means it was cancelled meanwhile. */
export async function cancelRepMeeting(
  db: Db,
  params: { id: number; byName: string; at: Date },
): Promise<RepMeetingRow | undefined> {
  const [row] = await db
    .update(repMeetings)
    .set({ status: 'cancelled', cancelledByName: params.byName, cancelledAt: params.at })
    .where(and(eq(repMeetings.id, params.id), eq(repMeetings.status, 'booked')))
    .returning();
  return row;
}

/** The office's generated calendar token, if one was made. */
export async function getCalendarFeedToken(db: Db, officeId: string): Promise<string | undefined> {
  const [row] = await db
    .select({ token: calendarFeeds.token })
    .from(calendarFeeds)
    .where(eq(calendarFeeds.officeId, officeId));
  return row?.token;
}

/** Stores `token` as the office's calendar token unless one exists; returns the one that is stored. */
export async function createCalendarFeedToken(
  db: Db,
  params: { officeId: string; token: string; createdAt: Date },
): Promise<string> {
  await db.insert(calendarFeeds).values(params).onConflictDoNothing();
  const stored = await getCalendarFeedToken(db, params.officeId);
  if (!stored) throw new Error('calendar token not stored');
  return stored;
}
