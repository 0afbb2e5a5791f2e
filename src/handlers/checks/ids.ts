/** The buttons of recurring checks: Slack action ids, Teams card verbs, sandbox button ids. */
export const CHECK_ACTIONS = {
  record: 'checks_record',
  correct: 'checks_correct',
} as const;

/** The forms of recurring checks: Slack modal callback ids, Teams card verbs, sandbox form ids. */
export const CHECK_FORMS = {
  reading: 'checks_reading',
  correction: 'checks_correction',
} as const;
