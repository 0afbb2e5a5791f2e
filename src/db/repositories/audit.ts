import { and, asc, desc, eq, gte, inArray, lt, min, type SQL, sql } from 'drizzle-orm';
import type { Person } from '../../domain/people.ts';
import { withKeys } from '../../domain/with-keys.ts';
import type { Db } from '../client.ts';
import { fixedQuery } from '../fixed-query.ts';
import { auditLog } from '../schema/index.ts';

/** One audit entry: who did what to which entity; `detail` must never hold complaint text or patient details. */
export interface AuditEntry {
  officeId: string;
  actor: Person;
  action: string;
  /** the reference it acted on */
  entity: string;
  detail?: Record<string, unknown>;
  /** when it happened, as the handler's clock read it; the database's clock otherwise */
  at?: Date;
}

/** Records who did what to which entity. */
export async function createAuditEntry(db: Db, entry: AuditEntry): Promise<void> {
  await insertEntry(db, withKeys(toAuditValues(entry), { entity: entry.entity }));
}

/** An entry's values, but its entity, for the placeholders of `auditInsertFrom`. */
export function toAuditValues(entry: Omit<AuditEntry, 'entity'>): AuditValues {
  return {
    officeId: entry.officeId,
    actor: entry.actor.key,
    actorName: entry.actor.name,
    platform: entry.actor.platform,
    action: entry.action,
    detail: JSON.stringify(entry.detail ?? {}),
    at: entry.at?.toISOString() ?? null,
  };
}

/** The placeholders of an audit insert, filled from `toAuditValues`. */
export interface AuditValues extends Record<string, unknown> {
  officeId: string;
  actor: string;
  actorName: string;
  platform: string;
  action: string;
  /** JSON text */
  detail: string;
  /** ISO timestamp, or null for the database's clock */
  at: string | null;
}

/**
 * The audit insert of an entry whose entity a statement draws, as a WITH clause of that statement: `entity`
 * reads `source`, the clause that draws it. So a row and the audit entry naming it are written at once.
 */
export function auditInsertFrom(entity: SQL, source: SQL): SQL {
  return sql`insert into audit_log (office_id, actor, actor_name, platform, action, entity, detail, at)
    select ${sql.placeholder('officeId')}, ${sql.placeholder('actor')}, ${sql.placeholder('actorName')},
      ${sql.placeholder('platform')}, ${sql.placeholder('action')}, ${entity},
      ${sql.placeholder('detail')}::text::jsonb, coalesce(${sql.placeholder('at')}::timestamptz, now())
    from ${source} returning id`;
}

const insertEntry = fixedQuery<AuditValues & { entity: string }, unknown>((db) =>
  db.insert(auditLog).values({
    officeId: sql.placeholder('officeId'),
    actor: sql.placeholder('actor'),
    actorName: sql.placeholder('actorName'),
    platform: sql.placeholder('platform'),
    action: sql.placeholder('action'),
    entity: sql.placeholder('entity'),
    // As text, read as jsonb by the server: both drivers send a string parameter as it is.
    detail: sql`${sql.placeholder('detail')}::text::jsonb`,
    at: sql`coalesce(${sql.placeholder('at')}::timestamptz, now())`,
  }),
);

/**
 * Puts `replacement` in place of an actor on an entity's entries of `actions`: a complaint's reporter who asks
 * afterwards to be anonymous is taken out of what they did before they asked, as later entries leave them out.
 */
export async function replaceAuditActor(
  db: Db,
  where: { officeId: string; entity: string; actorKey: string; actions: readonly string[] },
  replacement: Pick<Person, 'key' | 'name'>,
): Promise<void> {
  await db
    .update(auditLog)
    .set({ actor: replacement.key, actorName: replacement.name })
    .where(
      and(
        eq(auditLog.officeId, where.officeId),
        eq(auditLog.entity, where.entity),
        eq(auditLog.actor, where.actorKey),
        inArray(auditLog.action, [...where.actions]),
      ),
    );
}

export type AuditRow = typeof auditLog.$inferSelect;

/** Every entry of one action within [from, to), oldest first: e.g. the stock counts of a month for its report. */
export async function listAuditEntriesBetween(
  db: Db,
  params: { officeId: string; action: string; from: Date; to: Date },
): Promise<AuditRow[]> {
  return db
    .select()
    .from(auditLog)
    .where(
      and(
        eq(auditLog.officeId, params.officeId),
        eq(auditLog.action, params.action),
        gte(auditLog.at, params.from),
        lt(auditLog.at, params.to),
      ),
    )
    .orderBy(asc(auditLog.at), asc(auditLog.id));
}

/** The latest entry of one action on one entity: who did it and when. */
export async function findLatestAuditEntry(
  db: Db,
  params: { officeId: string; action: string; entity: string },
): Promise<AuditRow | undefined> {
  const [row] = await db
    .select()
    .from(auditLog)
    .where(
      and(
        eq(auditLog.officeId, params.officeId),
        eq(auditLog.entity, params.entity),
        eq(auditLog.action, params.action),
      ),
    )
    .orderBy(desc(auditLog.at), desc(auditLog.id))
    .limit(1);
  return row;
}

/** When frontdesk first did anything for the office (its first audit entry), if it ever did. */
export async function findFirstAuditAt(db: Db, officeId: string): Promise<Date | undefined> {
  const [row] = await db
    .select({ first: min(auditLog.at) })
    .from(auditLog)
    .where(eq(auditLog.officeId, officeId));
  return row?.first ?? undefined;
}
