/**
 * The report's charts as PNG images, drawn on the server.
 *
 * Why these libraries: Vega-Lite (`vega-lite`, compiled by `vega` to SVG with no canvas and no browser) is a
 * maintained, declarative charting grammar: a chart is a small JSON spec, not drawing code. `@resvg/resvg-js`
 * rasterises the SVG; it ships its native renderer as prebuilt per-platform npm packages (optional
 * dependencies), so `npm ci` downloads nothing at install time and needs no compiler, unlike node-canvas.
 * resvg draws text only with fonts it is given: Inter's TTF files come from `@expo-google-fonts/inter` (the
 * `@fontsource` packages ship only WOFF/WOFF2, which resvg cannot read), and system fonts are never
 * loaded, so a chart looks the same on every machine.
 */
import { createRequire } from 'node:module';
import { Resvg } from '@resvg/resvg-js';
import { parse, View } from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';
import type { ReportFigures } from '../../domain/report.ts';
import type { Attachment } from '../kernel/message.ts';

/** A chart's size in CSS pixels; the PNG is drawn at twice that, sharp on high-density screens. */
export const CHART_WIDTH = 720;
export const CHART_HEIGHT = 360;
export const CHART_SCALE = 2;

const require = createRequire(import.meta.url);
const FONT_FILES = [
  require.resolve('@expo-google-fonts/inter/400Regular/Inter_400Regular.ttf'),
  require.resolve('@expo-google-fonts/inter/600SemiBold/Inter_600SemiBold.ttf'),
];
const FONT = 'Inter';

type Row = Record<string, string | number>;

// What XML 1.0 may not hold (controls but tab and line breaks, half a surrogate pair, U+FFFE and U+FFFF) and
// the other noncharacters: resvg refuses an SVG with any of them, and rows stored by older builds may.
const NOT_XML_TEXT = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]|\p{Noncharacter_Code_Point}/gu;

/** The row with every label drawable: a name with a character XML forbids loses that character. */
function toDrawableRow(row: Row): Row {
  return Object.fromEntries(
    Object.entries(row).map(([field, value]) => [
      field,
      typeof value === 'string' ? value.replace(NOT_XML_TEXT, '') : value,
    ]),
  );
}

interface ChartSpec {
  /** the file's name after the month: `time-off` → `report-2026-11-time-off.png` */
  slug: string;
  title: string;
  rows: Row[];
  /** the Vega-Lite view: marks and encodings, given the rows as its data */
  view: Record<string, unknown>;
}

/** The chart's whole spec: a fixed size that includes axes and legend, so every PNG has the same dimensions. */
function toVegaLite(chart: ChartSpec): TopLevelSpec {
  const empty = chart.rows.length === 0;
  return {
    width: CHART_WIDTH,
    height: CHART_HEIGHT,
    autosize: { type: 'fit', contains: 'padding' },
    padding: 12,
    background: 'white',
    config: {
      font: FONT,
      title: { fontSize: 16, fontWeight: 600, anchor: 'start' },
      axis: { labelFontSize: 12, titleFontSize: 12, labelLimit: 220 },
      legend: { labelFontSize: 12, titleFontSize: 12 },
    },
    title: empty ? { text: chart.title, subtitle: 'None this month' } : chart.title,
    data: { values: chart.rows.map(toDrawableRow) },
    ...chart.view,
    // The view's marks and encodings are built from the literals below; Vega-Lite checks them when compiling.
  } as TopLevelSpec;
}

/** SVG from Vega-Lite, with no renderer and no loader: the data is inline, nothing is fetched. */
async function renderSvg(spec: TopLevelSpec): Promise<string> {
  const view = new View(parse(compile(spec).spec), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

function rasterise(svg: string): Uint8Array {
  const resvg = new Resvg(svg, {
    font: { fontFiles: FONT_FILES, loadSystemFonts: false, defaultFontFamily: FONT },
    fitTo: { mode: 'zoom', value: CHART_SCALE },
  });
  return new Uint8Array(resvg.render().asPng());
}

const horizontalBars = (y: string, x: string, color?: string): Record<string, unknown> => ({
  mark: { type: 'bar', tooltip: false },
  encoding: {
    y: { field: y, type: 'nominal', title: null, sort: null },
    x: { field: x, type: 'quantitative', title: x, axis: { tickMinStep: 1 } },
    ...(color ? { color: { field: color, type: 'nominal', title: null, sort: null } } : {}),
  },
});

/** The six charts of the report, each from the same figures as its section of text. */
export function describeCharts(figures: ReportFigures): ChartSpec[] {
  const { spend, complaints } = figures;
  const budget = spend.budgetCents === undefined ? [] : [{ budget: spend.budgetCents / 100 }];
  return [
    {
      slug: 'time-off',
      title: 'Time off taken by role (working days)',
      rows: figures.timeOff.map((row) => ({ role: row.role, type: row.type, days: row.days })),
      view: horizontalBars('role', 'days', 'type'),
    },
    {
      slug: 'coverage',
      title: `Days below coverage per role (of ${figures.workingDays} working days)`,
      rows: figures.coverage.map((row) => ({ role: row.role, days: row.days })),
      view: horizontalBars('role', 'days'),
    },
    {
      slug: 'supply-spend',
      title: 'Supply spend by category against the monthly budget ($)',
      rows: spend.byCategory.map((row) => ({ month: 'Spend', category: row.name, dollars: row.cents / 100 })),
      view: {
        layer: [
          horizontalBars('month', 'dollars', 'category'),
          ...(budget.length > 0
            ? [
                {
                  data: { values: budget },
                  mark: { type: 'rule', color: '#c0392b', strokeWidth: 3 },
                  encoding: { x: { field: 'budget', type: 'quantitative' } },
                },
              ]
            : []),
        ],
      },
    },
    {
      slug: 'complaints',
      title: 'Complaints: acknowledged and resolved on time',
      rows:
        complaints.total === 0
          ? []
          : (
              [
                ['Acknowledged', complaints.acknowledgement],
                ['Resolved', complaints.resolution],
              ] as const
            ).flatMap(([clock, record]) => [
              { clock, outcome: 'On time', complaints: record.onTime },
              { clock, outcome: 'Late', complaints: record.due - record.onTime },
              { clock, outcome: 'Still within time', complaints: record.running },
            ]),
      view: horizontalBars('clock', 'complaints', 'outcome'),
    },
    {
      slug: 'rep-visits',
      title: 'Rep visits by company',
      rows: figures.repVisits.map((row) => ({ company: row.company, visits: row.visits })),
      view: horizontalBars('company', 'visits'),
    },
    {
      slug: 'checks',
      title: 'Checks: done on time, late, missed and out of range',
      // A check not yet in use that month has nothing to draw (its line in the text says so).
      rows: figures.checks
        .filter((row) => row.inUse)
        .flatMap((row) => [
          { check: row.name, outcome: 'On time', times: row.onTime },
          { check: row.name, outcome: 'Late', times: row.late },
          { check: row.name, outcome: 'Missed', times: row.missed },
          { check: row.name, outcome: 'Out of range', times: row.outOfRange },
        ]),
      view: {
        mark: { type: 'bar', tooltip: false },
        encoding: {
          y: { field: 'check', type: 'nominal', title: null, sort: null },
          yOffset: { field: 'outcome', type: 'nominal', sort: null },
          x: { field: 'times', type: 'quantitative', title: 'times', axis: { tickMinStep: 1 } },
          color: { field: 'outcome', type: 'nominal', title: null, sort: null },
        },
      },
    },
  ];
}

/** Every chart of the report as a PNG attachment, `CHART_WIDTH × CHART_SCALE` by `CHART_HEIGHT × CHART_SCALE` pixels. */
export async function renderReportCharts(figures: ReportFigures): Promise<Attachment[]> {
  const attachments: Attachment[] = [];
  for (const chart of describeCharts(figures)) {
    attachments.push({
      name: `report-${figures.period.key}-${chart.slug}.png`,
      contentType: 'image/png',
      content: rasterise(await renderSvg(toVegaLite(chart))),
      title: `${chart.title}, ${figures.period.label} (chart)`,
    });
  }
  return attachments;
}
