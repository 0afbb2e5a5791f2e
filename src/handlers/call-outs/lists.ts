import { listCallOutsSince } from '../../db/repositories/call-outs.ts';
import { addDays, formatDay, getOfficeDay } from '../../domain/dates.ts';
import type { HandlerContext } from '../kernel/context.ts';
import type { Outcome } from '../kernel/message.ts';
import { describeCallOutForManagers, describeCover, formatCallOutReference } from './card.ts';

const LIST_DAYS = 90;
const LIST_LIMIT = 40;

/** `/out list` (managers): the last 90 days' call-outs, newest first, with a count per person. */
export async function listCallOuts(ctx: HandlerContext): Promise<Outcome> {
  const today = getOfficeDay(ctx.now, ctx.zone);
  const since = addDays(today, -LIST_DAYS);
  const rows = await listCallOutsSince(ctx.db, ctx.officeId, since);
  const title = `Call-outs since ${formatDay(since, ctx.zone)}`;
  if (rows.length === 0)
    return { reply: { text: `${title}: none.`, title, lines: ['None recorded.'] }, effects: [] };
  const counts = new Map<string, number>();
  for (const row of rows)
    if (row.status === 'active') counts.set(row.personName, (counts.get(row.personName) ?? 0) + 1);
  const lines = rows.map((row) => {
    const cover = describeCover(row, ctx.zone);
    const state = row.status === 'cancelled' ? ' · cancelled' : '';
    return `${formatCallOutReference(row)} · ${row.personName} · ${describeCallOutForManagers(row, ctx.zone)}${cover ? ` · ${cover}` : ''}${state}`;
  });
  const shown =
    lines.length > LIST_LIMIT
      ? [...lines.slice(0, LIST_LIMIT - 1), `…and ${lines.length - LIST_LIMIT + 1} more`]
      : lines;
  const perPerson = [...counts.entries()]
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .map(([name, count]) => `${name}: ${count}`);
  return {
    reply: {
      text: `${title}: ${rows.length}`,
      title,
      lines: shown,
      sections: [
        { heading: 'Per person', lines: perPerson.length > 0 ? perPerson : ['None still standing.'] },
      ],
    },
    effects: [],
  };
}
