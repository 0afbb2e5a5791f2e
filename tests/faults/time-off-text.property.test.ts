import fc from 'fast-check';
import { DateTime } from 'luxon';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/client.ts';
import { timeOffRequests } from '../../src/db/schema/index.ts';
import { getOfficeDay, getPlanningWindow, listDays } from '../../src/domain/dates.ts';
import { MAX_REQUEST_CALENDAR_DAYS } from '../../src/domain/time-off.ts';
import { dispatchInput } from '../../src/handlers/kernel/dispatch.ts';
import { databaseTargets } from '../helpers/databases.ts';
import { buildDispatchDeps, replyText } from '../helpers/dispatch.ts';
import { createRecordingLogger } from '../helpers/logger.ts';
import { buildOfficeConfig, buildPerson } from '../helpers/office.ts';

const office = buildOfficeConfig();
const zone = office.office.timezone;
const NOW = DateTime.fromISO('2026-11-25T10:00', { zone }); // Wed
const TYPES = ['vacation', 'sick', 'personal', 'education', 'other'];

// What people type after /timeoff: a date or range (good, past, backwards, impossible, too long), maybe a
// type word, maybe a reason; or anything at all.
const dates = fc.constantFrom(
  'dec 1',
  'dec 1 to dec 3',
  'tomorrow',
  'fri',
  'fri pm',
  'next mon am',
  'on dec 2',
  '2026-12-01',
  '12/7',
  'dec 28 - jan 3',
  'jan 5 through feb 20',
  '2026-12-01 to 2027-03-01',
  'dec 3 to dec 1',
  'feb 30',
  'nov 20',
  'sat',
  '2027-02-29',
  'dec 8 pm to dec 9',
  'fri - dec 13/45',
  '9999-12-31',
  'dec 1 2099',
);
const typeWords = fc.constantFrom(
  '',
  'vacation',
  'Sick',
  'CME',
  'ce:',
  'personal,',
  'education',
  'other',
  'holiday',
);
const reasons = fc.oneof(
  fc.string({ unit: 'grapheme', maxLength: 60 }),
  fc.string({ unit: 'binary', maxLength: 60 }),
  fc.constant('x'.repeat(501)),
);
const commandText = fc.oneof(
  // Weighted so that enough runs file a request for the checks on stored rows to mean something.
  { arbitrary: fc.tuple(dates, typeWords, reasons).map((parts) => parts.join(' ')), weight: 4 },
  fc.string({ unit: 'grapheme', maxLength: 200 }),
  fc.string({ unit: 'binary', maxLength: 200 }),
  // NUL and half a surrogate pair: PostgreSQL refuses both in text or jsonb.
  fc.constantFrom(
    '',
    '   ',
    'help',
    'list',
    'cancel TO-1',
    '\u0000',
    'dec 1 family\u0000visit',
    'dec 1 \ud800',
  ),
);

describe.each(databaseTargets())(
  '/timeoff text through dispatch, the router and the handler (property), on $name',
  ({ open }) => {
    let database: Database;

    beforeAll(async () => {
      database = await open();
    });
    afterAll(async () => {
      await database?.close();
    });

    it('never fails, and files only a pending request of a known type, start first, of at most 60 days', async () => {
      const deps = buildDispatchDeps(database.db, office, createRecordingLogger('silent').logger);
      const sam = buildPerson(office);
      const runs = 200;
      let filedCount = 0;
      await fc.assert(
        fc.asyncProperty(commandText, async (text) => {
          // Each run starts from an empty table: a filing would otherwise refuse later ones as overlapping.
          await database.db.delete(timeOffRequests);
          const outcome = await dispatchInput(
            deps,
            sam,
            {
              kind: 'command',
              command: 'timeoff',
              text,
              deliveryId: `property-${filedCount}-${Math.random()}`,
            },
            NOW,
          );
          expect(replyText(outcome)).not.toContain('something went wrong');
          const filed = await database.db.select().from(timeOffRequests);
          expect(filed.length).toBeLessThanOrEqual(1);
          const [row] = filed;
          if (!row) {
            expect(outcome.effects).toEqual([]);
            return;
          }
          filedCount += 1;
          expect(outcome.reply?.text).toMatch(/^Time off requested: TO-\d+/);
          expect(row.status).toBe('pending');
          expect(TYPES).toContain(row.type);
          expect(row.startDay <= row.endDay).toBe(true);
          expect(row.startDay >= getOfficeDay(NOW, zone)).toBe(true);
          expect(row.endDay <= getPlanningWindow(NOW, zone).last).toBe(true);
          const calendarDays = listDays(row.startDay, row.endDay).length;
          expect(calendarDays).toBeLessThanOrEqual(MAX_REQUEST_CALENDAR_DAYS);
          expect(row.workingDays).toBeGreaterThan(0);
          expect(row.workingDays).toBeLessThanOrEqual(calendarDays);
          expect(row.part === 'full' || row.startDay === row.endDay).toBe(true);
          expect(row.reason.length).toBeLessThanOrEqual(500);
        }),
        { numRuns: runs },
      );
      // Not vacuous: the generator's dates are accepted often enough for the checks above to run.
      expect(filedCount).toBeGreaterThanOrEqual(runs * 0.1);
    });
  },
);
