import { type Credential, hasLapsed } from '../../domain/credentials.ts';
import { addDays, formatDayWithYear, type IsoDay, listDays } from '../../domain/dates.ts';

/** `expires Thu Dec 10, 2026 (in 10 days)`, `⚠️ lapsed Tue Nov 24, 2026`. */
export function describeExpiry(credential: Pick<Credential, 'expires'>, today: IsoDay, zone: string): string {
  const day = formatDayWithYear(credential.expires, zone);
  if (hasLapsed(credential, today))
    return `⚠️ lapsed ${formatDayWithYear(addDays(credential.expires, 1), zone)}`;
  const left = listDays(today, credential.expires).length - 1;
  const when = left === 0 ? 'today is the last day' : `in ${left} day${left === 1 ? '' : 's'}`;
  return `expires ${day} (${when})`;
}

/**
 * One line for a credential: reference, holder, name and expiry; its number only when `showNumber` (a
 * manager, or the holder).
 */
export function describeCredential(
  credential: Credential,
  today: IsoDay,
  zone: string,
  showNumber: boolean,
): string {
  const reference = credential.reference ?? 'office.yaml';
  const number = showNumber && credential.number ? ` · no. ${credential.number}` : '';
  return `${reference} · ${credential.holderName} · ${credential.name}${number} · ${describeExpiry(credential, today, zone)}`;
}
