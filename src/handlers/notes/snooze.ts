import { createAuditEntry } from '../../db/repositories/audit.ts';
import { snoozeNote } from '../../db/repositories/notes.ts';
import { addDays, formatDay, getOfficeDay, isBareWeekday } from '../../domain/dates.ts';
import { readDueDay } from '../../domain/notes.ts';
import { toOneLine } from '../../domain/visible-text.ts';
import type { HandlerContext } from '../kernel/context.ts';
import { NOTHING_CHANGED, refusal } from '../kernel/copy.ts';
import type { Outcome } from '../kernel/message.ts';
import { findOwnNote } from './loaders.ts';

const EXAMPLE = '/note snooze FU-3 mon';

/** `/note snooze FU-3 mon`: moves the writer's own open follow-up to another day, today or later. */
export async function snooze(text: string, ctx: HandlerContext): Promise<Outcome> {
  const [referenceText = '', ...rest] = text.trim().split(/\s+/);
  const found = await findOwnNote(referenceText, ctx, EXAMPLE);
  if (!found.ok) return found.outcome;
  const { row, reference } = found;
  if (row.status !== 'open') return refusal(`${reference} is already done. ${NOTHING_CHANGED}`);
  const typed = rest.join(' ');
  const read = readDueDay(typed, ctx.now, ctx.zone);
  if (!read?.ok)
    return refusal(`${read?.message ?? 'Say until when.'} ${NOTHING_CHANGED}`, `Write it like ${EXAMPLE}.`);
  // A snooze puts a note off: `mon` said on a Monday means next Monday, never today.
  const today = getOfficeDay(ctx.now, ctx.zone);
  const due = read.due === today && isBareWeekday(typed) ? addDays(today, 7) : read.due;
  const moved = await snoozeNote(ctx.db, { id: row.id, due });
  if (!moved) return refusal(`${reference} is already done. ${NOTHING_CHANGED}`);
  await createAuditEntry(ctx.db, {
    officeId: ctx.officeId,
    actor: ctx.actor,
    action: 'note.snoozed',
    entity: reference,
    detail: { from: row.due, to: moved.due },
  });
  return {
    reply: { text: `${reference} is now due ${formatDay(due, ctx.zone)}: ${toOneLine(row.text)}` },
    confidentialReply: true,
    changesOwnHome: true,
    effects: [],
  };
}
