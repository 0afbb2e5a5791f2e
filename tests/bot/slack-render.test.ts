import { describe, expect, it } from 'vitest';
import { escapeInPieces, formToModal, replyToSlackMessage } from '../../src/bot/slack/render.ts';
import { COMPLAINT_FORMS } from '../../src/handlers/complaints/ids.ts';
import { clip } from '../../src/handlers/kernel/copy.ts';
import { cutText } from '../../src/handlers/kernel/message.ts';

const unescapeMrkdwn = (text: string) =>
  text.replaceAll('&lt;', '<').replaceAll('&gt;', '>').replaceAll('&amp;', '&');

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

  it('cuts a long section or field without splitting an entity or the bold label', () => {
    const blocks = replyToSlackMessage({
      text: 'Huddle',
      title: 'Huddle',
      sections: [{ heading: 'Out & about', lines: ['&'.repeat(5000)] }],
      fields: [{ label: 'Note <1>', value: '&'.repeat(3000) }],
    }).blocks as { text?: { text: string }; fields?: { text: string }[] }[];
    const section = blocks[1]?.text?.text ?? '';
    const field = blocks[2]?.fields?.[0]?.text ?? '';
    expect(section.length).toBeLessThanOrEqual(3000);
    expect(section).toMatch(/^\*Out &amp; about\*\n(&amp;)+…$/);
    expect(field.length).toBeLessThanOrEqual(2000);
    expect(field).toMatch(/^\*Note &lt;1&gt;\*\n(&amp;)+…$/);
  });

  it('escapes the notification text so a typed <!channel> is not a mention', () => {
    const message = replyToSlackMessage({ text: 'Supplies SR-1: 1 × <!channel> <@U0MGR1> & co' });
    expect(message.text).toBe('Supplies SR-1: 1 × &lt;!channel&gt; &lt;@U0MGR1&gt; &amp; co');
  });
});
