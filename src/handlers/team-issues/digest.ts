import { DateTime } from 'luxon';
import { listOpenTeamIssues } from '../../db/repositories/team-issues.ts';
import { DIGEST_ORDER } from '../../domain/digest.ts';
import { countIssueAgeDays, describeIssueAge } from '../../domain/issues.ts';
import type { FeatureDigest } from '../kernel/digest.ts';
import { describeIssueShort } from './card.ts';

/** The huddle's open issues, oldest first: reference, the start of the text, the owner or "not taken", age. */
export const issuesDigest: FeatureDigest = {
  order: DIGEST_ORDER.issues,
  async load({ db, office, now }) {
    const zone = office.office.timezone;
    const rows = await listOpenTeamIssues(db, office.office.id, now.toJSDate());
    return [
      {
        heading: `Open issues (${rows.length})`,
        lines: rows.map(
          (row) =>
            `${describeIssueShort(row)} · ${row.ownerName ?? 'not taken'} · ${describeIssueAge(countIssueAgeDays(DateTime.fromJSDate(row.createdAt), now, zone))}`,
        ),
      },
    ];
  },
};
