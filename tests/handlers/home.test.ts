import { DateTime } from 'luxon';
import { describe, expect } from 'vitest';
import { deliveries } from '../../src/db/schema/index.ts';
import { resolvePerson } from '../../src/domain/people.ts';
import { loadHome } from '../../src/handlers/index.ts';
import { databaseTargets } from '../helpers/databases.ts';
import { findReference } from '../helpers/dispatch.ts';
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

  it('keeps no copy of the answer, which quotes private follow-ups, for a retried delivery', async ({
    run,
    db,
  }) => {
    await run('U0SAM', { kind: 'command', command: 'note', text: 'call the lab about Ana’s biopsy by fri' });
    const home = await run('U0SAM', {
      kind: 'command',
      command: 'home',
      text: '',
      deliveryId: 'trigger.home',
    });
    expect(JSON.stringify(home.reply)).toContain('biopsy');
    expect(home.confidentialReply).toBe(true);
    expect(JSON.stringify(await db.select().from(deliveries))).not.toContain('biopsy');
  });

  it('shows a manager the ten oldest time-off and supply decisions of each and counts the rest', async ({
    run,
    db,
  }) => {
    const timeOff: string[] = [];
    for (const user of ['U0SAM', 'U0PRIYA', 'U0ANA', 'U0GRACE'])
      for (const day of ['dec 7', 'dec 8', 'dec 9'])
        timeOff.push(
          findReference(
            await run(user, { kind: 'command', command: 'timeoff', text: `${day} errand` }),
            'TO',
          ),
        );
    for (const user of ['U0SAM', 'U0PRIYA', 'U0ANA', 'U0GRACE'])
      for (const sku of ['GLV-M', 'PPR-EX', 'GLV-M'])
        await run(user, { kind: 'command', command: 'supplies', text: `4 ${sku}` });
    const messages = await loadHome(db, office, resolvePerson(office, 'slack', 'U0DANA'), NOW);
    const texts = messages.map((message) => message.text);
    expect(texts).toContain('Time off: 2 more waiting — see the approvals channel.');
    expect(texts).toContain('Supplies: 2 more waiting — see the approvals channel.');
    const shown = JSON.stringify(messages);
    expect(timeOff.filter((reference) => shown.includes(`${reference} `))).toHaveLength(10);
  });
});
