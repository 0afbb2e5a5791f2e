import { DateTime } from 'luxon';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type Frontdesk, startFrontdesk } from '../../src/bot/frontdesk.ts';
import { type Database, openDatabase } from '../../src/db/client.ts';
import { outbox, repMeetings } from '../../src/db/schema/index.ts';
import { buildSlackTestEnv } from '../helpers/env.ts';
import { createRecordingLogger, type RecordingLogger } from '../helpers/logger.ts';
import { buildOfficeConfig } from '../helpers/office.ts';
import { type RecordingSlackApi, startRecordingSlackApi } from '../helpers/slack-api-server.ts';
import {
  buildBlockActionsBody,
  buildSlashCommandBody,
  buildViewSubmissionBody,
  postSignedSlack,
} from '../helpers/slack-signing.ts';
import { waitFor } from '../helpers/wait.ts';

const SECRET = 'reps-signing-secret';
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
  let slackApi: RecordingSlackApi;
  let database: Database;
  let recording: RecordingLogger;
  let app: Frontdesk;

  beforeAll(async () => {
    slackApi = await startRecordingSlackApi();
    database = await openDatabase({ dataDir: null });
    recording = createRecordingLogger('info');
    app = await startFrontdesk({
      env: buildSlackTestEnv(SECRET, slackApi.apiUrl),
      office,
      database,
      logger: recording.logger,
      clock: () => NOW,
      deliverer: { pollMs: 20 },
      jobs: [],
    });
  });
  afterAll(async () => {
    await app?.stop();
    await database?.close();
    await slackApi?.close();
  });
  beforeEach(async () => {
    await database.db.delete(outbox);
    await database.db.delete(repMeetings);
    slackApi.reset();
  });

  const send = (body: string) => postSignedSlack(app.url, SECRET, body);
  async function slash(text: string, userId = 'U0SAM', triggerId?: string) {
    const response = await send(
      buildSlashCommandBody({
        command: '/reps',
        text,
        userId,
        channelId: 'C0GENERAL',
        responseUrl: slackApi.responseUrl('slash'),
        ...(triggerId ? { triggerId } : {}),
      }),
    );
    expect(response.status).toBe(200);
    const raw = await response.text();
    return raw
      ? (JSON.parse(raw) as { text?: string; response_type?: string; blocks?: SlackBlock[] })
      : ({} as { text?: string; response_type?: string; blocks?: SlackBlock[] });
  }
  async function pressBook(
    actionId: string,
    value: string,
    userId: string,
    responseId: string,
    triggerId: string,
  ) {
    const response = await send(
      buildBlockActionsBody({
        actionId,
        value,
        userId,
        channelId: 'C0GENERAL',
        triggerId,
        responseUrl: slackApi.responseUrl(responseId),
      }),
    );
    expect(response.status).toBe(200);
  }
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

  it('lists open slots → Book → modal → submit → confirmation', async () => {
    const answer = await slash('');
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

    await pressBook(wednesday?.action_id ?? '', wednesday?.value ?? '', 'U0SAM', 'book', 'trigger.book');
    const open = await waitFor(() => slackApi.callsTo('views.open')[0], 'views.open');
    expect(open.body.trigger_id).toBe('trigger.book');
    const view = open.body.view as { callback_id: string; private_metadata: string; title: { text: string } };
    expect(view).toMatchObject({ callback_id: 'reps_book_form', title: { text: 'Book Wed Dec 2, 12:00' } });

    const response = await send(
      buildViewSubmissionBody({
        callbackId: 'reps_book_form',
        privateMetadata: view.private_metadata,
        values: formValues(),
      }),
    );
    expect(response.status).toBe(200);
    const ephemeral = await waitFor(() => slackApi.callsTo('chat.postEphemeral')[0], 'the confirmation');
    expect(ephemeral.body).toMatchObject({ channel: 'C0GENERAL', user: 'U0SAM' });
    expect(String(ephemeral.body.text)).toMatch(
      /^Rep visit booked: RM-\d+, Wed Dec 2, 12:00 PM — Jordan Smith/,
    );
    expect((await database.db.select().from(repMeetings))[0]).toMatchObject({
      slotDay: '2026-12-02',
      providerNames: ['Dr. Helen Park'],
      lunch: true,
      contact: '555-0100',
    });
    expect(recording.text()).not.toContain('555-0100');
    expect(recording.text()).not.toContain('Jordan');
  });

  it('books by text and refuses a second booking of the slot with the next open ones', async () => {
    const first = await slash('book 2026-12-02 12:00 Jordan Smith from Acme Pharma');
    expect(first.text).toMatch(
      /^Rep visit booked: RM-\d+, Wed Dec 2, 12:00 PM — Jordan Smith \(Acme Pharma\)$/,
    );
    const second = await slash('book 2026-12-02 12:00 Lee Wong from Beta Labs', 'U0PRIYA');
    expect(second.text).toMatch(/Wed Dec 2 at 12:00 was just taken by someone else\. Nothing was saved\./);
    expect(JSON.stringify(second.blocks)).toContain('"value":"2026-12-03T12:00"');
    expect(await database.db.select().from(repMeetings)).toHaveLength(1);
  });

  it.each([
    ['a time that is not a slot', 'book 2026-12-02 12:30 Jordan Smith from Acme', /12:30 is not a rep slot/],
    ['a closed day (a holiday)', 'book 2026-11-26 12:00 Jordan Smith from Acme', /office holiday/],
    ['too little notice', 'book 2026-11-25 12:00 Jordan Smith from Acme', /at least 24 hours ahead/],
    // Slack shows the escaped text as typed: "<rep> from <company>".
    ['a missing company', 'book 2026-12-02 12:00 Jordan Smith', /"&lt;rep&gt; from &lt;company&gt;"/],
  ])('refuses %s by text and stores nothing', async (_label, text, expected) => {
    const answer = await slash(text);
    expect(answer.response_type).toBe('ephemeral');
    expect(answer.text).toMatch(expected);
    expect(await database.db.select().from(repMeetings)).toHaveLength(0);
  });

  it('refuses a company over its monthly cap', async () => {
    await slash('book 2026-12-01 12:00 Jordan Smith from Acme Pharma');
    await slash('book 2026-12-02 12:00 Jordan Smith from Acme Pharma');
    const third = await slash('book 2026-12-03 12:00 Jordan Smith from ACME PHARMA.');
    expect(third.text).toMatch(/already has 2 visits booked in December 2026/);
    expect(await database.db.select().from(repMeetings)).toHaveLength(2);
  });

  it('keeps the modal open with errors for a missing name and an unknown provider', async () => {
    const response = await send(
      buildViewSubmissionBody({
        callbackId: 'reps_book_form',
        privateMetadata: JSON.stringify({ channel: 'C0GENERAL', metadata: '2026-12-02T12:00' }),
        values: formValues({ repName: '', providers: 'Dr. Who' }),
      }),
    );
    const body = (await response.json()) as { response_action: string; errors: Record<string, string> };
    expect(body.response_action).toBe('errors');
    expect(body.errors.repName).toBe('Enter the rep’s name.');
    expect(await database.db.select().from(repMeetings)).toHaveLength(0);
  });

  it('answers a Book press on a taken slot without opening a modal', async () => {
    await slash('book 2026-12-02 12:00 Jordan Smith from Acme Pharma');
    await pressBook('reps_book', '2026-12-02T12:00', 'U0PRIYA', 'late', 'trigger.late');
    const answer = await waitFor(() => slackApi.responsesTo('late')[0], 'the ephemeral answer');
    expect(answer.body).toMatchObject({ response_type: 'ephemeral', replace_original: false });
    expect(String(answer.body.text)).toMatch(/was just taken by someone else/);
    expect(slackApi.callsTo('views.open')).toHaveLength(0);
  });

  it('cancels: refused for someone else, done by a manager, who tells the booker', async () => {
    const booked = await slash('book 2026-12-02 12:00 Jordan Smith from Acme Pharma');
    const reference = /RM-\d+/.exec(booked.text ?? '')?.[0] ?? '';
    const refused = await slash(`cancel ${reference}`, 'U0PRIYA');
    expect(refused.text).toMatch(
      /only they or Dana Reyes or Dr\. Omar Haddad can cancel it\. Nothing was changed\./,
    );
    const cancelled = await slash(`cancel ${reference}`, 'U0DANA');
    expect(cancelled.text).toMatch(new RegExp(`^Cancelled ${reference} .*The slot is open again\\.$`));
    const dm = await waitFor(
      () => slackApi.callsTo('chat.postMessage').find((call) => call.body.channel === 'U0SAM'),
      'the DM to the booker',
    );
    expect(String(dm.body.text)).toContain(`Dana Reyes cancelled your rep visit ${reference}`);
    const again = await slash('', 'U0PRIYA');
    expect(JSON.stringify(again.blocks)).toContain('"value":"2026-12-02T12:00"');
  });

  it('lists upcoming visits, and shows the calendar address to managers only', async () => {
    await slash('book 2026-12-02 12:00 Jordan Smith from Acme Pharma');
    expect((await slash('list', 'U0PRIYA')).text).toBe('Upcoming rep visits: 1');
    expect((await slash('calendar', 'U0SAM')).text).toMatch(/^Only Dana Reyes or Dr\. Omar Haddad/);
    const calendar = await slash('calendar', 'U0DANA');
    const path = /\/calendar\/[A-Za-z0-9_-]+\.ics/.exec(calendar.text ?? '')?.[0];
    expect(path).toBeDefined();
    const feed = await fetch(`${app.url}${path}`);
    expect(feed.status).toBe(200);
    expect(await feed.text()).toContain('SUMMARY:Rep visit: Jordan Smith (Acme Pharma)');
  });
});
