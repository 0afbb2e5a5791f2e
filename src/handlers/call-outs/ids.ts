/** The buttons of call-outs: Slack action ids, Teams card verbs, sandbox button ids. */
export const CALL_OUT_ACTIONS = {
  canCover: 'callout_can_cover',
  cannotCover: 'callout_cannot_cover',
  confirmCover: 'callout_confirm_cover',
  askAgain: 'callout_ask_again',
} as const;

/** The forms of call-outs: Slack modal callback ids, Teams card verbs, sandbox form ids. */
export const CALL_OUT_FORMS = {
  record: 'callout_record',
} as const;
