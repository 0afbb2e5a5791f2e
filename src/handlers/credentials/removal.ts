import { createAuditEntry } from '../../db/repositories/audit.ts';
import { getCredential, removeCredential, toCredential } from '../../db/repositories/credentials.ts';
import {
  isHeldByCurrentHolder,
  isKindRequiredForCoverage,
  PRACTICE_HOLDER,
} from '../../domain/credentials.ts';
import { getOfficeDay } from '../../domain/dates.ts';
import type { HandlerContext } from '../kernel/context.ts';
import { NOTHING_CHANGED, refusal } from '../kernel/copy.ts';
import type { Effect, Outcome } from '../kernel/message.ts';
import { findRequest } from '../kernel/workflow.ts';
import { describeExpiry } from './card.ts';
import {
  credentialKind,
  explainRemoved,
  listCredentialRecipients,
  publishCredentialChanged,
} from './intake.ts';

const REMOVE_HINT = 'Write it like /creds remove CR-4.';

/**
 * `/creds remove CR-4` (managers): retires a credential no longer needed, such as the lapsed licence of
 * someone who left. It is kept, marked removed, for the record and `/creds export`, and leaves the huddle,
 * homes, reminders, lists and coverage; a second remove changes nothing and says who removed it.
 */
export async function removeFromText(text: string, ctx: HandlerContext): Promise<Outcome> {
  const words = text.trim().split(/\s+/).filter(Boolean);
  if (words.length !== 1)
    return refusal(`Say which credential to remove, one at a time. ${NOTHING_CHANGED}`, REMOVE_HINT);
  const looked = await findRequest(credentialKind, words[0] ?? '', ctx);
  if (!looked.ok) return looked.outcome;
  const { row, reference } = looked.found;
  if (row.removedAt) return refusal(explainRemoved(row, reference, ctx, true));
  const removed = await removeCredential(ctx.db, {
    id: row.id,
    byName: ctx.actor.name,
    at: ctx.now.toJSDate(),
  });
  if (!removed) {
    // Another manager removed it between the read and the update.
    const current = await getCredential(ctx.db, ctx.officeId, row.number);
    return refusal(
      current
        ? explainRemoved(current, reference, ctx, true)
        : `${reference} changed a moment ago; please try again. ${NOTHING_CHANGED}`,
    );
  }
  await createAuditEntry(ctx.db, {
    officeId: ctx.officeId,
    actor: ctx.actor,
    action: 'credential.removed',
    entity: reference,
    detail: { holder: removed.holderName, kind: removed.kind, expires: removed.expires },
  });
  const today = getOfficeDay(ctx.now, ctx.zone);
  const credential = toCredential(removed);
  const current = isHeldByCurrentHolder(credential, ctx.office);
  const practice = removed.holderKey === PRACTICE_HOLDER;
  const owner = practice ? 'the practice’s' : `${removed.holderName}'s`;
  // Someone who left hears nothing, and the managers are not told of each record of theirs retired.
  const told: Effect[] = current
    ? listCredentialRecipients(removed.holderKey, ctx.office, ctx.actor.key).map((to) => ({
        kind: 'dm',
        to,
        message: {
          text: `${ctx.actor.name} removed ${practice ? owner : 'your'} ${removed.name} (${reference}) from the credentials frontdesk tracks.`,
        },
      }))
    : [];
  const coverage =
    current && !practice && isKindRequiredForCoverage(credential.kind, ctx.office)
      ? ` Coverage now treats ${removed.holderName} as holding no ${removed.name}.`
      : '';
  return {
    reply: {
      text: `Removed ${reference}: ${owner} ${removed.name} (${describeExpiry(credential, today, ctx.zone)}). It leaves the huddle, the reminders, /creds list and the holder’s own list; /creds export keeps it, marked removed.${coverage}`,
    },
    changesOwnHome: removed.holderKey === ctx.actor.key,
    effects: [...told, ...(await publishCredentialChanged(removed, ctx))],
  };
}
