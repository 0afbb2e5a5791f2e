import { DateTime } from 'luxon';
import { createAuditEntry } from '../../db/repositories/audit.ts';
import {
  type CheckReadingRow,
  correctCheckReading,
  getCheckReadingByNumber,
} from '../../db/repositories/checks.ts';
import { type CheckValue, formatSlotKey, listCheckSlots, readCheckReading } from '../../domain/checks.ts';
import { listManagers, staffKey } from '../../domain/people.ts';
import { parseReference } from '../../domain/references.ts';
import { hasVisibleText } from '../../domain/visible-text.ts';
import type { HandlerContext } from '../kernel/context.ts';
import { clip, NOTHING_SAVED, refusal } from '../kernel/copy.ts';
import { listRecipients } from '../kernel/jobs.ts';
import type { Outcome } from '../kernel/message.ts';
import {
  buildManagerAlert,
  buildSettledCard,
  describeValues,
  fieldInputId,
  formatCheckReference,
} from './card.ts';
import {
  buildCorrectedReply,
  buildCorrectionForm,
  MAX_REASON,
  parseCorrectionKey,
} from './correction-card.ts';
import { findCheck } from './loaders.ts';
import { explainCannotCorrect } from './may-correct.ts';
import { redrawCards } from './record.ts';

const CORRECT_HINT =
  'Write it like /checks correct CK-12 (the reference is in the log and on the saved answer).';

/** The check and slot a reading is for; undefined when the check or its time is no longer set up. */
function findSlotOf(row: CheckReadingRow, ctx: HandlerContext) {
  const check = findCheck(ctx.office, row.checkId);
  const slot = check
    ? listCheckSlots(check, row.day, ctx.office).find((candidate) => candidate.time === row.dueTime)
    : undefined;
  return check && slot ? { check, slot } : undefined;
}

async function openCorrectionForm(number: number | undefined, ctx: HandlerContext): Promise<Outcome> {
  const row = number === undefined ? undefined : await getCheckReadingByNumber(ctx.db, ctx.officeId, number);
  if (!row) return refusal(`There is no check reading with that reference. ${NOTHING_SAVED}`, CORRECT_HINT);
  const denied = explainCannotCorrect(row, ctx);
  if (denied) return refusal(`${denied} ${NOTHING_SAVED}`);
  const found = findSlotOf(row, ctx);
  if (!found)
    return refusal(
      `${formatCheckReference(row)} is for a check or time no longer set up, so it cannot be corrected here. ${NOTHING_SAVED}`,
    );
  return { form: buildCorrectionForm(found.check, found.slot, row, ctx.zone), effects: [] };
}

/** `/checks correct CK-12`: the correction form for a saved reading. */
export async function correctCommand(rest: string, ctx: HandlerContext): Promise<Outcome> {
  if (!rest.trim()) return refusal('Say which reading to correct.', CORRECT_HINT);
  const number = parseReference(rest, 'CK');
  if (number === undefined)
    return refusal(`"${clip(rest, 20)}" is not a check reference. ${NOTHING_SAVED}`, CORRECT_HINT);
  return openCorrectionForm(number, ctx);
}

/** `Correct` under an "already recorded" answer. */
export async function pressCorrect(value: string, ctx: HandlerContext): Promise<Outcome> {
  return openCorrectionForm(parseReference(value, 'CK'), ctx);
}

function sameValues(a: readonly CheckValue[], b: readonly CheckValue[]): boolean {
  return a.length === b.length && a.every((value, index) => value.value === b[index]?.value);
}

/** What the audit keeps of a set of values: ids, values and flags, no labels. */
function auditValues(values: readonly CheckValue[]) {
  return values.map(({ fieldId, value, outOfRange }) => ({ fieldId, value, outOfRange }));
}

/**
 * A submitted correction: the same checks as the record form, plus a reason. Stored only if nobody corrected
 * the reading since the form opened; the same form sent twice stores one correction.
 */
export async function submitCorrection(
  typed: Record<string, string>,
  metadata: string | undefined,
  ctx: HandlerContext,
): Promise<Outcome> {
  const key = parseCorrectionKey(metadata ?? '');
  if (!key) return refusal(`That form no longer names a reading. ${NOTHING_SAVED}`, CORRECT_HINT);
  const row = await getCheckReadingByNumber(ctx.db, ctx.officeId, key.number);
  if (!row) return refusal(`That reading is no longer in the log. ${NOTHING_SAVED}`);
  const denied = explainCannotCorrect(row, ctx);
  if (denied) return refusal(`${denied} ${NOTHING_SAVED}`);
  const found = findSlotOf(row, ctx);
  if (!found)
    return refusal(`${formatCheckReference(row)} is for a check or time no longer set up. ${NOTHING_SAVED}`);
  const { check, slot } = found;
  const answers = Object.fromEntries(
    check.fields.map((field) => [field.id, typed[fieldInputId(field)] ?? '']),
  );
  const reading = readCheckReading(check, answers, typed.action ?? '');
  const reason = hasVisibleText(typed.reason ?? '') ? (typed.reason ?? '').trim() : '';
  const formErrors: Record<string, string> = {};
  if (!reading.ok)
    for (const [id, message] of Object.entries(reading.errors))
      formErrors[id === 'action' ? 'action' : fieldInputId({ id })] = message;
  if (reason === '') formErrors.reason = 'Say in a few words why (required), e.g. typo: 4.9 not 9.4.';
  else if (reason.length > MAX_REASON) formErrors.reason = `Keep it under ${MAX_REASON} characters.`;
  if (!reading.ok || Object.keys(formErrors).length > 0) return { formErrors, effects: [] };
  const actionTaken = reading.actionTaken ?? null;
  if (row.revision !== key.revision) return describeStale(row, key.revision, reading.values, reason, ctx);
  if (sameValues(row.values, reading.values) && row.actionTaken === actionTaken) {
    const first = check.fields[0];
    return {
      formErrors: {
        [first ? fieldInputId(first) : 'reason']:
          'This is what is saved already: change a value, or close the form.',
      },
      effects: [],
    };
  }
  const { actor, db, officeId, zone } = ctx;
  const corrected = await correctCheckReading(db, {
    officeId,
    number: row.number,
    revision: key.revision,
    values: reading.values,
    outOfRange: reading.outOfRange,
    actionTaken,
    correctedByKey: actor.key,
    correctedByName: actor.name,
    correctedAt: ctx.now.toJSDate(),
    correctionReason: reason,
  });
  if (!corrected) {
    const now = await getCheckReadingByNumber(db, officeId, row.number);
    return now
      ? describeStale(now, key.revision, reading.values, reason, ctx)
      : refusal(`That reading is no longer in the log. ${NOTHING_SAVED}`);
  }
  const reference = formatCheckReference(corrected);
  await createAuditEntry(db, {
    officeId,
    actor,
    action: 'check.corrected',
    entity: reference,
    detail: {
      check: check.id,
      slot: formatSlotKey(slot),
      revision: corrected.revision,
      from: { values: auditValues(row.values), outOfRange: row.outOfRange, actionTaken: row.actionTaken },
      to: { values: auditValues(corrected.values), outOfRange: corrected.outOfRange, actionTaken },
      reason,
    },
  });
  const effects = await redrawCards(check, slot, buildSettledCard(check, slot, corrected, zone), ctx);
  // Managers hear of a reading that is out of range only now, as they would have had it been saved so.
  const managers = listManagers(ctx.office).filter((member) => staffKey(member) !== actor.key);
  const newlyOut = corrected.outOfRange && !row.outOfRange;
  if (newlyOut) {
    const alert = buildManagerAlert(check, slot, corrected, zone);
    for (const member of managers)
      for (const to of listRecipients(member)) effects.push({ kind: 'dm', to, message: alert });
  }
  const told = newlyOut ? managers.map((member) => member.name) : [];
  return { reply: buildCorrectedReply(check, slot, row, corrected, told, zone), effects };
}

/**
 * The reading changed since the form opened. The same person's same correction landing twice (a double
 * submit) is answered as saved; anything else is refused with what the log says now.
 */
function describeStale(
  row: CheckReadingRow,
  revision: number,
  values: readonly CheckValue[],
  reason: string,
  ctx: HandlerContext,
): Outcome {
  const check = findCheck(ctx.office, row.checkId);
  const now = check ? describeValues(row.values, check) : row.values.map((value) => value.value).join('; ');
  const reference = formatCheckReference(row);
  if (
    row.revision === revision + 1 &&
    row.correctedByKey === ctx.actor.key &&
    row.correctionReason === reason &&
    sameValues(row.values, values)
  )
    return refusal(`${reference} is already corrected to ${now}. Saved once.`);
  const at = row.correctedAt ? DateTime.fromJSDate(row.correctedAt).setZone(ctx.zone).toFormat('h:mm a') : '';
  return refusal(
    `${reference} was corrected meanwhile by ${row.correctedByName ?? 'someone'}${at ? ` at ${at}` : ''}; it now says ${now}. ${NOTHING_SAVED}`,
    `To change it again, type /checks correct ${reference}.`,
  );
}
