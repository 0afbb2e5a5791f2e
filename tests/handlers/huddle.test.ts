import { DateTime } from 'luxon';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/client.ts';
import { resolvePerson } from '../../src/domain/people.ts';
import { loadHuddleDigest, loadWaitingDecisions } from '../../src/handlers/index.ts';
import { type DispatchDeps, dispatchInput } from '../../src/handlers/kernel/dispatch.ts';
import type { Input } from '../../src/handlers/kernel/input.ts';
import { SUPPLIES_ACTIONS } from '../../src/handlers/supplies/ids.ts';
import { TIME_OFF_ACTIONS } from '../../src/handlers/time-off/ids.ts';
import { databaseTargets } from '../helpers/databases.ts';
import { buildDispatchDeps } from '../helpers/dispatch.ts';
import { createRecordingLogger } from '../helpers/logger.ts';
import { buildOfficeConfig } from '../helpers/office.ts';

const quietLogger = createRecordingLogger('silent').logger;

const office = buildOfficeConfig();
const zone = office.office.timezone;
const NOW = DateTime.fromISO('2026-11-25T09:00', { zone }); // Wed

describe.each(databaseTargets())('loadHuddleDigest on $name', (target) => {
  let database: Database;
  let deps: DispatchDeps;

  beforeAll(async () => {
    database = await target.open();
    deps = buildDispatchDeps(database.db, office, createRecordingLogger().logger);
  });
  afterAll(async () => {
    await database.close();
  });

  const run = (userId: string, input: Input, now = NOW) =>
    dispatchInput(deps, resolvePerson(office, 'slack', userId), input, now);
  const reference = (text: string, prefix: string) => new RegExp(`${prefix}-\\d+`).exec(text)?.[0] ?? '';

  it('brings time off, supplies and stock into one morning digest', async () => {
    const timeOff = await run(
      'U0SAM',
      { kind: 'command', command: 'timeoff', text: 'nov 25' },
      NOW.minus({ days: 1 }),
    );
    await run('U0DANA', {
      kind: 'action',
      actionId: TIME_OFF_ACTIONS.approve,
      value: reference(timeOff.reply?.text ?? '', 'TO'),
    });
    await run('U0ANA', { kind: 'command', command: 'timeoff', text: 'dec 4' }, NOW.minus({ hours: 30 }));
    const gloves = await run('U0ANA', { kind: 'command', command: 'supplies', text: '4 nitrile gloves m' });
    const paper = await run('U0SAM', { kind: 'command', command: 'supplies', text: '6 exam table paper' });
    await run('U0DANA', {
      kind: 'action',
      actionId: SUPPLIES_ACTIONS.approve,
      value: reference(JSON.stringify(paper.reply), 'SR'),
    });
    await run('U0DANA', { kind: 'command', command: 'supplies', text: 'stock PPR-EX 2' });

    const digest = await loadHuddleDigest(database.db, office, '2026-11-25', NOW, quietLogger);
    const section = (heading: string) =>
      digest.sections.find((entry) => entry.heading.startsWith(heading))?.lines ?? [];
    expect(section('Out today')).toEqual(['Sam Lee']);
    const waiting = section('Waiting for a decision');
    expect(waiting).toHaveLength(2);
    expect(waiting[0]).toMatch(/^TO-\d+ · Ana Cruz: time off Fri Dec 4 · 1 day$/);
    expect(waiting[1]).toContain(reference(JSON.stringify(gloves.reply), 'SR'));
    expect(section('Supplies to order').join(' ')).toContain('Exam table paper');
    expect(section('Below par').join(' ')).toContain('Exam table paper');
  });

  it.each(['9999-12-31', '2024-12-31', '2028-01-01'])(
    'answers /huddle %s with the days it covers instead of failing',
    async (text) => {
      const outcome = await run('U0SAM', { kind: 'command', command: 'huddle', text });
      expect(outcome.reply?.text).toBe(
        'The huddle covers days from Wed Jan 1, 2025 to Fri Dec 31, 2027. Try /huddle, /huddle tomorrow or /huddle dec 3.',
      );
      expect(outcome.effects).toEqual([]);
    },
  );

  it('shows the huddle for the last day of next year', async () => {
    const outcome = await run('U0SAM', { kind: 'command', command: 'huddle', text: '2027-12-31' });
    expect(outcome.reply?.text).toContain('Fri Dec 31');
  });

  it('lists supply requests among the decisions the reminders chase', async () => {
    const waiting = await loadWaitingDecisions(database.db, office, quietLogger);
    expect(waiting.map((decision) => decision.reference.slice(0, 2)).sort()).toEqual(['SR', 'TO']);
  });

  it('asks before /huddle post on a closed day; Post anyway posts once however often pressed, and an old button or a non-manager is refused', async () => {
    const saturday = DateTime.fromISO('2026-11-28T09:00', { zone });
    const asked = await run('U0DANA', { kind: 'command', command: 'huddle', text: 'post' }, saturday);
    expect(asked.effects).toEqual([]);
    expect(asked.reply?.text).toBe(
      'The office is closed today (Sat Nov 28), and the huddle is not posted on closed days. Post it anyway?',
    );
    const button = asked.reply?.buttons?.[0];
    expect(button).toMatchObject({ label: 'Post anyway', value: '2026-11-28' });
    const press = (userId: string, now: typeof saturday) =>
      run(userId, { kind: 'action', actionId: button?.actionId ?? '', value: button?.value ?? '' }, now);
    expect((await press('U0SAM', saturday)).effects).toEqual([]);
    const late = await press('U0DANA', saturday.plus({ days: 1 }));
    expect(late.reply?.text).toMatch(/^That button was for another day\./);
    expect(late.effects).toEqual([]);
    const presses = await Promise.all([press('U0DANA', saturday), press('U0OMAR', saturday)]);
    const posted = presses.find((outcome) => outcome.effects.length > 0);
    expect(presses.filter((outcome) => outcome.effects.length > 0)).toHaveLength(1);
    expect(posted?.reply?.text).toBe('Posted the huddle for Sat Nov 28 to the huddle channel.');
    expect(posted?.effects).toMatchObject([{ kind: 'post', channel: 'huddle' }]);
    const poster = posted === presses[0] ? 'Dana Reyes' : 'Dr. Omar Haddad';
    // The question the button was on, redrawn without it.
    const answered = {
      text: asked.reply?.text,
      lines: [asked.reply?.text],
      note: `✅ ${poster} posted it (Sat Nov 28 at 9:00 AM).`,
    };
    expect(posted?.source).toEqual(answered);
    const again = await press('U0DANA', saturday.plus({ minutes: 5 }));
    const already = `${poster} already posted today’s huddle (Sat Nov 28 at 9:00 AM). Nothing was changed.`;
    expect(again.reply?.text).toBe(already);
    expect(again.effects).toEqual([]);
    expect(again.source).toEqual(answered);
  });

  it('marks urgent supplies still to order', async () => {
    const urgent = await run('U0SAM', {
      kind: 'command',
      command: 'supplies',
      text: '2 GLV-S urgent for room 2',
    });
    await run('U0DANA', {
      kind: 'action',
      actionId: SUPPLIES_ACTIONS.approve,
      value: reference(JSON.stringify(urgent.reply), 'SR'),
    });
    const digest = await loadHuddleDigest(database.db, office, '2026-11-25', NOW, quietLogger);
    const toOrder = digest.sections.find((entry) => entry.heading === 'Supplies to order')?.lines ?? [];
    expect(toOrder.find((line) => line.includes('Nitrile gloves (S)'))).toMatch(/· ⚡ urgent today$/);
  });
});
