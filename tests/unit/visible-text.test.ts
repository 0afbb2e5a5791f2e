import { describe, expect, it } from 'vitest';
import { hasVisibleText, toOneLine } from '../../src/domain/visible-text.ts';

describe('hasVisibleText', () => {
  it.for([
    ['a letter', 'x'],
    ['a digit', '7'],
    ['punctuation', '?'],
    ['a symbol', '+'],
    ['an emoji', '👍'],
    ['an emoji sequence joined by zero-width joiners', '👩\u200d⚕️'],
    ['letters of another script', '患者'],
    ['a word among invisible characters', '\u200b\u202ewait\u2060'],
  ] as const)('finds %s', ([, text]) => {
    expect(hasVisibleText(text)).toBe(true);
  });

  it.for([
    ['nothing', ''],
    ['spaces, tabs, line breaks and no-break spaces', ' \t\r\n\u00a0\u3000'],
    ['control characters', '\u0007\u0001\u001b\u007f\u0085'],
    ['zero-width characters', '\u200b\u200b\u200d\ufeff'],
    ['format characters', '\u202e\u00ad\u2060'],
    ['a Hangul filler, a letter by category that is drawn as nothing', '\u3164\uffa0'],
    ['a combining mark or variation selector alone', '\u0301\ufe0f'],
  ] as const)('finds nothing visible in %s', ([, text]) => {
    expect(hasVisibleText(text)).toBe(false);
  });
});

describe('toOneLine', () => {
  it('reads line breaks and tabs, with the spaces around them, as one space', () => {
    expect(toOneLine('  Printer jams \r\n IS-99\tfake\u2028line\u2029end  ')).toBe(
      'Printer jams IS-99 fake line end',
    );
  });

  it('leaves one line as it is, inner spaces too', () => {
    expect(toOneLine('Acme  Pharma')).toBe('Acme  Pharma');
  });
});
