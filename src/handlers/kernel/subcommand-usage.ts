import { NOTHING_SAVED } from './copy.ts';
import type { Feature, Subcommand } from './feature.ts';
import { type Outcome, replyOnly } from './message.ts';

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** The feature's usage lines that show the subcommand (`/note done FU-3 · …`), by any of its words. */
function findUsageLines(feature: Pick<Feature, 'command' | 'usage'>, subcommand: Subcommand): string[] {
  const patterns = subcommand.words.map(
    (phrase) =>
      new RegExp(`/${escapeRegExp(feature.command)} ${escapeRegExp(phrase)}(?![\\p{L}\\p{N}])`, 'iu'),
  );
  return feature.usage.lines.filter((line) => patterns.some((pattern) => pattern.test(line)));
}

/**
 * The answer to text that starts with a subcommand's words but has more words after them than it takes
 * (`/complaint export 2026-11 csv`): nothing runs and nothing is filed, the subcommand's usage is shown,
 * and how to file text that really starts with that word. A feature whose own text is written in
 * paragraphs (a complaint, an issue, a note) opens its form when typed alone, and what was typed is given
 * back whole, so a long complaint is never lost to the refusal.
 */
export function refuseExtraWords(
  feature: Pick<Feature, 'command' | 'usage' | 'commandTextLines'>,
  subcommand: Subcommand & { maxArgs: number },
  phrase: string,
  typed: string,
): Outcome {
  const command = `/${feature.command} ${phrase}`;
  const takes =
    subcommand.maxArgs === 0
      ? 'takes no words after it'
      : `takes at most ${subcommand.maxArgs === 1 ? 'one word' : `${subcommand.maxArgs} words`} after it`;
  const text = `${command} ${takes}. ${NOTHING_SAVED}`;
  const usage = findUsageLines(feature, subcommand);
  const lines = [text, ...(usage.length > 0 ? usage : [`/${feature.command} help shows how to write it.`])];
  if (feature.commandTextLines !== 'multi-line')
    return replyOnly({
      text,
      lines: [...lines, `If you meant something else, say it without "${phrase}" first.`],
    });
  const giveBack = [
    `To file text that starts with "${phrase}", type /${feature.command} alone: it opens a form for it.`,
    `You wrote: ${typed}`,
  ];
  return { reply: { text, lines: [...lines, ...giveBack] }, effects: [], keepReply: true };
}
