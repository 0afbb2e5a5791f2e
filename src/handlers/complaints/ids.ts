/** The buttons of complaints: Slack action ids, Teams card verbs, sandbox button ids. */
export const COMPLAINT_ACTIONS = {
  details: 'complaint_details',
  acknowledge: 'complaint_acknowledge',
  resolve: 'complaint_resolve',
  reopen: 'complaint_reopen',
  refine: 'complaint_refine',
} as const;

/** The forms of complaints: Slack modal callback ids, Teams card verbs, sandbox form ids. */
export const COMPLAINT_FORMS = {
  intake: 'complaint_intake',
  refine: 'complaint_refine_form',
  resolve: 'complaint_resolve_form',
  details: 'complaint_details_view',
} as const;
