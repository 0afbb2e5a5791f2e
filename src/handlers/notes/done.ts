import { createAuditEntry } from '../../db/repositories/audit.ts';
import { markNoteDone } from '../../db/repositories/notes.ts';
import { formatOfficeTime } from '../../domain/dates.ts';
import { toOneLine } from '../../domain/visible-text.ts';
import type { HandlerContext } from '../kernel/context.ts';
import { NOTHING_CHANGED, refusal } from '../kernel/copy.ts';
import type { Outcome } from '../kernel/message.ts';
import { findOwnNote } from './loaders.ts';

/** `/note done FU-3`: the writer's own open follow-up is done; it leaves the list and the morning message. */
export async function markDone(text: string, ctx: HandlerContext): Promise<Outcome> {
  const found = await findOwnNote(text, ctx, '/note done FU-3');
  if (!found.ok) return found.outcome;
  const { row, reference } = found;
  const done = await markNoteDone(ctx.db, { id: row.id, at: ctx.now.toJSDate() });
  if (!done) {
    const since = row.doneAt ? ` since ${formatOfficeTime(row.doneAt, ctx.zone)}` : '';
    return refusal(`${reference} is already done${since}. ${NOTHING_CHANGED}`);
  }
  await createAuditEntry(ctx.db, {
    officeId: ctx.officeId,
    actor: ctx.actor,
    action: 'note.done',
    entity: reference,
    detail: {},
  });
  return {
    // One line: a note written over several lines must not add lines that pass for the app's own.
    reply: { text: `Done: ${reference} · ${toOneLine(row.text)}` },
    confidentialReply: true,
    changesOwnHome: true,
    effects: [],
  };
}
