import type { HandlerContext } from '../kernel/context.ts';
import { managerNames, refusal } from '../kernel/copy.ts';
import type { Feature } from '../kernel/feature.ts';
import type { Outcome } from '../kernel/message.ts';
import { monthlyReportJob } from './jobs.ts';
import { buildMonthlyReport } from './monthly.ts';

/** Every form of `/report` is for managers: the router's subcommand check does not cover a bare month. */
function runReportCommand(text: string, ctx: HandlerContext): Promise<Outcome> | Outcome {
  if (!ctx.actor.isManager)
    return refusal(`Only ${managerNames(ctx.office)} can see the practice report.`, 'Nothing was sent.');
  return buildMonthlyReport(text, ctx);
}

/** `/report`: the monthly practice report, to the manager who asks and, each month, to `report.to`. */
export const reportFeature: Feature = {
  command: 'report',
  usage: {
    summary: 'The monthly practice report, with charts and a CSV',
    lines: [
      '/report — (managers) the last full month: time off, coverage, call-outs, supply spend, complaints, rep visits and checks, with charts and a CSV',
      '/report 2026-11 · /report this month — (managers) that month · the month so far',
    ],
  },
  run: async (text, ctx) => runReportCommand(text, ctx),
  actions: {},
  forms: {},
  jobs: [monthlyReportJob],
};
