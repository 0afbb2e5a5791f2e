/** What a person did, in platform-neutral terms; `deliveryId` makes a retried delivery idempotent. */
export type Input =
  | { kind: 'command'; command: string; text: string; deliveryId?: string }
  | { kind: 'action'; actionId: string; value: string; deliveryId?: string }
  | { kind: 'form'; formId: string; values: Record<string, string>; metadata?: string; deliveryId?: string };

/** Reads `/timeoff list`, `timeoff list` or `help` typed as a message (Teams, sandbox) into a command input. */
export function parseTypedCommand(
  typed: string,
  commands: readonly string[],
): { kind: 'command'; command: string; text: string } | { kind: 'help' } | { kind: 'unknown'; word: string } {
  const trimmed = typed.trim().replace(/^\//, '');
  const [first = '', ...rest] = trimmed.split(/\s+/);
  const word = first.toLowerCase();
  if (word === '' || word === 'help' || word === '?') return { kind: 'help' };
  const command = commands.find((candidate) => candidate === word || `${candidate}s` === word);
  if (!command) return { kind: 'unknown', word: first };
  return { kind: 'command', command, text: rest.join(' ') };
}
