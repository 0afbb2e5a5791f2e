/** The prefixes of human references: time off, supply request, complaint, rep meeting, call-out, credential, check reading, team issue, follow-up. */
export type ReferencePrefix = 'TO' | 'SR' | 'CP' | 'RM' | 'CO' | 'CR' | 'CK' | 'IS' | 'FU';

/** `TO` and 12 → `TO-12`. */
export function formatReference(prefix: ReferencePrefix, number: number): string {
  return `${prefix}-${number}`;
}

/** Reads `TO-12`, `to12`, `TO 12` or a bare `12` as 12; anything else, or another prefix, is undefined. */
export function parseReference(text: string, prefix: ReferencePrefix): number | undefined {
  const match = /^\s*(?:([a-z]{2})[\s-]?)?(\d{1,9})\s*$/i.exec(text);
  if (!match?.[2]) return undefined;
  if (match[1] && match[1].toUpperCase() !== prefix) return undefined;
  const number = Number(match[2]);
  return Number.isSafeInteger(number) && number > 0 ? number : undefined;
}
