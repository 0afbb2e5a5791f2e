import { listAbsencesBetween } from '../../db/repositories/absences.ts';
import { chooseCheckAssignee, formatSlotKey } from '../../domain/checks.ts';
import { formatDay, getOfficeDay } from '../../domain/dates.ts';
import type { HandlerContext } from '../kernel/context.ts';
import type { Button, Outcome } from '../kernel/message.ts';
import { replyOnly } from '../kernel/message.ts';
import {
  describeCorrection,
  describeRecorded,
  describeValue,
  formatCheckReference,
  formatSlotTime,
} from './card.ts';
import { correctButton } from './correction-card.ts';
import { CHECK_ACTIONS } from './ids.ts';
import { listChecks, loadSlotStates, type SlotState } from './loaders.ts';
import { explainCannotCorrect } from './may-correct.ts';

// Beyond these, the reading is corrected by typing its reference (the list's last line says how).
const CORRECT_BUTTONS = 5;

/** One slot as a line: done (with who and when, out of range in red), missed, or due and whose it is. */
function describeState(state: SlotState, assignee: string | undefined, ctx: HandlerContext): string {
  const { check, slot, reading } = state;
  const head = `${check.name} · ${formatSlotTime(slot, ctx.zone)}`;
  if (reading) {
    const values = reading.values.map((value) => describeValue(value, check)).join('; ');
    const correction = describeCorrection(reading, check, ctx.zone);
    return `${reading.outOfRange ? '🔴' : '✅'} ${head} · ${values} · ${describeRecorded(reading, ctx.zone)}${correction ? ` · ${correction}` : ''}`;
  }
  const whose = assignee ? ` · ${assignee}` : ' · nobody at work to do it';
  if (slot.remindAt <= ctx.now) return `⚠️ ${head} · missed: not recorded${whose}`;
  return `⏳ ${head} · ${slot.dueAt <= ctx.now ? 'due now' : 'to do'}${whose}`;
}

/**
 * `/checks`: today's checks, each time with whether it is done, a `Record` button on each check with a
 * time still open (it opens on the time due now, or the next; the form lets the person pick another), and
 * a `Correct` button on each of today's readings the person may correct.
 */
export async function listToday(ctx: HandlerContext): Promise<Outcome> {
  const today = getOfficeDay(ctx.now, ctx.zone);
  const title = `Checks today — ${formatDay(today, ctx.zone)}`;
  if (listChecks(ctx.office).length === 0)
    return replyOnly({
      text: 'No checks are set up',
      lines: ['This office has no recurring checks. A manager adds them under checks: in office.yaml.'],
    });
  const [states, absences] = await Promise.all([
    loadSlotStates(ctx.db, ctx.office, [today]),
    listAbsencesBetween(ctx.db, ctx.office, today, today).then((found) => found.absences),
  ]);
  if (states.length === 0)
    return replyOnly({ text: `${title}: none due`, title, lines: ['No checks are due today.'] });
  const lines = states.map((state) =>
    describeState(
      state,
      chooseCheckAssignee(state.check, state.slot.day, state.slot.time, ctx.office, absences)?.name,
      ctx,
    ),
  );
  const open = new Map<string, SlotState[]>();
  for (const state of states)
    if (!state.reading) open.set(state.check.id, [...(open.get(state.check.id) ?? []), state]);
  const buttons: Button[] = [...open.values()].flatMap((slots) => {
    const chosen = slots.filter(({ slot }) => slot.dueAt <= ctx.now).at(-1) ?? slots[0];
    if (!chosen) return [];
    // With one check the button is just "Record"; with several, each says which check it records.
    const label = open.size === 1 ? 'Record' : `Record ${chosen.check.name}`;
    return [{ label, actionId: CHECK_ACTIONS.record, value: formatSlotKey(chosen.slot) }];
  });
  // Today's readings this person may correct, latest first: a typo is usually noticed right after.
  const correctable = states
    .flatMap((state) => (state.reading && !explainCannotCorrect(state.reading, ctx) ? [state.reading] : []))
    .reverse()
    .slice(0, CORRECT_BUTTONS);
  for (const reading of correctable)
    buttons.push(correctButton(reading, `Correct ${formatCheckReference(reading)}`));
  const done = states.filter((state) => state.reading).length;
  return replyOnly({
    text: `${title}: ${done} of ${states.length} recorded`,
    title,
    lines: [
      ...lines,
      'A check may be recorded early, or by someone else; who recorded it is kept. To fix a mistake in a saved one, type /checks correct and its CK number.',
    ],
    buttons,
  });
}
