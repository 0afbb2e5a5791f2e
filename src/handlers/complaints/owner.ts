import type { OfficeConfig } from '../../config/office.ts';
import type { ComplaintRow } from '../../db/repositories/complaints.ts';
import { canHandleComplaint } from '../../domain/complaints.ts';
import { resolvePerson } from '../../domain/people.ts';
import type { Recipient } from '../kernel/message.ts';

/**
 * Where a message for a complaint's owner goes: the owner, while the office config still lets them handle
 * it. An owner who left the staff list or is no longer a manager could not press its buttons, so the
 * complaint counts as nobody's and the complaints channel hears of it instead.
 */
export function findActingOwner(row: ComplaintRow, office: OfficeConfig): Recipient | undefined {
  if (!row.ownerPlatform || !row.ownerUserId) return undefined;
  const owner = resolvePerson(office, row.ownerPlatform, row.ownerUserId);
  return canHandleComplaint(owner, row, office)
    ? { platform: row.ownerPlatform, userId: row.ownerUserId }
    : undefined;
}
