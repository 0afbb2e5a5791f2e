import { createHash } from 'node:crypto';

/** What an Approve button drawn with no coverage gap carries after its reference. */
const NO_GAP = 'none';

/**
 * The Approve button's value: the reference and a short fingerprint of the coverage gaps the card showed
 * (the same text as its warning lines), so a press from a card drawn before a gap opened is told from a
 * press made with the gap in view (`readApproveValue`).
 */
export function writeApproveValue(reference: string, gapLines: readonly string[]): string {
  return `${reference}~${fingerprintGaps(gapLines)}`;
}

/**
 * The reference an Approve press names, and the fingerprint of the gaps its card showed; a value without
 * one (a button drawn before buttons carried it) says nothing of what was shown.
 */
export function readApproveValue(value: string): { reference: string; shown: string | undefined } {
  const cut = value.lastIndexOf('~');
  return cut < 0
    ? { reference: value, shown: undefined }
    : { reference: value.slice(0, cut), shown: value.slice(cut + 1) };
}

/** The fingerprint of gaps described by `gapLines`: `none`, or ten characters of their digest. */
export function fingerprintGaps(gapLines: readonly string[]): string {
  if (gapLines.length === 0) return NO_GAP;
  return createHash('sha256').update(gapLines.join('\n')).digest('base64url').slice(0, 10);
}
