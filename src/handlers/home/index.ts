import type { DateTime } from 'luxon';
import type { OfficeConfig } from '../../config/office.ts';
import type { Db } from '../../db/client.ts';
import type { Person } from '../../domain/people.ts';
import type { Feature } from '../kernel/feature.ts';
import type { Message } from '../kernel/message.ts';

/** The features home reads, asked for when it is drawn so the list is the registered one. */
export type HomeSources = () => readonly Feature[];

/** A person's home: each feature's part, in the order the features are registered. */
export async function loadHome(
  features: readonly Feature[],
  ctx: { db: Db; office: OfficeConfig; person: Person; now: DateTime },
): Promise<Message[]> {
  const messages: Message[] = [];
  for (const feature of features) if (feature.home) messages.push(...(await feature.home(ctx)));
  return messages;
}

/**
 * Home as one message, for chats that show one card (Teams, the sandbox): each part under its title. The
 * cards' buttons stay on the cards in the approvals channel, which this points to.
 */
export function combineHome(messages: readonly Message[], person: Person): Message {
  const sections = messages.map((message) => ({
    heading: message.title ?? message.text,
    lines: [
      ...(message.lines ?? []),
      ...(message.fields ?? []).map((field) => `${field.label}: ${field.value}`),
      ...(message.note ? [message.note] : []),
    ],
  }));
  const decisions = messages.some((message) => (message.buttons ?? []).length > 0);
  return {
    text: `Home — ${person.name}`,
    title: `Home — ${person.name}`,
    lines: [
      sections.length === 0 ? 'Nothing of yours is open.' : 'What is yours, as it stands now.',
      ...(decisions ? ['Decide each request from its card in the approvals channel.'] : []),
    ],
    sections,
  };
}

/** `home`: a person's requests, balances and follow-ups; for managers the decisions waiting. */
export function createHomeFeature(features: HomeSources): Feature {
  return {
    command: 'home',
    usage: {
      summary: 'Your requests, balances and follow-ups in one place',
      lines: [
        '/home — your requests and balances, your follow-ups and issues; for managers, the decisions waiting',
      ],
    },
    async run(_text, ctx) {
      const messages = await loadHome(features(), {
        db: ctx.db,
        office: ctx.office,
        person: ctx.actor,
        now: ctx.now,
      });
      return { reply: combineHome(messages, ctx.actor), effects: [] };
    },
    actions: {},
    forms: {},
  };
}
