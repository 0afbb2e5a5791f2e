import { and, asc, eq, getTableColumns, gte, inArray, lte, type SQL, sql } from 'drizzle-orm';
import type { Person } from '../../domain/people.ts';
import type { TimeOffStatus } from '../../domain/time-off.ts';
import { withKeys } from '../../domain/with-keys.ts';
import type { Db } from '../client.ts';
import { fixedQuery } from '../fixed-query.ts';
import { timeOffRequests } from '../schema/index.ts';
import { lockUntilTransactionEnds } from '../transaction-lock.ts';
import { type AuditValues, auditInsertFrom, toAuditValues } from './audit.ts';

export type TimeOffRow = typeof timeOffRequests.$inferSelect;

const ACTIVE: TimeOffStatus[] = ['pending', 'approved'];

/**
 * Takes a lock on one person's time off until the caller's transaction ends, so two filings at once are
 * checked for overlap one after the other: under READ COMMITTED each would otherwise miss the other's row.
 */
export async function lockTimeOffOfPerson(db: Db, officeId: string, requesterKey: string): Promise<void> {
  await lockUntilTransactionEnds(db, `time-off:${officeId}:${requesterKey}`);
}

/** What a person files: the request before it has an id, a reference number and a decision. */
export type TimeOffFiling = Pick<
  typeof timeOffRequests.$inferInsert,
  | 'officeId'
  | 'requesterKey'
  | 'requesterName'
  | 'requesterPlatform'
  | 'requesterUserId'
  | 'startDay'
  | 'endDay'
  | 'part'
  | 'type'
  | 'reason'
  | 'workingDays'
  | 'overBalance'
> & { requesterRole: string | null; createdAt: Date };

/** The id and reference number a filing is stored under (`createTimeOffRequest`). */
export interface ReservedTimeOff {
  id: number;
  number: number;
}

/**
 * Draws the id and reference number of a filing from their sequences ahead of its insert, issued at once
 * so that it goes out with the filing's reads: the card and the answer, which name the reference, are then
 * drawn before the insert is sent, and the insert goes out with the card and COMMIT. A filing refused
 * after this leaves its number unused, as a rolled-back one always did.
 */
export async function reserveTimeOffRequest(db: Db): Promise<ReservedTimeOff> {
  const [reserved] = await reserveIds(db, {});
  if (!reserved) throw new Error('no time-off number drawn');
  return { id: Number(reserved.id), number: Number(reserved.number) };
}

const reserveIds = fixedQuery<Record<string, never>, { id: unknown; number: unknown }[]>((db) =>
  db
    .select({
      // Named in the SQL, not passed: a statement without parameters is planned once per connection.
      id: sql.raw(`nextval('time_off_requests_id_seq')`),
      number: sql.raw(`nextval('time_off_ref_seq')`),
    })
    .from(sql.raw('(select 1) as one')),
);

/**
 * Stores a new pending request under the id and number `reserved` for it, with the audit entry of its
 * filing (`timeoff.filed`, naming that reference) in the same statement. The statement is issued at once
 * and not awaited here: the row is returned as it is written, every column given, so the caller can draw
 * from it while the statement is on its way, and `stored` settles once it has run. The caller's
 * transaction must await `stored` before it commits (a handler hands it to `ctx.commitAfter`).
 */
export function createTimeOffRequest(
  db: Db,
  filing: TimeOffFiling,
  audit: { actor: Person; detail: Record<string, unknown> },
  reserved: ReservedTimeOff,
): { row: TimeOffRow; stored: Promise<void> } {
  // Every column by name, not `{ ...filing, status, … }`, which makes a hidden class per call (`withKeys`).
  const row: TimeOffRow = {
    id: reserved.id,
    officeId: filing.officeId,
    number: reserved.number,
    requesterKey: filing.requesterKey,
    requesterName: filing.requesterName,
    requesterRole: filing.requesterRole,
    requesterPlatform: filing.requesterPlatform,
    requesterUserId: filing.requesterUserId,
    startDay: filing.startDay,
    endDay: filing.endDay,
    part: filing.part,
    type: filing.type,
    reason: filing.reason ?? '',
    workingDays: filing.workingDays,
    overBalance: filing.overBalance ?? false,
    status: 'pending',
    decidedByKey: null,
    decidedByName: null,
    decidedAt: null,
    decisionNote: null,
    cancelledByName: null,
    cancelledAt: null,
    cancelNote: null,
    createdAt: filing.createdAt,
  };
  const stored = insertTimeOffRequest(
    db,
    withKeys(row, toAuditValues({ officeId: filing.officeId, action: 'timeoff.filed', ...audit })),
  ).then(() => undefined);
  return { row, stored };
}

const insertTimeOffRequest = fixedQuery<TimeOffRow & AuditValues, unknown>((db) => {
  const filed = db.$with('filed').as(
    db
      .insert(timeOffRequests)
      .values({
        id: sql.placeholder('id'),
        number: sql.placeholder('number'),
        officeId: sql.placeholder('officeId'),
        requesterKey: sql.placeholder('requesterKey'),
        requesterName: sql.placeholder('requesterName'),
        requesterRole: sql.placeholder('requesterRole'),
        requesterPlatform: sql.placeholder('requesterPlatform'),
        requesterUserId: sql.placeholder('requesterUserId'),
        startDay: sql.placeholder('startDay'),
        endDay: sql.placeholder('endDay'),
        part: sql.placeholder('part'),
        type: sql.placeholder('type'),
        reason: sql.placeholder('reason'),
        workingDays: sql.placeholder('workingDays'),
        overBalance: sql.placeholder('overBalance'),
        status: sql.placeholder('status'),
        createdAt: sql.placeholder('createdAt'),
      })
      .returning({ number: timeOffRequests.number }),
  );
  // PGlite spends some 0.5 ms on every statement: the audit entry goes with the insert, not behind it.
  const audited = db
    .$with('audited', { id: sql<number>`id` })
    .as(auditInsertFrom(sql`'TO-' || filed.number`, sql`filed`));
  return db.with(filed, audited).select({ number: filed.number }).from(filed);
});

/**
 * The request with reference number `number`, if it exists in this office. With `forShare` it is locked
 * against change until the caller's transaction ends: a card drawn from it then cannot be overtaken by a
 * decision committed meanwhile.
 */
export async function getTimeOffRequest(
  db: Db,
  officeId: string,
  number: number,
  options: { forShare?: boolean } = {},
): Promise<TimeOffRow | undefined> {
  const [row] = await listTimeOffByNumbers(db, officeId, [number], options);
  return row;
}

/** The requests with these reference numbers, in number order; `forShare` as for `getTimeOffRequest`. */
export async function listTimeOffByNumbers(
  db: Db,
  officeId: string,
  numbers: readonly number[],
  options: { forShare?: boolean } = {},
): Promise<TimeOffRow[]> {
  if (numbers.length === 0) return [];
  const query = db
    .select()
    .from(timeOffRequests)
    .where(and(eq(timeOffRequests.officeId, officeId), inArray(timeOffRequests.number, [...numbers])))
    .orderBy(asc(timeOffRequests.number));
  return options.forShare ? query.for('share') : query;
}

/** These people's pending and approved requests that end on or after `fromDay` (and start by `toDay`, if given). */
export async function listActiveTimeOffOf(
  db: Db,
  officeId: string,
  requesterKeys: readonly string[],
  fromDay: string,
  toDay?: string,
): Promise<TimeOffRow[]> {
  const select = requesterKeys.length === 1 ? selectActiveTimeOffOfOne : selectActiveTimeOffOf;
  return select(db, {
    officeId,
    requesterKey: requesterKeys[0] ?? '',
    requesterKeys: [...requesterKeys],
    fromDay,
    toDay: toDay ?? LAST_DAY,
  });
}

// Later than any day a request can have: "no last day" in a query that always has one.
const LAST_DAY = '9999-12-31';

/** Active requests of `requesterIs` ending on or after the `fromDay` placeholder and starting by `toDay`. */
function activeOf(requesterIs: SQL) {
  return and(
    eq(timeOffRequests.officeId, sql.placeholder('officeId')),
    requesterIs,
    gte(timeOffRequests.endDay, sql.placeholder('fromDay')),
    inArray(timeOffRequests.status, ACTIVE),
    lte(timeOffRequests.startDay, sql.placeholder('toDay')),
  );
}

function buildActiveTimeOffOf(requesterIs: SQL) {
  return fixedQuery<
    { officeId: string; requesterKey: string; requesterKeys: string[]; fromDay: string; toDay: string },
    TimeOffRow[]
  >((db) =>
    db.select().from(timeOffRequests).where(activeOf(requesterIs)).orderBy(asc(timeOffRequests.startDay)),
  );
}

// One person, as every filing reads them. The server plans a prepared statement once for all values, and
// for "any of an array" that plan may leave the person out of the index condition and walk every request of
// the office still to come (seen under load on a new database); a plain equality always narrows the index.
const ONE_REQUESTER = sql`${timeOffRequests.requesterKey} = ${sql.placeholder('requesterKey')}`;
const selectActiveTimeOffOfOne = buildActiveTimeOffOf(ONE_REQUESTER);
const selectActiveTimeOffOf = buildActiveTimeOffOf(
  sql`${timeOffRequests.requesterKey} = any(${sql.placeholder('requesterKeys')})`,
);

/** A span of days, first and last included. */
export interface DaySpan {
  first: string;
  last: string;
}

/** Requests in `statuses` that touch any day from `fromDay` to `toDay`, everyone's, earliest first. */
export async function listTimeOffBetween(
  db: Db,
  officeId: string,
  fromDay: string,
  toDay: string,
  statuses: TimeOffStatus[] = ACTIVE,
): Promise<TimeOffRow[]> {
  return listTimeOffOnSpans(db, officeId, [{ first: fromDay, last: toDay }], statuses);
}

/** Requests in `statuses` that touch a day of any of `spans`, everyone's, earliest first. */
export async function listTimeOffOnSpans(
  db: Db,
  officeId: string,
  spans: readonly DaySpan[],
  statuses: TimeOffStatus[] = ACTIVE,
): Promise<TimeOffRow[]> {
  const days = toMultirange(spans);
  if (!days) return [];
  return selectTimeOffOnDays(db, { officeId, statuses, days });
}

const ON_DAYS = and(
  // Compared in the "C" collation (the same equality), so no index on office_id can serve it: the plan
  // the server keeps for this statement, made before it knows that an office's requests are nearly all
  // the table's, would otherwise walk every request of the office, alone or beside the range index.
  sql`${timeOffRequests.officeId} = ${sql.placeholder('officeId')} collate "C"`,
  sql`${timeOffRequests.status} = any(${sql.placeholder('statuses')})`,
  // The form time_off_requests_days_idx is built on, so the range index answers it, one span or many.
  sql`daterange(${timeOffRequests.startDay}, ${timeOffRequests.endDay}, '[]') && ${sql.placeholder('days')}::datemultirange`,
);

const selectTimeOffOnDays = fixedQuery<
  { officeId: string; statuses: TimeOffStatus[]; days: string },
  TimeOffRow[]
>((db) =>
  db
    .select()
    .from(timeOffRequests)
    .where(ON_DAYS)
    .orderBy(asc(timeOffRequests.startDay), asc(timeOffRequests.number)),
);

/** `{[2026-12-07,2026-12-08]}`: spans as the multirange the days index answers; undefined when none holds a day. */
function toMultirange(spans: readonly DaySpan[]): string | undefined {
  // No day lies in a span that ends before it starts, and PostgreSQL refuses to build such a range.
  const ranges = spans
    .filter((span) => span.first <= span.last)
    .map((span) => `[${span.first},${span.last}]`);
  return ranges.length === 0 ? undefined : `{${ranges.join(',')}}`;
}

/**
 * What a filing reads of requests, in one statement: one person's active requests from `fromDay` to
 * `toDay` (`listActiveTimeOffOf`), and everyone's active ones on `spans` (`listTimeOffOnSpans`), each
 * earliest first. A request of the person on those days is in both.
 */
export async function listTimeOffOfPersonAndOnSpans(
  db: Db,
  officeId: string,
  requesterKey: string,
  fromDay: string,
  toDay: string,
  spans: readonly DaySpan[],
): Promise<{ ofPerson: TimeOffRow[]; onSpans: TimeOffRow[] }> {
  const days = toMultirange(spans);
  if (!days)
    return { ofPerson: await listActiveTimeOffOf(db, officeId, [requesterKey], fromDay, toDay), onSpans: [] };
  const rows = await selectOfPersonAndOnDays(db, {
    officeId,
    requesterKey,
    fromDay,
    toDay,
    statuses: ACTIVE,
    days,
  });
  const ofPerson: TimeOffRow[] = [];
  const onSpans: TimeOffRow[] = [];
  for (const { read, ...row } of rows) (read === 'person' ? ofPerson : onSpans).push(row);
  return { ofPerson, onSpans };
}

// Each branch is planned as its statement alone is (the indexes above); the tag says which one a row is of.
const selectOfPersonAndOnDays = fixedQuery<
  {
    officeId: string;
    requesterKey: string;
    fromDay: string;
    toDay: string;
    statuses: TimeOffStatus[];
    days: string;
  },
  (TimeOffRow & { read: 'person' | 'days' })[]
>((db) => {
  const tagged = (read: 'person' | 'days') => ({
    ...getTableColumns(timeOffRequests),
    read: sql<typeof read>`${sql.raw(`'${read}'`)}`.as('read'),
  });
  return db
    .select(tagged('person'))
    .from(timeOffRequests)
    .where(activeOf(ONE_REQUESTER))
    .unionAll(db.select(tagged('days')).from(timeOffRequests).where(ON_DAYS))
    .orderBy(sql`"read"`, asc(timeOffRequests.startDay), asc(timeOffRequests.number));
});

/**
 * Decides a request in one conditional statement: it changes only while the request is still pending,
 * so of two managers pressing at once exactly one wins; `undefined` means someone decided first.
 */
export async function decideTimeOffRequest(
  db: Db,
  params: {
    id: number;
    status: 'approved' | 'denied';
    byKey: string;
    byName: string;
    at: Date;
    note: string | null;
  },
): Promise<TimeOffRow | undefined> {
  const [row] = await db
    .update(timeOffRequests)
    .set({
      status: params.status,
      decidedByKey: params.byKey,
      decidedByName: params.byName,
      decidedAt: params.at,
      decisionNote: params.note,
    })
    .where(and(eq(timeOffRequests.id, params.id), eq(timeOffRequests.status, 'pending')))
    .returning();
  return row;
}

/** Cancels a request only if it is still in `fromStatus`; `undefined` means it changed meanwhile. */
export async function cancelTimeOffRequest(
  db: Db,
  params: { id: number; fromStatus: 'pending' | 'approved'; byName: string; at: Date; note?: string | null },
): Promise<TimeOffRow | undefined> {
  const [row] = await db
    .update(timeOffRequests)
    .set({
      status: 'cancelled',
      cancelledByName: params.byName,
      cancelledAt: params.at,
      cancelNote: params.note ?? null,
    })
    .where(and(eq(timeOffRequests.id, params.id), eq(timeOffRequests.status, params.fromStatus)))
    .returning();
  return row;
}

/** One person's requests still waiting for a decision, whatever their days, earliest first. */
export async function listPendingTimeOffOf(
  db: Db,
  officeId: string,
  requesterKey: string,
): Promise<TimeOffRow[]> {
  return db
    .select()
    .from(timeOffRequests)
    .where(
      and(
        eq(timeOffRequests.officeId, officeId),
        eq(timeOffRequests.requesterKey, requesterKey),
        sql`${timeOffRequests.status} = 'pending'`,
      ),
    )
    .orderBy(asc(timeOffRequests.startDay));
}

/** Every request still waiting for a decision, oldest first. */
export async function listPendingTimeOffRequests(db: Db, officeId: string): Promise<TimeOffRow[]> {
  return (
    db
      .select()
      .from(timeOffRequests)
      // Written as a constant, not a parameter, so the plan may use time_off_requests_pending_idx.
      .where(and(eq(timeOffRequests.officeId, officeId), sql`${timeOffRequests.status} = 'pending'`))
      .orderBy(asc(timeOffRequests.createdAt))
  );
}

/** Whether the office has any request touching a day on or before `day`: whether frontdesk was in use by then. */
export async function hasTimeOffBy(db: Db, officeId: string, day: string): Promise<boolean> {
  const [row] = await db
    .select({ id: timeOffRequests.id })
    .from(timeOffRequests)
    .where(and(eq(timeOffRequests.officeId, officeId), lte(timeOffRequests.startDay, day)))
    .limit(1);
  return row !== undefined;
}
