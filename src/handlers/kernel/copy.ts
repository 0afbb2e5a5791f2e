import type { OfficeConfig } from '../../config/office.ts';
import { listManagers } from '../../domain/people.ts';
import type { Outcome } from './message.ts';
import { cutText, replyOnly } from './message.ts';

/** The last words of an answer that refused a new request or form. */
export const NOTHING_SAVED = 'Nothing was saved.';
/** The last words of an answer that refused a change to something already stored. */
export const NOTHING_CHANGED = 'Nothing was changed.';

/** Where a request's Approve and Deny are, for a home drawn without them (`Feature.homeButtonsAt`). */
export const DECIDE_IN_APPROVALS = 'Decide each request from its card in the approvals channel.';

/** A refusal, with what to do instead on its own line. */
export function refusal(text: string, hint?: string): Outcome {
  return replyOnly({ text, lines: [text, ...(hint ? [hint] : [])] });
}

/** The managers by name, as in "Dana Reyes or Dr. Omar Haddad", from the office config. */
export function managerNames(office: OfficeConfig): string {
  const names = listManagers(office).map((member) => member.name);
  return names.length > 0 ? names.join(' or ') : 'a manager';
}

/** What someone typed, quoted back in at most `max` characters, short enough to read at a glance. */
export function clip(text: string, max = 60): string {
  return cutText(text, max);
}
