import { and, asc, desc, eq, gte, inArray, lt, type SQL, sql } from 'drizzle-orm';
import type { ComplaintStatus } from '../../domain/complaints.ts';
import type { PlatformName } from '../../domain/people.ts';
import type { Db } from '../client.ts';
import { complaintResolutions, complaints } from '../schema/index.ts';

export type ComplaintRow = typeof complaints.$inferSelect;
/** One resolution a complaint was given; a complaint reopened and resolved again has one per resolve. */
export type ComplaintResolutionRow = typeof complaintResolutions.$inferSelect;
export type NewComplaintRow = Omit<typeof complaints.$inferInsert, 'id' | 'number' | 'status'>;

/** What the reporter may still change while a complaint is new: everything they filed. */
export type ComplaintDraftFields = Pick<
  NewComplaintRow,
  | 'about'
  | 'category'
  | 'severity'
  | 'description'
  | 'occurredWhen'
  | 'desiredOutcome'
  | 'wantsCallback'
  | 'callbackName'
  | 'callbackPhone'
  | 'anonymous'
>;

const OPEN: ComplaintStatus[] = ['new', 'acknowledged', 'reopened'];

/** Stores a new complaint and returns it with its reference number. */
export async function createComplaint(db: Db, values: NewComplaintRow): Promise<ComplaintRow> {
  const [row] = await db.insert(complaints).values(values).returning();
  if (!row) throw new Error('complaint not stored');
  return row;
}

/** The complaint with reference number `number`, if it exists in this office; `forShare` as for `getTimeOffRequest`. */
export async function getComplaint(
  db: Db,
  officeId: string,
  number: number,
  options: { forShare?: boolean } = {},
): Promise<ComplaintRow | undefined> {
  const query = db
    .select()
    .from(complaints)
    .where(and(eq(complaints.officeId, officeId), eq(complaints.number, number)));
  const [row] = await (options.forShare ? query.for('share') : query);
  return row;
}

/**
 * The complaints with these reference numbers, share-locked until the caller's transaction ends, so a step
 * committed meanwhile comes after what the caller draws from them.
 */
export async function listComplaintsByNumbersForShare(
  db: Db,
  officeId: string,
  numbers: readonly number[],
): Promise<ComplaintRow[]> {
  if (numbers.length === 0) return [];
  return db
    .select()
    .from(complaints)
    .where(and(eq(complaints.officeId, officeId), inArray(complaints.number, [...numbers])))
    .orderBy(asc(complaints.number))
    .for('share');
}

/** Every complaint not yet resolved (new, acknowledged or reopened), oldest first. */
export async function listOpenComplaints(db: Db, officeId: string): Promise<ComplaintRow[]> {
  return db
    .select()
    .from(complaints)
    .where(and(eq(complaints.officeId, officeId), inArray(complaints.status, OPEN)))
    .orderBy(asc(complaints.createdAt), asc(complaints.number));
}

/** The complaints of an office filed from `from` (inclusive) to `to` (exclusive), or all without bounds. */
function filedWithin(officeId: string, range: { from?: Date; to?: Date }): SQL | undefined {
  const conditions: SQL[] = [eq(complaints.officeId, officeId)];
  if (range.from) conditions.push(gte(complaints.createdAt, range.from));
  if (range.to) conditions.push(lt(complaints.createdAt, range.to));
  return and(...conditions);
}

/** Complaints filed from `from` (inclusive) to `to` (exclusive), or all when no bounds are given, newest first. */
export async function listComplaintsFiled(
  db: Db,
  officeId: string,
  range: { from?: Date; to?: Date } = {},
): Promise<ComplaintRow[]> {
  return db
    .select()
    .from(complaints)
    .where(filedWithin(officeId, range))
    .orderBy(desc(complaints.createdAt), desc(complaints.number));
}

/**
 * What `listComplaintsFiled` gives for the range, with every resolution of those complaints (each
 * complaint's in order), read in one statement: a resolve committed while an export runs shows in both the
 * complaint's status and its resolutions, or in neither.
 */
export async function listComplaintsFiledWithResolutions(
  db: Db,
  officeId: string,
  range: { from?: Date; to?: Date } = {},
): Promise<{ complaints: ComplaintRow[]; resolutions: ComplaintResolutionRow[] }> {
  const rows = await db
    .select({ complaint: complaints, resolution: complaintResolutions })
    .from(complaints)
    .leftJoin(complaintResolutions, eq(complaintResolutions.complaintId, complaints.id))
    .where(filedWithin(officeId, range))
    .orderBy(desc(complaints.createdAt), desc(complaints.number), asc(complaintResolutions.round));
  const filed: ComplaintRow[] = [];
  const resolutions: ComplaintResolutionRow[] = [];
  for (const row of rows) {
    // A complaint comes once per resolution, its rows one after another.
    if (filed.at(-1)?.id !== row.complaint.id) filed.push(row.complaint);
    if (row.resolution) resolutions.push(row.resolution);
  }
  return { complaints: filed, resolutions };
}

/** Every resolution of these complaints (by id), each complaint's in order. */
export async function listComplaintResolutions(
  db: Db,
  complaintIds: readonly number[],
): Promise<ComplaintResolutionRow[]> {
  if (complaintIds.length === 0) return [];
  return db
    .select()
    .from(complaintResolutions)
    .where(inArray(complaintResolutions.complaintId, [...complaintIds]))
    .orderBy(asc(complaintResolutions.complaintId), asc(complaintResolutions.round));
}

/**
 * Changes what the reporter filed, only while the complaint is still new and only for its reporter;
 * `undefined` means it was acknowledged meanwhile (or is not theirs).
 */
export async function updateComplaintDraft(
  db: Db,
  params: { id: number; reporterKey: string; fields: ComplaintDraftFields },
): Promise<ComplaintRow | undefined> {
  const [row] = await db
    .update(complaints)
    .set(params.fields)
    .where(
      and(
        eq(complaints.id, params.id),
        eq(complaints.reporterKey, params.reporterKey),
        eq(complaints.status, 'new'),
      ),
    )
    .returning();
  return row;
}

/**
 * Acknowledges a complaint in one conditional statement, making the acknowledger its owner: it changes only
 * while the status is still in `fromStatuses`, so of two presses exactly one wins; `undefined` means another won.
 */
export async function acknowledgeComplaint(
  db: Db,
  params: {
    id: number;
    fromStatuses: readonly ComplaintStatus[];
    owner: { key: string; name: string; platform: PlatformName; userId: string };
    at: Date;
  },
): Promise<ComplaintRow | undefined> {
  const [row] = await db
    .update(complaints)
    .set({
      status: 'acknowledged',
      ownerKey: params.owner.key,
      ownerName: params.owner.name,
      ownerPlatform: params.owner.platform,
      ownerUserId: params.owner.userId,
      acknowledgedAt: params.at,
    })
    .where(and(eq(complaints.id, params.id), inArray(complaints.status, [...params.fromStatuses])))
    .returning();
  return row;
}

/**
 * Resolves a complaint only while its status is in `fromStatuses`, and records the resolution beside the
 * others it was given: the complaint shows the latest, the history keeps each. `undefined` means it changed
 * meanwhile and nothing was recorded. Call it inside a transaction, so the two writes stand or fall together.
 */
export async function resolveComplaint(
  db: Db,
  params: {
    id: number;
    fromStatuses: readonly ComplaintStatus[];
    by: { key: string; name: string };
    at: Date;
    resolution: string;
    patientContacted: boolean;
  },
): Promise<ComplaintRow | undefined> {
  const [row] = await db
    .update(complaints)
    .set({
      status: 'resolved',
      resolvedByName: params.by.name,
      resolvedAt: params.at,
      resolution: params.resolution,
      patientContacted: params.patientContacted,
    })
    .where(and(eq(complaints.id, params.id), inArray(complaints.status, [...params.fromStatuses])))
    .returning();
  if (!row) return undefined;
  await db.insert(complaintResolutions).values({
    officeId: row.officeId,
    complaintId: row.id,
    // Every reopen follows a resolve, so this resolve is the one after them all.
    round: row.reopenCount + 1,
    resolution: params.resolution,
    patientContacted: params.patientContacted,
    resolvedByKey: params.by.key,
    resolvedByName: params.by.name,
    resolvedAt: params.at,
  });
  return row;
}

/** Reopens a complaint only while its status is in `fromStatuses`; the owner and the last resolution stay. */
export async function reopenComplaint(
  db: Db,
  params: { id: number; fromStatuses: readonly ComplaintStatus[]; byName: string; at: Date },
): Promise<ComplaintRow | undefined> {
  const [row] = await db
    .update(complaints)
    .set({
      status: 'reopened',
      reopenedByName: params.byName,
      reopenedAt: params.at,
      reopenCount: sql`${complaints.reopenCount} + 1`,
    })
    .where(and(eq(complaints.id, params.id), inArray(complaints.status, [...params.fromStatuses])))
    .returning();
  return row;
}
