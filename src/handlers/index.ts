import { complaintsFeature } from './complaints/index.ts';
import { huddleFeature } from './huddle/index.ts';
import type { Feature } from './kernel/router.ts';
import { repMeetingsFeature } from './rep-meetings/index.ts';
import { suppliesFeature } from './supplies/index.ts';
import { timeOffFeature } from './time-off/index.ts';

/** Every feature the router serves; a command without a feature answers that it is not available yet. */
export const FEATURES: readonly Feature[] = [
  timeOffFeature,
  huddleFeature,
  suppliesFeature,
  complaintsFeature,
  repMeetingsFeature,
];
