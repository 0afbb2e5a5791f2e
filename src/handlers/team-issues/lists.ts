import { listOpenTeamIssues } from '../../db/repositories/team-issues.ts';
import type { HandlerContext } from '../kernel/context.ts';
import { type Outcome, replyOnly } from '../kernel/message.ts';
import { describeIssueShort, describeIssueState } from './card.ts';

const LIST_LIMIT = 25;

/** `/issue list`: every issue not done yet, oldest first, with who owns it. */
export async function listOpenIssues(ctx: HandlerContext): Promise<Outcome> {
  const rows = await listOpenTeamIssues(ctx.db, ctx.officeId, ctx.now.toJSDate());
  const lines = rows
    .slice(0, LIST_LIMIT)
    .map((row) => `${describeIssueShort(row)} · ${describeIssueState(row)}`);
  if (rows.length > LIST_LIMIT) lines.push(`…and ${rows.length - LIST_LIMIT} more`);
  if (rows.length === 0) lines.push('No open issues.');
  return replyOnly({ text: `Open issues: ${rows.length}`, title: `Open issues (${rows.length})`, lines });
}
