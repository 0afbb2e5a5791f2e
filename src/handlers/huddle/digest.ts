import { DateTime } from 'luxon';
import type { OfficeConfig } from '../../config/office.ts';
import type { Db } from '../../db/client.ts';
import { listPendingTimeOffRequests, listTimeOffBetween } from '../../db/repositories/time-off.ts';
import { findNextWorkingDay } from '../../domain/calendar.ts';
import type { IsoDay } from '../../domain/dates.ts';
import { buildHuddleDigest, type HuddleDigest } from '../../domain/digest.ts';
import { formatReference } from '../../domain/references.ts';
import { loadComplaintDigest } from '../complaints/reminders.ts';
import type { Message } from '../kernel/message.ts';
import { loadRepVisitsForDigest } from '../rep-meetings/card.ts';
import { loadSupplyDigest } from '../supplies/card.ts';
import { describeTimeOffDays } from '../time-off/card.ts';

async function loadTimeOffDecisions(db: Db, office: OfficeConfig) {
  const zone = office.office.timezone;
  const pending = await listPendingTimeOffRequests(db, office.office.id);
  return pending.map((row) => ({
    reference: formatReference('TO', row.number),
    summary: `${row.requesterName}: time off ${describeTimeOffDays(row, zone)}`,
    filedAt: DateTime.fromJSDate(row.createdAt).setZone(zone),
    requester: { platform: row.requesterPlatform, userId: row.requesterUserId },
  }));
}

/** Everything waiting for a manager (time off and supplies), oldest first, for the reminders. */
export async function loadWaitingDecisions(db: Db, office: OfficeConfig) {
  const decisions = [
    ...(await loadTimeOffDecisions(db, office)),
    ...(await loadSupplyDigest(db, office)).decisions,
  ];
  return decisions.sort((a, b) => a.filedAt.toMillis() - b.filedAt.toMillis());
}

/** The huddle digest for `day`, from what the database holds now. */
export async function loadHuddleDigest(
  db: Db,
  office: OfficeConfig,
  day: IsoDay,
  now: DateTime,
): Promise<HuddleDigest> {
  const nextWorkingDay = findNextWorkingDay(day, office);
  const approved = await listTimeOffBetween(db, office.office.id, day, nextWorkingDay, ['approved']);
  const supplies = await loadSupplyDigest(db, office);
  const decisions = [...(await loadTimeOffDecisions(db, office)), ...supplies.decisions];
  const complaints = await loadComplaintDigest(db, office, now);
  return buildHuddleDigest({
    day,
    now,
    office,
    absences: approved.map((row) => ({
      name: row.requesterName,
      role: row.requesterRole,
      start: row.startDay,
      end: row.endDay,
      part: row.part,
    })),
    decisions,
    suppliesToOrder: supplies.suppliesToOrder,
    belowPar: supplies.belowPar,
    repVisits: await loadRepVisitsForDigest(db, office, day),
    complaints,
  });
}

/** The digest as a message; a late run says so, so nobody mistakes it for the usual one. */
export function renderHuddleDigest(digest: HuddleDigest, late?: { postedAt: DateTime }): Message {
  const note = late
    ? `Posted late, at ${late.postedAt.toFormat('h:mm a')}: frontdesk was not running at the usual time.`
    : undefined;
  return {
    text: digest.title,
    title: digest.title,
    ...(digest.emptyLine ? { lines: [digest.emptyLine] } : {}),
    sections: digest.sections,
    ...(note ? { note } : {}),
  };
}
