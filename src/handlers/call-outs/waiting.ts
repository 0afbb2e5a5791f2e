import { DateTime } from 'luxon';
import type { OfficeConfig } from '../../config/office.ts';
import { type CallOutRow, listCoverOffersWaiting } from '../../db/repositories/call-outs.ts';
import { getOfficeDay } from '../../domain/dates.ts';
import { findStaffByKey } from '../../domain/people.ts';
import type { PendingLoader } from '../kernel/digest.ts';
import type { HomeLoader } from '../kernel/feature.ts';
import { describeMoreWaiting, HOME_CARDS } from '../kernel/home-cards.ts';
import { listRecipients } from '../kernel/jobs.ts';
import type { Message, Recipient } from '../kernel/message.ts';
import { buildConfirmCard, describeCallOutWhen, formatCallOutReference } from './card.ts';

/** Where a cover offer is confirmed: each manager's `Confirm cover` card, sent to them directly. */
export const CONFIRM_COVER_AT = 'Confirm each cover offer on its card in your direct messages.';

/** Who offered, reached where the call-out came from, for the reminder that their offer still waits. */
function reachVolunteer(row: CallOutRow, office: Pick<OfficeConfig, 'staff'>): Recipient {
  const member = row.coverKey ? findStaffByKey(office, row.coverKey) : undefined;
  const recipients = member ? listRecipients(member) : [];
  return (
    recipients.find((to) => to.platform === row.personPlatform) ??
    recipients[0] ?? { platform: row.personPlatform, userId: row.personUserId }
  );
}

/**
 * The offers of cover waiting for a manager's `Confirm cover`, as decisions waiting: the huddle lists them (it
 * is posted in a channel, so never the kind of call-out or its reason) and the reminders chase them. An offer
 * for a day that has passed can no longer be confirmed, so it stops waiting after that day.
 */
export const listCoverOffers: PendingLoader = async ({ db, office }) => {
  const zone = office.office.timezone;
  const rows = await listCoverOffersWaiting(db, office.office.id);
  return rows.map((row) => ({
    reference: formatCallOutReference(row),
    summary: `Cover for ${row.personName}, ${describeCallOutWhen(row, zone)}: ${row.coverName} offered — Confirm cover on its card`,
    filedAt: DateTime.fromJSDate(row.coverOfferedAt ?? row.createdAt).setZone(zone),
    lastDay: row.day,
    decidedAt: CONFIRM_COVER_AT,
    requester: reachVolunteer(row, office),
  }));
};

/** Home (managers): each offer of cover still waiting, with its `Confirm cover`, as the card they were sent. */
export const coverOffersHome: HomeLoader = async ({ db, office, person, now }) => {
  if (!person.isManager) return [];
  const zone = office.office.timezone;
  const rows = await listCoverOffersWaiting(db, office.office.id, getOfficeDay(now, zone));
  const messages: Message[] = rows.slice(0, HOME_CARDS).map((row) => buildConfirmCard(row, zone));
  return [...messages, ...describeMoreWaiting('Cover offers', rows.length)];
};
