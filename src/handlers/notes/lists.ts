import { getOfficeDay } from '../../domain/dates.ts';
import type { HandlerContext } from '../kernel/context.ts';
import type { Outcome } from '../kernel/message.ts';
import { buildNotesList } from './card.ts';
import { loadOpenNotes } from './loaders.ts';

/** `/note list`: the person's own open follow-ups, due first. */
export async function listNotes(ctx: HandlerContext): Promise<Outcome> {
  const notes = await loadOpenNotes(ctx.db, ctx.officeId, ctx.actor.key);
  return {
    reply: buildNotesList(notes, getOfficeDay(ctx.now, ctx.zone), ctx.zone),
    confidentialReply: true,
    effects: [],
  };
}
