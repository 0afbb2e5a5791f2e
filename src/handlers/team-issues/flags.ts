import { DateTime } from 'luxon';
import type { OfficeConfig } from '../../config/office.ts';
import {
  getTeamIssue,
  listUnflaggedOpenTeamIssues,
  markTeamIssueFlagged,
  type TeamIssueRow,
} from '../../db/repositories/team-issues.ts';
import { computeIssueFlagDue } from '../../domain/issues.ts';
import { listManagers } from '../../domain/people.ts';
import { parseReference } from '../../domain/references.ts';
import type { DataDrivenJob } from '../kernel/jobs.ts';
import { listRecipients } from '../kernel/jobs.ts';
import type { Effect } from '../kernel/message.ts';
import type { PersonalCard } from '../kernel/sent-cards.ts';
import { buildUntakenFlag, formatIssueReference } from './card.ts';

const RUN_SUFFIX = '/untaken';

/**
 * One message to every manager about an issue nobody has taken one working day after it was filed. Each
 * issue is its own run (`IS-5/untaken`), claimed once across processes; a later start catches up once.
 */
export const untakenIssueJob: DataDrivenJob = {
  name: 'issue-untaken',
  async listDueRuns({ db, office, now }) {
    const zone = office.office.timezone;
    const rows = await listUnflaggedOpenTeamIssues(db, office.office.id);
    return rows.flatMap((row) => {
      const scheduledAt = computeIssueFlagDue(DateTime.fromJSDate(row.createdAt), office, zone);
      if (scheduledAt > now) return [];
      return [
        {
          runKey: `${formatIssueReference(row)}${RUN_SUFFIX}`,
          scheduledAt,
          late: now.diff(scheduledAt, 'minutes').minutes > 2,
        },
      ];
    });
  },
  async run({ db, office, now }, due) {
    const number = parseReference(due.runKey.replace(RUN_SUFFIX, ''), 'IS');
    const row = number === undefined ? undefined : await getTeamIssue(db, office.office.id, number);
    // Taken or done between listing and claiming: the claim stands, and nobody is told.
    if (row?.status !== 'open') return [];
    const flagged = await markTeamIssueFlagged(db, { id: row.id, at: now.toJSDate() });
    if (!flagged) return [];
    const message = buildUntakenFlag(flagged, office.office.timezone, now);
    return listManagerFlags(flagged, office).map(
      ({ to, cardKey }): Effect => ({ kind: 'dm', to, message, cardKey }),
    );
  },
};

/** Each manager's flag of an untaken issue, by its key, so taking or finishing the issue can redraw it. */
export function listManagerFlags(row: TeamIssueRow, office: OfficeConfig): PersonalCard[] {
  const reference = formatIssueReference(row);
  return listManagers(office)
    .flatMap((member) => listRecipients(member))
    .map((to) => ({ to, cardKey: `${reference}/flag/${to.platform}/${to.userId}` }));
}
