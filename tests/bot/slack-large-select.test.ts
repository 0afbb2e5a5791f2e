import { describe, expect, it } from 'vitest';
import { formToHtml } from '../../src/bot/sandbox/render.ts';
import { formToModal } from '../../src/bot/slack/render.ts';
import { formToAdaptiveCard } from '../../src/bot/teams/render.ts';
import { MAX_CATALOG_ITEMS, type OfficeConfig, parseOfficeConfig } from '../../src/config/office.ts';
import type { Form } from '../../src/handlers/kernel/message.ts';
import { buildRequestForm } from '../../src/handlers/supplies/intake.ts';
import { buildOfficeConfig, readExampleOfficeYaml } from '../helpers/office.ts';

type CatalogItem = OfficeConfig['supplies']['catalog'][number];
interface SlackOption {
  text: { type: string; text: string };
  value: string;
}
interface SlackSelect {
  type: string;
  options?: SlackOption[];
  option_groups?: { label: { type: string; text: string }; options: SlackOption[] }[];
  initial_option?: SlackOption;
}

/** `count` catalog items, numbered from 1, each in the category `categoryOf` gives its number. */
function buildCatalog(count: number, categoryOf: (number: number) => string | undefined): CatalogItem[] {
  return Array.from({ length: count }, (_, index) => {
    const category = categoryOf(index + 1);
    return {
      sku: `ITEM-${index + 1}`,
      name: `Supply number ${index + 1}`,
      unit: 'box',
      par: 1,
      ...(category ? { category } : {}),
    };
  });
}

/** 250 items: 140 PPE, 60 Exam room, 30 Injections, 20 without a category, interleaved as a real list is. */
const MIXED_CATALOG = buildCatalog(250, (number) => {
  if (number <= 240 && number % 2 === 0) return 'PPE';
  if (number <= 180) return number % 3 === 0 ? 'Injections' : 'Exam room';
  return number > 220 ? undefined : 'PPE';
});

function selectOf(form: Form, id: string): SlackSelect {
  const modal = formToModal(form, '{}');
  const block = (modal.blocks as { block_id?: string; element?: SlackSelect }[]).find(
    (candidate) => candidate.block_id === id,
  );
  if (!block?.element) throw new Error(`no block ${id} in the modal`);
  return block.element;
}

const supplyFormOf = (catalog: CatalogItem[]) =>
  buildRequestForm(buildOfficeConfig({ supplies: { catalog } }));

/** The office config office.example.yaml gives, with `catalog` as its supplies catalog. */
function parseWithCatalog(catalog: CatalogItem[]): OfficeConfig {
  const example = parseOfficeConfig(readExampleOfficeYaml(), 'office.example.yaml');
  return parseOfficeConfig(JSON.stringify({ ...example, supplies: { catalog } }), 'office.json');
}

describe('formToModal with a long select', () => {
  it('lists every item of a 250-item catalog once, under its category, no heading over 100', () => {
    const categoryCounts = new Map<string, number>();
    for (const item of MIXED_CATALOG)
      categoryCounts.set(item.category ?? 'none', (categoryCounts.get(item.category ?? 'none') ?? 0) + 1);
    expect(Object.fromEntries(categoryCounts)).toEqual({
      'Exam room': 60,
      PPE: 140,
      Injections: 30,
      none: 20,
    });

    const select = selectOf(supplyFormOf(MIXED_CATALOG), 'sku');
    expect(select.type).toBe('static_select');
    expect(select.options).toBeUndefined();
    const groups = select.option_groups ?? [];
    expect(groups.map((group) => [group.label.text, group.options.length])).toEqual([
      ['Exam room', 60],
      ['PPE (1)', 100],
      ['PPE (2)', 40],
      ['Injections', 30],
      ['Other', 20],
    ]);
    const values = groups.flatMap((group) => group.options.map((option) => option.value));
    expect(values).toHaveLength(250);
    expect(new Set(values)).toEqual(new Set(MIXED_CATALOG.map((item) => item.sku)));
    const ppe = groups.filter((group) => group.label.text.startsWith('PPE'));
    const ppeSkus = MIXED_CATALOG.filter((item) => item.category === 'PPE').map((item) => item.sku);
    expect(ppe.flatMap((group) => group.options.map((option) => option.value))).toEqual(ppeSkus);
    expect(groups.find((group) => group.label.text === 'Other')?.options[0]).toEqual({
      text: { type: 'plain_text', text: 'Supply number 221 · box · ITEM-221' },
      value: 'ITEM-221',
    });
  });

  it('keeps the initial choice when it is in a group past the 100th option', () => {
    const form = supplyFormOf(MIXED_CATALOG);
    const [catalogInput, ...rest] = form.inputs;
    if (catalogInput?.kind !== 'select') throw new Error('the form starts with the catalog');
    const select = selectOf({ ...form, inputs: [{ ...catalogInput, initial: 'ITEM-233' }, ...rest] }, 'sku');
    const chosen = select.option_groups
      ?.flatMap((group) => group.options)
      .find((o) => o.value === 'ITEM-233');
    expect(chosen).toBeDefined();
    expect(select.initial_option).toEqual(chosen);
  });

  it('keeps one plain list up to 100 options, with the form’s initial choice', () => {
    const select = selectOf(supplyFormOf(buildCatalog(100, () => 'PPE')), 'sku');
    expect(select.option_groups).toBeUndefined();
    expect(select.options).toHaveLength(100);
    expect(selectOf(supplyFormOf(MIXED_CATALOG), 'urgency').initial_option?.value).toBe('routine');
  });

  it('lists a category named Other together with the items that have none', () => {
    const catalog = buildCatalog(150, (number) => {
      if (number <= 100) return 'PPE';
      return number % 2 === 0 ? 'Other' : undefined;
    });
    const groups = selectOf(supplyFormOf(catalog), 'sku').option_groups ?? [];
    expect(groups.map((group) => [group.label.text, group.options.length])).toEqual([
      ['PPE', 100],
      ['Other', 50],
    ]);
  });

  it('heads the parts of a long list without categories with their positions', () => {
    const groups = selectOf(supplyFormOf(buildCatalog(250, () => undefined)), 'sku').option_groups ?? [];
    expect(groups.map((group) => [group.label.text, group.options.length])).toEqual([
      ['1–100', 100],
      ['101–200', 100],
      ['201–250', 50],
    ]);
    expect(groups[2]?.options.at(-1)?.value).toBe('ITEM-250');
  });

  it('fits the largest catalog the office config accepts: 100 headings, within Slack’s 250 KB modal', () => {
    // 100 categories of 10 items, each with the longest name, unit, sku and category the config allows.
    const catalog = buildCatalog(MAX_CATALOG_ITEMS, (number) =>
      `Category ${Math.ceil(number / 10)} `.padEnd(60, 'x'),
    ).map((item, index) => ({
      ...item,
      sku: `${String(index).padStart(4, '0')}-`.padEnd(30, 'Z'),
      name: `Supply ${index} `.padEnd(100, 'é'),
      unit: 'u'.repeat(30),
    }));
    const office = parseWithCatalog(catalog);
    const modal = formToModal(buildRequestForm(office), '{}');
    const select = (modal.blocks as { block_id?: string; element?: SlackSelect }[]).find(
      (block) => block.block_id === 'sku',
    )?.element;
    expect(select?.option_groups).toHaveLength(100);
    expect(select?.option_groups?.flatMap((group) => group.options)).toHaveLength(MAX_CATALOG_ITEMS);
    for (const group of select?.option_groups ?? []) expect(group.label.text.length).toBeLessThanOrEqual(75);
    expect(Buffer.byteLength(JSON.stringify(modal))).toBeLessThan(250_000);
  });

  it('throws rather than drop options when a select needs more than 100 headings', () => {
    const options = Array.from({ length: 101 * 2 }, (_, index) => ({
      label: `Choice ${index}`,
      value: String(index),
      group: `Heading ${index % 101}`,
    }));
    const form: Form = {
      formId: 'test',
      title: 'Test',
      submitLabel: 'Send',
      inputs: [{ kind: 'select', id: 'pick', label: 'Pick', options }],
    };
    expect(() => formToModal(form, '{}')).toThrow(/needs 101 groups; Slack shows at most 100/);
  });
});

describe('a 250-item catalog on the other platforms', () => {
  it('lists every item in the Teams card and the sandbox form', () => {
    const form = supplyFormOf(MIXED_CATALOG);
    const card = formToAdaptiveCard(form) as { body: { id?: string; choices?: { value: string }[] }[] };
    const choices = card.body.find((element) => element.id === 'sku')?.choices ?? [];
    expect(choices.map((choice) => choice.value)).toEqual(MIXED_CATALOG.map((item) => item.sku));
    const html = formToHtml(form);
    for (const item of MIXED_CATALOG) expect(html).toContain(`<option value="${item.sku}">`);
  });
});
