import { describe, expect, it } from 'vitest';
import { formToHtml, replyToHtml, SANDBOX_LIMITS } from '../../src/bot/sandbox/render.ts';
import { COMPLAINT_FORMS } from '../../src/handlers/complaints/ids.ts';
import { refusal } from '../../src/handlers/kernel/copy.ts';
import { TIME_OFF_ACTIONS } from '../../src/handlers/time-off/ids.ts';

const unescapeHtml = (text: string) =>
  text
    .replaceAll('&lt;', '<')
    .replaceAll('&gt;', '>')
    .replaceAll('&quot;', '"')
    .replaceAll('&#39;', "'")
    .replaceAll('&amp;', '&');

/** Element content made only of plain characters and whole entities: nothing typed became markup. */
const WHOLE_ENTITIES = /^(?:[^&<>"']|&(?:amp|lt|gt|quot|#39);)*$/;

const contents = (html: string, className: string) =>
  [...html.matchAll(new RegExp(`<(?:div|dt|dd|button)[^>]*class="${className}"[^>]*>(.*?)</`, 'g'))].map(
    (match) => match[1] ?? '',
  );

describe('sandbox rendering of long and typed text', () => {
  const typed = `<&>"'`.repeat(20_000); // 100,000 characters, every one escaped
  const expected = `${typed.slice(0, SANDBOX_LIMITS.line - 1)}…`;

  it('cuts a 100,000-character line to the line limit, with an ellipsis and no entity cut in half', () => {
    const html = replyToHtml({ text: 'Complaint CP-1', title: typed, lines: [typed], note: typed });
    const shown = [
      ...contents(html, 'card-title'),
      ...contents(html, 'card-line'),
      ...contents(html, 'card-note'),
    ];
    expect(shown).toHaveLength(3);
    for (const content of shown) {
      expect(content).toMatch(WHOLE_ENTITIES);
      expect(unescapeHtml(content)).toBe(expected);
    }
  });

  it('cuts section lines and fields the same way', () => {
    const html = replyToHtml({
      text: 'Huddle',
      title: 'Huddle',
      sections: [{ heading: 'Out today', lines: [typed] }],
      fields: [{ label: 'Note', value: typed }],
    });
    const dd = /<dd>(.*?)<\/dd>/.exec(html)?.[1] ?? '';
    for (const content of [...contents(html, 'card-line'), dd]) {
      expect(content).toMatch(WHOLE_ENTITIES);
      expect(unescapeHtml(content)).toBe(expected);
    }
  });

  it('never cuts a button value, which is sent back on a press', () => {
    const value = 'x'.repeat(SANDBOX_LIMITS.line * 2);
    const html = replyToHtml({
      text: 'Time off TO-1',
      buttons: [{ label: 'Approve', actionId: TIME_OFF_ACTIONS.approve, value }],
    });
    expect(/data-value="([^"]*)"/.exec(html)?.[1]).toBe(value);
  });

  it('shows a 3,000-character complaint whole in a details form', () => {
    const description = 'Waited two hours & nobody said <why>. '.repeat(100).slice(0, 3000);
    const html = formToHtml({
      formId: COMPLAINT_FORMS.details,
      title: 'Complaint CP-1',
      lines: ['What happened:', description],
      inputs: [],
    });
    expect(contents(html, 'card-line').map(unescapeHtml)).toEqual(['What happened:', description]);
  });
});

describe('sandbox rendering of refusals', () => {
  const cardClass = (html: string) => /^<div class="([^"]*)">/.exec(html)?.[1];

  it('marks an answer that saved or changed nothing, hint line or not, and nothing else', () => {
    const refused = refusal('"banana" is not a date I can read. Nothing was saved.', 'Try /timeoff dec 1');
    expect(cardClass(replyToHtml(refused.reply ?? { text: '' }))).toBe('card refusal');
    expect(cardClass(replyToHtml({ text: 'TO-4 is already approved. Nothing was changed.' }))).toBe(
      'card refusal',
    );
    expect(cardClass(replyToHtml({ text: 'Time off requested', title: 'Time off requested — TO-4' }))).toBe(
      'card',
    );
    expect(cardClass(replyToHtml({ text: 'Nothing was saved. That is all we know.' }))).toBe('card');
  });

  it('puts a button’s confirmation in an escaped attribute the page asks with before pressing', () => {
    const html = replyToHtml({
      text: 'Time off TO-2',
      buttons: [
        {
          label: 'Approve',
          actionId: TIME_OFF_ACTIONS.approve,
          value: 'TO-2',
          confirm: { title: 'Sure?', text: 'Leaves "<b>" short.', confirm: 'Yes', deny: 'No' },
        },
      ],
    });
    expect(html).toContain('data-confirm="Sure?\n\nLeaves &quot;&lt;b&gt;&quot; short."');
  });
});
