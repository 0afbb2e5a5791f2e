import type { Feature } from './feature.ts';
import type { Message } from './message.ts';

/** Usage of one command, the answer to `<command> help`. */
export function describeCommandUsage(feature: Pick<Feature, 'command' | 'usage'>): Message {
  return {
    text: `How to use /${feature.command}`,
    title: `/${feature.command} — ${feature.usage.summary}`,
    lines: feature.usage.lines,
  };
}

/** Every command in one message, the answer to `help` and to an unknown command. */
export function describeAllCommands(
  features: readonly Pick<Feature, 'command' | 'usage'>[],
  preface?: string,
): Message {
  const lines = features.map((feature) => `/${feature.command} — ${feature.usage.summary}`);
  lines.push('Add help after any command to see how to write it, e.g. /timeoff help');
  return {
    text: preface ?? 'What frontdesk can do',
    title: 'frontdesk',
    lines: preface ? [preface, ...lines] : lines,
  };
}
