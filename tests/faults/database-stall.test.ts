import { count, eq } from 'drizzle-orm';
import { DateTime } from 'luxon';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Frontdesk, startFrontdesk } from '../../src/bot/frontdesk.ts';
import type { Database } from '../../src/db/client.ts';
import { deliveries, timeOffRequests } from '../../src/db/schema/index.ts';
import { openPostgresBehindProxy, testDatabaseUrl } from '../helpers/databases.ts';
import { buildSlackTestEnv } from '../helpers/env.ts';
import { createRecordingLogger, type RecordingLogger } from '../helpers/logger.ts';
import { buildOfficeConfig } from '../helpers/office.ts';
import { readSlashAnswer, waitForResponseUrlText } from '../helpers/slack-answers.ts';
import { type RecordingSlackApi, startRecordingSlackApi } from '../helpers/slack-api-server.ts';
import { buildSlashCommandBody, postSignedSlack } from '../helpers/slack-signing.ts';
import type { TcpProxy } from '../helpers/tcp-proxy.ts';
import { waitFor } from '../helpers/wait.ts';

const SECRET = 'database-stall-signing-secret';
const office = buildOfficeConfig();
const NOW = DateTime.fromISO('2026-11-25T10:00', { zone: office.office.timezone }); // Wed
const STALLED_TRIGGER = 'trigger.while-the-database-is-silent';
// Slack shows an error after 3 s without an ack; the answer that follows is promised within 3 s after that.
const SLACK_WINDOW_MS = 3_000;
const serverUrl = testDatabaseUrl();

// PGlite runs inside the process, so only a database server can stop answering.
const SUITE = 'the app when PostgreSQL stops answering mid-run';
describe.runIf(serverUrl)(serverUrl ? SUITE : `${SUITE} — skipped: needs TEST_DATABASE_URL`, () => {
  let slackApi: RecordingSlackApi;
  /** the test's own connection, straight to the server, to see what the app left behind */
  let direct: Database;
  let proxy: TcpProxy;
  let appDatabase: Database;
  let app: Frontdesk;
  let recording: RecordingLogger;

  beforeAll(async () => {
    if (!serverUrl) return;
    slackApi = await startRecordingSlackApi();
    ({ direct, proxy, database: appDatabase } = await openPostgresBehindProxy(serverUrl));
    recording = createRecordingLogger('info');
    app = await startFrontdesk({
      env: buildSlackTestEnv(SECRET, slackApi.apiUrl),
      office,
      database: appDatabase,
      logger: recording.logger,
      clock: () => NOW,
      jobs: [],
      deliverer: { pollMs: 20 },
    });
  });
  afterAll(async () => {
    proxy?.resume();
    await app?.stop();
    await appDatabase?.close();
    await direct?.close();
    await slackApi?.close();
  });

  /** Posts `/timeoff <text>`; each filing asks for other days, so none is refused as overlapping another. */
  function postTimeOff(text: string, triggerId: string): Promise<Response> {
    return postSignedSlack(
      app.url,
      SECRET,
      buildSlashCommandBody({
        command: '/timeoff',
        text,
        triggerId,
        responseUrl: slackApi.responseUrl(triggerId),
      }),
    );
  }

  function approvalCards() {
    return slackApi
      .callsTo('chat.postMessage')
      .filter((call) => call.body.channel === office.channels.approvals);
  }

  it('files time off and posts its card while the database answers', async () => {
    const response = await postTimeOff('dec 1 to dec 3 family visit', 'trigger.before-the-stall');

    expect(await readSlashAnswer(response, slackApi, 'trigger.before-the-stall')).toMatch(
      /^Time off requested: TO-\d+/,
    );
    await waitFor(() => approvalCards()[0], 'the first approval card');
  });

  it('acks a /timeoff within Slack’s window and then says nothing was saved while the database is silent', async () => {
    proxy.stall();
    const started = Date.now();

    const response = await postTimeOff('dec 8 to dec 10 family visit', STALLED_TRIGGER);
    const ack = (await response.json()) as { text?: string };
    const ackedAfterMs = Date.now() - started;
    const answer = await waitForResponseUrlText(slackApi, STALLED_TRIGGER);
    const answeredAfterMs = (slackApi.responsesTo(STALLED_TRIGGER)[0]?.receivedAt ?? Infinity) - started;

    expect(ack.text).toMatch(/^Working on it/);
    expect(ackedAfterMs, `acked after ${ackedAfterMs} ms`).toBeLessThan(SLACK_WINDOW_MS);
    expect(answer).toBe(
      "The practice's database did not answer in time, so nothing was saved. Please try again in a minute.",
    );
    expect(answeredAfterMs, `answered after ${answeredAfterMs} ms`).toBeLessThan(SLACK_WINDOW_MS + 3_500);
    expect(recording.records()).toContainEqual(
      expect.objectContaining({
        msg: 'no answer by the dispatch deadline',
        input: 'command',
        stage: 'running',
      }),
    );
  });

  it('rolls the stalled filing back once the database answers again, storing nothing of it', async () => {
    proxy.resume();

    // The stalled transaction goes on once its statements get through; it must end without committing.
    const settled = await waitFor(
      () => recording.records().find((line) => line.msg === 'input settled after its deadline answer'),
      'the stalled filing to settle',
    );
    expect(settled).toMatchObject({ committed: false });
    const [requests] = await direct.db.select({ n: count() }).from(timeOffRequests);
    const claims = await direct.db
      .select()
      .from(deliveries)
      .where(eq(deliveries.deliveryId, STALLED_TRIGGER));
    expect({ requests: requests?.n, claims }).toEqual({ requests: 1, claims: [] });
  });

  it('files again once the database answers: the filing is saved and its card posted', async () => {
    const response = await postTimeOff('dec 15 to dec 17 family visit', 'trigger.after-the-stall');

    expect(await readSlashAnswer(response, slackApi, 'trigger.after-the-stall')).toMatch(
      /^Time off requested: TO-\d+/,
    );
    await waitFor(() => approvalCards()[1], 'the approval card of the filing after the stall');
    const [requests] = await direct.db.select({ n: count() }).from(timeOffRequests);
    expect(requests?.n).toBe(2);
    expect(recording.text()).not.toContain('family visit');
  });
});
