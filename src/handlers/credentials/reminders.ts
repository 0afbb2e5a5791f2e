import type { OfficeConfig } from '../../config/office.ts';
import { loadCredentialsInForce } from '../../db/repositories/credentials.ts';
import {
  type Credential,
  findDueReminder,
  hasLapsed,
  isHeldByCurrentHolder,
} from '../../domain/credentials.ts';
import { addDays, formatDayWithYear, getOfficeDay } from '../../domain/dates.ts';
import { listManagers, staffKey } from '../../domain/people.ts';
import { atOfficeTime } from '../../domain/schedule.ts';
import type { DataDrivenJob, DueRun } from '../kernel/jobs.ts';
import { listRecipients } from '../kernel/jobs.ts';
import type { Effect, Recipient } from '../kernel/message.ts';
import { describeExpiry } from './card.ts';
import { listCredentialRecipients } from './intake.ts';

// Managers hear of a person's credential from this many days before it expires.
const MANAGERS_FROM_DAYS = 30;
// A lapse is told once, within a week of it: older lapses are records caught up on, not news.
const LAPSE_NEWS_DAYS = 7;

/** A credential's stable name in run keys: its reference, or its place in office.yaml. */
function credentialKey(credential: Credential): string {
  return credential.reference ?? `yaml:${credential.holderKey}:${credential.kind ?? credential.name}`;
}

function managerRecipients(office: OfficeConfig): Recipient[] {
  return listManagers(office).flatMap((manager) => listRecipients(manager));
}

/**
 * Reminders before a credential expires, at each of `credentials.remindDays` (to the holder, or the managers
 * for the practice's items; managers too from 30 days), and one notice to the managers and the holder the day
 * it lapses. Each is its own run (`CR-4/2027-03-31/30`, `CR-4/2027-03-31/lapsed`), sent once across processes
 * at `reminders.time`; a renewal changes the expiry, so the new date's reminders come in their turn. A removed
 * credential, or one of someone no longer on the staff list, has none.
 */
export const credentialRemindersJob: DataDrivenJob = {
  name: 'credential-reminders',
  async listDueRuns({ db, office, now }) {
    const zone = office.office.timezone;
    const today = getOfficeDay(now, zone);
    const sendAt = atOfficeTime(today, office.reminders.time, zone);
    if (now < sendAt) return [];
    const late = now.diff(sendAt, 'minutes').minutes > 2;
    const due: DueRun[] = [];
    for (const credential of await loadCredentialsInForce(db, office)) {
      // Someone who left is reminded of nothing, and the managers are not told of their lapses.
      if (!isHeldByCurrentHolder(credential, office)) continue;
      const key = `${credentialKey(credential)}/${credential.expires}`;
      const days = findDueReminder(credential, today, office.credentials.remindDays);
      if (days !== undefined) due.push({ runKey: `${key}/${days}`, scheduledAt: sendAt, late });
      if (hasLapsed(credential, today) && today <= addDays(credential.expires, LAPSE_NEWS_DAYS))
        due.push({ runKey: `${key}/lapsed`, scheduledAt: sendAt, late });
    }
    return due;
  },
  async run({ db, office, now }, due) {
    const zone = office.office.timezone;
    const today = getOfficeDay(now, zone);
    const credential = (await loadCredentialsInForce(db, office)).find((candidate) =>
      due.runKey.startsWith(`${credentialKey(candidate)}/${candidate.expires}/`),
    );
    // Renewed, removed or its holder gone between listing and claiming: the claim stands, and nobody is told.
    if (!credential || !isHeldByCurrentHolder(credential, office)) return [];
    const lapsed = due.runKey.endsWith('/lapsed');
    const days = Number(due.runKey.split('/').at(-1));
    const reference = credential.reference ? ` (${credential.reference})` : '';
    const expiry = describeExpiry(credential, today, zone);
    const holder = listCredentialRecipients(credential.holderKey, office);
    const toManagers = lapsed || days <= MANAGERS_FROM_DAYS || credential.holderKey === 'practice';
    const managers = toManagers ? managerRecipients(office) : [];
    const ownText = lapsed
      ? `Your ${credential.name}${reference} has lapsed: it was valid through ${formatDayWithYear(credential.expires, zone)}. Until it is renewed you do not count toward coverage of a role that needs it. Renew it and tell a manager.`
      : `Reminder: your ${credential.name}${reference} ${expiry}. Renew it and tell a manager, who records it with /creds renew.`;
    const managerText = lapsed
      ? `${credential.holderName}'s ${credential.name}${reference} lapsed on ${formatDayWithYear(addDays(credential.expires, 1), zone)}; ${credential.holderName === 'The practice' ? 'renew it' : 'they do not count toward coverage of a role that needs it until it is renewed'}.`
      : `${credential.holderName}'s ${credential.name}${reference} ${expiry}.`;
    const isHolder = (to: Recipient) =>
      holder.some((own) => own.platform === to.platform && own.userId === to.userId);
    const member = office.staff.find((candidate) => staffKey(candidate) === credential.holderKey);
    const effects: Effect[] = [];
    if (member) for (const to of holder) effects.push({ kind: 'dm', to, message: { text: ownText } });
    for (const to of managers)
      if (!member || !isHolder(to)) effects.push({ kind: 'dm', to, message: { text: managerText } });
    return effects;
  },
};
