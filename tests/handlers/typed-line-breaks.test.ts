import { DateTime } from 'luxon';
import { describe, expect } from 'vitest';
import {
  callOuts,
  complaints,
  notes,
  supplyRequests,
  teamIssues,
  timeOffRequests,
} from '../../src/db/schema/index.ts';
import { COMPLAINT_DEFAULTS } from '../../src/domain/complaints.ts';
import { COMPLAINT_ACTIONS, COMPLAINT_FORMS } from '../../src/handlers/complaints/ids.ts';
import { COMMAND_WORDS } from '../../src/handlers/index.ts';
import { parseTypedCommand } from '../../src/handlers/kernel/input.ts';
import type { Outcome } from '../../src/handlers/kernel/message.ts';
import { databaseTargets } from '../helpers/databases.ts';
import { findReference, replyText } from '../helpers/dispatch.ts';
import { createHandlerTest } from '../helpers/handler-fixture.ts';
import { buildOfficeConfig } from '../helpers/office.ts';

// The office puts a complaint's text on its card, so the card shows what was typed.
const office = buildOfficeConfig({ complaints: { ...COMPLAINT_DEFAULTS, showDetailsInChannel: true } });
const NOW = DateTime.fromISO('2026-11-25T10:00', { zone: office.office.timezone }); // Wed
const SAM = 'U0SAM';
const DANA = 'U0DANA';

const THREE_LINES = 'The patient waited two hours.\nNobody told her why.\r\nShe left before being seen.';
const STORED_LINES = 'The patient waited two hours.\nNobody told her why.\nShe left before being seen.';

const it = createHandlerTest({
  office,
  now: NOW,
  command: 'complaint',
  actions: COMPLAINT_ACTIONS,
  forms: COMPLAINT_FORMS,
}).extend(
  'typed',
  ({ run }) =>
    /** A message typed to the bot as Teams and the sandbox read it, and Slack reads a slash command. */
    async (userId: string, message: string): Promise<Outcome> => {
      const typed = parseTypedCommand(message, COMMAND_WORDS);
      if (typed.kind !== 'command') throw new Error(`not a command: ${message}`);
      return run(userId, typed);
    },
);

describe('parseTypedCommand', () => {
  it('keeps the line breaks after the command word, as \\n, and reads the word up to any whitespace', () => {
    expect(parseTypedCommand('/complaint\r\nfirst line\rsecond\u2028third  ', COMMAND_WORDS)).toEqual({
      kind: 'command',
      command: 'complaint',
      text: 'first line\nsecond\nthird',
    });
    expect(parseTypedCommand('  timeoff\tlist\n', COMMAND_WORDS)).toEqual({
      kind: 'command',
      command: 'timeoff',
      text: 'list',
    });
    expect(parseTypedCommand('\n/frobnicate\nnow', COMMAND_WORDS)).toEqual({
      kind: 'unknown',
      word: 'frobnicate',
    });
  });
});

describe.each(databaseTargets())('line breaks typed in a command on $name', (target) => {
  it.override({ target });

  it('stores a complaint typed over three lines with its line breaks, and its card and details show them', async ({
    typed,
    press,
    db,
  }) => {
    const filed = await typed(SAM, `/complaint ${THREE_LINES}`);
    const reference = findReference(filed, 'CP');
    expect((await db.select().from(complaints)).map((row) => row.description)).toEqual([STORED_LINES]);
    const card = filed.effects.find((effect) => effect.kind === 'post');
    expect(card?.kind === 'post' && card.message.lines).toEqual([`What happened: ${STORED_LINES}`]);
    const details = await press(DANA, COMPLAINT_ACTIONS.details, reference);
    expect(details.form?.lines).toContain(STORED_LINES);
  });

  it('reads a subcommand followed by a line break as the subcommand', async ({ typed, db }) => {
    const listed = await typed(DANA, '/complaint list\n');
    expect(listed.reply?.title).toMatch(/^Open complaints/);
    expect(await db.select().from(complaints)).toEqual([]);
  });

  it('files a complaint whose first line is only "list", keeping its lines', async ({ command, db }) => {
    expect(replyText(await command(SAM, 'list\nof problems at check-in'))).toMatch(
      /Complaint logged: CP-\d+/,
    );
    expect((await db.select().from(complaints)).map((row) => row.description)).toEqual([
      'list\nof problems at check-in',
    ]);
  });

  it('stores time off typed over lines with its reason on one line', async ({ typed, db }) => {
    await typed(SAM, '/timeoff dec 1\nfamily visit\r\nout of state');
    expect(await db.select().from(timeOffRequests)).toMatchObject([
      { startDay: '2026-12-01', reason: 'family visit out of state' },
    ]);
  });

  it('stores a call-out typed over lines with its reason on one line', async ({ typed, db }) => {
    await typed(SAM, '/out sick\nfever\n\nand chills');
    const [stored] = await db.select().from(callOuts);
    expect(stored?.reason).toBe('fever and chills');
  });

  it('reads a supply item typed over lines as one line', async ({ typed, db }) => {
    await typed(SAM, '/supplies 2 label\nprinter tape');
    expect((await db.select().from(supplyRequests)).map((row) => row.itemName)).toEqual([
      'label printer tape',
    ]);
  });

  it('keeps a follow-up’s lines, reads its due day after them, and lists it on one line', async ({
    typed,
    db,
  }) => {
    const filed = await typed(SAM, '/note call the lab\nabout Ana’s results\nby fri');
    expect(await db.select().from(notes)).toMatchObject([
      { text: 'call the lab\nabout Ana’s results', due: '2026-11-27' },
    ]);
    expect(filed.reply?.lines?.[0]).toBe('call the lab\nabout Ana’s results');
    const listed = await typed(SAM, '/note list');
    expect(listed.reply?.lines).toEqual([
      expect.stringMatching(/^FU-\d+ · call the lab about Ana’s results · /),
    ]);
    const reference = findReference(filed, 'FU');
    expect((await typed(SAM, `/note done ${reference}`)).reply?.text).toBe(
      `Done: ${reference} · call the lab about Ana’s results`,
    );
  });

  it('keeps a team issue’s lines on its card, and its summary on one line', async ({ typed, db }) => {
    const filed = await typed(SAM, '/issue Printer jams\nIS-99 · a forged line');
    expect((await db.select().from(teamIssues)).map((row) => row.description)).toEqual([
      'Printer jams\nIS-99 · a forged line',
    ]);
    const card = filed.effects.find((effect) => effect.kind === 'post');
    expect(card?.kind === 'post' && card.message.lines?.[0]).toBe('Printer jams\nIS-99 · a forged line');
    expect(card?.kind === 'post' && card.message.text).not.toContain('\n');
  });
});
