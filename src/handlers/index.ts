import { complaintsFeature } from './complaints/index.ts';
import { huddleFeature } from './huddle/index.ts';
import type { Feature } from './kernel/feature.ts';
import type { ScheduledJob } from './kernel/jobs.ts';
import type { Message } from './kernel/message.ts';
import { describeAllCommands } from './kernel/usage.ts';
import { repMeetingsFeature } from './rep-meetings/index.ts';
import { suppliesFeature } from './supplies/index.ts';
import { timeOffFeature } from './time-off/index.ts';

/**
 * Every feature, the one registration: command words, action and form ids, help and scheduled jobs below
 * are derived from it, and the manifests are checked against it.
 */
export const FEATURES: readonly Feature[] = [
  timeOffFeature,
  huddleFeature,
  suppliesFeature,
  complaintsFeature,
  repMeetingsFeature,
];

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
