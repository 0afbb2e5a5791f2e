/** Every button's action id, shared by the handlers and every platform's renderer and registrar. */
export const ACTION_IDS = {
  timeOffApprove: 'timeoff_approve',
  timeOffDeny: 'timeoff_deny',
  suppliesApprove: 'supplies_approve',
  suppliesDeny: 'supplies_deny',
  suppliesMarkOrdered: 'supplies_mark_ordered',
  suppliesMarkReceived: 'supplies_mark_received',
  suppliesChoose: 'supplies_choose',
  repsBook: 'reps_book',
  complaintDetails: 'complaint_details',
  complaintAcknowledge: 'complaint_acknowledge',
  complaintResolve: 'complaint_resolve',
  complaintReopen: 'complaint_reopen',
  complaintRefine: 'complaint_refine',
} as const;

/** Every form's id (Slack modal callback id, Teams card verb, sandbox form). */
export const FORM_IDS = {
  timeOffRequest: 'timeoff_request',
  timeOffDenyReason: 'timeoff_deny_reason',
  suppliesRequest: 'supplies_request',
  suppliesDenyReason: 'supplies_deny_reason',
  repsBook: 'reps_book_form',
  complaintIntake: 'complaint_intake',
  complaintRefine: 'complaint_refine_form',
  complaintResolve: 'complaint_resolve_form',
  complaintDetails: 'complaint_details_view',
} as const;

export type ActionId = (typeof ACTION_IDS)[keyof typeof ACTION_IDS];
export type FormId = (typeof FORM_IDS)[keyof typeof FORM_IDS];

const actionIds: readonly string[] = Object.values(ACTION_IDS);
const formIds: readonly string[] = Object.values(FORM_IDS);

/** Narrows an id a platform sent back to a known action id. */
export function isActionId(id: string): id is ActionId {
  return actionIds.includes(id);
}

/** Narrows an id a platform sent back to a known form id. */
export function isFormId(id: string): id is FormId {
  return formIds.includes(id);
}
