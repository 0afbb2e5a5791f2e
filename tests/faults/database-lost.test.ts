import { count, eq } from 'drizzle-orm';
import { DateTime } from 'luxon';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Frontdesk, startFrontdesk } from '../../src/bot/frontdesk.ts';
import type { Database } from '../../src/db/client.ts';
import { auditLog, deliveries, outbox, timeOffRequests } from '../../src/db/schema/index.ts';
import { openPostgresBehindProxy, testDatabaseUrl } from '../helpers/databases.ts';
import { buildSlackTestEnv } from '../helpers/env.ts';
import { createRecordingLogger } from '../helpers/logger.ts';
import { buildOfficeConfig } from '../helpers/office.ts';
import { readSlashAnswer } from '../helpers/slack-answers.ts';
import { type RecordingSlackApi, startRecordingSlackApi } from '../helpers/slack-api-server.ts';
import { buildSlashCommandBody, postSignedSlack } from '../helpers/slack-signing.ts';
import type { TcpProxy } from '../helpers/tcp-proxy.ts';
import { waitFor } from '../helpers/wait.ts';

const SECRET = 'database-lost-signing-secret';
const office = buildOfficeConfig();
const NOW = DateTime.fromISO('2026-11-25T10:00', { zone: office.office.timezone }); // Wed
const FAILED_TRIGGER = 'trigger.while-the-database-is-down';
const serverUrl = testDatabaseUrl();

// PGlite runs inside the process, so only a database server can become unreachable.
const SUITE = 'the app when PostgreSQL becomes unreachable mid-run';
describe.runIf(serverUrl)(serverUrl ? SUITE : `${SUITE} — skipped: needs TEST_DATABASE_URL`, () => {
  let slackApi: RecordingSlackApi;
  /** the test's own connection, straight to the server, to see what the app left behind */
  let direct: Database;
  let proxy: TcpProxy;
  let appDatabase: Database;
  let app: Frontdesk;

  beforeAll(async () => {
    if (!serverUrl) return;
    slackApi = await startRecordingSlackApi();
    ({ direct, proxy, database: appDatabase } = await openPostgresBehindProxy(serverUrl));
    app = await startFrontdesk({
      env: buildSlackTestEnv(SECRET, slackApi.apiUrl),
      office,
      database: appDatabase,
      logger: createRecordingLogger('silent').logger,
      clock: () => NOW,
      jobs: [],
      deliverer: { pollMs: 20 },
    });
  });
  afterAll(async () => {
    await app?.stop();
    await proxy?.reopen();
    await appDatabase?.close();
    await direct?.close();
    await slackApi?.close();
  });

  /** Files `/timeoff <text>`; resolves with what the person is finally told and how long that took. */
  async function fileTimeOff(text: string, triggerId: string) {
    const started = performance.now();
    const response = await postSignedSlack(
      app.url,
      SECRET,
      buildSlashCommandBody({
        command: '/timeoff',
        text,
        triggerId,
        responseUrl: slackApi.responseUrl(triggerId),
      }),
    );
    expect(response.status).toBe(200);
    const answer = await readSlashAnswer(response, slackApi, triggerId);
    return { text: answer, elapsedMs: performance.now() - started };
  }

  it('answers a /timeoff within 3 s saying nothing was saved while the database is unreachable', async () => {
    await proxy.close();

    const answer = await fileTimeOff('dec 1 to dec 3 family visit', FAILED_TRIGGER);

    expect(answer.text).toMatch(/nothing was saved/i);
    expect(answer.elapsedMs, `answered after ${Math.round(answer.elapsedMs)} ms`).toBeLessThan(3_000);
  });

  it('answers /healthz with 503 while the database is unreachable', async () => {
    const started = performance.now();
    const response = await fetch(`${app.url}/healthz`);

    expect(response.status).toBe(503);
    expect(await response.json()).toMatchObject({ status: 'unavailable' });
    expect(performance.now() - started).toBeLessThan(3_000);
  });

  it('has written nothing of the failed filing once the database is back', async () => {
    await proxy.reopen();

    const [requests] = await direct.db.select({ n: count() }).from(timeOffRequests);
    const [queued] = await direct.db.select({ n: count() }).from(outbox);
    const [audited] = await direct.db.select({ n: count() }).from(auditLog);
    const claims = await direct.db.select().from(deliveries).where(eq(deliveries.deliveryId, FAILED_TRIGGER));
    expect({ requests: requests?.n, queued: queued?.n, audited: audited?.n, claims }).toEqual({
      requests: 0,
      queued: 0,
      audited: 0,
      claims: [],
    });
  });

  it('recovers on its own: a new filing is saved and its approval card posted', async () => {
    await waitFor(
      async () => ((await fetch(`${app.url}/healthz`)).ok ? true : undefined),
      '/healthz to answer 200 again',
    );

    const answer = await fileTimeOff('dec 1 to dec 3 family visit', 'trigger.after-recovery');

    expect(answer.text).toMatch(/^Time off requested: TO-\d+/);
    const card = await waitFor(
      () =>
        slackApi.callsTo('chat.postMessage').find((call) => call.body.channel === office.channels.approvals),
      'the approval card',
    );
    expect(JSON.stringify(card.body.blocks)).toContain('timeoff_approve');
    expect(slackApi.callsTo('chat.postMessage')).toHaveLength(1);
  });
});
