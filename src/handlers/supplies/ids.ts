/** The buttons of supplies: Slack action ids, Teams card verbs, sandbox button ids. */
export const SUPPLIES_ACTIONS = {
  approve: 'supplies_approve',
  deny: 'supplies_deny',
  markOrdered: 'supplies_mark_ordered',
  markReceived: 'supplies_mark_received',
  choose: 'supplies_choose',
} as const;

/** The forms of supplies: Slack modal callback ids, Teams card verbs, sandbox form ids. */
export const SUPPLIES_FORMS = {
  request: 'supplies_request',
  denyReason: 'supplies_deny_reason',
  cancelReason: 'supplies_cancel_reason',
} as const;
