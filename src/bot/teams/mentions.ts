import type { Activity } from 'botbuilder';

const MENTION_TAG = /<at>([^<]*)<\/at>/gi;

/**
 * The text a person typed, as a command: the bot's own @mention (the mention entity naming the activity's
 * recipient) is taken out, and anyone else's is kept as their name, so "note call @Priya Shah" keeps Priya.
 */
export function readTypedText(activity: Pick<Activity, 'text' | 'entities' | 'recipient'>): string {
  const botId = activity.recipient?.id;
  let text = activity.text ?? '';
  for (const entity of activity.entities ?? []) {
    const mention = entity as { type?: string; text?: unknown; mentioned?: { id?: unknown } };
    if (mention.type !== 'mention' || typeof mention.text !== 'string' || mention.text === '') continue;
    if (botId && mention.mentioned?.id === botId) text = text.split(mention.text).join(' ');
  }
  return text.replace(MENTION_TAG, (_tag, name: string) => name).trim();
}
