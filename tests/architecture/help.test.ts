import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { FEATURES } from '../../src/handlers/index.ts';

// The README's command table: `| \`/timeoff list\` · \`/timeoff list all\` | what it does |`.
const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
const rows = readme
  .split('\n')
  .filter((line) => line.startsWith('| `/'))
  .map((line) => {
    const [written = '', meaning = ''] = line.split(' | ');
    return { forms: [...written.matchAll(/`([^`]+)`/g)].map((match) => match[1] ?? ''), meaning };
  });

describe('in-app help', () => {
  it('reads the README’s command table', () => {
    expect(rows.length).toBeGreaterThanOrEqual(15);
  });

  it.each(rows.flatMap((row) => row.forms))(
    'shows %s in its command’s help, as the README writes it',
    (form) => {
      const word = /^\/(\w+)/.exec(form)?.[1];
      const feature = FEATURES.find((candidate) => candidate.command === word);
      expect(feature, `a feature for ${form}`).toBeDefined();
      const help = (feature?.usage.lines ?? []).join('\n');
      const shown = help.split(/\s+[—·]\s+|\n/).map((part) => part.trim());
      expect(shown).toContain(form);
    },
  );

  it('lists in the README every command help shows', () => {
    const documented = new Set(rows.flatMap((row) => row.forms).map((form) => /^\/(\w+)/.exec(form)?.[1]));
    expect(FEATURES.map((feature) => feature.command).filter((command) => !documented.has(command))).toEqual(
      [],
    );
  });
});
