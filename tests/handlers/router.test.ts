import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import type { Db } from '../../src/db/client.ts';
import type { TimeOffRow } from '../../src/db/repositories/time-off.ts';
import type { Feature } from '../../src/handlers/kernel/feature.ts';
import { createRouter } from '../../src/handlers/kernel/router.ts';
import { buildHandlerContext } from '../helpers/office.ts';

describe('createRouter', () => {
  const calls: string[] = [];
  const feature: Feature = {
    command: 'reps',
    usage: { summary: 'Book a sales-rep visit', lines: ['/reps book <date> <time> <rep> from <company>'] },
    run: async (text) => {
      calls.push(text);
      return { reply: { text: 'ran' }, effects: [] };
    },
    actions: {},
    forms: {},
  };
  const router = createRouter([feature]);
  const ctx = buildHandlerContext({} as Db, { now: DateTime.fromISO('2026-11-25T10:00') }); // Wed

  it('refuses command text over 5,000 characters without running the handler', async () => {
    const outcome = await router.route({ kind: 'command', command: 'reps', text: 'x'.repeat(100_000) }, ctx);
    expect(outcome.reply?.text).toBe(
      'That is 100,000 characters; frontdesk reads at most 5,000. Please shorten it. Nothing was saved.',
    );
    expect(calls).toEqual([]);
  });

  it('passes text up to the limit to the handler', async () => {
    await router.route({ kind: 'command', command: 'reps', text: 'y'.repeat(5_000) }, ctx);
    expect(calls).toHaveLength(1);
  });

  it('answers help with the usage and a command without a feature with what is missing', async () => {
    expect((await router.route({ kind: 'command', command: 'reps', text: 'help' }, ctx)).reply?.title).toBe(
      '/reps — Book a sales-rep visit',
    );
    expect((await router.route({ kind: 'command', command: 'huddle', text: 'post' }, ctx)).reply?.text).toBe(
      '/huddle is not available yet',
    );
  });

  it('hands an event a feature publishes to every feature that subscribes, in the same input', async () => {
    const timeOff = { number: 7 } as TimeOffRow;
    const publisher: Feature = {
      ...feature,
      command: 'timeoff',
      run: async (_text, handlerCtx) => ({
        effects: await handlerCtx.publish({ kind: 'timeoff.approved', timeOff }),
      }),
    };
    const subscriber: Feature = {
      ...feature,
      on: {
        'timeoff.approved': async (event) => [
          { kind: 'post', channel: 'approvals', message: { text: `saw TO-${event.timeOff.number}` } },
        ],
      },
    };
    const outcome = await createRouter([publisher, subscriber]).route(
      { kind: 'command', command: 'timeoff', text: 'dec 1' },
      ctx,
    );
    expect(outcome.effects).toEqual([{ kind: 'post', channel: 'approvals', message: { text: 'saw TO-7' } }]);
  });
});
