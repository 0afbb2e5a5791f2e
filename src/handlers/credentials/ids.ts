/** The forms of credentials: Slack modal callback ids, Teams card verbs, sandbox form ids. */
export const CREDENTIAL_FORMS = {
  add: 'creds_add',
} as const;
