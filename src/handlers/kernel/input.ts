/** What a person did, in platform-neutral terms; `deliveryId` makes a retried delivery idempotent. */
export type Input =
  | { kind: 'command'; command: string; text: string; deliveryId?: string }
  | { kind: 'action'; actionId: string; value: string; deliveryId?: string }
  | { kind: 'form'; formId: string; values: Record<string, string>; metadata?: string; deliveryId?: string };

/**
 * How a feature reads the text typed after its command word: `one-line` (every feature but those whose free
 * text is written in paragraphs) gets each run of spaces, tabs and line breaks as one space, so no one-line
 * field parsed from it holds a break; `multi-line` gets the line breaks that were typed.
 */
export type CommandTextLines = 'one-line' | 'multi-line';

// CR LF (Windows, Teams), a lone CR, and the Unicode line and paragraph separators: each is one line break.
const LINE_BREAK = /\r\n?|[\u2028\u2029]/g;

/** The text with every kind of line break as `\n`, trimmed. */
function normaliseLineBreaks(text: string): string {
  return text.replace(LINE_BREAK, '\n').trim();
}

/** A command's text as its feature reads it: trimmed, and with line breaks only where the feature keeps them. */
export function shapeCommandText(text: string, lines: CommandTextLines): string {
  return lines === 'multi-line' ? normaliseLineBreaks(text) : text.split(/\s+/).filter(Boolean).join(' ');
}

/**
 * Reads `/timeoff list`, `timeoff list` or `help` typed as a message (Teams, sandbox, a Slack slash command)
 * into a command input. The command word is read up to any whitespace; the text after it keeps its line
 * breaks (as `\n`), since only the router knows whether the command's feature wants them.
 */
export function parseTypedCommand(
  typed: string,
  commands: readonly string[],
): { kind: 'command'; command: string; text: string } | { kind: 'help' } | { kind: 'unknown'; word: string } {
  const trimmed = normaliseLineBreaks(typed).replace(/^\//, '');
  const first = /^\S*/.exec(trimmed)?.[0] ?? '';
  const word = first.toLowerCase();
  if (word === '' || word === 'help' || word === '?') return { kind: 'help' };
  const command = commands.find((candidate) => candidate === word || `${candidate}s` === word);
  if (!command) return { kind: 'unknown', word: first };
  return { kind: 'command', command, text: trimmed.slice(first.length).trim() };
}
