import { and, asc, count, eq } from 'drizzle-orm';
import { DateTime } from 'luxon';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Frontdesk, startFrontdesk } from '../../src/bot/frontdesk.ts';
import type { Database } from '../../src/db/client.ts';
import { auditLog, messageRefs, outbox, supplyRequests, timeOffRequests } from '../../src/db/schema/index.ts';
import { databaseTargets } from '../helpers/databases.ts';
import { buildSlackTestEnv } from '../helpers/env.ts';
import { createRecordingLogger } from '../helpers/logger.ts';
import { buildOfficeConfig } from '../helpers/office.ts';
import { findReferenceInAnswer, readSlashAnswer, waitForResponseUrlText } from '../helpers/slack-answers.ts';
import { type RecordingSlackApi, startRecordingSlackApi } from '../helpers/slack-api-server.ts';
import {
  buildBlockActionsBody,
  buildPayloadBody,
  buildSlashCommandBody,
  buildViewSubmissionBody,
  postSignedSlack,
} from '../helpers/slack-signing.ts';
import { waitFor } from '../helpers/wait.ts';

const SECRET = 'hostile-payloads-signing-secret';
const office = buildOfficeConfig();
const NOW = DateTime.fromISO('2026-11-25T10:00', { zone: office.office.timezone }); // Wed
const MANAGERS = 'Dana Reyes or Dr. Omar Haddad';

describe.each(databaseTargets())('validly signed hostile Slack payloads on $name', ({ open }) => {
  let slackApi: RecordingSlackApi;
  let database: Database;
  let app: Frontdesk;
  /** Sam's, Ana's and Dana's (a manager's) pending time off, and Sam's pending supply request */
  const refs = { sam: '', ana: '', dana: '', supply: '' };
  /** where Sam's approval card was posted: the message a forged press claims to come from */
  let samCardTs: string;
  let before: Awaited<ReturnType<typeof snapshot>>;
  let responses = 0;

  const send = (body: string) => postSignedSlack(app.url, SECRET, body);

  async function slash(command: string, text: string, userId: string): Promise<string> {
    const responseId = `slash-${++responses}`;
    const response = await send(
      buildSlashCommandBody({ command, text, userId, responseUrl: slackApi.responseUrl(responseId) }),
    );
    expect(response.status).toBe(200);
    return readSlashAnswer(response, slackApi, responseId);
  }

  /** Presses a button as `userId` and resolves with the HTTP status and the ephemeral answer. */
  async function press(actionId: string, value: string, userId: string, messageTs?: string) {
    const responseId = `press-${++responses}`;
    const response = await send(
      buildBlockActionsBody({
        actionId,
        value,
        userId,
        responseUrl: slackApi.responseUrl(responseId),
        ...(messageTs ? { messageTs } : {}),
      }),
    );
    return { status: response.status, answer: await waitForResponseUrlText(slackApi, responseId) };
  }

  /** What a hostile payload must not change. Deliveries are left out: every handled delivery is recorded,
   * refused or not, so that a retry gets the same answer. */
  async function snapshot() {
    const timeOff = await database.db
      .select({ number: timeOffRequests.number, status: timeOffRequests.status })
      .from(timeOffRequests)
      .orderBy(asc(timeOffRequests.number));
    const supplies = await database.db
      .select({ number: supplyRequests.number, status: supplyRequests.status })
      .from(supplyRequests)
      .orderBy(asc(supplyRequests.number));
    const [audit] = await database.db.select({ n: count() }).from(auditLog);
    const [queued] = await database.db.select({ n: count() }).from(outbox);
    return { timeOff, supplies, audit: audit?.n, queued: queued?.n };
  }
  const expectNothingChanged = async () => expect(await snapshot()).toEqual(before);

  beforeAll(async () => {
    slackApi = await startRecordingSlackApi();
    database = await open();
    app = await startFrontdesk({
      env: buildSlackTestEnv(SECRET, slackApi.apiUrl),
      office,
      database,
      logger: createRecordingLogger('silent').logger,
      clock: () => NOW,
      jobs: [],
      deliverer: { pollMs: 20 },
    });
    refs.sam = findReferenceInAnswer(await slash('/timeoff', 'dec 1 to dec 3 family visit', 'U0SAM'), 'TO');
    refs.ana = findReferenceInAnswer(await slash('/timeoff', 'dec 7', 'U0ANA'), 'TO');
    refs.dana = findReferenceInAnswer(await slash('/timeoff', 'dec 8', 'U0DANA'), 'TO');
    refs.supply = findReferenceInAnswer(await slash('/supplies', '4 nitrile gloves m', 'U0SAM'), 'SR');
    samCardTs = await waitFor(async () => {
      const [ref] = await database.db
        .select()
        .from(messageRefs)
        .where(and(eq(messageRefs.cardKey, refs.sam), eq(messageRefs.platform, 'slack')));
      return ref?.messageId;
    }, "Sam's approval card");
    before = await snapshot();
  });
  afterAll(async () => {
    await app?.stop();
    await database?.close();
    await slackApi?.close();
  });

  it('refuses an Approve pressed on one card whose value names a request the presser may not decide', async () => {
    const bySam = await press('timeoff_approve', refs.ana, 'U0SAM', samCardTs);
    const byDanaForHerself = await press('timeoff_approve', refs.dana, 'U0DANA', samCardTs);

    expect(bySam).toMatchObject({ status: 200, answer: expect.stringContaining(`Only ${MANAGERS}`) });
    expect(byDanaForHerself.answer).toMatch(/^Your own request needs another manager/);
    await expectNothingChanged();
  });

  it('refuses an Approve naming a request that does not exist', async () => {
    const pressed = await press('timeoff_approve', 'TO-99999', 'U0DANA', samCardTs);

    expect(pressed.answer).toBe('There is no time-off request TO-99999.');
    await expectNothingChanged();
  });

  it('refuses a supply reference in a time-off Approve and a time-off reference in a supply Approve', async () => {
    const supplyAsTimeOff = await press('timeoff_approve', refs.supply, 'U0DANA', samCardTs);
    const timeOffAsSupply = await press('supplies_approve', refs.sam, 'U0DANA', samCardTs);

    expect(supplyAsTimeOff.answer).toBe(
      `"${refs.supply}" is not a time-off reference. They look like TO-12.`,
    );
    expect(timeOffAsSupply.answer).toBe(`"${refs.sam}" is not a supply reference. They look like SR-7.`);
    await expectNothingChanged();
  });

  it('refuses a forged "did you mean" choice of 100,000 boxes', async () => {
    const forged = JSON.stringify({ d: 'forged-draft', s: 'GLV-M', q: 100_000, i: 'Gloves', n: '' });
    const pressed = await press('supplies_choose', forged, 'U0SAM');

    expect(pressed.answer).toMatch(/Nothing was saved\.$/);
    await expectNothingChanged();
  });

  it('refuses a 6,000-character button value as unreadable', async () => {
    // Trailing spaces still read as the reference: only the length limit stands between it and a decision.
    const pressed = await press('timeoff_approve', refs.sam.padEnd(6_000, ' '), 'U0DANA', samCardTs);

    expect(pressed.answer).toBe('That button could not be read. Nothing was changed.');
    await expectNothingChanged();
  });

  it('answers 400 to a payload that is not JSON or not a JSON object', async () => {
    for (const payload of ['{"type":"block_actions",', 'null', '[]', '"block_actions"']) {
      const response = await send(new URLSearchParams({ payload }).toString());
      expect(response.status, payload).toBe(400);
    }
    await expectNothingChanged();
  });

  it('answers 413 to a 1 MB body that holds a valid Approve', async () => {
    const approve = buildBlockActionsBody({ actionId: 'timeoff_approve', value: refs.sam, userId: 'U0DANA' });
    const response = await send(`${approve}&padding=${'x'.repeat(1024 * 1024)}`);

    expect(response.status).toBe(413);
    await expectNothingChanged();
  });

  it('answers 404 to an unknown action id once Bolt stops waiting for a listener (3 s)', async () => {
    const response = await send(
      buildBlockActionsBody({ actionId: 'timeoff_approve_all', value: refs.sam, userId: 'U0DANA' }),
    );

    expect(response.status).toBe(404);
    await expectNothingChanged();
  });

  it('keeps the request form open with an error when a field is missing or extra fields are wrong', async () => {
    const missingStart = await send(
      buildViewSubmissionBody({
        callbackId: 'timeoff_request',
        values: {
          end: { end: { type: 'datepicker', selected_date: '2026-12-08' } },
          type: { type: { type: 'static_select', selected_option: { value: 'vacation' } } },
        },
      }),
    );
    const badStartWithExtras = await send(
      buildViewSubmissionBody({
        callbackId: 'timeoff_request',
        values: {
          start: { start: { type: 'datepicker', selected_date: 'next year' } },
          status: { status: { type: 'plain_text_input', value: 'approved' } },
          requester: { requester: { type: 'plain_text_input', value: 'U0ANA' } },
        },
      }),
    );

    for (const response of [missingStart, badStartWithExtras]) {
      expect(await response.json()).toMatchObject({
        response_action: 'errors',
        errors: { start: expect.any(String) },
      });
    }
    await expectNothingChanged();
  });

  it('answers 400 to a view submission without its view', async () => {
    const response = await send(buildPayloadBody({ type: 'view_submission', user: { id: 'U0SAM' } }));

    expect(response.status).toBe(400);
    await expectNothingChanged();
  });

  it('tells the person privately that a form without its state could not be read', async () => {
    const response = await send(
      buildPayloadBody({
        type: 'view_submission',
        user: { id: 'U0SAM' },
        view: { id: 'VNOSTATE', callback_id: 'timeoff_request' },
      }),
    );

    expect(response.status).toBe(200);
    const told = await waitFor(
      () => slackApi.callsTo('chat.postMessage').find((call) => call.body.channel === 'U0SAM'),
      'the direct message',
    );
    expect(String(told.body.text)).toMatch(/^That form could not be read\. Nothing was saved\./);
    await expectNothingChanged();
  });

  it('refuses a deny-reason form whose metadata names a request the submitter may not decide', async () => {
    const response = await send(
      buildViewSubmissionBody({
        callbackId: 'timeoff_deny_reason',
        privateMetadata: JSON.stringify({ channel: 'C0APPROVALS', metadata: refs.ana }),
        userId: 'U0SAM',
        values: { reason: { reason: { type: 'plain_text_input', value: 'forged' } } },
      }),
    );

    expect(response.status).toBe(200);
    const told = await waitFor(() => slackApi.callsTo('chat.postEphemeral')[0], 'the ephemeral refusal');
    expect(told.body).toMatchObject({ channel: 'C0APPROVALS', user: 'U0SAM' });
    expect(String(told.body.text)).toContain(`Only ${MANAGERS} can approve or deny time off`);
    await expectNothingChanged();
  });

  it('files a form with extra fields as a pending request of the person who submitted it, ignoring them', async () => {
    const response = await send(
      buildViewSubmissionBody({
        callbackId: 'timeoff_request',
        userId: 'U0PRIYA',
        values: {
          start: { start: { type: 'datepicker', selected_date: '2026-12-14' } },
          status: { status: { type: 'plain_text_input', value: 'approved' } },
          requesterKey: { requesterKey: { type: 'plain_text_input', value: 'slack:U0ANA' } },
        },
      }),
    );

    expect(response.status).toBe(200);
    const filed = await waitFor(async () => {
      const [row] = await database.db
        .select()
        .from(timeOffRequests)
        .where(eq(timeOffRequests.startDay, '2026-12-14'));
      return row;
    }, 'the filed request');
    expect(filed).toMatchObject({
      status: 'pending',
      requesterUserId: 'U0PRIYA',
      requesterName: 'Priya Shah',
    });
  });

  it('still answers a normal command afterwards', async () => {
    const answer = await slash('/timeoff', 'list', 'U0SAM');

    expect(answer).toMatch(/^Your time off: 1 upcoming or pending/);
  });
});
