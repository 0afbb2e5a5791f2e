import { listPendingTimeOffRequests } from '../../db/repositories/time-off.ts';
import { isOnStaffList } from '../../domain/people.ts';
import type { HomeLoader } from '../kernel/feature.ts';
import type { Message } from '../kernel/message.ts';
import { describeMyTimeOff } from './lists.ts';
import { loadTimeOffCards } from './loaders.ts';

// Home shows the oldest decisions waiting and counts the rest, which the approvals channel has.
const HOME_CARDS = 10;

/** Home: the person's time off and balances; for managers, each request waiting, with Approve and Deny. */
export const timeOffHome: HomeLoader = async ({ db, office, person, now }) => {
  const messages: Message[] = [];
  if (isOnStaffList(person)) messages.push(await describeMyTimeOff(db, office, person.key, now));
  if (person.isManager) {
    const pending = await listPendingTimeOffRequests(db, office.office.id);
    messages.push(...(await loadTimeOffCards(db, office, pending.slice(0, HOME_CARDS))));
    if (pending.length > HOME_CARDS)
      messages.push({
        text: `Time off: ${pending.length - HOME_CARDS} more waiting — see the approvals channel.`,
      });
  }
  return messages;
};
