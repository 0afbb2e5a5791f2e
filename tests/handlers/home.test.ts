import { DateTime } from 'luxon';
import { describe, expect } from 'vitest';
import { databaseTargets } from '../helpers/databases.ts';
import { createHandlerTest } from '../helpers/handler-fixture.ts';
import { buildOfficeConfig } from '../helpers/office.ts';

const office = buildOfficeConfig();
const NOW = DateTime.fromISO('2026-11-25T10:00', { zone: office.office.timezone }); // Wed

const it = createHandlerTest({ office, now: NOW, command: 'home', actions: {}, forms: {} });

describe.each(databaseTargets())('home typed to the bot on $name', (target) => {
  it.override({ target });

  it('answers with the person’s own things, and a manager’s decisions waiting, as one card', async ({
    run,
    command,
  }) => {
    await run('U0SAM', { kind: 'command', command: 'timeoff', text: 'dec 2 dentist' });
    await run('U0SAM', { kind: 'command', command: 'supplies', text: '4 GLV-M' });
    const sam = (await command('U0SAM', '')).reply;
    expect(sam?.title).toBe('Home — Sam Lee');
    const headings = sam?.sections?.map((section) => section.heading);
    expect(headings).toEqual(['Your time off', 'Your supply requests']);
    expect(JSON.stringify(sam)).not.toContain('Decide each request');

    const dana = (await command('U0DANA', '')).reply;
    expect(dana?.sections?.map((section) => section.heading)).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^Time off TO-\d+ — Sam Lee$/),
        expect.stringMatching(/^Supplies SR-\d+ — Sam Lee$/),
      ]),
    );
    expect(dana?.lines).toEqual([
      'What is yours, as it stands now.',
      'Decide each request from its card in the approvals channel.',
    ]);
    expect(dana?.buttons).toBeUndefined();
  });

  it('points a manager whose only cards are untaken issues to the huddle channel, not the approvals one', async ({
    run,
    command,
  }) => {
    await run('U0SAM', { kind: 'command', command: 'issue', text: 'The label printer jams on every page' });
    const omar = (await command('U0OMAR', '')).reply;
    expect(omar?.sections?.map((section) => section.heading)).toEqual(
      expect.arrayContaining([expect.stringMatching(/^Issues nobody has taken \(1\)$/)]),
    );
    expect(omar?.lines).toEqual([
      'What is yours, as it stands now.',
      'Take or finish each issue from its card in the huddle channel.',
    ]);
    const sam = (await command('U0SAM', '')).reply;
    expect(sam?.lines).toEqual(['What is yours, as it stands now.']);
  });

  it('says so when nothing is open', async ({ command }) => {
    expect((await command('U0STRANGER', '')).reply?.lines).toEqual(['Nothing of yours is open.']);
  });
});
