import { and, asc, desc, eq, gte, inArray, lt, lte, sql } from 'drizzle-orm';
import type { CoverState } from '../../domain/call-outs.ts';
import type { Db } from '../client.ts';
import { fixedQuery } from '../fixed-query.ts';
import { type CoverAnswer, callOuts, coverAsks } from '../schema/index.ts';
import { lockUntilTransactionEnds } from '../transaction-lock.ts';

export type CallOutRow = typeof callOuts.$inferSelect;
export type NewCallOutRow = Omit<typeof callOuts.$inferInsert, 'id' | 'number' | 'status'>;
export type CoverAskRow = typeof coverAsks.$inferSelect;

/** Stores a call-out and returns it with its reference number. */
export async function createCallOut(db: Db, values: NewCallOutRow): Promise<CallOutRow> {
  const [row] = await db.insert(callOuts).values(values).returning();
  if (!row) throw new Error('call-out not stored');
  return row;
}

/** The call-out with reference number `number`, if it exists in this office. */
export async function getCallOut(db: Db, officeId: string, number: number): Promise<CallOutRow | undefined> {
  const [row] = await db
    .select()
    .from(callOuts)
    .where(and(eq(callOuts.officeId, officeId), eq(callOuts.number, number)));
  return row;
}

/** Active call-outs on any day from `fromDay` to `toDay`, everyone's, earliest first. */
export async function listActiveCallOutsBetween(
  db: Db,
  officeId: string,
  fromDay: string,
  toDay: string,
): Promise<CallOutRow[]> {
  return selectActiveCallOutsBetween(db, { officeId, fromDay, toDay });
}

const selectActiveCallOutsBetween = fixedQuery<
  { officeId: string; fromDay: string; toDay: string },
  CallOutRow[]
>((db) =>
  db
    .select()
    .from(callOuts)
    .where(
      and(
        eq(callOuts.officeId, sql.placeholder('officeId')),
        eq(callOuts.status, 'active'),
        gte(callOuts.day, sql.placeholder('fromDay')),
        lte(callOuts.day, sql.placeholder('toDay')),
      ),
    )
    .orderBy(asc(callOuts.day), asc(callOuts.number)),
);

/** Every call-out recorded for a day from `fromDay` on, cancelled ones included, latest first. */
export async function listCallOutsSince(db: Db, officeId: string, fromDay: string): Promise<CallOutRow[]> {
  return db
    .select()
    .from(callOuts)
    .where(and(eq(callOuts.officeId, officeId), gte(callOuts.day, fromDay)))
    .orderBy(desc(callOuts.day), desc(callOuts.number));
}

/**
 * Active call-outs whose volunteer waits for a manager's `Confirm cover`, from `fromDay` on (every day when
 * none is given), the longest waiting first.
 */
export async function listCoverOffersWaiting(
  db: Db,
  officeId: string,
  fromDay?: string,
): Promise<CallOutRow[]> {
  return db
    .select()
    .from(callOuts)
    .where(
      and(
        eq(callOuts.officeId, officeId),
        eq(callOuts.status, 'active'),
        eq(callOuts.coverState, 'offered'),
        ...(fromDay === undefined ? [] : [gte(callOuts.day, fromDay)]),
      ),
    )
    .orderBy(asc(callOuts.coverOfferedAt), asc(callOuts.number));
}

/** Active call-outs from `fromDay` on still asking for cover, whose current round the managers have not been told of. */
export async function listCallOutsAwaitingCover(
  db: Db,
  officeId: string,
  fromDay: string,
): Promise<CallOutRow[]> {
  return db
    .select()
    .from(callOuts)
    .where(
      and(
        eq(callOuts.officeId, officeId),
        eq(callOuts.status, 'active'),
        eq(callOuts.coverState, 'asking'),
        gte(callOuts.day, fromDay),
        lt(callOuts.escalatedRound, callOuts.askRound),
      ),
    )
    .orderBy(asc(callOuts.askedAt));
}

/**
 * Starts the round after `round`: the call-out is marked asking now, and each person gets an ask row once.
 * `undefined` when the call-out is no longer at `round` (another manager asked again) or no longer needs cover.
 */
export async function startAskRound(
  db: Db,
  params: { id: number; round: number; at: Date; people: readonly { key: string; name: string }[] },
): Promise<CallOutRow | undefined> {
  const [row] = await db
    .update(callOuts)
    .set({ coverState: 'asking', askedAt: params.at, askRound: sql`${callOuts.askRound} + 1` })
    .where(
      and(
        eq(callOuts.id, params.id),
        eq(callOuts.askRound, params.round),
        eq(callOuts.status, 'active'),
        inArray(callOuts.coverState, ['not_needed', 'asking']),
      ),
    )
    .returning();
  if (!row || params.people.length === 0) return row;
  await db
    .insert(coverAsks)
    .values(
      params.people.map((person) => ({
        callOutId: params.id,
        personKey: person.key,
        personName: person.name,
        askedAt: params.at,
      })),
    )
    .onConflictDoUpdate({
      target: [coverAsks.callOutId, coverAsks.personKey],
      set: { answer: 'asked', askedAt: params.at, answeredAt: null },
    });
  return row;
}

/** Everyone asked to cover a call-out, in the order they were asked. */
export async function listCoverAsks(db: Db, callOutId: number): Promise<CoverAskRow[]> {
  return db.select().from(coverAsks).where(eq(coverAsks.callOutId, callOutId)).orderBy(asc(coverAsks.id));
}

/** Records one person's answer while they have not answered yet; `undefined` when they had. */
export async function answerCoverAsk(
  db: Db,
  params: { callOutId: number; personKey: string; answer: Exclude<CoverAnswer, 'asked'>; at: Date },
): Promise<CoverAskRow | undefined> {
  const [row] = await db
    .update(coverAsks)
    .set({ answer: params.answer, answeredAt: params.at })
    .where(
      and(
        eq(coverAsks.callOutId, params.callOutId),
        eq(coverAsks.personKey, params.personKey),
        eq(coverAsks.answer, 'asked'),
      ),
    )
    .returning();
  return row;
}

/**
 * Takes a volunteer as the cover in one conditional statement: only while the call-out is still asking, so
 * of two people pressing `I can cover` at once exactly one gets it; `undefined` means someone was first.
 */
export async function takeCoverVolunteer(
  db: Db,
  params: {
    id: number;
    key: string;
    name: string;
    role: string | null;
    at: Date;
    state: Extract<CoverState, 'offered' | 'confirmed'>;
  },
): Promise<CallOutRow | undefined> {
  const [row] = await db
    .update(callOuts)
    .set({
      coverState: params.state,
      coverKey: params.key,
      coverName: params.name,
      coverRole: params.role,
      coverOfferedAt: params.at,
      ...(params.state === 'confirmed' ? { coverConfirmedAt: params.at } : {}),
    })
    .where(and(eq(callOuts.id, params.id), eq(callOuts.status, 'active'), eq(callOuts.coverState, 'asking')))
    .returning();
  return row;
}

/** A manager confirms the volunteer `coverKey`, only while their offer stands; `undefined` means it changed first. */
export async function confirmCover(
  db: Db,
  params: { id: number; coverKey: string; byName: string; at: Date },
): Promise<CallOutRow | undefined> {
  const [row] = await db
    .update(callOuts)
    .set({ coverState: 'confirmed', coverConfirmedByName: params.byName, coverConfirmedAt: params.at })
    .where(
      and(
        eq(callOuts.id, params.id),
        eq(callOuts.status, 'active'),
        eq(callOuts.coverState, 'offered'),
        eq(callOuts.coverKey, params.coverKey),
      ),
    )
    .returning();
  return row;
}

/**
 * Takes back the cover `coverKey` offered or gave, when they turn out to be away then themselves; the
 * call-out needs cover again. `undefined` when they no longer hold it (cancelled, or released meanwhile).
 */
export async function releaseCover(
  db: Db,
  params: { id: number; coverKey: string },
): Promise<CallOutRow | undefined> {
  const [row] = await db
    .update(callOuts)
    .set({
      coverState: 'not_needed',
      coverKey: null,
      coverName: null,
      coverRole: null,
      coverOfferedAt: null,
      coverConfirmedByName: null,
      coverConfirmedAt: null,
    })
    .where(
      and(
        eq(callOuts.id, params.id),
        eq(callOuts.status, 'active'),
        eq(callOuts.coverKey, params.coverKey),
        inArray(callOuts.coverState, ['offered', 'confirmed']),
      ),
    )
    .returning();
  return row;
}

/**
 * The asks and yeses `personKey` can no longer stand by, on these call-outs, marked withdrawn: they are away
 * then themselves. Returns the asks changed.
 */
export async function withdrawCoverAsks(
  db: Db,
  params: { callOutIds: readonly number[]; personKey: string; at: Date },
): Promise<CoverAskRow[]> {
  if (params.callOutIds.length === 0) return [];
  return db
    .update(coverAsks)
    .set({ answer: 'withdrawn', answeredAt: params.at })
    .where(
      and(
        inArray(coverAsks.callOutId, [...params.callOutIds]),
        eq(coverAsks.personKey, params.personKey),
        inArray(coverAsks.answer, ['asked', 'volunteered']),
      ),
    )
    .returning();
}

/** Call-outs of one office and day are recorded one at a time, so each sees who the others took away. */
export async function lockCallOutsOfDay(db: Db, officeId: string, day: string): Promise<void> {
  await lockUntilTransactionEnds(db, `call-outs:${officeId}:${day}`);
}

/** Cancels an active call-out; `undefined` means it was cancelled meanwhile. */
export async function cancelCallOut(
  db: Db,
  params: { id: number; byName: string; at: Date },
): Promise<CallOutRow | undefined> {
  const [row] = await db
    .update(callOuts)
    .set({ status: 'cancelled', cancelledByName: params.byName, cancelledAt: params.at })
    .where(and(eq(callOuts.id, params.id), eq(callOuts.status, 'active')))
    .returning();
  return row;
}

/** Marks a round as told to the managers. */
export async function markEscalated(db: Db, params: { id: number; round: number }): Promise<void> {
  await db.update(callOuts).set({ escalatedRound: params.round }).where(eq(callOuts.id, params.id));
}
