import { and, asc, desc, eq, inArray, isNull, lte, ne, or } from 'drizzle-orm';
import type { Db } from '../client.ts';
import { teamIssues } from '../schema/index.ts';

export type TeamIssueRow = typeof teamIssues.$inferSelect;
export type NewTeamIssueRow = Omit<typeof teamIssues.$inferInsert, 'id' | 'number' | 'status'>;

/** Stores an issue and returns it with its reference number. */
export async function createTeamIssue(db: Db, values: NewTeamIssueRow): Promise<TeamIssueRow> {
  const [row] = await db.insert(teamIssues).values(values).returning();
  if (!row) throw new Error('team issue not stored');
  return row;
}

/** The issue with reference number `number`, if it exists in this office; `forShare` as for `getTimeOffRequest`. */
export async function getTeamIssue(
  db: Db,
  officeId: string,
  number: number,
  options: { forShare?: boolean } = {},
): Promise<TeamIssueRow | undefined> {
  const query = db
    .select()
    .from(teamIssues)
    .where(and(eq(teamIssues.officeId, officeId), eq(teamIssues.number, number)));
  const [row] = await (options.forShare ? query.for('share') : query);
  return row;
}

/** Makes `owner` the owner while nobody is; `undefined` when someone took it or it was done first. */
export async function takeTeamIssue(
  db: Db,
  params: { id: number; ownerKey: string; ownerName: string; at: Date },
): Promise<TeamIssueRow | undefined> {
  const [row] = await db
    .update(teamIssues)
    .set({ status: 'taken', ownerKey: params.ownerKey, ownerName: params.ownerName, takenAt: params.at })
    .where(and(eq(teamIssues.id, params.id), eq(teamIssues.status, 'open')))
    .returning();
  return row;
}

/** Marks an issue done while it is not; `undefined` when it was done first. */
export async function finishTeamIssue(
  db: Db,
  params: { id: number; byKey: string; byName: string; note: string; at: Date },
): Promise<TeamIssueRow | undefined> {
  const [row] = await db
    .update(teamIssues)
    .set({
      status: 'done',
      doneByKey: params.byKey,
      doneByName: params.byName,
      doneNote: params.note,
      doneAt: params.at,
    })
    .where(and(eq(teamIssues.id, params.id), inArray(teamIssues.status, ['open', 'taken'])))
    .returning();
  return row;
}

/** Issues not done yet and filed by `before`, oldest first. */
export async function listOpenTeamIssues(db: Db, officeId: string, before: Date): Promise<TeamIssueRow[]> {
  return db
    .select()
    .from(teamIssues)
    .where(
      and(
        eq(teamIssues.officeId, officeId),
        ne(teamIssues.status, 'done'),
        lte(teamIssues.createdAt, before),
      ),
    )
    .orderBy(asc(teamIssues.createdAt), asc(teamIssues.number));
}

/** Issues nobody has taken whose managers have not been told yet, oldest first. */
export async function listUnflaggedOpenTeamIssues(db: Db, officeId: string): Promise<TeamIssueRow[]> {
  return db
    .select()
    .from(teamIssues)
    .where(
      and(eq(teamIssues.officeId, officeId), eq(teamIssues.status, 'open'), isNull(teamIssues.flaggedAt)),
    )
    .orderBy(asc(teamIssues.createdAt));
}

/** Records that the managers were told of an untaken issue; `undefined` when they already were. */
export async function markTeamIssueFlagged(
  db: Db,
  params: { id: number; at: Date },
): Promise<TeamIssueRow | undefined> {
  const [row] = await db
    .update(teamIssues)
    .set({ flaggedAt: params.at })
    .where(and(eq(teamIssues.id, params.id), isNull(teamIssues.flaggedAt)))
    .returning();
  return row;
}

/** The latest `limit` issues `personKey` raised or owns, newest first. */
export async function listTeamIssuesOfPerson(
  db: Db,
  officeId: string,
  personKey: string,
  limit: number,
): Promise<TeamIssueRow[]> {
  return db
    .select()
    .from(teamIssues)
    .where(
      and(
        eq(teamIssues.officeId, officeId),
        or(eq(teamIssues.raiserKey, personKey), eq(teamIssues.ownerKey, personKey)),
      ),
    )
    .orderBy(desc(teamIssues.createdAt), desc(teamIssues.number))
    .limit(limit);
}
