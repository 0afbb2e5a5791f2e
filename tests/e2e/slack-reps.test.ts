import { DateTime } from 'luxon';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { outbox, repMeetings } from '../../src/db/schema/index.ts';
import { buildOfficeConfig } from '../helpers/office.ts';
import { type SlackHarness, startSlackHarness } from '../helpers/slack-harness.ts';
import { waitFor } from '../helpers/wait.ts';

const office = buildOfficeConfig();
const NOW = DateTime.fromISO('2026-11-25T10:00', { zone: office.office.timezone }); // Wed

interface SlackBlock {
  type: string;
  elements?: { type: string; action_id: string; value: string; text: { text: string } }[];
}

function textInput(id: string, value: string) {
  return { [id]: { [id]: { type: 'plain_text_input', value } } };
}

describe('/reps through signed Slack requests', () => {
  let slack: SlackHarness;

  beforeAll(async () => {
    slack = await startSlackHarness({
      command: '/reps',
      office,
      now: NOW,
      tables: [outbox, repMeetings],
      // The Book buttons are on the ephemeral list in the channel where /reps was typed.
      pressChannel: 'C0GENERAL',
    });
  });
  afterAll(() => slack?.stop());
  beforeEach(() => slack.reset());

  const formValues = (overrides: Record<string, string> = {}) => {
    const values = {
      repName: 'Jordan Smith',
      company: 'Acme Pharma',
      topic: 'New inhaler',
      contact: '555-0100',
      providers: 'Dr. Helen Park',
      ...overrides,
    };
    return {
      ...Object.assign({}, ...Object.entries(values).map(([id, value]) => textInput(id, value))),
      lunch: { lunch: { type: 'static_select', selected_option: { value: 'yes' } } },
    };
  };

  it('gives a manager the calendar feed at the address Slack reached, which serves the feed', async () => {
    const answer = await slack.slash('calendar', { userId: 'U0DANA' });
    const address = /^Calendar feed: (http:\/\/127\.0\.0\.1:\d+\/calendar\/[\w-]+\.ics)$/.exec(
      answer.text ?? '',
    )?.[1];
    expect(address).toBeDefined();
    expect(address?.startsWith(slack.url)).toBe(true);
    const feed = await fetch(address ?? '');
    expect(feed.status).toBe(200);
    expect(feed.headers.get('content-type')).toBe('text/calendar; charset=utf-8');
  });

  it('lists open slots → Book → modal → submit → confirmation', async () => {
    const answer = await slack.slash<SlackBlock>('');
    expect(answer.response_type).toBe('ephemeral');
    expect(answer.text).toBe('4 open rep slots in the next 14 days');
    const actions = answer.blocks?.find((block) => block.type === 'actions');
    expect(actions?.elements?.map((element) => element.text.text)).toEqual([
      'Book Tue Dec 1, 12:00 PM',
      'Book Wed Dec 2, 12:00 PM',
      'Book Thu Dec 3, 12:00 PM',
      'Book Tue Dec 8, 12:00 PM',
    ]);
    const wednesday = actions?.elements?.[1];
    expect(wednesday).toMatchObject({ action_id: 'reps_book#1', value: '2026-12-02T12:00' });

    await slack.press(wednesday?.action_id ?? '', wednesday?.value ?? '', 'U0SAM', 'book', {
      triggerId: 'trigger.book',
    });
    const open = await waitFor(() => slack.api.callsTo('views.open')[0], 'views.open');
    expect(open.body.trigger_id).toBe('trigger.book');
    const view = open.body.view as { callback_id: string; private_metadata: string; title: { text: string } };
    expect(view).toMatchObject({ callback_id: 'reps_book_form', title: { text: 'Book Wed Dec 2, 12:00' } });

    const response = await slack.submit({
      callbackId: 'reps_book_form',
      privateMetadata: view.private_metadata,
      values: formValues(),
    });
    expect(response.status).toBe(200);
    const ephemeral = await waitFor(() => slack.api.callsTo('chat.postEphemeral')[0], 'the confirmation');
    expect(ephemeral.body).toMatchObject({ channel: 'C0GENERAL', user: 'U0SAM' });
    expect(String(ephemeral.body.text)).toMatch(
      /^Rep visit booked: RM-\d+, Wed Dec 2, 12:00 PM — Jordan Smith/,
    );
    expect((await slack.db.select().from(repMeetings))[0]).toMatchObject({
      slotDay: '2026-12-02',
      providerNames: ['Dr. Helen Park'],
      lunch: true,
      contact: '555-0100',
    });
    expect(slack.recording.text()).not.toContain('555-0100');
    expect(slack.recording.text()).not.toContain('Jordan');
  });

  it('books by text and refuses a second booking of the slot with the next open ones', async () => {
    const first = await slack.slash('book 2026-12-02 12:00 Jordan Smith from Acme Pharma');
    expect(first.text).toMatch(
      /^Rep visit booked: RM-\d+, Wed Dec 2, 12:00 PM — Jordan Smith \(Acme Pharma\)$/,
    );
    const second = await slack.slash('book 2026-12-02 12:00 Lee Wong from Beta Labs', { userId: 'U0PRIYA' });
    expect(second.text).toMatch(/Wed Dec 2 at 12:00 was just taken by someone else\. Nothing was saved\./);
    expect(JSON.stringify(second.blocks)).toContain('"value":"2026-12-03T12:00"');
    expect(await slack.db.select().from(repMeetings)).toHaveLength(1);
  });

  it.each([
    ['a time that is not a slot', 'book 2026-12-02 12:30 Jordan Smith from Acme', /12:30 is not a rep slot/],
    ['a closed day (a holiday)', 'book 2026-11-26 12:00 Jordan Smith from Acme', /office holiday/],
    ['too little notice', 'book 2026-11-25 12:00 Jordan Smith from Acme', /at least 24 hours ahead/],
    // Slack shows the escaped text as typed: "<rep> from <company>".
    ['a missing company', 'book 2026-12-02 12:00 Jordan Smith', /"&lt;rep&gt; from &lt;company&gt;"/],
  ])('refuses %s by text and stores nothing', async (_label, text, expected) => {
    const answer = await slack.slash(text);
    expect(answer.response_type).toBe('ephemeral');
    expect(answer.text).toMatch(expected);
    expect(await slack.db.select().from(repMeetings)).toHaveLength(0);
  });

  it('refuses a company over its monthly cap', async () => {
    await slack.slash('book 2026-12-01 12:00 Jordan Smith from Acme Pharma');
    await slack.slash('book 2026-12-02 12:00 Jordan Smith from Acme Pharma');
    const third = await slack.slash('book 2026-12-03 12:00 Jordan Smith from ACME PHARMA.');
    expect(third.text).toMatch(/already has 2 visits booked in December 2026/);
    expect(await slack.db.select().from(repMeetings)).toHaveLength(2);
  });

  it('keeps the modal open with errors for a missing name and an unknown provider', async () => {
    const response = await slack.submit({
      callbackId: 'reps_book_form',
      privateMetadata: JSON.stringify({ channel: 'C0GENERAL', metadata: '2026-12-02T12:00' }),
      values: formValues({ repName: '', providers: 'Dr. Who' }),
    });
    const body = (await response.json()) as { response_action: string; errors: Record<string, string> };
    expect(body.response_action).toBe('errors');
    expect(body.errors.repName).toBe('Enter the rep’s name.');
    expect(await slack.db.select().from(repMeetings)).toHaveLength(0);
  });

  it('sends a booking form refused because the slot was taken meanwhile to direct messages, with what was typed', async () => {
    await slack.slash('book 2026-12-02 12:00 Lee Wong from Beta Labs', { userId: 'U0PRIYA' });
    const response = await slack.submit({
      callbackId: 'reps_book_form',
      privateMetadata: JSON.stringify({ channel: 'C0GENERAL', metadata: '2026-12-02T12:00' }),
      values: formValues(),
    });
    expect(response.status).toBe(200);
    const dm = await waitFor(() => slack.dmsTo('U0SAM')[0], 'the refusal in direct messages');
    expect(String(dm.body.text)).toMatch(/was just taken by someone else/);
    expect(JSON.stringify(dm.body.blocks)).toContain('You wrote: Jordan Smith from Acme Pharma');
    expect(slack.api.callsTo('chat.postEphemeral')).toHaveLength(0);
    expect(await slack.db.select().from(repMeetings)).toHaveLength(1);
  });

  it('answers a Book press on a taken slot without opening a modal', async () => {
    await slack.slash('book 2026-12-02 12:00 Jordan Smith from Acme Pharma');
    await slack.press('reps_book', '2026-12-02T12:00', 'U0PRIYA', 'late', { triggerId: 'trigger.late' });
    const answer = await waitFor(() => slack.api.responsesTo('late')[0], 'the ephemeral answer');
    expect(answer.body).toMatchObject({ response_type: 'ephemeral', replace_original: false });
    expect(String(answer.body.text)).toMatch(/was just taken by someone else/);
    expect(slack.api.callsTo('views.open')).toHaveLength(0);
  });

  it('cancels: refused for someone else, done by a manager, who tells the booker', async () => {
    const booked = await slack.slash('book 2026-12-02 12:00 Jordan Smith from Acme Pharma');
    const reference = /RM-\d+/.exec(booked.text ?? '')?.[0] ?? '';
    const refused = await slack.slash(`cancel ${reference}`, { userId: 'U0PRIYA' });
    expect(refused.text).toMatch(
      /only they or Dana Reyes or Dr\. Omar Haddad can cancel it\. Nothing was changed\./,
    );
    const cancelled = await slack.slash(`cancel ${reference}`, { userId: 'U0DANA' });
    expect(cancelled.text).toMatch(new RegExp(`^Cancelled ${reference} .*The slot is open again\\.$`));
    const dm = await waitFor(() => slack.dmsTo('U0SAM')[0], 'the DM to the booker');
    expect(String(dm.body.text)).toContain(`Dana Reyes cancelled your rep visit ${reference}`);
    const again = await slack.slash('', { userId: 'U0PRIYA' });
    expect(JSON.stringify(again.blocks)).toContain('"value":"2026-12-02T12:00"');
  });

  it('lists upcoming visits, and shows the calendar address to managers only', async () => {
    await slack.slash('book 2026-12-02 12:00 Jordan Smith from Acme Pharma');
    expect((await slack.slash('list', { userId: 'U0PRIYA' })).text).toBe('Upcoming rep visits: 1');
    expect((await slack.slash('calendar', { userId: 'U0SAM' })).text).toMatch(
      /^Only Dana Reyes or Dr\. Omar Haddad/,
    );
    const calendar = await slack.slash('calendar', { userId: 'U0DANA' });
    const path = /\/calendar\/[A-Za-z0-9_-]+\.ics/.exec(calendar.text ?? '')?.[0];
    expect(path).toBeDefined();
    const feed = await fetch(`${slack.url}${path}`);
    expect(feed.status).toBe(200);
    expect(await feed.text()).toContain('SUMMARY:Rep visit: Jordan Smith (Acme Pharma)');
  });
});
