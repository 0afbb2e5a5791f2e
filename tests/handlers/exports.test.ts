import { DateTime } from 'luxon';
import { describe, expect } from 'vitest';
import type { OfficeConfig } from '../../src/config/office.ts';
import {
  checkReadings,
  complaints,
  credentials,
  supplyRequests,
  timeOffRequests,
} from '../../src/db/schema/index.ts';
import { readCsvAttachment } from '../helpers/csv.ts';
import { databaseTargets } from '../helpers/databases.ts';
import { createHandlerTest } from '../helpers/handler-fixture.ts';
import { buildOfficeConfig } from '../helpers/office.ts';

const base = buildOfficeConfig();
const office: OfficeConfig = {
  ...base,
  credentials: { kinds: [{ id: 'bls', name: 'BLS/CPR', requiredFor: [] }], remindDays: [30] },
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
} as OfficeConfig;
const zone = office.office.timezone;
const NOW = DateTime.fromISO('2026-11-30T09:00', { zone });
const DANA = 'U0DANA';
// More rows than any chat message could hold: the file must carry every one.
const ROWS = 120;

const it = createHandlerTest({ office, now: NOW, command: 'timeoff', actions: {}, forms: {} });

/** The instant `index` minutes into November, so rows are filed in a known order. */
const filedAt = (index: number) =>
  DateTime.fromISO('2026-11-02T08:00', { zone })
    .plus({ minutes: index * 7 })
    .toJSDate();
const person = { key: 'staff:sam-lee', name: 'Sam Lee', platform: 'slack' as const, userId: 'U0SAM' };

describe.each(databaseTargets())('every export carries every row, strictly, on $name', (target) => {
  it.override({ target });

  it('time off, supplies, complaints, the fridge log and credentials: row counts match the database, oldest first', async ({
    db,
    run,
  }) => {
    const indexes = Array.from({ length: ROWS }, (_, index) => index);
    await db.insert(timeOffRequests).values(
      indexes.map((index) => ({
        officeId: 'main',
        requesterKey: person.key,
        requesterName: `${person.name}, "the elder" =${index}`,
        requesterRole: 'front-desk',
        requesterPlatform: person.platform,
        requesterUserId: person.userId,
        startDay: '2026-12-01',
        endDay: '2026-12-01',
        part: 'full' as const,
        type: 'vacation',
        reason: `line one\nline two ${index}`,
        workingDays: 1,
        status: 'denied' as const,
        createdAt: filedAt(index),
      })),
    );
    await db.insert(supplyRequests).values(
      indexes.map((index) => ({
        officeId: 'main',
        requesterKey: person.key,
        requesterName: person.name,
        requesterPlatform: person.platform,
        requesterUserId: person.userId,
        itemName: `toner, "HP" ${index}`,
        quantity: index + 1,
        note: '=SUM(A1:A9)',
        createdAt: filedAt(index),
      })),
    );
    await db.insert(complaints).values(
      indexes.map((index) => ({
        officeId: 'main',
        reporterKey: person.key,
        reporterName: person.name,
        reporterPlatform: person.platform,
        reporterUserId: person.userId,
        about: 'patient' as const,
        category: 'billing' as const,
        severity: 'low' as const,
        description: `Charged twice, "again"\r\nsecond line ${index}`,
        ackDueDay: '2026-11-10',
        resolveDueDay: '2026-12-10',
        createdAt: filedAt(index),
      })),
    );
    await db.insert(checkReadings).values(
      indexes.map((index) => ({
        officeId: 'main',
        checkId: 'fridge',
        checkName: 'Vaccine fridge',
        day:
          DateTime.fromISO('2026-11-01')
            .plus({ days: Math.floor(index / 4) })
            .toISODate() ?? '',
        dueTime: `0${index % 4}:00`,
        values: [{ fieldId: 'temp', label: 'Temperature °C', value: '4', outOfRange: false }],
        outOfRange: false,
        recordedByKey: person.key,
        recordedByName: person.name,
        recordedByPlatform: person.platform,
        recordedAt: filedAt(index),
      })),
    );
    await db.insert(credentials).values(
      indexes.map((index) => ({
        officeId: 'main',
        holderKey: 'practice',
        holderName: 'The practice',
        name: `Lease, unit ${index}`,
        expires: DateTime.fromISO('2027-01-01').plus({ days: index }).toISODate() ?? '',
        createdByName: 'Dana Reyes',
        createdAt: filedAt(index),
      })),
    );

    const exportOf = async (command: string, text: string) =>
      readCsvAttachment(await run(DANA, { kind: 'command', command, text }));
    const exports = {
      timeOff: await exportOf('timeoff', 'export 2026'),
      supplies: await exportOf('supplies', 'export 2026-11'),
      complaints: await exportOf('complaint', 'export 2026-11'),
      fridge: await exportOf('checks', 'export fridge 2026-11'),
      credentials: await exportOf('creds', 'export'),
    };
    for (const [name, csv] of Object.entries(exports)) {
      expect(csv.rows, name).toHaveLength(ROWS);
      const references = csv.rows.map((row) => Number(row[0]?.replace(/^\D+-/, '')));
      expect(references, `${name} oldest first`).toEqual([...references].sort((a, b) => a - b));
    }
    expect(exports.timeOff.rows[0]?.[1]).toBe('Sam Lee, "the elder" =0');
    expect(exports.supplies.rows[0]?.[17]).toBe("'=SUM(A1:A9)");
    const whatHappened = exports.complaints.header.indexOf('what_happened');
    expect(exports.complaints.rows[5]?.[whatHappened]).toBe('Charged twice, "again"\r\nsecond line 5');
  });
});
