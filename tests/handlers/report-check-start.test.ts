import { parse } from 'csv-parse/sync';
import { DateTime } from 'luxon';
import { describe, expect } from 'vitest';
import { auditLog } from '../../src/db/schema/index.ts';
import { parseReportPeriod } from '../../src/domain/report.ts';
import { CHECK_FORMS } from '../../src/handlers/checks/ids.ts';
import type { Outcome } from '../../src/handlers/kernel/message.ts';
import { describeCharts } from '../../src/handlers/report/charts.ts';
import { loadReportFigures } from '../../src/handlers/report/loaders.ts';
import { databaseTargets } from '../helpers/databases.ts';
import { createHandlerTest } from '../helpers/handler-fixture.ts';
import { buildFridgeOffice } from '../helpers/office.ts';

// The fridge is checked at 08:00 and 16:30 on weekdays, with an hour of grace.
const office = buildFridgeOffice();
const zone = office.office.timezone;
const at = (iso: string) => DateTime.fromISO(iso, { zone });
const NOW = at('2026-12-01T09:00'); // Tue
const DANA = 'U0DANA'; // manager
const ANA = 'U0ANA'; // medical assistant

const it = createHandlerTest({ office, now: NOW, command: 'report', actions: {}, forms: {} })
  .extend('recordFridge', ({ run }) => async (slot: string, when: string) => {
    await run(
      ANA,
      {
        kind: 'form',
        formId: CHECK_FORMS.reading,
        values: { 'field-temp': '4.5', action: '' },
        metadata: slot,
      },
      at(when),
    );
  })
  // The office's first day on frontdesk is that of its first audit entry: here a request filed by Ana.
  .extend('firstUsedOn', ({ db }) => async (when: string) => {
    await db.insert(auditLog).values({
      officeId: office.office.id,
      actor: 'staff:ana-cruz',
      actorName: 'Ana Cruz',
      platform: 'slack',
      action: 'timeoff.requested',
      entity: 'TO-1',
      at: at(when).toJSDate(),
    });
  });

function checkLines(outcome: Outcome): string[] {
  return outcome.reply?.sections?.find((section) => section.heading === 'Checks')?.lines ?? [];
}

function csvRows(outcome: Outcome): string[][] {
  const csv = (outcome.attachments ?? []).find((file) => file.contentType === 'text/csv');
  return parse(Buffer.from(csv?.content ?? new Uint8Array()), { bom: true, record_delimiter: '\r\n' });
}

describe.each(databaseTargets())('/report counts a check from when it came into use, on $name', (target) => {
  it.override({ target });

  it('says a month before the first reading is not yet in use, and counts a month from its first reading', async ({
    command,
    recordFridge,
  }) => {
    await recordFridge('fridge/2026-11-10/08:00', '2026-11-10T08:05'); // Tue, on time
    const june = await command(DANA, '2025-06');
    expect(checkLines(june)).toEqual(['Vaccine fridge: not yet in use']);
    expect(csvRows(june)).toContainEqual(['2025-06', 'checks', 'Vaccine fridge', 'fridge', 'in use', '0']);
    expect(csvRows(june)).toContainEqual(['2025-06', 'checks', 'Vaccine fridge', 'fridge', 'missed', '0']);
    // Nov 10–30: 14 weekdays (Thanksgiving off), two times each; one reading, on time.
    expect(checkLines(await command(DANA, '2026-11'))).toEqual([
      'Vaccine fridge (in use from Tue Nov 10): 1 of 28 (4%) on time · 0 late · 27 missed · 0 out of range',
    ]);
    // The month after counts whole.
    expect(checkLines(await command(DANA, 'this month'))).toEqual([
      'Vaccine fridge: 0 of 1 (0%) on time · 0 late · 1 missed · 0 out of range',
    ]);
  });

  it("counts a check never recorded from the office's first day on frontdesk, and one recorded from its first reading", async ({
    command,
    firstUsedOn,
    recordFridge,
  }) => {
    await firstUsedOn('2026-11-03T14:00'); // Tue
    expect(checkLines(await command(DANA, '2025-06'))).toEqual(['Vaccine fridge: not yet in use']);
    // No reading at all: missed from the first day on, Nov 3–30 (19 weekdays) twice a day.
    expect(checkLines(await command(DANA, '2026-11'))).toEqual([
      'Vaccine fridge (in use from Tue Nov 3): 0 of 38 (0%) on time · 0 late · 38 missed · 0 out of range',
    ]);
    // Once recorded, the check counts from its first reading: it may have been set up only then.
    await recordFridge('fridge/2026-11-10/08:00', '2026-11-10T09:30'); // late
    expect(checkLines(await command(DANA, '2026-11'))).toEqual([
      'Vaccine fridge (in use from Tue Nov 10): 0 of 28 (0%) on time · 1 late · 27 missed · 0 out of range',
    ]);
  });

  it('counts the whole month when the office used frontdesk before it and the check was never recorded', async ({
    command,
    firstUsedOn,
  }) => {
    await firstUsedOn('2026-10-20T10:00');
    expect(checkLines(await command(DANA, '2026-11'))).toEqual([
      'Vaccine fridge: 0 of 40 (0%) on time · 0 late · 40 missed · 0 out of range',
    ]);
  });

  it('leaves a check not yet in use out of the checks chart', async ({ db, recordFridge }) => {
    await recordFridge('fridge/2026-11-10/08:00', '2026-11-10T08:05');
    const parsed = parseReportPeriod('2025-06', NOW, zone);
    if (!parsed.ok) throw new Error('2025-06 is a month');
    const figures = await loadReportFigures(db, office, parsed.period, NOW);
    expect(figures.checks).toMatchObject([{ checkId: 'fridge', inUse: false, due: 0, missed: 0 }]);
    expect(describeCharts(figures).find((chart) => chart.slug === 'checks')?.rows).toEqual([]);
  });
});
