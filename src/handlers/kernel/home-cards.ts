import type { Message } from './message.ts';

/** Home shows the oldest decisions waiting, this many per feature, and counts the rest, which the approvals channel has. */
export const HOME_CARDS = 10;

/** The line counting the decisions past the first `HOME_CARDS` of `total`, when there are any. */
export function describeMoreWaiting(label: string, total: number): Message[] {
  return total > HOME_CARDS
    ? [{ text: `${label}: ${total - HOME_CARDS} more waiting — see the approvals channel.` }]
    : [];
}
