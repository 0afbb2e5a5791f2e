import { DateTime } from 'luxon';
import { listOpenTeamIssues, listTeamIssuesOfPerson } from '../../db/repositories/team-issues.ts';
import { countIssueAgeDays, describeIssueAge } from '../../domain/issues.ts';
import type { HomeLoader } from '../kernel/feature.ts';
import type { Message } from '../kernel/message.ts';
import { buildIssueCard, describeIssueShort, describeIssueState } from './card.ts';

/** Issues a person's home lists as theirs; older ones are on their cards in the huddle channel. */
const MINE_LIMIT = 15;
/** Untaken issue cards a manager's home shows; Block Kit and Teams cards stay small with a few. */
const UNTAKEN_LIMIT = 5;

/**
 * A person's issues (raised or owned, with their state), and for managers the cards of the open issues
 * nobody has taken, oldest first, with the same buttons as in the huddle channel.
 */
export const issuesHome: HomeLoader = async ({ db, office, person, now }) => {
  const zone = office.office.timezone;
  const mine = await listTeamIssuesOfPerson(db, office.office.id, person.key, MINE_LIMIT);
  const messages: Message[] = [];
  if (mine.length > 0) {
    messages.push({
      text: `Your issues (${mine.length})`,
      title: 'Your issues',
      lines: mine.map((row) => {
        const role = row.ownerKey === person.key ? 'you own it' : 'you raised it';
        return `${describeIssueShort(row)} · ${describeIssueState(row)} · ${role}`;
      }),
    });
  }
  if (!person.isManager) return messages;
  const untaken = (await listOpenTeamIssues(db, office.office.id, now.toJSDate())).filter(
    (row) => row.status === 'open',
  );
  if (untaken.length === 0) return messages;
  messages.push({
    text: `Issues nobody has taken (${untaken.length})`,
    title: `Issues nobody has taken (${untaken.length})`,
    lines: untaken.map(
      (row) =>
        `${describeIssueShort(row)} · raised by ${row.raiserName} · ${describeIssueAge(countIssueAgeDays(DateTime.fromJSDate(row.createdAt), now, zone))}`,
    ),
  });
  messages.push(...untaken.slice(0, UNTAKEN_LIMIT).map((row) => buildIssueCard(row, zone)));
  return messages;
};
