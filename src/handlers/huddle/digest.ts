import type { DateTime } from 'luxon';
import type { OfficeConfig } from '../../config/office.ts';
import type { Db } from '../../db/client.ts';
import type { IsoDay } from '../../domain/dates.ts';
import { assembleHuddleDigest, type HuddleDigest } from '../../domain/digest.ts';
import type { PendingDecision } from '../kernel/digest.ts';
import type { Feature } from '../kernel/feature.ts';
import type { Message } from '../kernel/message.ts';

/** The features the huddle reads, asked for when it runs so the list is the registered one. */
export type DigestSources = () => readonly Feature[];

/** Everything waiting for a manager, oldest first, for the reminders. */
export async function loadWaitingDecisions(
  features: readonly Feature[],
  db: Db,
  office: OfficeConfig,
): Promise<PendingDecision[]> {
  const decisions: PendingDecision[] = [];
  for (const feature of features)
    if (feature.pending) decisions.push(...(await feature.pending({ db, office })));
  return decisions.sort((a, b) => a.filedAt.toMillis() - b.filedAt.toMillis());
}

/** The huddle digest for `day`, from what the database holds now: each feature's part, in its order. */
export async function loadHuddleDigest(
  features: readonly Feature[],
  db: Db,
  office: OfficeConfig,
  day: IsoDay,
  now: DateTime,
): Promise<HuddleDigest> {
  const parts = [];
  for (const feature of features) {
    if (feature.digest) {
      parts.push({
        order: feature.digest.order,
        sections: await feature.digest.load({ db, office, day, now }),
      });
    }
  }
  const decisions = await loadWaitingDecisions(features, db, office);
  return assembleHuddleDigest({ day, now, office, parts, decisions });
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
