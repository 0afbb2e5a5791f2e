import * as AC from 'adaptivecards';
import { DateTime } from 'luxon';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readCardSubmission } from '../../src/bot/teams/register.ts';
import {
  formToAdaptiveCard,
  MAX_TEAMS_ACTIONS,
  replyToAdaptiveCard,
  TEAMS_LIMITS,
} from '../../src/bot/teams/render.ts';
import { type Database, openDatabase } from '../../src/db/client.ts';
import { outbox } from '../../src/db/schema/index.ts';
import { resolvePerson } from '../../src/domain/people.ts';
import { COMPLAINT_ACTIONS, COMPLAINT_FORMS } from '../../src/handlers/complaints/ids.ts';
import {
  ACTION_IDS,
  COMMAND_WORDS,
  describeEveryCommand,
  FEATURES,
  FORM_IDS,
} from '../../src/handlers/index.ts';
import { type DispatchDeps, dispatchInput } from '../../src/handlers/kernel/dispatch.ts';
import type { Input } from '../../src/handlers/kernel/input.ts';
import type { Button, Form, Message } from '../../src/handlers/kernel/message.ts';
import { createRouter } from '../../src/handlers/kernel/router.ts';
import { REPS_ACTIONS } from '../../src/handlers/rep-meetings/ids.ts';
import { SUPPLIES_ACTIONS } from '../../src/handlers/supplies/ids.ts';
import { TIME_OFF_ACTIONS, TIME_OFF_FORMS } from '../../src/handlers/time-off/ids.ts';
import { createRecordingLogger } from '../helpers/logger.ts';
import { buildOfficeConfig } from '../helpers/office.ts';

const office = buildOfficeConfig();
const NOW = DateTime.fromISO('2026-11-25T10:00', { zone: office.office.timezone }); // Wed
const KNOWN_VERBS = new Set<string>([...ACTION_IDS, ...FORM_IDS]);

/** Parses a card with the official Adaptive Cards library and returns every parse and validation problem. */
function validateCard(card: object): string[] {
  const parsed = new AC.AdaptiveCard();
  const context = new AC.SerializationContext();
  parsed.parse(card, context);
  const problems: string[] = [];
  for (let index = 0; index < context.eventCount; index += 1)
    problems.push(context.getEventAt(index).message);
  for (const event of parsed.validateProperties().validationEvents) problems.push(event.message);
  return problems;
}

describe('replyToAdaptiveCard and formToAdaptiveCard', () => {
  let database: Database;
  const messages: Message[] = [];
  const forms: Form[] = [];

  beforeAll(async () => {
    database = await openDatabase({ dataDir: null });
    const deps: DispatchDeps = {
      db: database.db,
      office,
      logger: createRecordingLogger().logger,
      router: createRouter(FEATURES),
      platforms: ['teams'],
      routeChannel: async (_db, role) => [{ platform: 'teams', target: `conv-${role}` }],
    };
    const run = async (userId: string, input: Input) => {
      const outcome = await dispatchInput(deps, resolvePerson(office, 'slack', userId), input, NOW);
      if (outcome.reply) messages.push(outcome.reply);
      if (outcome.form) forms.push(outcome.form);
      return outcome;
    };
    messages.push(describeEveryCommand(), describeEveryCommand('frontdesk does not know "x".'));
    for (const command of COMMAND_WORDS) {
      await run('U0SAM', { kind: 'command', command, text: 'help' });
      await run('U0SAM', { kind: 'command', command, text: '' });
      await run('U0DANA', { kind: 'command', command, text: 'list' });
    }
    const filed = await run('U0SAM', {
      kind: 'command',
      command: 'timeoff',
      text: 'dec 1 to dec 3 <b>*visit*</b> [x](http://e.vil)',
    });
    const reference = /TO-\d+/.exec(filed.reply?.text ?? '')?.[0] ?? '';
    await run('U0SAM', { kind: 'command', command: 'timeoff', text: 'nonsense' });
    await run('U0PRIYA', { kind: 'action', actionId: TIME_OFF_ACTIONS.approve, value: reference });
    await run('U0DANA', { kind: 'action', actionId: TIME_OFF_ACTIONS.deny, value: reference });
    await run('U0DANA', { kind: 'action', actionId: TIME_OFF_ACTIONS.approve, value: reference });
    await run('U0DANA', { kind: 'command', command: 'huddle', text: 'post' });
    const complaint = await run('U0SAM', {
      kind: 'command',
      command: 'complaint',
      text: 'Waited an hour at check-in',
    });
    const complaintReference = /CP-\d+/.exec(JSON.stringify(complaint.reply))?.[0] ?? '';
    for (const actionId of [
      COMPLAINT_ACTIONS.details,
      COMPLAINT_ACTIONS.acknowledge,
      COMPLAINT_ACTIONS.resolve,
    ]) {
      await run('U0DANA', { kind: 'action', actionId, value: complaintReference });
    }
    const supply = await run('U0SAM', { kind: 'command', command: 'supplies', text: '4 nitrile gloves m' });
    const supplyReference = /SR-\d+/.exec(JSON.stringify(supply.reply))?.[0] ?? '';
    await run('U0DANA', { kind: 'action', actionId: SUPPLIES_ACTIONS.approve, value: supplyReference });
    await run('U0SAM', { kind: 'command', command: 'supplies', text: '2 glove' });
    for (const row of await database.db.select().from(outbox)) messages.push(row.message as Message);
  });
  afterAll(async () => {
    await database.close();
  });

  it('collects replies, cards and forms from every command', () => {
    expect(messages.length).toBeGreaterThan(20);
    expect(forms.map((form) => form.formId)).toEqual(
      expect.arrayContaining([TIME_OFF_FORMS.request, TIME_OFF_FORMS.denyReason, COMPLAINT_FORMS.details]),
    );
  });

  it('renders every reply as a valid Adaptive Card 1.5 whose buttons carry a known verb', () => {
    for (const message of messages) {
      const card = replyToAdaptiveCard(message);
      expect(card.version).toBe('1.5');
      expect(validateCard(card), message.text).toEqual([]);
      expect(((card.actions as unknown[] | undefined) ?? []).length).toBeLessThanOrEqual(MAX_TEAMS_ACTIONS);
      for (const action of (card.actions as { data: { verb: string } }[] | undefined) ?? []) {
        expect(KNOWN_VERBS.has(action.data.verb)).toBe(true);
      }
    }
  });

  it('renders every form as a valid Adaptive Card whose submit, when it has one, carries the form id', () => {
    for (const form of forms) {
      const card = formToAdaptiveCard(form);
      expect(validateCard(card), form.title).toEqual([]);
      const actions = (card.actions as { type: string; data: { verb: string } }[] | undefined) ?? [];
      if (form.submitLabel)
        expect(actions[0]).toMatchObject({ type: 'Action.Submit', data: { verb: form.formId } });
      else expect(actions).toEqual([]);
    }
  });

  it('gives every drawing of a form its own instance id, which a submission does not read as a field', () => {
    const form = forms.find((entry) => entry.formId === TIME_OFF_FORMS.request);
    if (!form) throw new Error('no time-off form');
    const submitOf = () =>
      ((formToAdaptiveCard(form).actions as { data: Record<string, string> }[] | undefined) ?? [])[0]?.data;
    const [first, second] = [submitOf(), submitOf()];
    expect(first?.instance).toMatch(/^[0-9a-f-]{36}$/);
    expect(second?.instance).not.toBe(first?.instance);
    expect(readCardSubmission({ ...first, start: '2026-12-09' }, () => 'd')).toEqual({
      kind: 'form',
      formId: TIME_OFF_FORMS.request,
      values: { start: '2026-12-09' },
      deliveryId: 'd',
    });
  });

  it('keeps a card of up to five buttons as buttons', () => {
    const buttons: Button[] = [
      { label: 'Approve', actionId: TIME_OFF_ACTIONS.approve, value: 'TO-1', style: 'primary' },
      { label: 'Deny', actionId: TIME_OFF_ACTIONS.deny, value: 'TO-1', style: 'danger' },
    ];
    const card = replyToAdaptiveCard({ text: 'Time off TO-1', buttons });
    expect(card.actions).toEqual([
      {
        type: 'Action.Submit',
        title: 'Approve',
        data: { verb: 'timeoff_approve', value: 'TO-1' },
        style: 'positive',
      },
      {
        type: 'Action.Submit',
        title: 'Deny',
        data: { verb: 'timeoff_deny', value: 'TO-1' },
        style: 'destructive',
      },
    ]);
    expect(JSON.stringify(card.body)).not.toContain('Input.ChoiceSet');
  });

  it('asks first on a button with a confirm: an inline card with the question whose submit is the press', () => {
    const confirm = {
      title: 'Approve with a coverage gap?',
      text: 'Approving TO-2 leaves *Front desk*: 0 of 1.',
      confirm: 'Approve anyway',
      deny: 'Go back',
    };
    const card = replyToAdaptiveCard({
      text: 'Time off TO-2',
      buttons: [
        { label: 'Approve', actionId: TIME_OFF_ACTIONS.approve, value: 'TO-2', style: 'primary', confirm },
      ],
    });
    expect(validateCard(card)).toEqual([]);
    const [action] = card.actions as {
      type: string;
      title: string;
      card: { body: { text: string }[]; actions: unknown[] };
    }[];
    expect(action?.type).toBe('Action.ShowCard');
    expect(action?.title).toBe('Approve');
    expect(action?.card.body.map((block) => block.text)).toEqual([
      'Approve with a coverage gap?',
      'Approving TO-2 leaves \\*Front desk\\*: 0 of 1.',
    ]);
    expect(action?.card.actions).toEqual([
      {
        type: 'Action.Submit',
        title: 'Approve anyway',
        data: { verb: 'timeoff_approve', value: 'TO-2' },
        style: 'positive',
      },
    ]);
  });

  it('turns more than five buttons into one choice per action, whose submission reads like the button press', () => {
    const slots = Array.from(
      { length: 16 },
      (_, index) => `2026-12-${String(index + 1).padStart(2, '0')}T12:00`,
    );
    const buttons: Button[] = [
      ...slots.map((slot) => ({ label: `Book ${slot}`, actionId: REPS_ACTIONS.book, value: slot })),
      { label: 'Details', actionId: COMPLAINT_ACTIONS.details, value: 'CP-1' },
    ];
    const card = replyToAdaptiveCard({ text: '16 open rep slots', buttons });
    expect(validateCard(card)).toEqual([]);
    const actions = card.actions as { title: string; data: Record<string, string> }[];
    expect(actions.map((action) => action.title)).toEqual(['Book', 'Details']);
    const choice = card.body.find((element) => (element as { type: string }).type === 'Input.ChoiceSet') as {
      id: string;
      choices: { title: string; value: string }[];
    };
    expect(choice.choices).toEqual(
      buttons.slice(0, 16).map((button) => ({ title: button.label, value: button.value })),
    );
    // Teams sends the submit's data with every input's value beside it.
    const submitted = { ...actions[0]?.data, [choice.id]: slots[6] };
    expect(readCardSubmission(submitted, () => 'delivery')).toEqual(
      readCardSubmission({ verb: REPS_ACTIONS.book, value: slots[6] }, () => 'delivery'),
    );
    expect(readCardSubmission({ ...actions[1]?.data, [choice.id]: slots[0] }, () => 'd')).toMatchObject({
      actionId: COMPLAINT_ACTIONS.details,
      value: 'CP-1',
    });
  });

  it('escapes markdown typed by people so it cannot become a link or formatting', () => {
    const card = replyToAdaptiveCard({ text: '[x](http://e.vil) *bold* <at>Dana</at>' });
    const text = JSON.stringify(card.body);
    expect(text).toContain('\\\\[x\\\\](http://e.vil)');
    expect(text).toContain('\\\\*bold\\\\*');
    expect(text).toContain('\\\\<at\\\\>');
  });

  it('parts typed double braces so Teams cannot draw a date function of its own', () => {
    const typed = 'back {{DATE(2026-12-01T00:00:00Z, LONG)}} and {{{TIME(2026-12-01T09:00:00Z)}}}';
    const card = replyToAdaptiveCard({
      text: typed,
      title: typed,
      lines: [typed],
      fields: [{ label: typed, value: typed }],
    });
    const text = JSON.stringify(card);
    expect(text).not.toMatch(/\{\{/);
    expect(text).toContain('{\u2060{DATE(');
    expect(text).toContain('{\u2060{\u2060{TIME(');
  });
});

describe('Teams rendering of long text', () => {
  // Every character of this is one Teams escapes, so a cut made after escaping would split a `\\*` pair.
  const typed = '*[_]\\'.repeat(20_000);
  const unescapeTeams = (text: string) => text.replace(/\\(.)/g, '$1');
  const cutTo = (max: number) => `${typed.slice(0, max - 1)}…`;

  it('cuts a 100,000-character line, title and note to the text limit, escaping after the cut', () => {
    const card = replyToAdaptiveCard({ text: 'Complaint CP-1', title: typed, lines: [typed], note: typed });
    expect(validateCard(card)).toEqual([]);
    const texts = (card.body as { type: string; text: string }[]).map((block) => block.text);
    expect(texts).toHaveLength(3);
    for (const text of texts) {
      expect(unescapeTeams(text)).toBe(cutTo(TEAMS_LIMITS.text));
      // Left when every escape pair is taken out: only the ellipsis, so no escape was cut in half.
      expect(text.replace(/\\./g, '')).toBe('…');
    }
  });

  it('cuts a fact title and value to their limits', () => {
    const card = replyToAdaptiveCard({ text: 'Supplies SR-1', fields: [{ label: typed, value: typed }] });
    expect(validateCard(card)).toEqual([]);
    const factSet = card.body.find((element) => (element as { type: string }).type === 'FactSet');
    const [fact] = (factSet as { facts: { title: string; value: string }[] }).facts;
    expect(unescapeTeams(fact?.title ?? '')).toBe(cutTo(TEAMS_LIMITS.factTitle));
    expect(unescapeTeams(fact?.value ?? '')).toBe(cutTo(TEAMS_LIMITS.factValue));
  });

  it('shows a 3,000-character complaint whole in a details form', () => {
    const description = 'Waited two hours & nobody said <why>. '.repeat(100).slice(0, 3000);
    const card = formToAdaptiveCard({
      formId: COMPLAINT_FORMS.details,
      title: 'Complaint CP-1',
      lines: ['What happened:', description],
      inputs: [],
    });
    const texts = (card.body as { text: string }[]).map((block) => unescapeTeams(block.text));
    expect(texts).toEqual(['Complaint CP-1', 'What happened:', description]);
  });
});
