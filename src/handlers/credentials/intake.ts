import { DateTime } from 'luxon';
import { z } from 'zod';
import type { OfficeConfig, StaffMember } from '../../config/office.ts';
import { createAuditEntry } from '../../db/repositories/audit.ts';
import {
  type CredentialRow,
  correctCredential,
  createCredential,
  getCredential,
  listCredentialsOfHolder,
  lockCredentialsOfHolder,
  renewCredential,
  toCredential,
} from '../../db/repositories/credentials.ts';
import {
  describeCredentialIdentity,
  findCredentialKind,
  hasLapsed,
  PRACTICE_HOLDER,
} from '../../domain/credentials.ts';
import {
  formatDayWithYear,
  formatOfficeTime,
  getOfficeDay,
  type IsoDay,
  parseDateRange,
} from '../../domain/dates.ts';
import { findStaffByKey, listManagers, slugifyName, staffKey } from '../../domain/people.ts';
import { formatReference } from '../../domain/references.ts';
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
// A lapsed credential may be recorded, but one that ran out longer ago than this is a typo (`1900`, `0000`).
const MAX_YEARS_PAST = 20;
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

// A month name, for a two-digit year after `month day` or `day month` (`March 31, 28`, `31 mar 28`).
const MONTH = '(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\\.?';
const TWO_DIGIT_YEAR = new RegExp(
  `^((?:${MONTH}\\s+\\d{1,2}(?:st|nd|rd|th)?|\\d{1,2}(?:st|nd|rd|th)?\\s+${MONTH}),?)\\s+(\\d{2})(?=\\s|$)`,
  'i',
);

/**
 * The expiry text with a two-digit year after a month and day written out (`March 31, 28` → `March 31, 2028`):
 * a card's expiry is printed that way, and the day parser leaves two digits there for a time of day.
 */
function widenTwoDigitYear(text: string): string {
  return text.trim().replace(TWO_DIGIT_YEAR, (_, day: string, year: string) => `${day} 20${year}`);
}

/**
 * A credential's expiry typed or picked: any real day from twenty years ago (a lapsed one still recorded) to
 * twenty years ahead; the text after it is returned as `rest`.
 */
function readExpiry(
  text: string,
  ctx: HandlerContext,
): { ok: true; day: IsoDay; rest: string } | { ok: false; message: string } {
  const parsed = parseDateRange(widenTwoDigitYear(text), ctx.now, ctx.zone);
  if ((parsed.ok && parsed.start !== parsed.end) || (!parsed.ok && parsed.reason === 'missing_end'))
    return { ok: false, message: 'An expiry is one day, like 2027-03-31.' };
  if (!parsed.ok || parsed.part !== 'full') {
    const shown = text.trim().split(/\s+/)[0] ?? '';
    return {
      ok: false,
      message: shown ? `"${clip(shown, 30)}" is not a date I can read.` : 'Say when it expires.',
    };
  }
  const today = DateTime.fromISO(getOfficeDay(ctx.now, ctx.zone));
  const first = today.minus({ years: MAX_YEARS_PAST }).toISODate() ?? '';
  // Compared as text, `0000-01-01` and `1900-01-01` come first; formatted, year 0 reads oddly, so it is shown as typed.
  if (parsed.start < first)
    return {
      ok: false,
      message: `${parsed.start} is more than ${MAX_YEARS_PAST} years ago: not a real expiry. Give the last day it is valid, like 2027-03-31.`,
    };
  const last = today.plus({ years: MAX_YEARS_AHEAD }).toISODate() ?? '';
  if (parsed.start > last)
    return { ok: false, message: `${formatDayWithYear(parsed.start, ctx.zone)} is too far ahead.` };
  return { ok: true, day: parsed.start, rest: parsed.rest };
}

/**
 * `Grace Kim "RN license" rest` split at the quoted name, each closing quote paired with its opening one, so
 * `"Doctor's DEA registration"` keeps its apostrophe; single quotes only around whole words.
 */
function splitQuotedName(text: string): { holder: string; name: string; rest: string } | undefined {
  const quoted =
    /^(.*?)\s*["“”]([^"“”]*)["“”]\s*(.*)$/.exec(text) ??
    /^(.*?)\s*(?<=^|\s)['‘](.*?)['’](?=\s|$)\s*(.*)$/.exec(text);
  return quoted ? { holder: quoted[1] ?? '', name: quoted[2] ?? '', rest: quoted[3] ?? '' } : undefined;
}

/** Reads `Grace Kim "RN license" 2027-03-31 [number]` or `Grace Kim bls 2027-03-31`. */
function readDraft(
  text: string,
  ctx: HandlerContext,
): { ok: true; draft: CredentialDraft } | { ok: false; message: string } {
  const quoted = splitQuotedName(text.trim());
  let holderText: string;
  let kindText: string;
  let rest: string;
  if (quoted) {
    ({ holder: holderText, name: kindText, rest } = quoted);
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

/**
 * Tells the other features a credential changed (time-off redraws its pending cards' coverage warnings): the
 * messages they add go out with this change.
 */
export function publishCredentialChanged(
  credential: { holderKey: string; kind: string | null | undefined },
  ctx: HandlerContext,
): Promise<Effect[]> {
  return ctx.publish({
    kind: 'credential.changed',
    holderKey: credential.holderKey,
    credentialKind: credential.kind ?? undefined,
  });
}

/** The holder, or the managers for the practice's own items: who hears of a credential, but `exceptKey`. */
export function listCredentialRecipients(holderKey: string, office: OfficeConfig, exceptKey?: string) {
  const member = findStaffByKey(office, holderKey);
  const people = member ? [member] : listManagers(office);
  return people
    .filter((person) => staffKey(person) !== exceptKey)
    .flatMap((person) => listRecipients(person));
}

/**
 * Records a draft, or corrects the holder's record of that kind (or practice item) when there is one: a second
 * add is how a typo is fixed, so an earlier date is allowed. The holder's credentials are locked first, so two
 * identical adds at once store one.
 */
async function recordDraft(draft: CredentialDraft, ctx: HandlerContext): Promise<Outcome> {
  // A number of invisible characters only would show as `no. ` with nothing after it: it is no number.
  const number = draft.number !== undefined && hasVisibleText(draft.number) ? draft.number : null;
  await lockCredentialsOfHolder(ctx.db, ctx.officeId, draft.holder.key);
  const identity = describeCredentialIdentity({
    holderKey: draft.holder.key,
    kind: draft.kind,
    name: draft.name,
  });
  const existing = (await listCredentialsOfHolder(ctx.db, ctx.officeId, draft.holder.key))
    .filter((row) => describeCredentialIdentity(toCredential(row)) === identity)
    .at(-1);
  if (existing) return correctRecorded(existing, draft.expires, number, ctx);
  const row = await createCredential(ctx.db, {
    officeId: ctx.officeId,
    holderKey: draft.holder.key,
    holderName: draft.holder.name,
    kind: draft.kind ?? null,
    name: draft.name,
    expires: draft.expires,
    credentialNumber: number,
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
  const lapsed = hasLapsed(credential, today) ? ` ${RECORDED_LAPSED}` : '';
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
    effects: [...effects, ...(await publishCredentialChanged(row, ctx))],
  };
}

const RECORDED_LAPSED = 'It has already lapsed, and is recorded as lapsed.';

/**
 * A second add of a recorded credential: the same expiry and number change nothing; otherwise the record takes
 * the new expiry (earlier or later) and number (none typed keeps the recorded one). As a renewal, the holder
 * is told and reminders follow the new expiry.
 */
async function correctRecorded(
  row: CredentialRow,
  expires: IsoDay,
  typedNumber: string | null,
  ctx: HandlerContext,
): Promise<Outcome> {
  const reference = formatReference('CR', row.number);
  const number = typedNumber ?? row.credentialNumber;
  const today = getOfficeDay(ctx.now, ctx.zone);
  if (expires === row.expires && number === row.credentialNumber)
    return {
      reply: {
        text: `Already recorded as ${reference}: ${describeCredential(toCredential(row), today, ctx.zone, true)}. ${NOTHING_CHANGED}`,
      },
      effects: [],
    };
  const corrected = await correctCredential(ctx.db, {
    id: row.id,
    from: row.expires,
    fromNumber: row.credentialNumber,
    expires,
    credentialNumber: number,
  });
  // Renewed by another manager between the read and the update.
  if (!corrected) return refusal(`${reference} changed a moment ago; please try again. ${NOTHING_CHANGED}`);
  await createAuditEntry(ctx.db, {
    officeId: ctx.officeId,
    actor: ctx.actor,
    action: 'credential.corrected',
    entity: reference,
    detail: { from: row.expires, to: corrected.expires, numberChanged: number !== row.credentialNumber },
  });
  const changes = [
    ...(expires !== row.expires
      ? [`expires ${formatDayWithYear(expires, ctx.zone)} (was ${formatDayWithYear(row.expires, ctx.zone)})`]
      : []),
    ...(number !== row.credentialNumber ? [`no. ${number} (was ${row.credentialNumber ?? 'none'})`] : []),
  ];
  const lapsed = hasLapsed(corrected, today) ? ` ${RECORDED_LAPSED}` : '';
  const expiry = describeExpiry(corrected, today, ctx.zone);
  const member = findStaffByKey(ctx.office, corrected.holderKey);
  const told: Effect[] = listCredentialRecipients(corrected.holderKey, ctx.office, ctx.actor.key).map(
    (to) => ({
      kind: 'dm',
      to,
      message: {
        text: `${ctx.actor.name} corrected ${member ? 'your ' : ''}${corrected.name} (${reference}): ${expiry}.`,
      },
    }),
  );
  return {
    reply: {
      text: `Corrected ${reference}: ${changes.join(', ')} — ${corrected.holderName}'s ${corrected.name}.${lapsed}`,
    },
    changesOwnHome: corrected.holderKey === ctx.actor.key,
    effects: [...told, ...(await publishCredentialChanged(corrected, ctx))],
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
  return `${formatDayWithYear(day, ctx.zone)} is not after its current expiry (${current}${renewal ? `; ${renewal}` : ''}). If ${current} was a typo, add it again with the right date, which corrects the record: ${describeAddAgain(row, day)}. ${NOTHING_CHANGED}`;
}

/** The `/creds add` that corrects `row` to expire on `day`: adding a recorded credential again corrects it. */
function describeAddAgain(row: CredentialRow, day: IsoDay): string {
  const holder = row.holderKey === PRACTICE_HOLDER ? 'practice' : row.holderName;
  return `/creds add ${holder} ${row.kind ?? `"${row.name}"`} ${day}`;
}

/** Why a removed credential cannot be renewed or removed again: who removed it, and when. */
export function explainRemoved(
  row: CredentialRow,
  reference: string,
  ctx: HandlerContext,
  already = false,
): string {
  const when = row.removedAt ? ` on ${formatOfficeTime(row.removedAt, ctx.zone)}` : '';
  return `${reference} was ${already ? 'already ' : ''}removed by ${row.removedByName ?? 'a manager'}${when}. ${NOTHING_CHANGED}`;
}

/** A later record of the same holder and kind, which an older build stored beside this one and which is in force. */
async function findLaterRecord(row: CredentialRow, ctx: HandlerContext): Promise<CredentialRow | undefined> {
  const identity = describeCredentialIdentity(toCredential(row));
  return (await listCredentialsOfHolder(ctx.db, ctx.officeId, row.holderKey)).find(
    (other) => other.number > row.number && describeCredentialIdentity(toCredential(other)) === identity,
  );
}

/**
 * `/creds renew CR-4 2029-03-31 [new number]` (managers): the new expiry must come after the current one; a
 * number after it replaces the recorded one.
 */
export async function renew(text: string, ctx: HandlerContext): Promise<Outcome> {
  const [referenceText = '', ...rest] = text.trim().split(/\s+/);
  if (!referenceText)
    return refusal('Say which credential and its new expiry, like /creds renew CR-4 2029-03-31.');
  const looked = await findRequest(credentialKind, referenceText, ctx);
  if (!looked.ok) return looked.outcome;
  const { row, reference } = looked.found;
  if (row.removedAt)
    return refusal(`${explainRemoved(row, reference, ctx)} To record it again, use /creds add.`);
  const replacedBy = await findLaterRecord(row, ctx);
  if (replacedBy) {
    const later = formatReference('CR', replacedBy.number);
    return refusal(
      `${reference} was replaced by ${later}, which is the one in force: renew ${later}. ${NOTHING_CHANGED}`,
    );
  }
  const expiry = readExpiry(rest.join(' '), ctx);
  if (!expiry.ok) return refusal(`${expiry.message} ${NOTHING_CHANGED}`);
  const typedNumber = expiry.rest.trim();
  if (typedNumber.length > MAX_NUMBER)
    return refusal(`Keep the number under ${MAX_NUMBER} characters. ${NOTHING_CHANGED}`);
  // As when adding, a number of invisible characters only is no number: the recorded one stays.
  const number = hasVisibleText(typedNumber) ? typedNumber : undefined;
  if (expiry.day <= row.expires) return refusal(explainNotAfter(row, reference, expiry.day, ctx));
  const renewed = await renewCredential(ctx.db, {
    id: row.id,
    from: row.expires,
    expires: expiry.day,
    credentialNumber: number,
    byName: ctx.actor.name,
    at: ctx.now.toJSDate(),
  });
  if (!renewed) {
    // Another manager renewed it between the read and the update: say who, when it covers this date.
    const current = await getCredential(ctx.db, ctx.officeId, row.number);
    return refusal(
      current?.removedAt
        ? explainRemoved(current, reference, ctx)
        : current && expiry.day <= current.expires
          ? explainNotAfter(current, reference, expiry.day, ctx)
          : `${reference} changed a moment ago; please try again. ${NOTHING_CHANGED}`,
    );
  }
  await createAuditEntry(ctx.db, {
    officeId: ctx.officeId,
    actor: ctx.actor,
    action: 'credential.renewed',
    entity: reference,
    detail: {
      from: row.expires,
      to: renewed.expires,
      // Never the number itself: only that it changed.
      ...(renewed.credentialNumber !== row.credentialNumber ? { numberChanged: true } : {}),
    },
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
    reply: {
      text: `Renewed: ${line}.${
        renewed.credentialNumber !== row.credentialNumber
          ? ` New number: ${renewed.credentialNumber} (was ${row.credentialNumber ?? 'none'}).`
          : ''
      }`,
    },
    changesOwnHome: renewed.holderKey === ctx.actor.key,
    effects: [...told, ...(await publishCredentialChanged(renewed, ctx))],
  };
}
