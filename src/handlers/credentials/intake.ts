import { DateTime } from 'luxon';
import { z } from 'zod';
import type { OfficeConfig, StaffMember } from '../../config/office.ts';
import { createAuditEntry } from '../../db/repositories/audit.ts';
import {
  type CredentialRow,
  createCredential,
  getCredential,
  renewCredential,
  toCredential,
} from '../../db/repositories/credentials.ts';
import { findCredentialKind, hasLapsed, PRACTICE_HOLDER } from '../../domain/credentials.ts';
import {
  formatDayWithYear,
  formatOfficeTime,
  getOfficeDay,
  type IsoDay,
  parseDateRange,
} from '../../domain/dates.ts';
import { findStaffByKey, listManagers, slugifyName, staffKey } from '../../domain/people.ts';
import { hasVisibleText } from '../../domain/visible-text.ts';
import type { HandlerContext } from '../kernel/context.ts';
import { clip, managerNames, NOTHING_CHANGED, NOTHING_SAVED, refusal } from '../kernel/copy.ts';
import { oneLineText, readFormErrors } from '../kernel/forms.ts';
import { listRecipients } from '../kernel/jobs.ts';
import type { Effect, Form, Outcome } from '../kernel/message.ts';
import { findRequest, type RequestKind } from '../kernel/workflow.ts';
import { describeCredential, describeExpiry } from './card.ts';
import { CREDENTIAL_FORMS } from './ids.ts';

const MAX_NUMBER = 60;
const MAX_NAME = 60;
// A credential runs for years (a board certification for ten); further than this is a typo.
const MAX_YEARS_AHEAD = 20;
const ADD_HINT =
  'Write it like /creds add Grace Kim "RN license" 2027-03-31 RN-12345, or /creds add practice "CLIA certificate" 2027-06-30.';
const SAY_WHICH = `Say which credential, in quotes if it has spaces. ${ADD_HINT}`;

export const credentialKind: RequestKind<CredentialRow> = {
  prefix: 'CR',
  noun: 'credential',
  referenceNoun: 'credential',
  example: 'CR-4',
  load: (ctx, number) => getCredential(ctx.db, ctx.officeId, number),
};

interface Holder {
  key: string;
  name: string;
  member: StaffMember | undefined;
}

interface CredentialDraft {
  holder: Holder;
  kind: string | undefined;
  name: string;
  expires: IsoDay;
  number: string | undefined;
}

function findHolder(text: string, ctx: HandlerContext): Holder | undefined {
  const wanted = slugifyName(text);
  if (wanted === PRACTICE_HOLDER || wanted === 'the-practice')
    return { key: PRACTICE_HOLDER, name: 'The practice', member: undefined };
  const member = ctx.office.staff.find((candidate) => slugifyName(candidate.name) === wanted);
  return member ? { key: staffKey(member), name: member.name, member } : undefined;
}

/** A credential's expiry typed or picked: any real day up to twenty years ahead, past days included. */
function readExpiry(
  text: string,
  ctx: HandlerContext,
): { ok: true; day: IsoDay; rest: string } | { ok: false; message: string } {
  const parsed = parseDateRange(text, ctx.now, ctx.zone);
  if ((parsed.ok && parsed.start !== parsed.end) || (!parsed.ok && parsed.reason === 'missing_end'))
    return { ok: false, message: 'An expiry is one day, like 2027-03-31.' };
  if (!parsed.ok || parsed.part !== 'full') {
    const shown = text.trim().split(/\s+/)[0] ?? '';
    return {
      ok: false,
      message: shown ? `"${clip(shown, 30)}" is not a date I can read.` : 'Say when it expires.',
    };
  }
  const last =
    DateTime.fromISO(getOfficeDay(ctx.now, ctx.zone)).plus({ years: MAX_YEARS_AHEAD }).toISODate() ?? '';
  if (parsed.start > last)
    return { ok: false, message: `${formatDayWithYear(parsed.start, ctx.zone)} is too far ahead.` };
  return { ok: true, day: parsed.start, rest: parsed.rest };
}

/** Reads `Grace Kim "RN license" 2027-03-31 [number]` or `Grace Kim bls 2027-03-31`. */
function readDraft(
  text: string,
  ctx: HandlerContext,
): { ok: true; draft: CredentialDraft } | { ok: false; message: string } {
  const quoted = /^(.*?)\s*["“”']([^"“”']+)["“”']\s*(.*)$/.exec(text.trim());
  let holderText: string;
  let kindText: string;
  let rest: string;
  if (quoted) {
    [, holderText = '', kindText = '', rest = ''] = quoted;
    if (!hasVisibleText(kindText)) return { ok: false, message: SAY_WHICH };
  } else {
    const words = text.trim().split(/\s+/);
    const at = words.findIndex((_, index) => index > 0 && findCredentialKind(words[index] ?? '', ctx.office));
    if (at < 0) return { ok: false, message: SAY_WHICH };
    holderText = words.slice(0, at).join(' ');
    kindText = words[at] ?? '';
    rest = words.slice(at + 1).join(' ');
  }
  const holder = findHolder(holderText, ctx);
  if (!holder)
    return {
      ok: false,
      message: holderText
        ? `${clip(holderText, 60)} is not on the staff list. Use the name as the staff list has it, or "practice".`
        : `Say whose credential it is. ${ADD_HINT}`,
    };
  const kind = findCredentialKind(kindText, ctx.office);
  if (!kind && holder.member) {
    const kinds = ctx.office.credentials.kinds.map((known) => known.name);
    return {
      ok: false,
      message: `"${clip(kindText, 40)}" is not a kind of credential this practice tracks${kinds.length > 0 ? ` (${kinds.join(', ')})` : ''}.`,
    };
  }
  if (kindText.length > MAX_NAME)
    return { ok: false, message: `Keep the name under ${MAX_NAME} characters.` };
  const expiry = readExpiry(rest, ctx);
  if (!expiry.ok) return expiry;
  const number = expiry.rest.trim();
  if (number.length > MAX_NUMBER)
    return { ok: false, message: `Keep the number under ${MAX_NUMBER} characters.` };
  return {
    ok: true,
    draft: {
      holder,
      kind: kind?.id,
      name: kind?.name ?? kindText.trim(),
      expires: expiry.day,
      number: number || undefined,
    },
  };
}

/** The holder, or the managers for the practice's own items: who hears of a credential, but `exceptKey`. */
export function listCredentialRecipients(holderKey: string, office: OfficeConfig, exceptKey?: string) {
  const member = findStaffByKey(office, holderKey);
  const people = member ? [member] : listManagers(office);
  return people
    .filter((person) => staffKey(person) !== exceptKey)
    .flatMap((person) => listRecipients(person));
}

async function recordDraft(draft: CredentialDraft, ctx: HandlerContext): Promise<Outcome> {
  const row = await createCredential(ctx.db, {
    officeId: ctx.officeId,
    holderKey: draft.holder.key,
    holderName: draft.holder.name,
    kind: draft.kind ?? null,
    name: draft.name,
    expires: draft.expires,
    // A number of invisible characters only would show as `no. ` with nothing after it: it is no number.
    credentialNumber: draft.number !== undefined && hasVisibleText(draft.number) ? draft.number : null,
    createdByName: ctx.actor.name,
    createdAt: ctx.now.toJSDate(),
  });
  const credential = toCredential(row);
  await createAuditEntry(ctx.db, {
    officeId: ctx.officeId,
    actor: ctx.actor,
    action: 'credential.added',
    entity: credential.reference ?? '',
    detail: { holder: row.holderName, kind: row.kind, expires: row.expires },
  });
  const today = getOfficeDay(ctx.now, ctx.zone);
  const lapsed = hasLapsed(credential, today) ? ' It has already lapsed, and is recorded as lapsed.' : '';
  const effects: Effect[] =
    draft.holder.member && draft.holder.key !== ctx.actor.key
      ? listRecipients(draft.holder.member).map((to) => ({
          kind: 'dm',
          to,
          message: {
            text: `${ctx.actor.name} recorded your ${row.name}: ${describeExpiry(credential, today, ctx.zone)}. You will be reminded before it expires.`,
          },
        }))
      : [];
  return {
    reply: {
      text: `Credential recorded: ${describeCredential(credential, today, ctx.zone, true)}.${lapsed}`,
    },
    changesOwnHome: draft.holder.key === ctx.actor.key,
    effects,
  };
}

/** `/creds add <who> "<what>" <expires> [number]` (managers). */
export async function addFromText(text: string, ctx: HandlerContext): Promise<Outcome> {
  if (!text.trim()) return { form: buildAddForm(ctx), effects: [] };
  const read = readDraft(text, ctx);
  if (!read.ok) return refusal(`${read.message} ${NOTHING_SAVED}`, ADD_HINT);
  return recordDraft(read.draft, ctx);
}

export function buildAddForm(ctx: HandlerContext): Form {
  return {
    formId: CREDENTIAL_FORMS.add,
    title: 'Record a credential',
    submitLabel: 'Record',
    inputs: [
      {
        kind: 'select',
        id: 'holder',
        label: 'Whose',
        options: [
          { label: 'The practice', value: PRACTICE_HOLDER },
          ...ctx.office.staff.map((member) => ({ label: member.name, value: slugifyName(member.name) })),
        ],
      },
      {
        kind: 'select',
        id: 'kind',
        label: 'Kind',
        optional: true,
        options: ctx.office.credentials.kinds.map((kind) => ({ label: kind.name, value: kind.id })),
      },
      {
        kind: 'text',
        id: 'name',
        label: 'Or, for the practice, its name (lease, CLIA…)',
        optional: true,
        maxLength: MAX_NAME,
      },
      { kind: 'date', id: 'expires', label: 'Valid through' },
      {
        kind: 'text',
        id: 'number',
        label: 'Number (shown only to managers and the holder)',
        optional: true,
        maxLength: MAX_NUMBER,
      },
    ],
  };
}

const formSchema = z.object({
  holder: z.string({ error: 'Choose whose it is.' }).min(1, 'Choose whose it is.').max(100),
  kind: z.string().max(40).default(''),
  name: oneLineText.pipe(z.string().max(MAX_NAME)).default(''),
  expires: z.iso.date({ error: 'Pick the last day it is valid.' }),
  number: oneLineText.pipe(z.string().max(MAX_NUMBER)).default(''),
});

export async function submitAddForm(
  values: Record<string, string>,
  _metadata: string | undefined,
  ctx: HandlerContext,
): Promise<Outcome> {
  if (!ctx.actor.isManager)
    return refusal(`Only ${managerNames(ctx.office)} can record credentials. ${NOTHING_SAVED}`);
  const parsed = formSchema.safeParse(values);
  if (!parsed.success) {
    const formErrors = readFormErrors(parsed.error, 'expires');
    return { formErrors, effects: [] };
  }
  const { holder: holderText, kind: kindId, name, expires, number } = parsed.data;
  const holder = findHolder(holderText, ctx);
  if (!holder)
    return { formErrors: { holder: 'Choose someone on the staff list, or the practice.' }, effects: [] };
  const kind = kindId ? findCredentialKind(kindId, ctx.office) : undefined;
  if (kindId && !kind) return { formErrors: { kind: 'Choose a kind from the list.' }, effects: [] };
  if (!kind && (holder.member || !hasVisibleText(name)))
    return {
      formErrors: holder.member
        ? { kind: 'Choose the kind of credential.' }
        : { name: 'Choose a kind, or name the practice item.' },
      effects: [],
    };
  const expiry = readExpiry(expires, ctx);
  if (!expiry.ok) return { formErrors: { expires: expiry.message }, effects: [] };
  return recordDraft(
    { holder, kind: kind?.id, name: kind?.name ?? name, expires: expiry.day, number: number || undefined },
    ctx,
  );
}

/** Why a renewal to `day` is refused: the credential already runs that long, and who last renewed it, when. */
function explainNotAfter(row: CredentialRow, reference: string, day: IsoDay, ctx: HandlerContext): string {
  const current = formatDayWithYear(row.expires, ctx.zone);
  const renewal =
    row.renewedByName && row.renewedAt
      ? `${row.renewedByName} renewed it on ${formatOfficeTime(row.renewedAt, ctx.zone)}`
      : undefined;
  if (day === row.expires)
    return `${reference} already runs to ${current}${renewal ? `: ${renewal}` : ''}. ${NOTHING_CHANGED}`;
  return `${formatDayWithYear(day, ctx.zone)} is not after its current expiry (${current}${renewal ? `; ${renewal}` : ''}). ${NOTHING_CHANGED}`;
}

/** `/creds renew CR-4 2029-03-31` (managers): the new expiry must come after the current one. */
export async function renew(text: string, ctx: HandlerContext): Promise<Outcome> {
  const [referenceText = '', ...rest] = text.trim().split(/\s+/);
  if (!referenceText)
    return refusal('Say which credential and its new expiry, like /creds renew CR-4 2029-03-31.');
  const looked = await findRequest(credentialKind, referenceText, ctx);
  if (!looked.ok) return looked.outcome;
  const { row, reference } = looked.found;
  const expiry = readExpiry(rest.join(' '), ctx);
  if (!expiry.ok) return refusal(`${expiry.message} ${NOTHING_CHANGED}`);
  if (expiry.day <= row.expires) return refusal(explainNotAfter(row, reference, expiry.day, ctx));
  const renewed = await renewCredential(ctx.db, {
    id: row.id,
    from: row.expires,
    expires: expiry.day,
    byName: ctx.actor.name,
    at: ctx.now.toJSDate(),
  });
  if (!renewed) {
    // Another manager renewed it between the read and the update: say who, when it covers this date.
    const current = await getCredential(ctx.db, ctx.officeId, row.number);
    return refusal(
      current && expiry.day <= current.expires
        ? explainNotAfter(current, reference, expiry.day, ctx)
        : `${reference} changed a moment ago; please try again. ${NOTHING_CHANGED}`,
    );
  }
  await createAuditEntry(ctx.db, {
    officeId: ctx.officeId,
    actor: ctx.actor,
    action: 'credential.renewed',
    entity: reference,
    detail: { from: row.expires, to: renewed.expires },
  });
  const today = getOfficeDay(ctx.now, ctx.zone);
  const line = describeCredential(toCredential(renewed), today, ctx.zone, true);
  const told: Effect[] = listCredentialRecipients(renewed.holderKey, ctx.office, ctx.actor.key).map((to) => ({
    kind: 'dm',
    to,
    message: {
      text: `${ctx.actor.name} renewed ${renewed.name} (${reference}): ${describeExpiry(renewed, today, ctx.zone)}.`,
    },
  }));
  return {
    reply: { text: `Renewed: ${line}.` },
    changesOwnHome: renewed.holderKey === ctx.actor.key,
    effects: told,
  };
}
