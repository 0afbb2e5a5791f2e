/** The buttons of time off: Slack action ids, Teams card verbs, sandbox button ids. */
export const TIME_OFF_ACTIONS = {
  approve: 'timeoff_approve',
  deny: 'timeoff_deny',
} as const;

/** The forms of time off: Slack modal callback ids, Teams card verbs, sandbox form ids. */
export const TIME_OFF_FORMS = {
  request: 'timeoff_request',
  denyReason: 'timeoff_deny_reason',
  cancelReason: 'timeoff_cancel_reason',
} as const;
