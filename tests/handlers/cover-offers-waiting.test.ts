import { DateTime } from 'luxon';
import { describe, expect } from 'vitest';
import { resolvePerson } from '../../src/domain/people.ts';
import { CALL_OUT_ACTIONS, CALL_OUT_FORMS } from '../../src/handlers/call-outs/ids.ts';
import { loadHome, loadHuddleDigest } from '../../src/handlers/index.ts';
import type { Effect, Message } from '../../src/handlers/kernel/message.ts';
import { databaseTargets } from '../helpers/databases.ts';
import { findReference, replyText } from '../helpers/dispatch.ts';
import { createHandlerTest } from '../helpers/handler-fixture.ts';
import { findScheduledJob } from '../helpers/jobs.ts';
import { createRecordingLogger } from '../helpers/logger.ts';
import { buildOfficeConfig } from '../helpers/office.ts';

const office = buildOfficeConfig();
const zone = office.office.timezone;
const at = (iso: string) => DateTime.fromISO(iso, { zone });
const NOW = at('2026-12-01T07:00'); // Tue
const SAM = 'U0SAM'; // front desk
const PRIYA = 'U0PRIYA'; // front desk
const LUIS = 'U0LUIS'; // billing, covers front desk
const DANA = 'U0DANA'; // manager
const quiet = createRecordingLogger('silent').logger;
const remindersJob = findScheduledJob('pending-reminders');

const it = createHandlerTest({
  office,
  now: NOW,
  command: 'out',
  actions: CALL_OUT_ACTIONS,
  forms: CALL_OUT_FORMS,
})
  .extend('luisOffers', ({ run }) => async (when = '') => {
    // Priya and Sam both out leaves the front desk short; Luis, asked, says yes and waits for a manager.
    await run(PRIYA, { kind: 'command', command: 'out', text: `sick${when}` });
    const called = await run(SAM, { kind: 'command', command: 'out', text: `sick${when}` });
    const reference = findReference(called, 'CO');
    const offered = await run(
      LUIS,
      { kind: 'action', actionId: CALL_OUT_ACTIONS.canCover, value: reference },
      at('2026-12-01T07:10'),
    );
    expect(replyText(offered)).toContain('you offered to cover for Sam Lee');
    return reference;
  })
  .extend(
    'homeOf',
    ({ db }) =>
      (userId: string, now = at('2026-12-01T07:50')) =>
        loadHome(db, office, resolvePerson(office, 'slack', userId), now),
  )
  .extend('waitingOn', ({ db }) => async (day: string, now: DateTime) => {
    const digest = await loadHuddleDigest(db, office, day, now, quiet);
    return {
      digest,
      waiting: digest.sections.filter((section) => section.heading.startsWith('Waiting for a decision')),
    };
  });

const coverCards = (messages: readonly Message[], reference: string) =>
  messages.filter((message) => message.title === `Cover offered — ${reference}`);

describe.each(databaseTargets())('cover offers waiting for Confirm cover on $name', (target) => {
  it.override({ target });

  it('lists the offer in the huddle and a manager’s home, with Confirm cover, until it is confirmed', async ({
    luisOffers,
    homeOf,
    waitingOn,
    run,
    dmsTo,
  }) => {
    const reference = await luisOffers();

    const before = await waitingOn('2026-12-01', at('2026-12-01T07:45'));
    expect(before.waiting).toEqual([
      {
        heading: 'Waiting for a decision (1)',
        lines: [
          `${reference} · Cover for Sam Lee, Tue Dec 1, all day: Luis Ortega offered — Confirm cover on its card · just now`,
        ],
      },
    ]);
    // Posted in a channel: never the kind of call-out.
    expect(JSON.stringify(before.digest)).not.toMatch(/sick/i);

    const [card] = coverCards(await homeOf(DANA), reference);
    const [sent] = (await dmsTo(DANA)).filter((row) => row.cardKey?.includes('/confirm/'));
    expect(card?.lines).toEqual(['Luis Ortega can cover for Sam Lee (front desk), Tue Dec 1, all day']);
    expect(card?.buttons).toEqual([
      {
        label: 'Confirm cover',
        actionId: CALL_OUT_ACTIONS.confirmCover,
        value: `${reference}/cover/staff:luis-ortega`,
        style: 'primary',
      },
    ]);
    expect(card?.buttons).toEqual(sent?.message.buttons);
    // Staff, the volunteer and the person out among them, are shown none of it.
    for (const staff of [SAM, LUIS, PRIYA])
      expect(JSON.stringify(await homeOf(staff))).not.toContain(`Cover offered — ${reference}`);

    // Home as one card (Teams, the sandbox) points to where the button is.
    const typed = await run(DANA, { kind: 'command', command: 'home', text: '' });
    expect(typed.reply?.sections?.map((section) => section.heading)).toContain(
      `Cover offered — ${reference}`,
    );
    expect(typed.reply?.lines).toContain('Confirm each cover offer on its card in your direct messages.');

    const pressed = await run(
      DANA,
      { kind: 'action', actionId: CALL_OUT_ACTIONS.confirmCover, value: card?.buttons?.[0]?.value ?? '' },
      at('2026-12-01T07:55'),
    );
    expect(replyText(pressed)).toContain('Confirmed: Luis Ortega covers for Sam Lee (front desk)');

    expect((await waitingOn('2026-12-01', at('2026-12-01T08:00'))).waiting).toEqual([]);
    expect(coverCards(await homeOf(DANA, at('2026-12-01T08:00')), reference)).toEqual([]);
  });

  it('stops listing an offer whose volunteer turns out to be away then too', async ({
    luisOffers,
    homeOf,
    waitingOn,
    run,
  }) => {
    const reference = await luisOffers();
    expect(coverCards(await homeOf(DANA), reference)).toHaveLength(1);

    await run(LUIS, { kind: 'command', command: 'out', text: 'sick' }, at('2026-12-01T07:20'));

    const after = await waitingOn('2026-12-01', at('2026-12-01T07:45'));
    expect(after.waiting).toEqual([]);
    expect(JSON.stringify(after.digest)).not.toContain('offered');
    expect(coverCards(await homeOf(DANA), reference)).toEqual([]);
  });

  it('reminds the managers of an offer waiting long, told where to confirm it, and forgets it once its day is over', async ({
    luisOffers,
    homeOf,
    waitingOn,
    db,
  }) => {
    const reference = await luisOffers(' dec 7');
    const remind = (now: DateTime) =>
      remindersJob.run(
        { db, office, now, logger: quiet },
        { runKey: now.toISODate() ?? '', scheduledAt: now, late: false },
      );

    const friday = at('2026-12-04T10:00');
    const effects = await remind(friday);
    const toDana = effects.find(
      (effect): effect is Extract<Effect, { kind: 'dm' }> =>
        effect.kind === 'dm' && effect.to.userId === DANA,
    );
    expect(toDana?.message.lines).toEqual([
      `${reference} · Cover for Sam Lee, Mon Dec 7, all day: Luis Ortega offered — Confirm cover on its card`,
      'Confirm each cover offer on its card in your direct messages.',
    ]);
    expect(effects).toContainEqual({
      kind: 'dm',
      to: { platform: 'slack', userId: LUIS },
      message: { text: `${reference} is still waiting for a manager; they have been reminded today.` },
    });
    expect(JSON.stringify(effects)).not.toMatch(/sick/i);

    // Monday it still waits; by Tuesday the day is over and the offer can no longer be confirmed.
    expect((await waitingOn('2026-12-07', at('2026-12-07T07:45'))).waiting).toHaveLength(1);
    const tuesday = at('2026-12-08T10:00');
    expect(await remind(tuesday)).toEqual([]);
    expect((await waitingOn('2026-12-08', at('2026-12-08T07:45'))).waiting).toEqual([]);
    expect(coverCards(await homeOf(DANA, tuesday), reference)).toEqual([]);
  });
});
