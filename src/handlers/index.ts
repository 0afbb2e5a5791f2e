import type { DateTime } from 'luxon';
import type { Logger } from 'pino';
import type { OfficeConfig } from '../config/office.ts';
import type { Db } from '../db/client.ts';
import type { IsoDay } from '../domain/dates.ts';
import type { HuddleDigest } from '../domain/digest.ts';
import type { Person } from '../domain/people.ts';
import { callOutsFeature } from './call-outs/index.ts';
import { checksFeature } from './checks/index.ts';
import { complaintsFeature } from './complaints/index.ts';
import { credentialsFeature } from './credentials/index.ts';
import { createHomeFeature, loadHome as loadHomeOf } from './home/index.ts';
import { loadHuddleDigest as loadDigestOf, loadWaitingDecisions as loadWaitingOf } from './huddle/digest.ts';
import { createHuddleFeature } from './huddle/index.ts';
import type { PendingDecision } from './kernel/digest.ts';
import type { Feature } from './kernel/feature.ts';
import type { ScheduledJob } from './kernel/jobs.ts';
import type { Message } from './kernel/message.ts';
import { describeAllCommands } from './kernel/usage.ts';
import { notesFeature } from './notes/index.ts';
import { repMeetingsFeature } from './rep-meetings/index.ts';
import { reportFeature } from './report/index.ts';
import { suppliesFeature } from './supplies/index.ts';
import { teamIssuesFeature } from './team-issues/index.ts';
import { timeOffFeature } from './time-off/index.ts';

/**
 * Every feature, the one registration: command words, action and form ids, help and scheduled jobs below
 * are derived from it, and the manifests are checked against it.
 */
export const FEATURES: readonly Feature[] = [
  timeOffFeature,
  callOutsFeature,
  // The huddle reads every feature's part when it runs, so a feature added here is in it too.
  createHuddleFeature(() => FEATURES),
  suppliesFeature,
  complaintsFeature,
  repMeetingsFeature,
  credentialsFeature,
  // Home reads every feature's part when it is drawn, like the huddle.
  createHomeFeature(() => FEATURES),
  checksFeature,
  reportFeature,
  teamIssuesFeature,
  notesFeature,
];

// The Slack message shortcut `Add to follow-ups` arrives as this action, with the message's link as its value.
export { NOTE_ACTIONS } from './notes/ids.ts';

// The calendar feed is served over HTTP rather than chat; bot/calendar-route.ts answers it with these.
export { buildCalendarFeed, readCalendarToken } from './rep-meetings/calendar.ts';

/** Every slash command word (`timeoff`), as the manifests declare them. */
export const COMMAND_WORDS: readonly string[] = FEATURES.map((feature) => feature.command);

/** Every button's action id and every form's id, which the platforms send back. */
export const ACTION_IDS: readonly string[] = FEATURES.flatMap((feature) => Object.keys(feature.actions));
export const FORM_IDS: readonly string[] = FEATURES.flatMap((feature) => Object.keys(feature.forms));

/** Every scheduled job, run exactly once per due run across all replicas. */
export const SCHEDULED_JOBS: readonly ScheduledJob[] = FEATURES.flatMap((feature) => feature.jobs ?? []);

/** Every command in one message, the answer to `help` and to an unknown command. */
export function describeEveryCommand(preface?: string): Message {
  return describeAllCommands(FEATURES, preface);
}

/** Narrows an id a platform sent back to a known action id. */
export function isActionId(id: string): boolean {
  return ACTION_IDS.includes(id);
}

/** Narrows an id a platform sent back to a known form id. */
export function isFormId(id: string): boolean {
  return FORM_IDS.includes(id);
}

/** The huddle digest for `day`, from every feature's part, as /huddle and the morning job build it. */
export function loadHuddleDigest(
  db: Db,
  office: OfficeConfig,
  day: IsoDay,
  now: DateTime,
  logger: Logger,
): Promise<HuddleDigest> {
  return loadDigestOf(FEATURES, db, office, day, now, logger);
}

/** Every request waiting for a manager, oldest first, as the reminders see them. */
export async function loadWaitingDecisions(
  db: Db,
  office: OfficeConfig,
  logger: Logger,
): Promise<PendingDecision[]> {
  return (await loadWaitingOf(FEATURES, db, office, logger)).decisions;
}

export { renderHuddleDigest } from './huddle/digest.ts';

/** A person's home (Slack's App Home): every feature's part for them, as messages. */
export function loadHome(db: Db, office: OfficeConfig, person: Person, now: DateTime): Promise<Message[]> {
  return loadHomeOf(FEATURES, { db, office, person, now });
}
