/** The buttons of follow-ups; `fromMessage` is also the Slack message shortcut's callback id. */
export const NOTE_ACTIONS = {
  fromMessage: 'note_from_message',
} as const;

/** The forms of follow-ups: Slack modal callback ids, Teams card verbs, sandbox form ids. */
export const NOTE_FORMS = {
  add: 'note_add',
} as const;
