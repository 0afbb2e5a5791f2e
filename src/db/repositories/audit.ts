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
    entity: string;
    detail?: Record<string, unknown>;
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
  });
}
