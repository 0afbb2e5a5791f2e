/** Every button's action id, shared by the handlers and every platform's renderer and registrar. */
export const ACTION_IDS = {} as const;

/** Every form's id (Slack modal callback id, Teams card verb, sandbox form). */
export const FORM_IDS = {} as const;

export type ActionId = (typeof ACTION_IDS)[keyof typeof ACTION_IDS];
export type FormId = (typeof FORM_IDS)[keyof typeof FORM_IDS];
