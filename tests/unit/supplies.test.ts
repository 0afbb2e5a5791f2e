import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { getOfficeMonth } from '../../src/domain/dates.ts';
import {
  type CatalogItem,
  canCancelSupplyRequest,
  canTransitionSupply,
  checkSupplyStep,
  computeLineCostCents,
  formatMoney,
  listReorderSuggestions,
  matchCatalogItem,
  normalizeWords,
  parseQuantity,
  readUrgency,
  type SpendEntry,
  type SupplyStatus,
  type SupplyStep,
  splitWrittenItem,
  suggestReorderQuantity,
  sumApprovedSpend,
  sumIncoming,
  summarizeBudget,
  toCents,
} from '../../src/domain/supplies.ts';
import { formatCsvRow } from '../../src/handlers/kernel/csv.ts';

const zone = 'America/New_York';

const catalog: CatalogItem[] = [
  { sku: 'GLV-S', name: 'Nitrile gloves (S)', unit: 'box', par: 6, price: 12.5 },
  { sku: 'GLV-M', name: 'Nitrile gloves (M)', unit: 'box', par: 10, price: 12.5 },
  { sku: 'GLV-L', name: 'Nitrile gloves (L)', unit: 'box', par: 8, price: 12.5 },
  { sku: 'PPR-EX', name: 'Exam table paper', unit: 'roll', par: 12 },
  { sku: 'MSK-PR', name: 'Procedure masks', unit: 'box', par: 8 },
  { sku: 'ALC-PAD', name: 'Alcohol prep pads', unit: 'box', par: 10 },
  { sku: 'SYR-3', name: 'Syringes 3 mL', unit: 'box', par: 4 },
  { sku: 'TONG-DEP', name: 'Tongue depressors', unit: 'box', par: 3 },
  { sku: 'HND-SAN', name: 'Hand sanitizer 16 oz', unit: 'bottle', par: 8 },
];

const ALL_STATUSES: SupplyStatus[] = ['pending', 'approved', 'ordered', 'received', 'denied', 'cancelled'];
const STEPS: SupplyStep[] = ['approved', 'ordered', 'received', 'denied', 'cancelled'];

describe('parseQuantity', () => {
  it.each([
    ['4', 4],
    ['1', 1],
    ['1000', 1000],
    ['1,000', 1000],
    ['4x', 4],
    ['x4', 4],
    ['+3', 3],
    ['2.0', 2],
  ])('reads %s as %d', (text, quantity) => {
    expect(parseQuantity(text)).toEqual({ ok: true, quantity });
  });

  it.each([
    ['0', 'zero'],
    ['-2', 'negative'],
    ['-0', 'negative'],
    ['2.5', 'fractional'],
    ['.5', 'fractional'],
    ['1/2', 'fractional'],
    ['½', 'fractional'],
    ['2,5', 'fractional'],
    ['1001', 'too_many'],
    ['1,001', 'too_many'],
    ['99999999999999999999', 'too_many'],
    ['four', 'not_a_number'],
    ['gloves', 'not_a_number'],
    ['', 'not_a_number'],
    ['1e3', 'not_a_number'],
  ])('refuses %s as %s', (text, reason) => {
    expect(parseQuantity(text)).toEqual({ ok: false, reason });
  });

  it('accepts zero for a stock count when told to', () => {
    expect(parseQuantity('0', { allowZero: true })).toEqual({ ok: true, quantity: 0 });
    expect(parseQuantity('-1', { allowZero: true })).toEqual({ ok: false, reason: 'negative' });
  });
});

describe('normalizeWords', () => {
  it('lower-cases, drops punctuation and reads plurals and sizes as one word', () => {
    expect(normalizeWords('Nitrile GLOVES (M)')).toEqual(['nitrile', 'glove', 'm']);
    expect(normalizeWords('medium boxes, pads & wipes')).toEqual(['m', 'box', 'pad', 'wipe']);
    expect(normalizeWords('Tongue-depressors')).toEqual(['tongue', 'depressor']);
  });
});

describe('matchCatalogItem', () => {
  const skuOf = (text: string) => {
    const match = matchCatalogItem(text, catalog);
    return match.kind === 'item' ? match.item.sku : match.kind;
  };

  it.each([
    ['nitrile gloves m', 'GLV-M'],
    ['Nitrile Gloves (M)', 'GLV-M'],
    ['NITRILE GLOVE M.', 'GLV-M'],
    ['medium gloves', 'GLV-M'],
    ['gloves l', 'GLV-L'],
    ['glv-m', 'GLV-M'],
    ['GLV-S', 'GLV-S'],
    ['exam table paper', 'PPR-EX'],
    ['table paper', 'PPR-EX'],
    ['syringes', 'SYR-3'],
    ['boxes of procedure masks', 'MSK-PR'],
    ['alcohol pads', 'ALC-PAD'],
  ])('matches %s to %s', (text, sku) => {
    expect(skuOf(text)).toBe(sku);
  });

  it('takes what follows the item name as the note', () => {
    expect(matchCatalogItem('nitrile gloves m for exam room 2', catalog)).toMatchObject({
      kind: 'item',
      item: { sku: 'GLV-M' },
      note: 'for exam room 2',
    });
    expect(matchCatalogItem('GLV-M running low', catalog)).toMatchObject({ note: 'running low' });
    expect(matchCatalogItem('procedure masks - front desk', catalog)).toMatchObject({
      item: { sku: 'MSK-PR' },
      note: 'front desk',
    });
    expect(matchCatalogItem('masks urgent', catalog)).toMatchObject({
      item: { sku: 'MSK-PR' },
      note: 'urgent',
    });
  });

  it('offers every close item when the words fit several', () => {
    const match = matchCatalogItem('gloves', catalog);
    expect(match.kind).toBe('close');
    if (match.kind !== 'close') return;
    expect(match.items.map((item) => item.sku)).toEqual(['GLV-S', 'GLV-M', 'GLV-L']);
    expect(match.asWritten).toEqual({ itemText: 'gloves', note: '' });
  });

  it('asks rather than guesses when only part of a name fits and the rest is not clearly a note', () => {
    const match = matchCatalogItem('paper towels', catalog);
    expect(match).toMatchObject({ kind: 'close', asWritten: { itemText: 'paper towels' } });
    if (match.kind === 'close') expect(match.items.map((item) => item.sku)).toEqual(['PPR-EX']);
  });

  it('offers the item a typo most likely meant, without filing it unasked', () => {
    const match = matchCatalogItem('nitrle gloves m', catalog);
    expect(match.kind).toBe('close');
    if (match.kind === 'close') expect(match.items.map((item) => item.sku)).toEqual(['GLV-M']);
    const sanitizer = matchCatalogItem('hand sanitzer', catalog);
    if (sanitizer.kind === 'close') expect(sanitizer.items.map((item) => item.sku)).toEqual(['HND-SAN']);
    expect(sanitizer.kind).toBe('close');
  });

  it('treats text that fits nothing as a non-catalog item, with a note after a dash', () => {
    expect(matchCatalogItem('printer toner - the HP 26A', catalog)).toEqual({
      kind: 'none',
      asWritten: { itemText: 'printer toner', note: 'the HP 26A' },
    });
    expect(matchCatalogItem('coffee filters', catalog)).toEqual({
      kind: 'none',
      asWritten: { itemText: 'coffee filters', note: '' },
    });
  });

  it('does not read a short word inside a longer catalog word as a typo', () => {
    expect(matchCatalogItem('room', catalog).kind).toBe('none');
  });
});

describe('splitWrittenItem', () => {
  it('splits at a spaced dash, a colon or a semicolon', () => {
    expect(splitWrittenItem('toner: HP 26A')).toEqual({ itemText: 'toner', note: 'HP 26A' });
    expect(splitWrittenItem('toner; HP')).toEqual({ itemText: 'toner', note: 'HP' });
    expect(splitWrittenItem('x-ray film')).toEqual({ itemText: 'x-ray film', note: '' });
  });
});

describe('readUrgency', () => {
  it('reads urgent or asap as today and this week as this week', () => {
    expect(readUrgency('urgent, room 2 is out')).toBe('today');
    expect(readUrgency('ASAP')).toBe('today');
    expect(readUrgency('need them this week')).toBe('this_week');
    expect(readUrgency('for room 2')).toBe('routine');
  });
});

describe('canTransitionSupply', () => {
  const legal = new Set([
    'pending→approved',
    'pending→denied',
    'pending→cancelled',
    'approved→ordered',
    'approved→cancelled',
    'ordered→received',
    'ordered→cancelled',
  ]);

  it.each(ALL_STATUSES.flatMap((from) => ALL_STATUSES.map((to) => [from, to] as const)))(
    '%s → %s is allowed only on the documented path',
    (from, to) => {
      expect(canTransitionSupply(from, to)).toBe(legal.has(`${from}→${to}`));
    },
  );
});

describe('checkSupplyStep', () => {
  it('allows exactly the next step of the lifecycle and refuses every other one with a reason', () => {
    for (const from of ALL_STATUSES) {
      for (const to of STEPS) {
        const check = checkSupplyStep(from, to);
        expect(check.ok, `${from} → ${to}`).toBe(canTransitionSupply(from, to));
      }
    }
  });

  it('says a skipped step needs the next step due first', () => {
    expect(checkSupplyStep('approved', 'received')).toEqual({
      ok: false,
      reason: 'not_yet',
      needs: 'ordered',
    });
    expect(checkSupplyStep('pending', 'received')).toEqual({
      ok: false,
      reason: 'not_yet',
      needs: 'approved',
    });
    expect(checkSupplyStep('pending', 'ordered')).toEqual({
      ok: false,
      reason: 'not_yet',
      needs: 'approved',
    });
  });

  it('says a step already taken is done, a decided request cannot be denied, and a closed one is closed', () => {
    expect(checkSupplyStep('approved', 'approved')).toEqual({ ok: false, reason: 'already_done' });
    expect(checkSupplyStep('received', 'ordered')).toEqual({ ok: false, reason: 'already_done' });
    expect(checkSupplyStep('ordered', 'denied')).toEqual({ ok: false, reason: 'already_decided' });
    expect(checkSupplyStep('denied', 'approved')).toEqual({ ok: false, reason: 'closed' });
    expect(checkSupplyStep('cancelled', 'received')).toEqual({ ok: false, reason: 'closed' });
  });
});

describe('canCancelSupplyRequest', () => {
  it('lets the requester cancel while pending, and a manager until the order is received', () => {
    expect(canCancelSupplyRequest('pending', 'requester')).toEqual({ ok: true });
    expect(canCancelSupplyRequest('pending', 'manager')).toEqual({ ok: true });
    expect(canCancelSupplyRequest('pending', 'other')).toEqual({ ok: false, reason: 'not_permitted' });
    for (const status of ALL_STATUSES.filter((status) => status !== 'pending')) {
      expect(canCancelSupplyRequest(status, 'requester')).toEqual({ ok: false, reason: 'not_pending' });
    }
    expect(canCancelSupplyRequest('approved', 'manager')).toEqual({ ok: true });
    expect(canCancelSupplyRequest('ordered', 'manager')).toEqual({ ok: true });
    for (const status of ['received', 'denied', 'cancelled'] as const) {
      expect(canCancelSupplyRequest(status, 'manager')).toEqual({ ok: false, reason: 'not_pending' });
    }
  });
});

describe('suggestReorderQuantity', () => {
  it('is par minus on hand minus on order, never below zero', () => {
    expect(suggestReorderQuantity(10, 3, 2)).toBe(5);
    expect(suggestReorderQuantity(10, 3, 0)).toBe(7);
    expect(suggestReorderQuantity(10, 3, 9)).toBe(0);
    expect(suggestReorderQuantity(10, 12, 0)).toBe(0);
  });
});

describe('listReorderSuggestions', () => {
  it('lists counted items below par, emptiest first, and leaves out items never counted or at par', () => {
    const onHand = new Map([
      ['GLV-M', 3],
      ['PPR-EX', 0],
      ['GLV-S', 6],
      ['SYR-3', 1],
    ]);
    const incoming = new Map([
      ['GLV-M', { onOrder: 2, toOrder: 0 }],
      ['SYR-3', { onOrder: 1, toOrder: 3 }],
    ]);
    expect(listReorderSuggestions(catalog, onHand, incoming)).toEqual([
      {
        sku: 'PPR-EX',
        name: 'Exam table paper',
        unit: 'roll',
        par: 12,
        onHand: 0,
        onOrder: 0,
        toOrder: 0,
        suggested: 12,
      },
      // Approved but not yet ordered still counts against the suggestion, or it would be ordered twice.
      {
        sku: 'SYR-3',
        name: 'Syringes 3 mL',
        unit: 'box',
        par: 4,
        onHand: 1,
        onOrder: 1,
        toOrder: 3,
        suggested: 0,
      },
      {
        sku: 'GLV-M',
        name: 'Nitrile gloves (M)',
        unit: 'box',
        par: 10,
        onHand: 3,
        onOrder: 2,
        toOrder: 0,
        suggested: 5,
      },
    ]);
  });
});

describe('sumIncoming', () => {
  it('counts ordered requests as on order and approved ones as to order, nothing else', () => {
    const rows = [
      { sku: 'GLV-M', status: 'ordered' as const, quantity: 2 },
      { sku: 'GLV-M', status: 'approved' as const, quantity: 3 },
      { sku: 'GLV-M', status: 'pending' as const, quantity: 9 },
      { sku: 'GLV-M', status: 'received' as const, quantity: 9 },
      { sku: null, status: 'ordered' as const, quantity: 9 },
    ];
    expect(sumIncoming(rows)).toEqual(new Map([['GLV-M', { onOrder: 2, toOrder: 3 }]]));
  });
});

describe('money', () => {
  it('turns dollars into whole cents and back into $12.50', () => {
    expect(toCents(12.5)).toBe(1250);
    expect(toCents(0.1 + 0.2)).toBe(30);
    expect(toCents(4.255)).toBe(426);
    expect(toCents(1.005)).toBe(101);
    expect(toCents(7.99)).toBe(799);
    expect(formatMoney(1250)).toBe('$12.50');
    expect(formatMoney(150_000)).toBe('$1,500.00');
    expect(formatMoney(5)).toBe('$0.05');
    expect(formatMoney(-1250)).toBe('-$12.50');
  });

  it('costs a line as unit price times quantity, or nothing without a price', () => {
    expect(computeLineCostCents(1250, 4)).toBe(5000);
    expect(computeLineCostCents(null, 4)).toBeNull();
  });
});

describe('sumApprovedSpend', () => {
  const now = DateTime.fromISO('2026-11-25T10:00', { zone }); // Wed
  const month = getOfficeMonth(now, zone);
  const at = (iso: string) => DateTime.fromISO(iso, { zone }).toJSDate();
  const entry = (overrides: Partial<SpendEntry>): SpendEntry => ({
    status: 'approved',
    approvedAt: at('2026-11-10T09:00'),
    quantity: 2,
    unitPriceCents: 1000,
    ...overrides,
  });

  it('adds up requests approved this office month that still stand, priced lines only', () => {
    const entries = [
      entry({}),
      entry({ status: 'ordered', quantity: 1 }),
      entry({ status: 'received', unitPriceCents: 250, quantity: 4 }),
      entry({ unitPriceCents: null }),
      entry({ status: 'pending', approvedAt: null }),
      entry({ status: 'denied', approvedAt: null }),
      entry({ approvedAt: at('2026-10-31T23:59') }),
      entry({ approvedAt: at('2026-12-01T00:00') }),
    ];
    expect(sumApprovedSpend(entries, month.start, month.end)).toBe(2000 + 1000 + 1000);
  });

  it('starts the month at midnight in the office zone, not UTC', () => {
    // 2026-11-01T02:00Z is still Oct 31 in New York.
    const entries = [entry({ approvedAt: new Date('2026-11-01T02:00:00Z') })];
    expect(sumApprovedSpend(entries, month.start, month.end)).toBe(0);
    expect(month.label).toBe('November 2026');
  });
});

describe('summarizeBudget', () => {
  it('says what is left after a line and flags going over', () => {
    expect(summarizeBudget({ spentCents: 140_000, lineCents: 5_000, budgetCents: 150_000 })).toEqual({
      spentCents: 140_000,
      afterCents: 145_000,
      budgetCents: 150_000,
      remainingCents: 5_000,
      overAfter: false,
    });
    expect(summarizeBudget({ spentCents: 140_000, lineCents: 15_000, budgetCents: 150_000 })).toMatchObject({
      remainingCents: -5_000,
      overAfter: true,
    });
  });

  it('has no remainder and is never over without a budget', () => {
    expect(summarizeBudget({ spentCents: 100, lineCents: 100, budgetCents: undefined })).toMatchObject({
      remainingCents: undefined,
      overAfter: false,
    });
  });
});

describe('formatCsvRow', () => {
  it('quotes commas and quotes, and defuses spreadsheet formulas', () => {
    expect(formatCsvRow(['SR-1', 'Sam Lee', 4, 'gloves, M'])).toBe('SR-1,Sam Lee,4,"gloves, M"');
    expect(formatCsvRow(['say "hi"'])).toBe('"say ""hi"""');
    expect(formatCsvRow(['=HYPERLINK("x")'])).toBe('"\'=HYPERLINK(""x"")"');
    expect(formatCsvRow(['+1', '@me', '-3'])).toBe("'+1,'@me,'-3");
  });
});
