import { DateTime } from 'luxon';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FORM_CARD_BUDGET_BYTES } from '../../src/bot/teams/render.ts';
import type { OfficeConfig } from '../../src/config/office.ts';
import { supplyRequests } from '../../src/db/schema/index.ts';
import { sendActivity } from '../helpers/bot-connector.ts';
import { buildOfficeConfig, withTeamsIds } from '../helpers/office.ts';
import { startTeamsHarness, type TeamsHarness } from '../helpers/teams-harness.ts';

type CatalogItem = OfficeConfig['supplies']['catalog'][number];
interface ChoiceSet {
  id?: string;
  type?: string;
  style?: string;
  choices?: { title: string; value: string }[];
  'choices.data'?: { type: string; dataset: string };
}
interface SearchAnswer {
  type?: string;
  value?: { results?: { title: string; value: string }[] };
}

const CATEGORIES = ['PPE', 'Exam room', 'Injections', 'Office', 'Cleaning'] as const;
const KINDS = ['Nitrile exam gloves', 'Gauze pads 4x4', 'Syringes 3 ml', 'Printer paper', 'Surface wipes'];

/** A realistic 400-item catalog: every fifth item a glove, each kind in its category. */
const LARGE_CATALOG: CatalogItem[] = Array.from({ length: 400 }, (_, index) => ({
  sku: `SUP-${String(index + 1).padStart(4, '0')}`,
  name: `${KINDS[index % KINDS.length]} size ${index + 1}`,
  unit: 'box of 100',
  par: 2,
  price: 12.5,
  category: CATEGORIES[index % CATEGORIES.length] ?? 'PPE',
}));

const base = buildOfficeConfig();
const staff = withTeamsIds(base.staff);
const NOW = DateTime.fromISO('2026-11-25T10:00', { zone: base.office.timezone });

const bodyOf = (card: Record<string, unknown>) => card.body as ChoiceSet[];
const skuInputOf = (card: Record<string, unknown>) => bodyOf(card).find((element) => element.id === 'sku');
const lineOf = (item: CatalogItem) => `${item.name} · ${item.unit} · ${item.sku}`;

async function openForm(teams: TeamsHarness, user: string) {
  await teams.send(teams.activity({ user, conversation: `dm-${user}`, text: 'supplies' }));
  const card = teams.connector.cardsIn(`dm-${user}`).at(-1);
  if (!card) throw new Error('no /supplies card was sent');
  return card;
}

describe('the Teams /supplies form with a 400-item catalog', () => {
  let teams: TeamsHarness;

  beforeAll(async () => {
    teams = await startTeamsHarness({
      office: { ...base, staff, supplies: { ...base.supplies, catalog: LARGE_CATALOG } },
      clock: () => NOW,
    });
  });
  afterAll(() => teams?.stop());

  /** Posts an `application/search` invoke as Teams does while someone types, and reads the invoke response. */
  async function search(value: unknown, channelId = 'msteams') {
    const response = await sendActivity(teams.app.url, {
      ...teams.activity({ user: 'sam', conversation: 'dm-sam' }),
      channelId,
      type: 'invoke',
      name: 'application/search',
      value,
    });
    const text = await response.text();
    return { status: response.status, answer: (text ? JSON.parse(text) : {}) as SearchAnswer };
  }
  const resultsOf = async (value: unknown) => {
    const { status, answer } = await search(value);
    expect(status).toBe(200);
    expect(answer.type).toBe('application/vnd.microsoft.search.searchResponse');
    return answer.value?.results ?? [];
  };

  it('sends a card under the size budget whose item list is a catalog typeahead', async () => {
    const card = await openForm(teams, 'sam');
    const json = JSON.stringify(card);
    expect(Buffer.byteLength(json, 'utf16le')).toBeLessThanOrEqual(FORM_CARD_BUDGET_BYTES);
    expect(Buffer.byteLength(json)).toBeLessThan(28 * 1024);
    const sku = skuInputOf(card);
    expect(sku?.type).toBe('Input.ChoiceSet');
    expect(sku?.['choices.data']).toEqual({ type: 'Data.Query', dataset: 'supplies-catalog' });
    expect(sku?.style).toBe('filtered');
    expect(sku?.choices?.map((choice) => choice.value)).toEqual(
      LARGE_CATALOG.slice(0, 15).map((item) => item.sku),
    );
    // The other inputs keep their static choices.
    expect(bodyOf(card).find((element) => element.id === 'urgency')?.choices?.length).toBeGreaterThan(1);
  });

  it('answers a search for "glove" with the matching catalog items, as the card lists them', async () => {
    const gloves = LARGE_CATALOG.filter((item) => item.name.includes('gloves'));
    const results = await resultsOf({
      queryText: 'glove',
      dataset: 'supplies-catalog',
      queryOptions: { skip: 0, top: 15 },
    });
    expect(results).toEqual(gloves.slice(0, 15).map((item) => ({ title: lineOf(item), value: item.sku })));
    const card = await openForm(teams, 'priya');
    const listed = skuInputOf(card)?.choices?.[0];
    expect(results[0]).toEqual(listed);
  });

  it('searches name, unit, sku and category, in any case, and pages with skip and top', async () => {
    const beyond = LARGE_CATALOG[349] as CatalogItem;
    expect(await resultsOf({ queryText: beyond.sku.toLowerCase(), dataset: 'supplies-catalog' })).toEqual([
      { title: lineOf(beyond), value: beyond.sku },
    ]);
    const size350 = await resultsOf({ queryText: 'SIZE 350', dataset: 'supplies-catalog' });
    expect(size350.map((result) => result.value)).toEqual([beyond.sku]);
    const cleaning = LARGE_CATALOG.filter((item) => item.category === 'Cleaning');
    const page = await resultsOf({
      queryText: 'cleaning',
      dataset: 'supplies-catalog',
      queryOptions: { skip: 5, top: 4 },
    });
    expect(page.map((result) => result.value)).toEqual(cleaning.slice(5, 9).map((item) => item.sku));
    expect(await resultsOf({ queryText: 'box of 100', dataset: 'supplies-catalog' })).toHaveLength(15);
  });

  it('answers a hostile, huge or malformed query, or an unknown dataset, with no results and logs none of it', async () => {
    const huge = 'glove'.repeat(40_000);
    expect(await resultsOf({ queryText: huge, dataset: 'supplies-catalog' })).toEqual([]);
    expect(await resultsOf({ queryText: '<script>alert(1)</script>', dataset: 'supplies-catalog' })).toEqual(
      [],
    );
    expect(await resultsOf({ queryText: { $ne: '' }, dataset: 'supplies-catalog' })).toEqual([]);
    for (const dataset of ['staff', 'constructor', '__proto__', 'toString', 'hasOwnProperty'])
      expect(await resultsOf({ queryText: 'glove', dataset })).toEqual([]);
    expect(
      await resultsOf({ queryText: 'glove', dataset: 'supplies-catalog', queryOptions: { top: -1 } }),
    ).toEqual([]);
    expect(await resultsOf('glove')).toEqual([]);
    const capped = await resultsOf({
      queryText: '',
      dataset: 'supplies-catalog',
      queryOptions: { top: 10_000 },
    });
    expect(capped.length).toBeLessThanOrEqual(50);
    expect(teams.logs.text()).not.toContain('<script>');
    expect(teams.logs.text()).not.toContain('gloveglove');
  });

  it('answers no search from a channel other than Teams', async () => {
    const { status, answer } = await search(
      { queryText: 'glove', dataset: 'supplies-catalog' },
      'directline',
    );
    expect(answer.value?.results ?? []).toEqual([]);
    expect(status).not.toBe(200);
  });

  it('files a request for an item beyond the 300th, submitted by its sku', async () => {
    const card = await openForm(teams, 'ana');
    const submit = (card.actions as { data: Record<string, unknown> }[])[0]?.data ?? {};
    const item = LARGE_CATALOG[349] as CatalogItem;
    await teams.send(
      teams.activity({
        user: 'ana',
        conversation: 'dm-ana',
        value: { ...submit, sku: item.sku, quantity: '3', urgency: 'routine' },
      }),
    );
    const answer = JSON.stringify(teams.connector.postsIn('dm-ana').at(-1)?.body);
    expect(answer).toContain('Supplies requested');
    expect(answer).toContain(item.sku);
    const rows = await teams.database.db.select().from(supplyRequests);
    expect(rows.map((row) => [row.sku, row.quantity])).toContainEqual([item.sku, 3]);
  });

  it('refuses a sku that is not in the catalog, saving nothing', async () => {
    const before = (await teams.database.db.select().from(supplyRequests)).length;
    const card = await openForm(teams, 'luis');
    const submit = (card.actions as { data: Record<string, unknown> }[])[0]?.data ?? {};
    await teams.send(
      teams.activity({
        user: 'luis',
        conversation: 'dm-luis',
        value: { ...submit, sku: 'SUP-9999', quantity: '1', urgency: 'routine' },
      }),
    );
    const answer = JSON.stringify(teams.connector.postsIn('dm-luis').at(-1)?.body);
    expect(answer).toContain('That item is no longer in the catalog; choose another.');
    expect(await teams.database.db.select().from(supplyRequests)).toHaveLength(before);
  });
});

describe('the Teams /supplies form with the example catalog', () => {
  let teams: TeamsHarness;

  beforeAll(async () => {
    teams = await startTeamsHarness({ office: { ...base, staff }, clock: () => NOW });
  });
  afterAll(() => teams?.stop());

  it('lists every catalog item as a static choice, with no typeahead', async () => {
    const card = await openForm(teams, 'sam');
    const sku = skuInputOf(card);
    expect(sku?.style).toBe('compact');
    expect(sku?.['choices.data']).toBeUndefined();
    expect(sku?.choices).toEqual(
      base.supplies.catalog.map((item) => ({ title: lineOf(item), value: item.sku })),
    );
  });
});
