/**
 * The text's first `length` UTF-16 units, or one fewer where the last is the first half of an emoji's (or
 * another astral character's) surrogate pair: half a pair shows as a broken character, and Slack may
 * refuse the message.
 */
export function wholeCharactersWithin(text: string, length: number): string {
  const last = text.charCodeAt(length - 1);
  return text.slice(0, last >= 0xd800 && last <= 0xdbff ? length - 1 : length);
}
