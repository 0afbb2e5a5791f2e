import { and, eq } from 'drizzle-orm';
import { DateTime } from 'luxon';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Frontdesk, startFrontdesk } from '../../src/bot/frontdesk.ts';
import type { Database } from '../../src/db/client.ts';
import { messageRefs, outbox } from '../../src/db/schema/index.ts';
import { databaseTargets } from '../helpers/databases.ts';
import { buildSlackTestEnv } from '../helpers/env.ts';
import { createRecordingLogger, type RecordingLogger } from '../helpers/logger.ts';
import { buildOfficeConfig } from '../helpers/office.ts';
import { findReferenceInAnswer, readSlashAnswer } from '../helpers/slack-answers.ts';
import { type RecordingSlackApi, startRecordingSlackApi } from '../helpers/slack-api-server.ts';
import { buildSlashCommandBody, postSignedSlack } from '../helpers/slack-signing.ts';
import { waitFor, waitForOutboxDrained } from '../helpers/wait.ts';

const SECRET = 'slack-api-failures-signing-secret';
const office = buildOfficeConfig();
const NOW = DateTime.fromISO('2026-11-25T10:00', { zone: office.office.timezone }); // Wed

describe.each(databaseTargets())('an approval card while the Slack Web API fails, on $name', ({ open }) => {
  let slackApi: RecordingSlackApi;
  let database: Database;
  let recording: RecordingLogger;
  let app: Frontdesk;

  beforeAll(async () => {
    slackApi = await startRecordingSlackApi();
    database = await open();
    recording = createRecordingLogger('info');
    app = await startFrontdesk({
      env: buildSlackTestEnv(SECRET, slackApi.apiUrl),
      office,
      database,
      logger: recording.logger,
      clock: () => NOW,
      jobs: [],
      deliverer: { pollMs: 20 },
    });
  });
  afterAll(async () => {
    await app?.stop();
    await database?.close();
    await slackApi?.close();
  });

  it('is posted exactly once after a 429 with Retry-After: 1 and then a 500', async () => {
    slackApi.failNext('chat.postMessage', 1, { status: 429, retryAfter: 1 });
    slackApi.failNext('chat.postMessage', 1, { status: 500 });

    const response = await postSignedSlack(
      app.url,
      SECRET,
      buildSlashCommandBody({
        command: '/timeoff',
        text: 'dec 1 to dec 3 family visit',
        responseUrl: slackApi.responseUrl('file'),
      }),
    );
    // The person's answer does not wait for Slack's Web API: only the card goes through the outbox.
    const answer = await readSlashAnswer(response, slackApi, 'file');
    expect(answer).toMatch(/^Time off requested: TO-\d+/);
    const reference = findReferenceInAnswer(answer, 'TO');
    const row = await waitFor(async () => {
      const [queued] = await database.db.select().from(outbox).where(eq(outbox.cardKey, reference));
      return queued?.status === 'sent' ? queued : undefined;
    }, 'the card to be marked sent');
    await waitForOutboxDrained(database.db);

    const tries = slackApi
      .callsTo('chat.postMessage')
      .filter((call) => call.body.channel === office.channels.approvals);
    expect(tries).toHaveLength(3);
    const [rateLimited, failed, posted] = tries;
    expect(failed?.body).toEqual(rateLimited?.body);
    expect(posted?.body).toEqual(rateLimited?.body);
    expect((failed?.receivedAt ?? 0) - (rateLimited?.receivedAt ?? 0)).toBeGreaterThanOrEqual(1_000);
    expect(row).toMatchObject({ attempts: 3, lastError: null });
    const [ref] = await database.db
      .select()
      .from(messageRefs)
      .where(and(eq(messageRefs.cardKey, reference), eq(messageRefs.platform, 'slack')));
    expect(ref).toMatchObject({ channel: office.channels.approvals, messageId: expect.any(String) });
    const retries = recording.records().filter((record) => record.msg === 'delivery failed; will retry');
    expect(retries.map((record) => record.code)).toEqual(['ratelimited', 'http_500']);
  });
});
