import type { DateTime } from 'luxon';
import type { CheckConfig, OfficeConfig } from '../../config/office.ts';
import type { Db } from '../../db/client.ts';
import { getCheckReading } from '../../db/repositories/checks.ts';
import { type CheckSlot, formatSlotKey, listCheckSlots, parseSlotKey } from '../../domain/checks.ts';
import { getOfficeDay } from '../../domain/dates.ts';
import { listManagers } from '../../domain/people.ts';
import type { DataDrivenJob, DueRun, JobContext } from '../kernel/jobs.ts';
import { listRecipients } from '../kernel/jobs.ts';
import type { Effect, Message } from '../kernel/message.ts';
import { buildPromptCard, buildReminderCard } from './card.ts';
import { findCheck, loadAssignee, loadSlotStates } from './loaders.ts';
import { slotCardKey } from './record.ts';

/** A run that starts more than two minutes after its time says it is late. */
const LATE_MINUTES = 2;

/** Today's slots not recorded yet whose `at` (due or remind) has come, as due runs keyed by slot. */
async function listUnrecordedDue(
  { db, office, now }: JobContext,
  at: (slot: CheckSlot) => DateTime,
  until?: (slot: CheckSlot) => DateTime,
): Promise<DueRun[]> {
  const today = getOfficeDay(now, office.office.timezone);
  const states = await loadSlotStates(db, office, [today]);
  return states
    .filter(({ slot, reading }) => !reading && at(slot) <= now && (until === undefined || now < until(slot)))
    .map(({ slot }) => ({
      runKey: formatSlotKey(slot),
      scheduledAt: at(slot),
      late: now.diff(at(slot), 'minutes').minutes > LATE_MINUTES,
    }));
}

/** The check and slot a run key names, while it is still a slot of today and not recorded. */
async function findOpenSlot(
  db: Db,
  office: OfficeConfig,
  runKey: string,
): Promise<{ check: CheckConfig; slot: CheckSlot } | undefined> {
  const key = parseSlotKey(runKey);
  const check = key ? findCheck(office, key.checkId) : undefined;
  const slot =
    key && check ? listCheckSlots(check, key.day, office).find((one) => one.time === key.time) : undefined;
  if (!check || !slot) return undefined;
  const reading = await getCheckReading(db, {
    officeId: office.office.id,
    checkId: check.id,
    day: slot.day,
    dueTime: slot.time,
  });
  return reading ? undefined : { check, slot };
}

/** The card to the slot's assignee, or, when nobody is at work to do it, a word to every manager. */
async function sendToAssignee(
  ctx: JobContext,
  runKey: string,
  kind: 'prompt' | 'reminder',
  build: (check: CheckConfig, slot: CheckSlot) => Message,
): Promise<Effect[]> {
  const open = await findOpenSlot(ctx.db, ctx.office, runKey);
  // Recorded (early, or by someone else) or taken out of the config between listing and claiming: nobody is told.
  if (!open) return [];
  const { check, slot } = open;
  const assignee = await loadAssignee(ctx.db, ctx.office, check, slot);
  if (assignee)
    return listRecipients(assignee).map(
      (to): Effect => ({
        kind: 'dm',
        to,
        message: build(check, slot),
        cardKey: slotCardKey(runKey, kind, to),
      }),
    );
  const message = build(check, slot);
  const text = `Nobody is at work to do this check: ${message.text}`;
  return listManagers(ctx.office)
    .flatMap((member) => listRecipients(member))
    .map(
      (to): Effect => ({
        kind: 'dm',
        to,
        message: { ...message, text, lines: [text, ...(message.lines ?? [])] },
      }),
    );
}

/**
 * At each check time, the assignee gets the card with `Record`, once across processes (run key
 * `fridge/2026-11-30/08:00`). A process that was down catches up until the reminder is due, and says it is late.
 */
export const checkPromptJob: DataDrivenJob = {
  name: 'check-prompts',
  listDueRuns: (ctx) =>
    listUnrecordedDue(
      ctx,
      (slot) => slot.dueAt,
      (slot) => slot.remindAt,
    ),
  run: (ctx, due) =>
    sendToAssignee(ctx, due.runKey, 'prompt', (check, slot) =>
      buildPromptCard(check, slot, ctx.office.office.timezone, due),
    ),
};

/** A check still not recorded `graceMinutes` after its time: one reminder to the assignee, once across processes. */
export const checkReminderJob: DataDrivenJob = {
  name: 'check-reminders',
  listDueRuns: (ctx) => listUnrecordedDue(ctx, (slot) => slot.remindAt),
  run: (ctx, due) =>
    sendToAssignee(ctx, due.runKey, 'reminder', (check, slot) =>
      buildReminderCard(check, slot, ctx.office.office.timezone),
    ),
};
