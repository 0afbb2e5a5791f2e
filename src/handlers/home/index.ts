import type { DateTime } from 'luxon';
import type { OfficeConfig } from '../../config/office.ts';
import type { Db } from '../../db/client.ts';
import type { Person } from '../../domain/people.ts';
import type { Feature } from '../kernel/feature.ts';
import type { Message } from '../kernel/message.ts';

/** The features home reads, asked for when it is drawn so the list is the registered one. */
export type HomeSources = () => readonly Feature[];

type HomeContext = { db: Db; office: OfficeConfig; person: Person; now: DateTime };

/** Each feature's part of a person's home, in the order the features are registered. */
async function loadHomeParts(
  features: readonly Feature[],
  ctx: HomeContext,
): Promise<{ feature: Feature; messages: Message[] }[]> {
  const parts: { feature: Feature; messages: Message[] }[] = [];
  for (const feature of features)
    if (feature.home) parts.push({ feature, messages: await feature.home(ctx) });
  return parts;
}

/** A person's home: each feature's part, in the order the features are registered. */
export async function loadHome(features: readonly Feature[], ctx: HomeContext): Promise<Message[]> {
  return (await loadHomeParts(features, ctx)).flatMap((part) => part.messages);
}

/**
 * Home as one message, for chats that show one card (Teams, the sandbox): each part under its title. The
 * cards' buttons stay on the cards in their channels, which this points to, once for each feature with some.
 */
function combineHome(
  parts: readonly { feature: Pick<Feature, 'homeButtonsAt'>; messages: readonly Message[] }[],
  person: Person,
): Message {
  const messages = parts.flatMap((part) => part.messages);
  const sections = messages.map((message) => ({
    heading: message.title ?? message.text,
    lines: [
      ...(message.lines ?? []),
      ...(message.fields ?? []).map((field) => `${field.label}: ${field.value}`),
      ...(message.note ? [message.note] : []),
    ],
  }));
  const pointers = parts.flatMap(({ feature, messages: theirs }) =>
    feature.homeButtonsAt && theirs.some((message) => (message.buttons ?? []).length > 0)
      ? [feature.homeButtonsAt]
      : [],
  );
  return {
    text: `Home — ${person.name}`,
    title: `Home — ${person.name}`,
    lines: [
      sections.length === 0 ? 'Nothing of yours is open.' : 'What is yours, as it stands now.',
      ...new Set(pointers),
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
      const parts = await loadHomeParts(features(), {
        db: ctx.db,
        office: ctx.office,
        person: ctx.actor,
        now: ctx.now,
      });
      // It quotes private follow-ups and decision details: a retried delivery gets a notice, not a copy.
      return { reply: combineHome(parts, ctx.actor), confidentialReply: true, effects: [] };
    },
    actions: {},
    forms: {},
  };
}
