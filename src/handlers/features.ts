import { complaintsFeature } from './complaints.ts';
import { huddleFeature } from './huddle.ts';
import { repMeetingsFeature } from './rep-meetings.ts';
import type { Feature } from './router.ts';
import { suppliesFeature } from './supplies.ts';
import { timeOffFeature } from './time-off.ts';

/** Every feature the router serves; a command without a feature answers that it is not available yet. */
export const FEATURES: readonly Feature[] = [
  timeOffFeature,
  huddleFeature,
  suppliesFeature,
  complaintsFeature,
  repMeetingsFeature,
];
