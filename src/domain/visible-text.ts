// A letter, digit, punctuation mark or symbol (emoji included) that is drawn: the Hangul fillers are letters
// by category but default-ignorable, rendered as nothing, so they count as invisible like zero-width spaces.
const VISIBLE_CHARACTER = /(?!\p{Default_Ignorable_Code_Point})[\p{L}\p{N}\p{P}\p{S}]/u;

/** Whether any character of the text is drawn; spaces, controls, zero-width and format characters are not. */
export function hasVisibleText(text: string): boolean {
  return VISIBLE_CHARACTER.test(text);
}

// The explicit direction controls: embeddings, overrides and isolates. One left in typed text would lay out
// what follows it on the line, the app's own words included ("— not on the staff list", a time), reversed.
// Right-to-left scripts are laid out correctly without them.
const DIRECTION_CONTROL = /[\u202A-\u202E\u2066-\u2069]/g;

/** The text without direction embeddings, overrides or isolates, so it cannot reorder what follows it. */
export function removeDirectionControls(text: string): string {
  return text.replace(DIRECTION_CONTROL, '');
}

/**
 * Text for a place that shows one line (a digest or list line, a message's summary): line breaks and tabs,
 * with the spaces around them, read as one space, so a line typed into it cannot pass for a line of its own.
 */
export function toOneLine(text: string): string {
  return text.replace(/\s*[\t\n\r\u2028\u2029]+\s*/g, ' ').trim();
}
