import { formatDay } from '../../domain/dates.ts';
import type { ClockRecord, ReportFigures } from '../../domain/report.ts';
import { formatPercent, formatRate } from '../../domain/report.ts';
import { formatMoney } from '../../domain/supplies.ts';
import type { Message, Section } from '../kernel/message.ts';

function plural(count: number, one: string, many = `${one}s`): string {
  return `${count} ${count === 1 ? one : many}`;
}

/** Days as the office counts them: whole, or with a half. */
function formatDays(days: number): string {
  return plural(days, 'day');
}

function describeClock(name: string, record: ClockRecord): string {
  const running = record.running > 0 ? ` · ${record.running} still within the time allowed` : '';
  return `${name} on time: ${formatRate(record.onTime, record.due)}${running}`;
}

/**
 * A check's line: `not yet in use` for a month before it came into use, and the day it is counted from
 * when that falls within the month, so a rate never reads as covering days it does not.
 */
function describeCheck(row: ReportFigures['checks'][number], period: ReportFigures['period']): string {
  if (!row.inUse) return `${row.name}: not yet in use`;
  const since =
    row.countedFrom > period.first
      ? ` (in use from ${formatDay(row.countedFrom, period.start.zoneName ?? 'UTC')})`
      : '';
  return `${row.name}${since}: ${formatRate(row.onTime, row.due)} on time · ${row.late} late · ${row.missed} missed · ${row.outOfRange} out of range`;
}

/** Time off per role, its leave types summed, for a reader who may not see leave types. */
function sumTypesPerRole(timeOff: ReportFigures['timeOff']): ReportFigures['timeOff'] {
  const byRole = new Map<string, { requests: number; days: number }>();
  for (const row of timeOff) {
    const sum = byRole.get(row.role) ?? { requests: 0, days: 0 };
    byRole.set(row.role, { requests: sum.requests + row.requests, days: sum.days + row.days });
  }
  return [...byRole].map(([role, sum]) => ({ role, type: '', ...sum }));
}

/**
 * The report's sections, in the order of its charts: counts by role, type, category, company or check —
 * never a person's leave type, never a complaint's text or who it is about. A reader who is not a manager
 * (named in `report.to`) gets time off and call-outs by role alone: in a role of two, a count by leave type
 * or by kind of call-out names a person's.
 */
export function describeReportSections(figures: ReportFigures, showsLeaveTypes: boolean): Section[] {
  const { spend, complaints } = figures;
  const budget =
    spend.budgetCents === undefined
      ? '(no monthly budget set)'
      : spend.budgetCents === 0
        ? 'of a $0.00 budget'
        : `of ${formatMoney(spend.budgetCents)} budget (${formatPercent(spend.totalCents, spend.budgetCents)})`;
  const timeOff = showsLeaveTypes ? figures.timeOff : sumTypesPerRole(figures.timeOff);
  return [
    {
      heading: 'Time off taken (approved, working days)',
      lines:
        timeOff.length > 0
          ? timeOff.map(
              (row) =>
                `${row.role}${row.type ? ` · ${row.type}` : ''}: ${formatDays(row.days)} (${plural(row.requests, 'request')})`,
            )
          : ['None.'],
    },
    {
      heading: `Days below coverage (of ${plural(figures.workingDays, 'working day')})`,
      lines:
        figures.coverage.length > 0
          ? figures.coverage.map((row) => `${row.role}: ${formatDays(row.days)} (${row.allDay} all day)`)
          : ['No minimum coverage is set.'],
    },
    {
      heading: 'Call-outs',
      lines:
        figures.callOuts.length > 0
          ? figures.callOuts.map((row) =>
              showsLeaveTypes
                ? `${row.role}: ${row.sick} sick · ${row.late} in late · ${row.leaving} leaving early · ${row.covered} covered`
                : `${row.role}: ${plural(row.sick + row.late + row.leaving, 'call-out')} · ${row.covered} covered`,
            )
          : ['None.'],
    },
    {
      heading: 'Supply spend (approved)',
      lines: [
        `${formatMoney(spend.totalCents)} ${budget}`,
        ...(spend.byCategory.length > 0
          ? [
              `By category: ${spend.byCategory.map((row) => `${row.name} ${formatMoney(row.cents)}`).join(' · ')}`,
              `By vendor: ${spend.byVendor.map((row) => `${row.name} ${formatMoney(row.cents)}`).join(' · ')}`,
            ]
          : []),
        ...(spend.unpriced > 0 ? [`${plural(spend.unpriced, 'line')} without a price, not counted`] : []),
      ],
    },
    {
      heading: 'Items counted below par',
      lines:
        figures.belowPar.length > 0
          ? figures.belowPar.map(
              (row) => `${row.name}: lowest ${row.lowest} of par ${row.par} (${plural(row.times, 'count')})`,
            )
          : ['None.'],
    },
    {
      heading: 'Complaints',
      lines:
        complaints.total > 0
          ? [
              `${complaints.total} filed`,
              `By category: ${complaints.byCategory.map((row) => `${row.category} ${row.count}`).join(' · ')}`,
              `By severity: ${complaints.bySeverity.map((row) => `${row.severity} ${row.count}`).join(' · ')}`,
              describeClock('Acknowledged', complaints.acknowledgement),
              describeClock('Resolved', complaints.resolution),
            ]
          : ['None filed.'],
    },
    {
      heading: 'Rep visits',
      lines:
        figures.repVisits.length > 0
          ? figures.repVisits.map((row) => `${row.company}: ${plural(row.visits, 'visit')}`)
          : ['None.'],
    },
    {
      heading: 'Checks',
      lines:
        figures.checks.length > 0
          ? figures.checks.map((row) => describeCheck(row, figures.period))
          : ['No recurring checks are set up.'],
    },
  ];
}

/**
 * The report as a message: the figures beside the charts that come as files with it; `showsLeaveTypes` for a
 * manager (`describeReportSections`).
 */
export function buildReportMessage(
  figures: ReportFigures,
  officeName: string,
  closing: string,
  showsLeaveTypes: boolean,
): Message {
  const title = `${officeName} — ${figures.period.label}`;
  return {
    text: `Practice report, ${figures.period.label}`,
    title,
    lines: [closing],
    sections: describeReportSections(figures, showsLeaveTypes),
  };
}
