import { loadCredentialsInForce } from '../../db/repositories/credentials.ts';
import { getOfficeDay } from '../../domain/dates.ts';
import type { HomeLoader } from '../kernel/feature.ts';
import { describeCredential } from './card.ts';

/** Home: the person's own credentials and when they expire. */
export const credentialsHome: HomeLoader = async ({ db, office, person, now }) => {
  const today = getOfficeDay(now, office.office.timezone);
  const mine = (await loadCredentialsInForce(db, office))
    .filter((credential) => credential.holderKey === person.key)
    .sort((a, b) => a.expires.localeCompare(b.expires));
  if (mine.length === 0) return [];
  return [
    {
      text: `Your credentials: ${mine.length}`,
      title: 'Your credentials',
      lines: mine.map((credential) => describeCredential(credential, today, office.office.timezone, true)),
    },
  ];
};
