import { and, asc, eq, gte, lt, type SQL, sql } from 'drizzle-orm';
import type { Person } from '../../domain/people.ts';
import type { Db } from '../client.ts';
import { fixedQuery } from '../fixed-query.ts';
import { auditLog } from '../schema/index.ts';

/** Records who did what to which entity; `detail` must never hold complaint text or patient details. */
export async function createAuditEntry(
  db: Db,
  entry: {
    officeId: string;
    actor: Person;
    action: string;
    /** the reference it acted on; SQL when the reference is drawn by a statement sent just before */
    entity: string | SQL;
    detail?: Record<string, unknown>;
    /** when it happened, as the handler's clock read it; the database's clock otherwise */
    at?: Date;
  },
): Promise<void> {
  const insert = typeof entry.entity === 'string' ? insertNamedEntry : insertEntryDrawnBy(entry.entity);
  await insert(db, {
    officeId: entry.officeId,
    actor: entry.actor.key,
    actorName: entry.actor.name,
    platform: entry.actor.platform,
    action: entry.action,
    entity: typeof entry.entity === 'string' ? entry.entity : null,
    detail: JSON.stringify(entry.detail ?? {}),
    at: entry.at?.toISOString() ?? null,
  });
}

interface AuditValues extends Record<string, unknown> {
  officeId: string;
  actor: string;
  actorName: string;
  platform: string;
  action: string;
  entity: string | null;
  /** JSON text */
  detail: string;
  /** ISO timestamp, or null for the database's clock */
  at: string | null;
}

function buildAuditInsert(entity: SQL) {
  return fixedQuery<AuditValues, unknown>((db) =>
    db.insert(auditLog).values({
      officeId: sql.placeholder('officeId'),
      actor: sql.placeholder('actor'),
      actorName: sql.placeholder('actorName'),
      platform: sql.placeholder('platform'),
      action: sql.placeholder('action'),
      entity,
      // As text, read as jsonb by the server: both drivers send a string parameter as it is.
      detail: sql`${sql.placeholder('detail')}::text::jsonb`,
      at: sql`coalesce(${sql.placeholder('at')}::timestamptz, now())`,
    }),
  );
}

const insertNamedEntry = buildAuditInsert(sql`${sql.placeholder('entity')}::text`);
// The SQL entities callers pass are constants (`LAST_TIME_OFF_REFERENCE`): each gets its statement once.
const insertsDrawnBy = new WeakMap<SQL, ReturnType<typeof buildAuditInsert>>();

function insertEntryDrawnBy(entity: SQL): ReturnType<typeof buildAuditInsert> {
  let insert = insertsDrawnBy.get(entity);
  if (!insert) {
    insert = buildAuditInsert(entity);
    insertsDrawnBy.set(entity, insert);
  }
  return insert;
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
