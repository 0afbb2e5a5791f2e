import { createAuditEntry } from '../../db/repositories/audit.ts';
import {
  listRemovedCredentials,
  loadCredentialsInForce,
  toCredential,
} from '../../db/repositories/credentials.ts';
import { isHeldByCurrentHolder, listExpiring } from '../../domain/credentials.ts';
import { getOfficeDay } from '../../domain/dates.ts';
import type { HandlerContext } from '../kernel/context.ts';
import { clip, refusal } from '../kernel/copy.ts';
import { answerWithCsv } from '../kernel/csv.ts';
import type { Outcome } from '../kernel/message.ts';
import { describeCredential } from './card.ts';

const LIST_LIMIT = 40;
const NOT_ON_STAFF = 'no longer on the staff list';

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function cap(lines: string[]): string[] {
  return lines.length > LIST_LIMIT
    ? [...lines.slice(0, LIST_LIMIT - 1), `…and ${lines.length - LIST_LIMIT + 1} more`]
    : lines;
}

/** `/creds list [expiring]` (managers): everything, or what lapses within 30 days or has lapsed; each view audited. */
export async function listAll(rest: string, ctx: HandlerContext): Promise<Outcome> {
  const filter = rest.trim().toLowerCase();
  if (filter && filter !== 'expiring')
    return refusal(`"${clip(filter, 20)}" is not a list. Write /creds list, or /creds list expiring.`);
  const today = getOfficeDay(ctx.now, ctx.zone);
  const all = (await loadCredentialsInForce(ctx.db, ctx.office)).sort((a, b) =>
    a.expires.localeCompare(b.expires),
  );
  const shown = filter ? listExpiring(all, today) : all;
  await createAuditEntry(ctx.db, {
    officeId: ctx.officeId,
    actor: ctx.actor,
    action: 'credential.listed',
    entity: filter ? 'credentials:expiring' : 'credentials',
    detail: { shown: shown.length },
  });
  const title = filter ? 'Credentials lapsed or expiring within 30 days' : 'Credentials';
  // Someone who left is out of the huddle and the reminders; here a manager sees their records, to remove them.
  const departed = shown.filter((credential) => !isHeldByCurrentHolder(credential, ctx.office));
  const lines = shown.map(
    (credential) =>
      `${describeCredential(credential, today, ctx.zone, true)}${departed.includes(credential) ? ` · ${NOT_ON_STAFF}` : ''}`,
  );
  const example = departed.find((credential) => credential.reference)?.reference;
  const hint = example
    ? [
        `${capitalize(NOT_ON_STAFF)}: left out of the huddle and the reminders. /creds remove ${example} retires a record for good (the export keeps it).`,
      ]
    : [];
  return {
    reply: {
      text: `${title}: ${shown.length}`,
      title,
      lines: lines.length > 0 ? [...cap(lines), ...hint] : ['None.'],
    },
    confidentialReply: true,
    effects: [],
  };
}

/** `/creds mine`: the person's own credentials, with their numbers. */
export async function listMine(ctx: HandlerContext): Promise<Outcome> {
  const today = getOfficeDay(ctx.now, ctx.zone);
  const mine = (await loadCredentialsInForce(ctx.db, ctx.office))
    .filter((credential) => credential.holderKey === ctx.actor.key)
    .sort((a, b) => a.expires.localeCompare(b.expires));
  const lines = mine.map((credential) => describeCredential(credential, today, ctx.zone, true));
  return {
    reply: {
      text: `Your credentials: ${mine.length}`,
      title: 'Your credentials',
      lines: lines.length > 0 ? lines : ['None recorded. A manager records them with /creds add.'],
    },
    confidentialReply: true,
    effects: [],
  };
}

/**
 * `/creds export` (managers): every credential as CSV, soonest expiry first, those removed with
 * `/creds remove` too (status `removed`: the record an inspector may ask for); audited.
 */
export async function exportAll(ctx: HandlerContext): Promise<Outcome> {
  const today = getOfficeDay(ctx.now, ctx.zone);
  const [inForce, removedRows] = await Promise.all([
    loadCredentialsInForce(ctx.db, ctx.office),
    listRemovedCredentials(ctx.db, ctx.officeId),
  ]);
  const removed = removedRows.map(toCredential);
  const all = [...inForce, ...removed].sort((a, b) => a.expires.localeCompare(b.expires));
  await createAuditEntry(ctx.db, {
    officeId: ctx.officeId,
    actor: ctx.actor,
    action: 'credential.exported',
    entity: 'credentials',
    detail: { rows: all.length },
  });
  return answerWithCsv({
    name: 'credentials.csv',
    title: 'Credentials',
    header: ['reference', 'holder', 'credential', 'number', 'valid_through', 'status'],
    rows: all.map((credential) => [
      credential.reference ?? 'office.yaml',
      credential.holderName,
      credential.name,
      credential.number ?? '',
      credential.expires,
      removed.includes(credential) ? 'removed' : credential.expires < today ? 'lapsed' : 'valid',
    ]),
  });
}
