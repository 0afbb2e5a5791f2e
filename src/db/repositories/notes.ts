import { and, asc, eq, lte } from 'drizzle-orm';
import type { Note } from '../../domain/notes.ts';
import type { Db } from '../client.ts';
import { notes } from '../schema/index.ts';

export type NoteRow = typeof notes.$inferSelect;

/** Files a follow-up and returns it with its reference number. */
export async function createNote(
  db: Db,
  values: Omit<typeof notes.$inferInsert, 'id' | 'number' | 'status' | 'doneAt'>,
): Promise<NoteRow> {
  const [row] = await db.insert(notes).values(values).returning();
  if (!row) throw new Error('note not stored');
  return row;
}

/** The follow-up with reference number `number` in this office, whoever wrote it. */
export async function getNote(db: Db, officeId: string, number: number): Promise<NoteRow | undefined> {
  const [row] = await db
    .select()
    .from(notes)
    .where(and(eq(notes.officeId, officeId), eq(notes.number, number)));
  return row;
}

/** One writer's open follow-ups, in filing order. */
export function listOpenNotes(db: Db, officeId: string, writerKey: string): Promise<NoteRow[]> {
  return db
    .select()
    .from(notes)
    .where(and(eq(notes.officeId, officeId), eq(notes.writerKey, writerKey), eq(notes.status, 'open')))
    .orderBy(asc(notes.number));
}

/** Every writer's open follow-ups due on or before `day`, soonest first. */
export function listDueNotes(db: Db, officeId: string, day: string): Promise<NoteRow[]> {
  return db
    .select()
    .from(notes)
    .where(and(eq(notes.officeId, officeId), eq(notes.status, 'open'), lte(notes.due, day)))
    .orderBy(asc(notes.due), asc(notes.number));
}

/** Marks an open follow-up done; `undefined` when it was done already (or meanwhile). */
export async function markNoteDone(db: Db, params: { id: number; at: Date }): Promise<NoteRow | undefined> {
  const [row] = await db
    .update(notes)
    .set({ status: 'done', doneAt: params.at })
    .where(and(eq(notes.id, params.id), eq(notes.status, 'open')))
    .returning();
  return row;
}

/** Moves an open follow-up's due day; `undefined` when it is done. */
export async function snoozeNote(db: Db, params: { id: number; due: string }): Promise<NoteRow | undefined> {
  const [row] = await db
    .update(notes)
    .set({ due: params.due })
    .where(and(eq(notes.id, params.id), eq(notes.status, 'open')))
    .returning();
  return row;
}

/** A stored follow-up as the rules see it. */
export function toNote(row: NoteRow): Note {
  return { number: row.number, text: row.text, due: row.due ?? undefined };
}
