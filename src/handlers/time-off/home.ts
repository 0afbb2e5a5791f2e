import { listPendingTimeOffRequests } from '../../db/repositories/time-off.ts';
import { isOnStaffList } from '../../domain/people.ts';
import type { HomeLoader } from '../kernel/feature.ts';
import { describeMoreWaiting, HOME_CARDS } from '../kernel/home-cards.ts';
import type { Message } from '../kernel/message.ts';
import { describeMyTimeOff } from './lists.ts';
import { loadTimeOffCards } from './loaders.ts';

/** Home: the person's time off and balances; for managers, each request waiting, with Approve and Deny. */
export const timeOffHome: HomeLoader = async ({ db, office, person, now }) => {
  const messages: Message[] = [];
  if (isOnStaffList(person)) messages.push(await describeMyTimeOff(db, office, person.key, now));
  if (person.isManager) {
    const pending = await listPendingTimeOffRequests(db, office.office.id);
    messages.push(...(await loadTimeOffCards(db, office, pending.slice(0, HOME_CARDS))));
    messages.push(...describeMoreWaiting('Time off', pending.length));
  }
  return messages;
};
