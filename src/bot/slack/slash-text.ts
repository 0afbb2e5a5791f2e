/**
 * A slash command's text as the person typed it. Slack sends `&`, `<` and `>` typed in a command as the
 * entities `&amp;`, `&lt;` and `&gt;` (its own mentions and links keep their brackets, and the manifest
 * asks for none: `should_escape: false`). Decoded here, so what is stored, counted against a limit and
 * shown on Teams or in an export is what was typed, and escaped once when Slack shows it again;
 * `&amp;` goes last, so a typed `&lt;` stays `&lt;`.
 */
export function readSlashText(text: string): string {
  return text.replaceAll('&lt;', '<').replaceAll('&gt;', '>').replaceAll('&amp;', '&');
}
