import { getOfficeDay } from '../../domain/dates.ts';
import type { HomeLoader } from '../kernel/feature.ts';
import { buildNotesList } from './card.ts';
import { loadOpenNotes } from './loaders.ts';

/** The person's open follow-ups on their home, due first; nobody else's. */
export const notesHome: HomeLoader = async ({ db, office, person, now }) => {
  const zone = office.office.timezone;
  const notes = await loadOpenNotes(db, office.office.id, person.key);
  // Like every part of home, nothing open shows nothing.
  return notes.length === 0 ? [] : [buildNotesList(notes, getOfficeDay(now, zone), zone)];
};
