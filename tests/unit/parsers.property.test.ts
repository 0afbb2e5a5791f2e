import fc from 'fast-check';
import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import type { Db } from '../../src/db/client.ts';
import { listDays, parseDateRange } from '../../src/domain/dates.ts';
import { formatReference, parseReference, type ReferencePrefix } from '../../src/domain/references.ts';
import { MAX_SUPPLY_QUANTITY, matchCatalogItem, parseQuantity } from '../../src/domain/supplies.ts';
import { COMMAND_WORDS, FEATURES } from '../../src/handlers/index.ts';
import { parseTypedCommand } from '../../src/handlers/kernel/input.ts';
import { createRouter } from '../../src/handlers/kernel/router.ts';
import { buildHandlerContext, buildOfficeConfig } from '../helpers/office.ts';

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

// 5,001 to 100,000 UTF-16 units of a repeated random piece: cut anywhere, so lone surrogates happen too.
const hugeText = fc
  .tuple(
    fc.string({ unit: 'grapheme', minLength: 1, maxLength: 40 }),
    fc.integer({ min: 5_001, max: 100_000 }),
  )
  .map(([piece, length]) => piece.repeat(Math.ceil(length / piece.length)).slice(0, length));

// Properties that return early on a refusal also count what they accepted, and require enough of it
// (a share of the runs) so that a parser refusing everything fails instead of passing vacuously.
function expectAcceptedOften(accepted: number, runs: number): void {
  expect(accepted).toBeGreaterThanOrEqual(runs * 0.1);
}

// Dates people write, maybe with a reason: mixed into the random text so that a good share of runs parse.
const dateText = fc
  .tuple(
    fc.constantFrom(
      'dec 3',
      'tomorrow',
      'fri pm',
      '12/7',
      '2026-12-03 to 2026-12-05',
      'next mon',
      'dec 28 - jan 3',
    ),
    fc.constantFrom('', ' family visit', ' to see mom', ', dentist'),
  )
  .map(([date, reason]) => `${date}${reason}`);

describe('parseDateRange (property)', () => {
  it('never throws, and every day it accepts is a real range of at most a year, start first', () => {
    const runs = 500;
    let accepted = 0;
    fc.assert(
      fc.property(fc.oneof(typedText, dateText), (text) => {
        const parsed = parseDateRange(text, now, zone);
        if (!parsed.ok) return;
        accepted += 1;
        expect(DateTime.fromISO(parsed.start).isValid).toBe(true);
        expect(DateTime.fromISO(parsed.end).isValid).toBe(true);
        expect(parsed.start <= parsed.end).toBe(true);
        expect(['full', 'am', 'pm']).toContain(parsed.part);
        expect(parsed.part === 'full' || parsed.start === parsed.end).toBe(true);
        expect(listDays(parsed.start, parsed.end).length).toBeLessThanOrEqual(800);
      }),
      { numRuns: runs },
    );
    expectAcceptedOften(accepted, runs);
  });

  // A separate property with every run built from date words, so the seeds that found `fri - dec 13/45`
  // (6,957 days) are drawn often rather than by luck of the mixed generator.
  it('never reads a month/day-shaped word into a far year', () => {
    const dateWord = fc.oneof(
      fc.constantFrom('dec', 'fri', 'to', '-', 'tomorrow', 'pm'),
      fc.tuple(fc.integer({ min: 0, max: 99 }), fc.integer({ min: 0, max: 99 })).map(([a, b]) => `${a}/${b}`),
      fc.constantFrom('12/7', '1/15', '12/31'),
    );
    const runs = 500;
    let accepted = 0;
    fc.assert(
      fc.property(fc.array(dateWord, { minLength: 1, maxLength: 5 }), (words) => {
        const parsed = parseDateRange(words.join(' '), now, zone);
        if (!parsed.ok) return;
        accepted += 1;
        // A range whose last day comes before its first runs into the next year ("2/1 - 1/15"), no further.
        const endLimit = DateTime.fromISO(parsed.start).plus({ years: 1 }).toISODate() ?? '';
        expect(parsed.start >= '2026-08-01' && parsed.start <= '2027-12-31').toBe(true);
        expect(parsed.end <= endLimit).toBe(true);
      }),
      { numRuns: runs },
    );
    expectAcceptedOften(accepted, runs);
  });
});

describe('parseTypedCommand (property)', () => {
  it('never throws and only ever names a known command, however long the text', () => {
    fc.assert(
      fc.property(fc.oneof(typedText, hugeText), (text) => {
        const typed = parseTypedCommand(text, COMMAND_WORDS);
        if (typed.kind === 'command')
          expect(['timeoff', 'supplies', 'complaint', 'reps', 'huddle']).toContain(typed.command);
      }),
      { numRuns: 500 },
    );
  });
});

describe('parseQuantity and matchCatalogItem (property)', () => {
  it('accepts only whole quantities from 1 to the maximum', () => {
    const runs = 500;
    let accepted = 0;
    fc.assert(
      fc.property(
        fc.oneof(
          typedText,
          fc.double().map(String),
          fc.integer().map(String),
          fc.integer({ min: 1, max: MAX_SUPPLY_QUANTITY }).map(String),
        ),
        (text) => {
          const parsed = parseQuantity(text);
          if (!parsed.ok) return;
          accepted += 1;
          expect(Number.isInteger(parsed.quantity)).toBe(true);
          expect(parsed.quantity).toBeGreaterThanOrEqual(1);
          expect(parsed.quantity).toBeLessThanOrEqual(MAX_SUPPLY_QUANTITY);
        },
      ),
      { numRuns: runs },
    );
    expectAcceptedOften(accepted, runs);
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

describe('parseReference (property)', () => {
  const prefixes: ReferencePrefix[] = ['TO', 'SR', 'CP', 'RM'];
  const referenceLike = fc
    .tuple(
      fc.constantFrom('TO', 'SR', 'CP', 'RM', 'to', 'Sr', 'XX', ''),
      fc.constantFrom('-', ' ', '', '--', '\u2013'),
      fc.oneof(fc.nat().map(String), fc.bigInt().map(String), fc.constantFrom('0', '007', '1e3', '12.5')),
      fc.constantFrom('', ' ', '\n', ' x'),
    )
    .map((parts) => parts.join(''));
  // A prefix, and text that is often a well-formed reference under it, so that enough runs are read.
  const textUnderPrefix = fc.constantFrom(...prefixes).chain((prefix) =>
    fc.tuple(
      fc.oneof(
        typedText,
        referenceLike,
        fc.integer({ min: 1, max: 999_999_999 }).map((number) => `${prefix}-${number}`),
      ),
      fc.constant(prefix),
    ),
  );

  it('reads only a whole number from 1 to 999,999,999, and only under its own prefix', () => {
    const runs = 1_000;
    let accepted = 0;
    fc.assert(
      fc.property(textUnderPrefix, ([text, prefix]) => {
        const number = parseReference(text, prefix);
        if (number === undefined) return;
        accepted += 1;
        expect(Number.isSafeInteger(number)).toBe(true);
        expect(number).toBeGreaterThanOrEqual(1);
        expect(number).toBeLessThanOrEqual(999_999_999);
        const written = /^\s*([a-z]{2})/i.exec(text)?.[1];
        if (written) expect(written.toUpperCase()).toBe(prefix);
        expect(parseReference(formatReference(prefix, number), prefix)).toBe(number);
      }),
      { numRuns: runs },
    );
    expectAcceptedOften(accepted, runs);
  });
});

describe('createRouter with every feature (property)', () => {
  const router = createRouter(FEATURES);
  // Any use of the database fails the property: over-long text must be refused before a parser or query runs.
  const untouchable = new Proxy({} as Db, {
    get() {
      throw new Error('the database was used');
    },
  });
  const ctx = buildHandlerContext(untouchable, { now });

  it('is refused by the router above 5,000 characters, for every command, before any parser or query', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...COMMAND_WORDS), hugeText, async (command, text) => {
        const outcome = await router.route({ kind: 'command', command, text }, ctx);
        expect(outcome.effects).toEqual([]);
        expect(outcome.reply?.text).toMatch(
          /^That is [\d,]+ characters; frontdesk reads at most 5,000\. Please shorten it\. Nothing was saved\.$/,
        );
      }),
      { numRuns: 50 },
    );
  });
});
