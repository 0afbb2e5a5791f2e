import { createHash } from 'node:crypto';

/** What an Approve button drawn with no warning carries after its reference. */
const NO_WARNING = 'none';

/**
 * The Approve button's value: the reference and a short fingerprint of the warnings the card showed (a
 * coverage gap, a budget overrun, in the words of its warning lines), so a press from a card drawn before a
 * warning arose is told from a press made with it in view (`readApproveValue`).
 */
export function writeApproveValue(reference: string, warnings: readonly string[]): string {
  return `${reference}~${fingerprintWarnings(warnings)}`;
}

/**
 * The reference an Approve press names, and the fingerprint of the warnings its card showed; a value without
 * one (a button drawn before buttons carried it) says nothing of what was shown.
 */
export function readApproveValue(value: string): { reference: string; shown: string | undefined } {
  const cut = value.lastIndexOf('~');
  return cut < 0
    ? { reference: value, shown: undefined }
    : { reference: value.slice(0, cut), shown: value.slice(cut + 1) };
}

/** The fingerprint of `warnings`: `none`, or ten characters of their digest. */
export function fingerprintWarnings(warnings: readonly string[]): string {
  if (warnings.length === 0) return NO_WARNING;
  return createHash('sha256').update(warnings.join('\n')).digest('base64url').slice(0, 10);
}
