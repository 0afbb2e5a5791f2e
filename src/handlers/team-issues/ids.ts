/** The buttons of team issues: Slack action ids, Teams card verbs, sandbox button ids. */
export const ISSUE_ACTIONS = {
  take: 'issue_take',
  done: 'issue_done',
} as const;

/** The forms of team issues: Slack modal callback ids, Teams card verbs, sandbox form ids. */
export const ISSUE_FORMS = {
  file: 'issue_file',
  done: 'issue_done_note',
} as const;
