/** The buttons of the huddle: Slack action ids, Teams card verbs, sandbox button ids. */
export const HUDDLE_ACTIONS = {
  postAnyway: 'huddle_post_anyway',
} as const;
