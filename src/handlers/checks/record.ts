import { z } from 'zod';
import type { CheckConfig } from '../../config/office.ts';
import { createAuditEntry } from '../../db/repositories/audit.ts';
import { createCheckReading, getCheckReading } from '../../db/repositories/checks.ts';
import {
  type CheckSlot,
  formatSlotKey,
  listCheckCandidates,
  listCheckSlots,
  parseSlotKey,
  readCheckReading,
} from '../../domain/checks.ts';
import { formatDay, getOfficeDay } from '../../domain/dates.ts';
import { listManagers, staffKey } from '../../domain/people.ts';
import type { HandlerContext } from '../kernel/context.ts';
import { clip, NOTHING_SAVED, refusal } from '../kernel/copy.ts';
import { listRecipients } from '../kernel/jobs.ts';
import type { Effect, Message, Outcome, Recipient } from '../kernel/message.ts';
import { redrawSentCards } from '../kernel/sent-cards.ts';
import {
  buildManagerAlert,
  buildPassedCard,
  buildReadingForm,
  buildRecordedReply,
  buildSettledCard,
  describeRecorded,
  describeSlot,
  fieldInputId,
  formatCheckReference,
  formatSlotTime,
} from './card.ts';
import { correctButton } from './correction-card.ts';
import { findCheck, listChecks } from './loaders.ts';
import { explainCannotCorrect } from './may-correct.ts';

type Found = { ok: true; check: CheckConfig; slots: CheckSlot[] } | { ok: false; message: string };

/** The key of the prompt or reminder one person got for a slot, so recording it can redraw them. */
export function slotCardKey(slotKey: string, kind: 'prompt' | 'reminder', to: Recipient): string {
  return `checks/${slotKey}/${kind}/${to.platform}/${to.userId}`;
}

/** `fridge (Vaccine fridge), doors (Door log)`: what a person may write instead of an unknown id. */
function describeCheckIds(ctx: HandlerContext): string {
  const checks = listChecks(ctx.office);
  return checks.length > 0
    ? `The checks are: ${checks.map((check) => `${check.id} (${check.name})`).join(', ')}.`
    : 'This office has no checks set up.';
}

/** A check by id and its slots today; a check that is unknown or not due today is a clear refusal. */
function findTodaysCheck(checkId: string, ctx: HandlerContext): Found {
  const check = findCheck(ctx.office, checkId);
  if (!check)
    return { ok: false, message: `"${clip(checkId, 30)}" is not a check here. ${describeCheckIds(ctx)}` };
  const today = getOfficeDay(ctx.now, ctx.zone);
  const slots = listCheckSlots(check, today, ctx.office);
  if (slots.length === 0)
    return {
      ok: false,
      message: `${check.name} is not due today (${formatDay(today, ctx.zone)}), so there is nothing to record.`,
    };
  return { ok: true, check, slots };
}

/** Today's slots of a check still not recorded, with the readings of the others. */
async function findOpenSlots(check: CheckConfig, slots: readonly CheckSlot[], ctx: HandlerContext) {
  const readings = await Promise.all(
    slots.map((slot) =>
      getCheckReading(ctx.db, {
        officeId: ctx.officeId,
        checkId: check.id,
        day: slot.day,
        dueTime: slot.time,
      }),
    ),
  );
  return slots.filter((_slot, index) => readings[index] === undefined);
}

/** The slot a form opens on when none is named: the latest one already due, else the next one. */
function chooseDefaultSlot(open: readonly CheckSlot[], ctx: HandlerContext): CheckSlot | undefined {
  const due = open.filter((slot) => slot.dueAt <= ctx.now);
  return due.at(-1) ?? open[0];
}

/** Opens the form for a check today, on `time` when given (`08:00`), else on the slot due now. */
async function openForm(
  checkId: string,
  time: string | undefined,
  ctx: HandlerContext,
  when: string,
): Promise<Outcome> {
  const found = findTodaysCheck(checkId, ctx);
  if (!found.ok) return refusal(`${found.message} ${NOTHING_SAVED}`);
  const { check, slots } = found;
  const times = slots.map((slot) => formatSlotTime(slot, ctx.zone)).join(', ');
  const named = time === undefined ? undefined : slots.find((slot) => slot.time === time);
  if (time !== undefined && !named)
    return refusal(
      `${check.name} is not due at ${clip(time, 10)} today; today it is due at ${times}. ${NOTHING_SAVED}`,
    );
  const open = await findOpenSlots(check, slots, ctx);
  if (named && !open.includes(named)) return describeAlreadyRecorded(check, named, ctx);
  const chosen = named ?? chooseDefaultSlot(open, ctx);
  if (!chosen)
    return refusal(`Every ${check.name} check today (${times}) is already recorded. ${NOTHING_SAVED}`, when);
  return { form: buildReadingForm(check, open, chosen, ctx.zone), effects: [] };
}

async function describeAlreadyRecorded(
  check: CheckConfig,
  slot: CheckSlot,
  ctx: HandlerContext,
): Promise<Outcome> {
  const row = await getCheckReading(ctx.db, {
    officeId: ctx.officeId,
    checkId: check.id,
    day: slot.day,
    dueTime: slot.time,
  });
  const who = row ? ` ${describeRecorded(row, ctx.zone)}.` : '';
  const refused = refusal(
    `${describeSlot(check, slot, ctx.zone)} is already recorded.${who} ${NOTHING_SAVED}`,
  );
  if (!row || explainCannotCorrect(row, ctx) || !refused.reply) return refused;
  return {
    ...refused,
    reply: {
      ...refused.reply,
      lines: [...(refused.reply.lines ?? []), 'A mistake in it? Press Correct: the log keeps both.'],
      buttons: [correctButton(row)],
    },
  };
}

/** `08:00` or `8:00` → `08:00`; undefined for anything else. */
function readClock(text: string): string | undefined {
  const match = /^(\d{1,2}):(\d{2})$/.exec(text.trim());
  if (!match?.[1] || !match[2]) return undefined;
  const hour = Number(match[1]);
  const minute = Number(match[2]);
  return hour < 24 && minute < 60 ? `${String(hour).padStart(2, '0')}:${match[2]}` : undefined;
}

const RECORD_HINT =
  'Write it like /checks record fridge or /checks record fridge 16:30, or press Record under /checks.';

/** `/checks record fridge [16:30]`: the form for one of today’s checks. */
export async function recordCommand(rest: string, ctx: HandlerContext): Promise<Outcome> {
  const [checkId = '', time] = rest.split(/\s+/).filter(Boolean);
  if (!checkId) return refusal(`Say which check to record. ${describeCheckIds(ctx)}`, RECORD_HINT);
  const clock = time === undefined ? undefined : readClock(time);
  if (time !== undefined && !clock)
    return refusal(`"${clip(time, 10)}" is not a time I can read. ${NOTHING_SAVED}`, RECORD_HINT);
  return openForm(checkId, clock, ctx, RECORD_HINT);
}

const slotValueSchema = z.string().transform((value, issue) => {
  const slot = parseSlotKey(value);
  if (!slot) issue.addIssue({ code: 'custom', message: 'not a slot' });
  return slot ?? z.NEVER;
});

/** `Record` on the list or on a prompt: the form for that check time, if it is today’s. */
export async function pressRecord(value: string, ctx: HandlerContext): Promise<Outcome> {
  const parsed = slotValueSchema.safeParse(value);
  if (!parsed.success)
    return refusal(`That button no longer names a check. Type /checks to see today’s. ${NOTHING_SAVED}`);
  const { checkId, day, time } = parsed.data;
  const today = getOfficeDay(ctx.now, ctx.zone);
  const check = findCheck(ctx.office, checkId);
  if (check && day !== today) {
    const refused = refusal(
      `That button is for ${check.name} on ${formatDay(day, ctx.zone)}, which is not today: only today’s checks can be recorded. Type /checks to see today’s. ${NOTHING_SAVED}`,
    );
    // The card pressed, and the day's other prompts and reminders, lose the button that cannot be used.
    const slot = listCheckSlots(check, day, ctx.office).find((candidate) => candidate.time === time);
    if (!slot) return refused;
    const reading = await getCheckReading(ctx.db, { officeId: ctx.officeId, checkId, day, dueTime: time });
    const message = reading
      ? buildSettledCard(check, slot, reading, ctx.zone)
      : buildPassedCard(check, slot, ctx.zone);
    return { ...refused, effects: await redrawCards(check, slot, message, ctx) };
  }
  return openForm(checkId, time, ctx, 'Type /checks to see today’s checks.');
}

/**
 * A submitted reading: today’s check, every value read, "action taken" given when a value is out of range,
 * and the slot not recorded by anyone yet. Stored once with an audit row; the managers get a direct message
 * at once when a value is out of range.
 */
export async function submitReading(
  values: Record<string, string>,
  metadata: string | undefined,
  ctx: HandlerContext,
): Promise<Outcome> {
  const slotKey = parseSlotKey(metadata ?? '');
  const typed = values;
  if (!slotKey)
    return refusal(`That form no longer names a check. Type /checks to start again. ${NOTHING_SAVED}`);
  const today = getOfficeDay(ctx.now, ctx.zone);
  const found = findTodaysCheck(slotKey.checkId, ctx);
  if (!found.ok) return refusal(`${found.message} ${NOTHING_SAVED}`);
  if (slotKey.day !== today)
    return refusal(
      `This form was for ${formatDay(slotKey.day, ctx.zone)}, which is not today: only today’s checks can be recorded. Type /checks to start again. ${NOTHING_SAVED}`,
    );
  const { check, slots } = found;
  const time = typed.time?.trim() || slotKey.time;
  const slot = slots.find((candidate) => candidate.time === time);
  if (!slot) return { formErrors: { time: `Choose one of today’s times.` }, effects: [] };
  const answers = Object.fromEntries(
    check.fields.map((field) => [field.id, typed[fieldInputId(field)] ?? '']),
  );
  const reading = readCheckReading(check, answers, typed.action ?? '');
  if (!reading.ok) {
    const formErrors: Record<string, string> = {};
    for (const [id, message] of Object.entries(reading.errors))
      formErrors[id === 'action' ? 'action' : fieldInputId({ id })] = message;
    return { formErrors, effects: [] };
  }
  const { actor, db, officeId, zone } = ctx;
  const row = await createCheckReading(db, {
    officeId,
    checkId: check.id,
    checkName: check.name,
    day: slot.day,
    dueTime: slot.time,
    values: reading.values,
    outOfRange: reading.outOfRange,
    actionTaken: reading.actionTaken ?? null,
    recordedByKey: actor.key,
    recordedByName: actor.name,
    recordedByPlatform: actor.platform,
    recordedAt: ctx.now.toJSDate(),
  });
  if (!row) {
    // Where the form offered a choice of times and another is still open, it stays open to choose that one.
    const open = typed.time ? await findOpenSlots(check, slots, ctx) : [];
    if (open.length === 0) return describeAlreadyRecorded(check, slot, ctx);
    const times = open.map((candidate) => formatSlotTime(candidate, zone)).join(' or ');
    return {
      formErrors: {
        time: `${formatSlotTime(slot, zone)} is already recorded; choose ${times}.`,
      },
      effects: [],
    };
  }
  const reference = formatCheckReference(row);
  await createAuditEntry(db, {
    officeId,
    actor,
    action: 'check.recorded',
    entity: reference,
    detail: {
      check: check.id,
      slot: formatSlotKey(slot),
      outOfRange: reading.values.filter((value) => value.outOfRange).map((value) => value.fieldId),
      actionTaken: reading.actionTaken !== undefined,
    },
  });
  const effects = await redrawCards(check, slot, buildSettledCard(check, slot, row, zone), ctx);
  const managers = listManagers(ctx.office).filter((member) => staffKey(member) !== actor.key);
  if (row.outOfRange) {
    const alert = buildManagerAlert(check, slot, row, zone);
    for (const member of managers)
      for (const to of listRecipients(member)) effects.push({ kind: 'dm', to, message: alert });
  }
  const told = row.outOfRange ? managers.map((member) => member.name) : [];
  return { reply: buildRecordedReply(check, slot, row, told, zone), effects };
}

/**
 * The slot's prompts and reminders that were sent, redrawn as `message` reads: those of everyone the check could
 * have been asked of, since the one asked may have called out since and another been asked after them.
 */
export async function redrawCards(
  check: CheckConfig,
  slot: CheckSlot,
  message: Message,
  ctx: HandlerContext,
): Promise<Effect[]> {
  const key = formatSlotKey(slot);
  const cards = listCheckCandidates(check, ctx.office)
    .flatMap(listRecipients)
    .flatMap((to) =>
      (['prompt', 'reminder'] as const).map((kind) => ({ to, cardKey: slotCardKey(key, kind, to) })),
    );
  return redrawSentCards(ctx, cards, message);
}
