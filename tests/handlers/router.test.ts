import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import type { Db } from '../../src/db/client.ts';
import type { TimeOffRow } from '../../src/db/repositories/time-off.ts';
import type { Feature } from '../../src/handlers/kernel/feature.ts';
import { createRouter } from '../../src/handlers/kernel/router.ts';
import { buildHandlerContext, buildPerson } from '../helpers/office.ts';

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

  it('drops control characters but tabs and line breaks before a feature reads the text', async () => {
    calls.length = 0;
    // A multi-line feature, so the tab and line breaks reach it (as `\n`) rather than as spaces.
    await createRouter([{ ...feature, commandTextLines: 'multi-line' }]).route(
      {
        kind: 'command',
        command: 'reps',
        text: 'a\u0000b\u0007c\u001b[31md\u007fe\u0085f\u009bg\th\r\ni\nj\u202Ek\u2066l\u2069\u202Cשלום',
      },
      ctx,
    );
    // Direction overrides and isolates go too; right-to-left letters stay.
    expect(calls).toEqual(['abc[31mdefg\th\ni\njklשלום']);
  });

  it('drops control characters from form values, form metadata and button values too', async () => {
    const seen: unknown[] = [];
    const recorder: Feature = {
      ...feature,
      actions: {
        press: async (value) => {
          seen.push(value);
          return { effects: [] };
        },
      },
      forms: {
        fill: async (values, metadata) => {
          seen.push(values, metadata);
          return { effects: [] };
        },
      },
    };
    const recording = createRouter([recorder]);
    await recording.route({ kind: 'action', actionId: 'press', value: 'CP-\u00073' }, ctx);
    await recording.route(
      { kind: 'form', formId: 'fill', values: { what: 'line one\u001b\nline two' }, metadata: 'CP-\u00853' },
      ctx,
    );
    expect(seen).toEqual(['CP-3', { what: 'line one\nline two' }, 'CP-3']);
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

  describe('subcommands', () => {
    const ran: string[] = [];
    const withSubcommands: Feature = {
      ...feature,
      command: 'timeoff',
      run: async (text) => {
        ran.push(`run:${text}`);
        return { effects: [] };
      },
      subcommands: [
        {
          words: ['list all'],
          managerOnly: (managers) => `Only ${managers} see everyone.`,
          run: async (rest) => {
            ran.push(`all:${rest}`);
            return { effects: [] };
          },
        },
        {
          words: ['list'],
          maxArgs: 0,
          run: async (rest) => {
            ran.push(`list:${rest}`);
            return { effects: [] };
          },
        },
        {
          words: ['cancel', 'withdraw'],
          run: async (rest) => {
            ran.push(`cancel:${rest}`);
            return { effects: [] };
          },
        },
      ],
    };
    const subRouter = createRouter([withSubcommands]);
    const office = ctx.office;
    const manager = { ...ctx, actor: buildPerson(office, 'U0DANA') };
    const route = (text: string, context = ctx) =>
      subRouter.route({ kind: 'command', command: 'timeoff', text }, context);

    it('refuses a manager-only subcommand to anyone else before it runs, naming the managers', async () => {
      ran.length = 0;
      const outcome = await route('LIST   all', ctx);
      expect(outcome.reply?.text).toBe('Only Dana Reyes or Dr. Omar Haddad see everyone.');
      expect(outcome.effects).toEqual([]);
      expect(ran).toEqual([]);
      await route('list all', manager);
      expect(ran).toEqual(['all:']);
    });

    it('chooses the longest phrase, passes the words after it, and gives other text to the command', async () => {
      ran.length = 0;
      await route('withdraw   TO-3');
      await route('list');
      await route('listing of things to bring');
      await route('dec 3 listing');
      expect(ran).toEqual(['cancel:TO-3', 'list:', 'run:listing of things to bring', 'run:dec 3 listing']);
    });

    it('refuses text that starts with a subcommand but has more words than it takes, running nothing', async () => {
      ran.length = 0;
      const outcome = await route('list of things to bring');
      expect(outcome.reply?.text).toBe('/timeoff list takes no words after it. Nothing was saved.');
      // The usage shown is the command's, for want of a line naming the subcommand.
      expect(outcome.reply?.lines).toEqual([
        '/timeoff list takes no words after it. Nothing was saved.',
        '/timeoff help shows how to write it.',
        'If you meant something else, say it without "list" first.',
      ]);
      expect(outcome.effects).toEqual([]);
      expect(ran).toEqual([]);
    });

    it('lets a shorter phrase that takes the words run before refusing a longer one', async () => {
      const chose: string[] = [];
      const listing: Feature = {
        ...feature,
        subcommands: [
          {
            words: ['list all'],
            maxArgs: 0,
            run: async (rest) => {
              chose.push(`all:${rest}`);
              return { effects: [] };
            },
          },
          {
            words: ['list'],
            run: async (rest) => {
              chose.push(`list:${rest}`);
              return { effects: [] };
            },
          },
        ],
      };
      const listRouter = createRouter([listing]);
      await listRouter.route({ kind: 'command', command: 'reps', text: 'list all' }, ctx);
      await listRouter.route({ kind: 'command', command: 'reps', text: 'list all of them' }, ctx);
      expect(chose).toEqual(['all:', 'list:all of them']);
    });

    it('shows the subcommand’s usage lines, and for a feature filing paragraphs how to file such text', async () => {
      const notes: Feature = {
        ...feature,
        command: 'note',
        commandTextLines: 'multi-line',
        usage: {
          summary: 'Follow-ups',
          lines: ['/note <text>', '/note done FU-3 · /note snooze FU-3 mon', '/note doneness'],
        },
        subcommands: [{ words: ['done'], maxArgs: 1, run: async () => ({ effects: [] }) }],
      };
      const outcome = await createRouter([notes]).route(
        { kind: 'command', command: 'note', text: 'done FU-1 FU-2' },
        ctx,
      );
      expect(outcome.reply?.lines).toEqual([
        '/note done takes at most one word after it. Nothing was saved.',
        '/note done FU-3 · /note snooze FU-3 mon',
        'To file text that starts with "done", type /note alone: it opens a form for it.',
        'You wrote: done FU-1 FU-2',
      ]);
      expect(calls).not.toContain('done FU-1 FU-2');
      // Typed over lines, it is the feature's own text (a note that starts with "done"), never refused.
      await createRouter([notes]).route(
        { kind: 'command', command: 'note', text: 'done with\nthe audit forms' },
        ctx,
      );
      expect(calls).toContain('done with\nthe audit forms');
    });
  });
});
