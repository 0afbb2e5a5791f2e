import { parse } from 'csv-parse/sync';
import { DateTime } from 'luxon';
import { PNG } from 'pngjs';
import { describe, expect } from 'vitest';
import type { OfficeConfig } from '../../src/config/office.ts';
import { outbox, repMeetings } from '../../src/db/schema/index.ts';
import { CHECK_FORMS } from '../../src/handlers/checks/ids.ts';
import { COMPLAINT_ACTIONS } from '../../src/handlers/complaints/ids.ts';
import type { Input } from '../../src/handlers/kernel/input.ts';
import type { Outcome } from '../../src/handlers/kernel/message.ts';
import { CHART_HEIGHT, CHART_SCALE, CHART_WIDTH } from '../../src/handlers/report/charts.ts';
import { SUPPLIES_ACTIONS } from '../../src/handlers/supplies/ids.ts';
import { TIME_OFF_ACTIONS } from '../../src/handlers/time-off/ids.ts';
import { databaseTargets } from '../helpers/databases.ts';
import { findReference, replyText } from '../helpers/dispatch.ts';
import { createHandlerTest } from '../helpers/handler-fixture.ts';
import { findScheduledJob } from '../helpers/jobs.ts';
import { buildOfficeConfig } from '../helpers/office.ts';

const office: OfficeConfig = buildOfficeConfig({
  checks: [
    {
      id: 'fridge',
      name: 'Vaccine fridge',
      times: ['08:00'],
      days: ['mon', 'tue', 'wed', 'thu', 'fri'],
      assignee: { role: 'medical-assistant' },
      fields: [{ id: 'temp', label: 'Temperature °C', type: 'number', min: 2, max: 8 }],
      graceMinutes: 60,
    },
  ],
});
const zone = office.office.timezone;
const at = (iso: string) => DateTime.fromISO(iso, { zone });
const NOW = at('2026-12-01T09:00'); // Tue, the first working day of December
const DANA = 'U0DANA'; // manager
const OMAR = 'U0OMAR'; // physician, manager
const SAM = 'U0SAM'; // front desk
const PRIYA = 'U0PRIYA'; // front desk
const ANA = 'U0ANA'; // medical assistant
const MARCUS = 'U0MARCUS'; // medical assistant
const LUIS = 'U0LUIS'; // billing
const COMPLAINT_TEXT = 'The nurse told my neighbour about my diagnosis';
const STAFF_NAMES = office.staff.map((member) => member.name);

const monthlyJob = findScheduledJob('monthly-report');

/** Every text a reply and its files hold, to look for what must never be in a report. */
function everything(outcome: Outcome): string {
  const reply = outcome.reply;
  const sections = (reply?.sections ?? []).flatMap((section) => [section.heading, ...section.lines]);
  const files = (outcome.attachments ?? []).map(
    (file) => `${file.name}\n${file.title}\n${Buffer.from(file.content).toString('latin1')}`,
  );
  return [replyText(outcome), ...sections, ...files].join('\n');
}

function section(outcome: Outcome, heading: RegExp): string[] {
  return outcome.reply?.sections?.find((candidate) => heading.test(candidate.heading))?.lines ?? [];
}

const it = createHandlerTest({
  office,
  now: NOW,
  command: 'report',
  actions: {},
  forms: {},
  jobs: [monthlyJob],
})
  .extend(
    'as',
    ({ run }) =>
      (userId: string, when: string, input: Input): Promise<Outcome> =>
        run(userId, input, at(when)),
  )
  .extend('seedNovember', ({ as }) => async () => {
    const type = (userId: string, when: string, command: string, text: string) =>
      as(userId, when, { kind: 'command', command, text });
    const press = (userId: string, when: string, actionId: string, value: string) =>
      as(userId, when, { kind: 'action', actionId, value });
    // Time off: Priya's runs over the month's start (one working day in November), Sam's is sick leave,
    // and both medical assistants are away on Wed Nov 18, leaving the role below its minimum all day.
    for (const [userId, text, when] of [
      [PRIYA, '2026-10-30 to 2026-11-02 vacation', '2026-10-20T09:00'],
      [SAM, '2026-11-16 to 2026-11-17 sick', '2026-11-09T09:00'],
      [ANA, '2026-11-18 vacation', '2026-11-09T09:00'],
      [MARCUS, '2026-11-18 personal', '2026-11-09T09:00'],
    ] as const) {
      const reference = findReference(await type(userId, when, 'timeoff', text), 'TO');
      await press(DANA, when, TIME_OFF_ACTIONS.approve, reference);
    }
    await type(LUIS, '2026-11-10T07:30', 'out', 'sick');
    // Supplies: two approved lines ($50.00 of PPE from Medline, $37.80 of injections from Henry Schein), one count below par.
    for (const text of ['4 GLV-M', '2 SYR-3']) {
      const reference = findReference(await type(SAM, '2026-11-03T09:00', 'supplies', text), 'SR');
      await press(DANA, '2026-11-03T10:00', SUPPLIES_ACTIONS.approve, reference);
    }
    await type(DANA, '2026-11-05T09:00', 'supplies', 'stock GLV-M 3');
    // A complaint acknowledged within its two working days.
    const complaint = findReference(await type(SAM, '2026-11-04T09:00', 'complaint', COMPLAINT_TEXT), 'CP');
    await press(DANA, '2026-11-05T09:00', COMPLAINT_ACTIONS.acknowledge, complaint);
    // Two visits of one company, however it is written.
    await type(SAM, '2026-11-09T09:00', 'reps', 'book 2026-11-17 12:00 Jordan Smith from Acme Pharma');
    await type(SAM, '2026-11-09T09:00', 'reps', 'book 2026-11-18 12:00 Lee Wong from ACME pharma');
    // The fridge: on time and in range on Tue Nov 10, late and out of range on Wed Nov 11, never else.
    await as(ANA, '2026-11-10T08:05', {
      kind: 'form',
      formId: CHECK_FORMS.reading,
      values: { 'field-temp': '4.5', action: '' },
      metadata: 'fridge/2026-11-10/08:00',
    });
    await as(ANA, '2026-11-11T10:30', {
      kind: 'form',
      formId: CHECK_FORMS.reading,
      values: { 'field-temp': '9.1', action: 'Moved the vaccines to the spare fridge' },
      metadata: 'fridge/2026-11-11/08:00',
    });
  });

describe.each(databaseTargets())('/report on $name', (target) => {
  it.override({ target });

  it('gives a manager November’s figures beside its charts', async ({ command, seedNovember }) => {
    await seedNovember();
    const report = await command(DANA, '2026-11');
    expect(report.reply?.title).toBe('Riverside Family Practice — November 2026');
    expect(section(report, /^Time off/)).toEqual([
      'Front desk · Sick: 2 days (1 request)',
      'Front desk · Vacation: 1 day (1 request)',
      'Medical assistant · Personal: 1 day (1 request)',
      'Medical assistant · Vacation: 1 day (1 request)',
    ]);
    expect(section(report, /^Days below coverage \(of 20 working days\)$/)).toEqual([
      'Front desk: 0 days (0 all day)',
      'Medical assistant: 1 day (1 all day)',
      'Physician: 0 days (0 all day)',
    ]);
    expect(section(report, /^Call-outs/)).toEqual([
      'Billing: 1 sick · 0 in late · 0 leaving early · 0 covered',
    ]);
    expect(section(report, /^Supply spend/)).toEqual([
      '$87.80 of $1,500.00 budget (6%)',
      'By category: PPE $50.00 · Injections $37.80',
      'By vendor: Medline $50.00 · Henry Schein $37.80',
    ]);
    expect(section(report, /below par/)).toEqual(['Nitrile gloves (M): lowest 3 of par 10 (1 count)']);
    expect(section(report, /^Complaints/)).toEqual([
      '1 filed',
      'By category: Other 1',
      'By severity: Medium 1',
      'Acknowledged on time: 1 of 1 (100%)',
      'Resolved on time: none due · 1 still within the time allowed',
    ]);
    expect(section(report, /^Rep visits/)).toEqual(['Acme Pharma: 2 visits']);
    expect(section(report, /^Checks/)).toEqual([
      // Counted from its first reading (Tue Nov 10): 14 working days, Thanksgiving off.
      'Vaccine fridge (in use from Tue Nov 10): 1 of 14 (7%) on time · 1 late · 12 missed · 1 out of range',
    ]);
  });

  it('never shows a complaint’s text or whose leave was of which type, in text, charts or CSV', async ({
    command,
    seedNovember,
  }) => {
    await seedNovember();
    const all = everything(await command(DANA, '2026-11'));
    expect(all).not.toContain('diagnosis');
    expect(all).not.toContain('neighbour');
    for (const name of STAFF_NAMES) expect(all).not.toContain(name);
  });

  it('sends one PNG per chart at its fixed size, and a strict RFC 4180 CSV of the figures', async ({
    command,
    seedNovember,
  }) => {
    await seedNovember();
    const report = await command(DANA, '2026-11');
    const pngs = (report.attachments ?? []).filter((file) => file.contentType === 'image/png');
    expect(pngs.map((file) => file.name)).toEqual([
      'report-2026-11-time-off.png',
      'report-2026-11-coverage.png',
      'report-2026-11-supply-spend.png',
      'report-2026-11-complaints.png',
      'report-2026-11-rep-visits.png',
      'report-2026-11-checks.png',
    ]);
    for (const file of pngs) {
      const image = PNG.sync.read(Buffer.from(file.content));
      expect([image.width, image.height]).toEqual([CHART_WIDTH * CHART_SCALE, CHART_HEIGHT * CHART_SCALE]);
    }
    const csv = (report.attachments ?? []).find((file) => file.contentType === 'text/csv');
    expect(csv?.name).toBe('report-2026-11.csv');
    const bytes = Buffer.from(csv?.content ?? new Uint8Array());
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = bytes.toString('utf8');
    expect(text.replaceAll('\r\n', '')).not.toMatch(/[\r\n]/);
    const rows: string[][] = parse(bytes, {
      bom: true,
      record_delimiter: '\r\n',
      relax_quotes: false,
      relax_column_count: false,
      skip_empty_lines: false,
    });
    expect(rows[0]).toEqual(['month', 'section', 'group', 'detail', 'measure', 'value']);
    expect(rows).toContainEqual(['2026-11', 'supply spend', 'total', '', 'dollars', '87.8']);
    expect(rows).toContainEqual(['2026-11', 'below coverage', 'Medical assistant', '', 'days', '1']);
    expect(rows).toContainEqual(['2026-11', 'time off', 'Front desk', 'Sick', 'working days', '2']);
    expect(rows).toContainEqual(['2026-11', 'rep visits', 'Acme Pharma', '', 'visits', '2']);
  });

  it('draws every chart when a rep company holds a noncharacter, typed now or stored by an older build', async ({
    as,
    command,
    db,
  }) => {
    const booked = await as(SAM, '2026-11-09T09:00', {
      kind: 'command',
      command: 'reps',
      text: 'book 2026-11-17 12:00 Jordan Smith from Acme\uFFFF Pharma',
    });
    expect(replyText(booked)).toMatch(/RM-\d+/);
    const typed = await command(DANA, '2026-11');
    expect(section(typed, /^Rep visits/)).toEqual(['Acme Pharma: 1 visit']);
    // What an older build stored as typed: XML forbids U+FFFF, a control character and half a surrogate pair.
    await db.update(repMeetings).set({ company: 'Acme\uFFFF\u0001\uD800 Pharma' });
    const stored = await command(DANA, '2026-11');
    expect(stored.reply?.title).toBe('Riverside Family Practice — November 2026');
    expect((stored.attachments ?? []).filter((file) => file.contentType === 'image/png')).toHaveLength(6);
  });

  it('refuses anyone but a manager, and a month that has not started', async ({ command }) => {
    const refused = await command(SAM, '2026-11');
    expect(replyText(refused)).toContain('Only Dana Reyes or Dr. Omar Haddad can see the practice report.');
    expect(refused.attachments).toBeUndefined();
    expect(replyText(await command(DANA, '2027-01'))).toContain('2027-01 has not started yet.');
    expect(replyText(await command(DANA, 'soon'))).toContain('"soon" is not a month I can read.');
    expect(replyText(await command(DANA, '0000-01'))).toContain('"0000-01" is not a month I can read.');
  });

  it('reads the last full month by default and the month so far with `this month`', async ({ command }) => {
    expect((await command(DANA, '')).reply?.title).toBe('Riverside Family Practice — November 2026');
    const soFar = await command(DANA, 'this month');
    expect(soFar.reply?.title).toBe('Riverside Family Practice — December 2026 so far');
    expect(section(soFar, /^Days below coverage/).length).toBeGreaterThan(0);
    expect(section(soFar, /^Checks/)).toEqual([
      // Today's 08:00 check is past its hour of grace at 09:00 and was not recorded.
      'Vaccine fridge: 0 of 1 (0%) on time · 0 late · 1 missed · 0 out of range',
    ]);
  });

  it('DMs each manager November’s figures once at reminders.time on the first working day, across two schedulers', async ({
    db,
    seedNovember,
    schedulerAt,
  }) => {
    await seedNovember();
    await db.delete(outbox);
    expect((await schedulerAt(() => at('2026-12-01T09:59')).tick())['monthly-report']).toBe('not-due');
    const clock = () => at('2026-12-01T10:00');
    const results = await Promise.all([schedulerAt(clock).tick(), schedulerAt(clock).tick()]);
    expect(results.map((result) => result['monthly-report']).sort()).toEqual(['ran', 'taken']);
    expect((await schedulerAt(() => at('2026-12-02T10:00')).tick())['monthly-report']).toBe('taken');
    const dms = (await db.select().from(outbox)).filter((row) => row.kind === 'dm');
    expect(dms.map((row) => row.target).sort()).toEqual([DANA, OMAR].sort());
    for (const dm of dms) {
      expect(dm.message.title).toBe('Riverside Family Practice — November 2026');
      expect(dm.message.lines).toEqual(['/report 2026-11 gives the charts and a CSV of these figures.']);
      expect(JSON.stringify(dm.message)).not.toContain('diagnosis');
    }
  });

  it('sends it only to report.to when set', async ({ db, schedulerAt }) => {
    const toDana: OfficeConfig = { ...office, report: { to: ['Dana Reyes'] } };
    expect((await schedulerAt(() => at('2026-12-01T10:00'), toDana).tick())['monthly-report']).toBe('ran');
    const dms = (await db.select().from(outbox)).filter((row) => row.kind === 'dm');
    expect(dms.map((row) => row.target)).toEqual([DANA]);
  });

  it('sends a non-manager in report.to time off and call-outs by role alone, never by leave type or kind', async ({
    db,
    seedNovember,
    schedulerAt,
  }) => {
    await seedNovember();
    await db.delete(outbox);
    const toLuisToo: OfficeConfig = { ...office, report: { to: ['Dana Reyes', 'Luis Ortega'] } };
    expect((await schedulerAt(() => at('2026-12-01T10:00'), toLuisToo).tick())['monthly-report']).toBe('ran');
    const dms = (await db.select().from(outbox)).filter((row) => row.kind === 'dm');
    const sectionTo = (target: string, heading: RegExp) =>
      dms.find((row) => row.target === target)?.message.sections?.find((s) => heading.test(s.heading))?.lines;
    expect(sectionTo(DANA, /^Time off/)).toContain('Front desk · Sick: 2 days (1 request)');
    expect(sectionTo(LUIS, /^Time off/)).toEqual([
      'Front desk: 3 days (2 requests)',
      'Medical assistant: 2 days (2 requests)',
    ]);
    expect(sectionTo(LUIS, /^Call-outs/)).toEqual(['Billing: 1 call-out · 0 covered']);
    const toLuis = JSON.stringify(dms.find((row) => row.target === LUIS)?.message);
    expect(toLuis).not.toMatch(/sick|vacation|personal|in late|leaving early/i);
  });

  it('points a manager in report.to to /report, and a non-manager, whom /report refuses, to a manager', async ({
    db,
    command,
    schedulerAt,
  }) => {
    const toLuisToo: OfficeConfig = { ...office, report: { to: ['Dana Reyes', 'Luis Ortega'] } };
    expect((await schedulerAt(() => at('2026-12-01T10:00'), toLuisToo).tick())['monthly-report']).toBe('ran');
    const dms = (await db.select().from(outbox)).filter((row) => row.kind === 'dm');
    const closingTo = (target: string) => dms.find((row) => row.target === target)?.message.lines;
    expect(closingTo(DANA)).toEqual(['/report 2026-11 gives the charts and a CSV of these figures.']);
    expect(closingTo(LUIS)).toEqual(['Ask a manager for the charts and a CSV of these figures.']);
    expect(replyText(await command(LUIS, '2026-11'))).toContain('Only');
  });
});
