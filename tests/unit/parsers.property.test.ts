import fc from 'fast-check';
import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { listDays, parseDateRange } from '../../src/domain/dates.ts';
import { MAX_SUPPLY_QUANTITY, matchCatalogItem, parseQuantity } from '../../src/domain/supplies.ts';
import { parseTypedCommand } from '../../src/handlers/input.ts';
import { buildOfficeConfig } from '../helpers/office.ts';

const office = buildOfficeConfig();
const zone = office.office.timezone;
const now = DateTime.fromISO('2026-11-25T22:30', { zone }); // Wed, late evening: already Thursday in UTC

// Text people might type: any Unicode, date-like fragments, and strings as long as the router lets through.
const typedText = fc.oneof(
  fc.string({ unit: 'grapheme', maxLength: 200 }),
  fc.string({ unit: 'binary', maxLength: 200 }),
  fc
    .array(
      fc.constantFrom(
        'dec',
        '1',
        'to',
        '-',
        'am',
        'pm',
        'tomorrow',
        'fri',
        'next',
        '2026-12-03',
        '13/45',
        '–',
        'through',
      ),
      { maxLength: 8 },
    )
    .map((words) => words.join(' ')),
  // The router refuses longer text before any parser sees it.
  fc.constantFrom('', ' ', '\u0000', 'x'.repeat(5_000), '1 '.repeat(2_500)),
);

describe('parseDateRange (property)', () => {
  it('never throws, and every day it accepts is a real range of at most a year, start first', () => {
    fc.assert(
      fc.property(typedText, (text) => {
        const parsed = parseDateRange(text, now, zone);
        if (!parsed.ok) return;
        expect(DateTime.fromISO(parsed.start).isValid).toBe(true);
        expect(DateTime.fromISO(parsed.end).isValid).toBe(true);
        expect(parsed.start <= parsed.end).toBe(true);
        expect(['full', 'am', 'pm']).toContain(parsed.part);
        expect(parsed.part === 'full' || parsed.start === parsed.end).toBe(true);
        expect(listDays(parsed.start, parsed.end).length).toBeLessThanOrEqual(800);
      }),
      { numRuns: 500 },
    );
  });
});

describe('parseTypedCommand (property)', () => {
  it('never throws and only ever names a known command', () => {
    fc.assert(
      fc.property(typedText, (text) => {
        const typed = parseTypedCommand(text);
        if (typed.kind === 'command')
          expect(['timeoff', 'supplies', 'complaint', 'reps', 'huddle']).toContain(typed.command);
      }),
      { numRuns: 500 },
    );
  });
});

describe('parseQuantity and matchCatalogItem (property)', () => {
  it('accepts only whole quantities from 1 to the maximum', () => {
    fc.assert(
      fc.property(fc.oneof(typedText, fc.double().map(String), fc.integer().map(String)), (text) => {
        const parsed = parseQuantity(text);
        if (!parsed.ok) return;
        expect(Number.isInteger(parsed.quantity)).toBe(true);
        expect(parsed.quantity).toBeGreaterThanOrEqual(1);
        expect(parsed.quantity).toBeLessThanOrEqual(MAX_SUPPLY_QUANTITY);
      }),
      { numRuns: 500 },
    );
  });

  it('never throws on any item text', () => {
    fc.assert(
      fc.property(typedText, (text) => {
        const match = matchCatalogItem(text, office.supplies.catalog);
        expect(['item', 'close', 'none']).toContain(match.kind);
      }),
      { numRuns: 300 },
    );
  });
});
