import { z } from 'zod';
import type { OfficeConfig } from '../../config/office.ts';
import type { Db } from '../../db/client.ts';
import { getNote, listOpenNotes, type NoteRow, toNote } from '../../db/repositories/notes.ts';
import { findStaffByKey } from '../../domain/people.ts';
import { formatReference, parseReference } from '../../domain/references.ts';
import type { HandlerContext } from '../kernel/context.ts';
import { NOTHING_CHANGED, refusal } from '../kernel/copy.ts';
import { listRecipients } from '../kernel/jobs.ts';
import type { Outcome, Recipient } from '../kernel/message.ts';
import type { NoteFacts } from './card.ts';

const platformSchema = z.enum(['slack', 'teams', 'sandbox']);

/** A stored note as the cards show it. */
export function toNoteFacts(row: NoteRow): NoteFacts {
  return { ...toNote(row), link: row.link ?? undefined };
}

/** One person's open follow-ups. */
export async function loadOpenNotes(db: Db, officeId: string, writerKey: string): Promise<NoteFacts[]> {
  return (await listOpenNotes(db, officeId, writerKey)).map(toNoteFacts);
}

/** Where the writer of a note is reached: on every platform for staff, else where they wrote it. */
export function listWriterRecipients(row: NoteRow, office: OfficeConfig): Recipient[] {
  const member = findStaffByKey(office, row.writerKey);
  if (member) return listRecipients(member);
  const platform = platformSchema.safeParse(row.platform);
  return platform.success ? [{ platform: platform.data, userId: row.userId }] : [];
}

/**
 * The actor's own note by its reference (`FU-3`), or the refusal to give: someone else's note is answered
 * exactly like one that does not exist, so nobody learns what another person keeps.
 */
export async function findOwnNote(
  text: string,
  ctx: HandlerContext,
  example: string,
): Promise<{ ok: true; row: NoteRow; reference: string } | { ok: false; outcome: Outcome }> {
  const number = parseReference(text, 'FU');
  if (number === undefined)
    return { ok: false, outcome: refusal(`Say which follow-up, like ${example}. ${NOTHING_CHANGED}`) };
  const reference = formatReference('FU', number);
  const row = await getNote(ctx.db, ctx.officeId, number);
  if (!row || row.writerKey !== ctx.actor.key)
    return {
      ok: false,
      outcome: refusal(`You have no follow-up ${reference}. ${NOTHING_CHANGED}`, '/note list shows yours.'),
    };
  return { ok: true, row, reference };
}
