import type { DateTime } from 'luxon';
import type { OfficeConfig } from '../../config/office.ts';
import type { Db } from '../../db/client.ts';
import type { IsoDay } from '../../domain/dates.ts';
import type { DigestDecision, DigestSection } from '../../domain/digest.ts';
import type { Recipient } from './message.ts';

/** What a feature reads its part of the huddle with: the day the huddle is for, as of `now`. */
export interface DigestContext {
  db: Db;
  office: OfficeConfig;
  day: IsoDay;
  now: DateTime;
}

/** A feature's part of the morning huddle: its sections, and where they go (lower `order` first). */
export interface FeatureDigest {
  order: number;
  load(ctx: DigestContext): Promise<DigestSection[]>;
}

/** A request waiting for a manager: listed in the huddle, and in the reminders once it waits too long. */
export interface PendingDecision extends DigestDecision {
  requester: Recipient;
}

/** Lists what of a feature waits for a manager's decision now. */
export type PendingLoader = (ctx: { db: Db; office: OfficeConfig }) => Promise<PendingDecision[]>;
