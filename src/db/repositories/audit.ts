import { and, asc, eq, gte, lt, type SQL } from 'drizzle-orm';
import type { Person } from '../../domain/people.ts';
import type { Db } from '../client.ts';
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
  await db.insert(auditLog).values({
    officeId: entry.officeId,
    actor: entry.actor.key,
    actorName: entry.actor.name,
    platform: entry.actor.platform,
    action: entry.action,
    entity: entry.entity,
    detail: entry.detail ?? {},
    ...(entry.at ? { at: entry.at } : {}),
  });
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
