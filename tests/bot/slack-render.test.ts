import { describe, expect, it } from 'vitest';
import {
  buildHomeView,
  escapeInPieces,
  formToModal,
  replyToSlackMessage,
} from '../../src/bot/slack/render.ts';
import { COMPLAINT_FORMS } from '../../src/handlers/complaints/ids.ts';
import { clip } from '../../src/handlers/kernel/copy.ts';
import { cutText, type Message } from '../../src/handlers/kernel/message.ts';

const unescapeMrkdwn = (text: string) =>
  text.replaceAll('&lt;', '<').replaceAll('&gt;', '>').replaceAll('&amp;', '&');
const sectionTexts = (blocks: readonly unknown[]) =>
  (blocks as { type: string; text?: { text: string } }[]).flatMap((block) =>
    block.type === 'section' && block.text ? [block.text.text] : [],
  );

describe('Slack rendering of long and typed text', () => {
  it('shows a 3,000-character complaint whole in a details view, over several sections of at most 3,000', () => {
    const description =
      `Patient & family <upset> ${'waited two hours in the lobby & nobody said why. '.repeat(60)}`.slice(
        0,
        3000,
      );
    const modal = formToModal(
      {
        formId: COMPLAINT_FORMS.details,
        title: 'Complaint CP-1',
        lines: ['What happened:', description],
        inputs: [],
      },
      '{}',
    );
    const texts = (modal.blocks as { text?: { text: string } }[]).map((block) => block.text?.text ?? '');
    expect(texts.length).toBeGreaterThan(2);
    for (const text of texts) expect(text.length).toBeLessThanOrEqual(3000);
    expect(texts.slice(1).map(unescapeMrkdwn).join('')).toBe(description);
    expect(texts.join('')).not.toContain('…');
  });

  it('never cuts an escaped character in half', () => {
    const pieces = escapeInPieces('&'.repeat(1000), 3000);
    expect(pieces.every((piece) => /^(&amp;)+$/.test(piece) && piece.length <= 3000)).toBe(true);
    expect(pieces.map(unescapeMrkdwn).join('')).toBe('&'.repeat(1000));
  });

  it('never cuts an emoji in half between pieces or before an ellipsis', () => {
    const loneHalf = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
    const typed = `&${'😀'.repeat(1499)}`;
    const pieces = escapeInPieces(typed, 3000);
    expect(pieces.length).toBe(2);
    expect(pieces.some((piece) => loneHalf.test(piece))).toBe(false);
    expect(pieces.map(unescapeMrkdwn).join('')).toBe(typed);
    const cut = cutText(`a${'😀'.repeat(10)}`, 5);
    expect(cut).toBe('a😀…');
    expect(clip(`${'😀'.repeat(40)}`, 60)).toBe(`${'😀'.repeat(29)}…`);
  });

  it('spreads a line longer than a section over sections of its own, and cuts a long field, never splitting an entity', () => {
    const blocks = replyToSlackMessage({
      text: 'Huddle',
      title: 'Huddle',
      sections: [{ heading: 'Out & about', lines: ['&'.repeat(5000)] }],
      fields: [{ label: 'Note <1>', value: '&'.repeat(3000) }],
    }).blocks as { type: string; text?: { text: string }; fields?: { text: string }[] }[];
    const sections = blocks
      .filter((block) => block.type === 'section' && block.text)
      .map((block) => block.text?.text ?? '');
    expect(sections[0]).toBe('*Out &amp; about*');
    for (const section of sections) expect(section.length).toBeLessThanOrEqual(3000);
    expect(sections.slice(1).join('')).toBe('&amp;'.repeat(5000));
    const field = blocks.find((block) => block.fields)?.fields?.[0]?.text ?? '';
    expect(field.length).toBeLessThanOrEqual(2000);
    expect(field).toMatch(/^\*Note &lt;1&gt;\*\n(&amp;)+…$/);
  });

  it('keeps a line that fits a section whole when it does not fit beside its heading', () => {
    const heading = 'H'.repeat(140);
    const line = `${'x'.repeat(2899)}END`;
    const { blocks } = replyToSlackMessage({
      text: 'Huddle',
      title: 'Huddle',
      sections: [{ heading, lines: [line] }],
    });
    expect(sectionTexts(blocks)).toEqual([`*${heading}*`, line]);
  });

  it('escapes the notification text so a typed <!channel> is not a mention', () => {
    const message = replyToSlackMessage({ text: 'Supplies SR-1: 1 × <!channel> <@U0MGR1> & co' });
    expect(message.text).toBe('Supplies SR-1: 1 × &lt;!channel&gt; &lt;@U0MGR1&gt; &amp; co');
  });

  it('shows a long list whole over several sections, split between its lines', () => {
    const lines = Array.from(
      { length: 8 },
      (_, index) => `FU-${index + 1} · ${'chase the vendor & co '.repeat(25)}`,
    );
    const { blocks } = replyToSlackMessage({
      text: 'Your follow-ups: 8 open',
      title: 'Your follow-ups',
      lines,
    });
    const texts = sectionTexts(blocks);
    expect(texts.length).toBeGreaterThan(1);
    for (const text of texts) expect(text.length).toBeLessThanOrEqual(3000);
    expect(texts.flatMap((text) => text.split('\n')).map(unescapeMrkdwn)).toEqual(lines);
  });

  it('keeps a long section’s heading and its last line, counting the length after escaping', () => {
    const lines = [
      ...Array.from({ length: 12 }, (_, index) => `SR-${index + 1} · ${'gloves & liners '.repeat(16)}`),
      '…and 9 more',
    ];
    const { blocks } = replyToSlackMessage({
      text: 'Huddle',
      sections: [{ heading: 'Waiting & late', lines }],
    });
    const texts = sectionTexts(blocks);
    for (const text of texts) expect(text.length).toBeLessThanOrEqual(3000);
    expect(texts[1]).toMatch(/^\*Waiting &amp; late\*\nSR-1 · /);
    expect(texts.at(-1)).toMatch(/\n…and 9 more$/);
  });

  it('stays within 50 blocks and counts the lines left out', () => {
    const lines = Array.from({ length: 60 }, (_, index) => `${index} ${'x'.repeat(2990)}`);
    const { blocks } = replyToSlackMessage({
      text: 'Long',
      title: 'Long',
      lines,
      note: 'Only you see these.',
    });
    // The header and the note leave 48 blocks: 47 lines and the count of the other 13.
    expect(blocks).toHaveLength(50);
    expect(sectionTexts(blocks).at(-1)).toBe('…and 13 more lines not shown here');
    expect(blocks.at(-1)).toMatchObject({ type: 'context' });
  });
});

describe('buildHomeView', () => {
  const card = (index: number): Message => ({
    text: `Time off TO-${index}`,
    title: `Time off TO-${index} — Sam Lee`,
    lines: Array.from({ length: 20 }, (_, line) => `${line} ${'y'.repeat(2900)}`),
    buttons: [{ label: 'Approve', actionId: 'timeoff.approve', value: `TO-${index}` }],
  });
  const mine: Message = {
    text: 'Your follow-ups: 1 open',
    title: 'Your follow-ups',
    lines: ['FU-1 · call the landlord'],
  };

  it('shows the person’s own parts, the cards that fit, and counts the cards left out', () => {
    const view = buildHomeView({ name: 'Dana Reyes' }, [card(1), card(2), card(3), card(4), card(5), mine]);
    const json = JSON.stringify(view.blocks);
    expect(view.blocks.length).toBeLessThanOrEqual(100);
    expect(json).toContain('FU-1 · call the landlord');
    expect(json).toContain('TO-1');
    expect(json).not.toContain('TO-5');
    expect(view.blocks.at(-1)).toMatchObject({
      type: 'context',
      elements: [{ text: '…and 1 more waiting: each is on its card in the approvals or huddle channel.' }],
    });
  });

  it('adds no count when everything fits', () => {
    const view = buildHomeView({ name: 'Dana Reyes' }, [card(1), mine]);
    expect(view.blocks.map((block) => block.type)).not.toContain('context');
  });
});
