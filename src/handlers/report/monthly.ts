import { createAuditEntry } from '../../db/repositories/audit.ts';
import { parseReportPeriod } from '../../domain/report.ts';
import type { HandlerContext } from '../kernel/context.ts';
import { clip, refusal } from '../kernel/copy.ts';
import type { Outcome } from '../kernel/message.ts';
import { buildReportMessage } from './card.ts';
import { renderReportCharts } from './charts.ts';
import { buildReportCsv } from './csv.ts';
import { loadReportFigures } from './loaders.ts';

const HINT = 'Write it like /report 2026-11, /report this month, or /report for the last full month.';

/**
 * `/report [2026-11 | this month]` (managers): the month's figures as text, one PNG per chart and a CSV of
 * the figures, for the person who asked alone. The view is audited, as every manager's view of complaints is.
 */
export async function buildMonthlyReport(text: string, ctx: HandlerContext): Promise<Outcome> {
  const { db, now, office, officeId, zone, actor } = ctx;
  const parsed = parseReportPeriod(text, now, zone);
  if (!parsed.ok)
    return parsed.reason === 'future'
      ? refusal(`${text.trim()} has not started yet.`, HINT)
      : refusal(`"${clip(text.trim(), 30)}" is not a month I can read.`, HINT);
  const figures = await loadReportFigures(db, office, parsed.period, now);
  await createAuditEntry(db, {
    officeId,
    actor,
    action: 'report.viewed',
    entity: `report:${parsed.period.key}`,
    at: now.toJSDate(),
  });
  return {
    reply: buildReportMessage(
      figures,
      office.office.name,
      'The charts and a CSV of these figures come with this message.',
      true,
    ),
    attachments: [...(await renderReportCharts(figures)), buildReportCsv(figures)],
    // Teams and the sandbox answer with download links, whose tokens must not be kept with the delivery.
    confidentialReply: true,
    effects: [],
  };
}
