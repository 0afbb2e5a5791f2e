import { createHash } from 'node:crypto';

/** What an Approve button drawn with no warning carries after its reference. */
const NO_WARNING = 'none';

/** What an "Approve anyway" button's value ends with: it was pressed on the presser's own question. */
const ASKED_AGAIN = 'again';

/**
 * The Approve button's value: the reference and a short fingerprint of the warnings the card showed (a
 * coverage gap, a budget overrun, in the words of its warning lines), so a press from a card drawn before a
 * warning arose is told from a press made with it in view (`readApproveValue`). A button `on` the question
 * asked again is marked: that question is the presser's own message, not the card.
 */
export function writeApproveValue(
  reference: string,
  warnings: readonly string[],
  on: 'card' | 'question' = 'card',
): string {
  const value = `${reference}~${fingerprintWarnings(warnings)}`;
  return on === 'question' ? `${value}~${ASKED_AGAIN}` : value;
}

/**
 * The reference an Approve press names, the fingerprint of the warnings its card showed (a value without
 * one, from a button drawn before buttons carried it, says nothing of what was shown), and whether it was
 * pressed on the question asked again.
 */
export function readApproveValue(value: string): {
  reference: string;
  shown: string | undefined;
  again: boolean;
} {
  const [reference = '', shown, marker] = value.split('~');
  return { reference, shown, again: marker === ASKED_AGAIN };
}

/** The fingerprint of `warnings`: `none`, or ten characters of their digest. */
export function fingerprintWarnings(warnings: readonly string[]): string {
  if (warnings.length === 0) return NO_WARNING;
  return createHash('sha256').update(warnings.join('\n')).digest('base64url').slice(0, 10);
}
