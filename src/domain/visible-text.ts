// A letter, digit, punctuation mark or symbol (emoji included) that is drawn: the Hangul fillers are letters
// by category but default-ignorable, rendered as nothing, so they count as invisible like zero-width spaces.
const VISIBLE_CHARACTER = /(?!\p{Default_Ignorable_Code_Point})[\p{L}\p{N}\p{P}\p{S}]/u;

/** Whether any character of the text is drawn; spaces, controls, zero-width and format characters are not. */
export function hasVisibleText(text: string): boolean {
  return VISIBLE_CHARACTER.test(text);
}
