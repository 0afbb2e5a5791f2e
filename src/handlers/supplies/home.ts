import { listOpenSupplyRequests } from '../../db/repositories/supplies.ts';
import type { HomeLoader } from '../kernel/feature.ts';
import { describeMoreWaiting, HOME_CARDS } from '../kernel/home-cards.ts';
import type { Message } from '../kernel/message.ts';
import { describeSupplyLine, formatSupplyReference } from './card.ts';
import { loadPendingCards } from './loaders.ts';

/** Home: the person's open supply requests; for managers, each one waiting for approval, with its buttons. */
export const suppliesHome: HomeLoader = async ({ db, office, person, now }) => {
  const open = (await listOpenSupplyRequests(db, office.office.id)).filter(
    (row) => row.requesterKey === person.key,
  );
  const messages: Message[] = [];
  if (open.length > 0)
    messages.push({
      text: `Your supply requests: ${open.length} open`,
      title: 'Your supply requests',
      lines: open.map((row) => `${formatSupplyReference(row)} · ${describeSupplyLine(row)} · ${row.status}`),
    });
  if (person.isManager) {
    const { cards: waiting } = await loadPendingCards(db, office, now);
    messages.push(...waiting.slice(0, HOME_CARDS).map((card) => card.message));
    messages.push(...describeMoreWaiting('Supplies', waiting.length));
  }
  return messages;
};
