import type { DateTime } from 'luxon';
import type { Logger } from 'pino';
import type { OfficeConfig } from '../../config/office.ts';
import type { Db } from '../../db/client.ts';
import { trySavepoint } from '../../db/savepoint.ts';
import type { IsoDay } from '../../domain/dates.ts';
import {
  assembleHuddleDigest,
  DIGEST_ORDER,
  type HuddleDigest,
  selectStillOpen,
} from '../../domain/digest.ts';
import type { PendingDecision } from '../kernel/digest.ts';
import { describeErrorForLog } from '../kernel/dispatch.ts';
import type { Feature } from '../kernel/feature.ts';
import { type DueRun, explainLateRun } from '../kernel/jobs.ts';
import type { Message } from '../kernel/message.ts';

/** The features the huddle reads, asked for when it runs so the list is the registered one. */
export type DigestSources = () => readonly Feature[];

/**
 * Everything waiting for a manager, oldest first, for the reminders. A feature whose list cannot be read is
 * left out (and logged) rather than keeping every other feature's from the managers; its command is named
 * in `unread`. Given `now`, what can no longer be decided (a cover offer for a day that has passed) is left out.
 */
export async function loadWaitingDecisions(
  features: readonly Feature[],
  db: Db,
  office: OfficeConfig,
  logger: Logger,
  now?: DateTime,
): Promise<{ decisions: PendingDecision[]; unread: string[] }> {
  const decisions: PendingDecision[] = [];
  const unread: string[] = [];
  for (const feature of features) {
    if (!feature.pending) continue;
    const { pending } = feature;
    const read = await readPart(feature, db, logger, () => pending({ db, office }));
    if (read) decisions.push(...read);
    else unread.push(feature.command);
  }
  const open = now ? selectStillOpen(decisions, now, office.office.timezone) : decisions;
  return { decisions: open.sort((a, b) => a.filedAt.toMillis() - b.filedAt.toMillis()), unread };
}

/** One feature's part, in a savepoint so that its failure (logged, without its message) spoils nothing else. */
async function readPart<T>(
  feature: Feature,
  db: Db,
  logger: Logger,
  load: () => Promise<T>,
): Promise<T | undefined> {
  const read = await trySavepoint(db, load);
  if (read.ok) return read.value;
  logger.error(
    { part: feature.command, err: describeErrorForLog(read.error) },
    'huddle part could not be read',
  );
  return undefined;
}

/**
 * The huddle digest for `day`, from what the database holds now: each feature's part, in its order. A part
 * that cannot be read is named in a last section instead of keeping the whole huddle from the team.
 */
export async function loadHuddleDigest(
  features: readonly Feature[],
  db: Db,
  office: OfficeConfig,
  day: IsoDay,
  now: DateTime,
  logger: Logger,
): Promise<HuddleDigest> {
  const parts = [];
  const unreadParts: string[] = [];
  for (const feature of features) {
    if (!feature.digest) continue;
    const { digest } = feature;
    const sections = await readPart(feature, db, logger, () => digest.load({ db, office, day, now }));
    if (sections) parts.push({ order: digest.order, sections });
    else unreadParts.push(feature.command);
  }
  const { decisions, unread } = await loadWaitingDecisions(features, db, office, logger, now);
  const missing = [...new Set([...unreadParts, ...unread])];
  if (missing.length > 0)
    parts.push({
      order: DIGEST_ORDER.unread,
      sections: [
        {
          heading: 'Not shown',
          lines: [
            `What ${missing.map((command) => `/${command}`).join(', ')} would add could not be read just now. /huddle tries again; if it stays missing, tell whoever runs frontdesk.`,
          ],
        },
      ],
    });
  return assembleHuddleDigest({ day, now, office, parts, decisions });
}

/** The digest as a message; a late run says so, and why, so nobody mistakes it for the usual one. */
export function renderHuddleDigest(
  digest: HuddleDigest,
  late?: { postedAt: DateTime; due: Pick<DueRun, 'retried'> },
): Message {
  const note = late
    ? `Posted late, at ${late.postedAt.toFormat('h:mm a')}: ${explainLateRun(late.due, 'at the usual time')}.`
    : undefined;
  return {
    text: digest.title,
    title: digest.title,
    ...(digest.emptyLine ? { lines: [digest.emptyLine] } : {}),
    sections: digest.sections,
    ...(note ? { note } : {}),
  };
}
