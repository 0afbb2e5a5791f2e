/** The buttons of rep visits: Slack action ids, Teams card verbs, sandbox button ids. */
export const REPS_ACTIONS = {
  book: 'reps_book',
} as const;

/** The forms of rep visits: Slack modal callback ids, Teams card verbs, sandbox form ids. */
export const REPS_FORMS = {
  book: 'reps_book_form',
} as const;
