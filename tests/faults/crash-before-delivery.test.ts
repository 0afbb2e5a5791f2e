import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eq } from 'drizzle-orm';
import { DateTime } from 'luxon';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Database, openDatabase } from '../../src/db/client.ts';
import { outbox, timeOffRequests } from '../../src/db/schema/index.ts';
import { parseReference } from '../../src/domain/references.ts';
import { openFreshPostgres, testDatabaseUrl } from '../helpers/databases.ts';
import { buildOfficeConfig } from '../helpers/office.ts';
import { findDatabaseUrl } from '../helpers/postgres-url.ts';
import {
  findFreePort,
  killSpawnedProcesses,
  repoRootPath,
  spawnFrontdesk,
  waitForOk,
} from '../helpers/processes.ts';
import { findReferenceInAnswer, readSlashAnswer } from '../helpers/slack-answers.ts';
import { type RecordingSlackApi, startRecordingSlackApi } from '../helpers/slack-api-server.ts';
import { buildSlashCommandBody, postSignedSlack } from '../helpers/slack-signing.ts';
import { waitFor, waitForOutboxDrained } from '../helpers/wait.ts';

const SECRET = 'crash-signing-secret';
const office = buildOfficeConfig();
const serverUrl = testDatabaseUrl();
const scratch = mkdtempSync(join(tmpdir(), 'frontdesk-crash-'));
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

// The real process reads the real clock: ask for a Monday to Wednesday three weeks ahead.
const monday = DateTime.now().setZone(office.office.timezone).plus({ weeks: 3 }).startOf('week');
const RANGE = `${monday.toISODate()} to ${monday.plus({ days: 2 }).toISODate()}`;

describe(`a filing whose card was not delivered when the process was SIGKILLed, on ${serverUrl ? 'postgres' : 'pglite'}`, () => {
  let slackApi: RecordingSlackApi;
  /** with PostgreSQL, the test's own connection to the app's database; with PGlite, none while the app runs */
  let direct: Database | undefined;
  const dataDir = join(scratch, 'data');
  let env: Record<string, string>;
  let appUrl: string;

  beforeAll(async () => {
    slackApi = await startRecordingSlackApi();
    const port = await findFreePort();
    appUrl = `http://127.0.0.1:${port}`;
    if (serverUrl) direct = await openFreshPostgres(serverUrl);
    env = {
      PORT: String(port),
      OFFICE_CONFIG: join(repoRootPath, 'office.example.yaml'),
      SLACK_SIGNING_SECRET: SECRET,
      SLACK_BOT_TOKEN: 'xoxb-test',
      SLACK_API_URL: slackApi.apiUrl,
      ...(direct && serverUrl
        ? { DATABASE_URL: await findDatabaseUrl(direct, serverUrl) }
        : { DATA_DIR: dataDir }),
    };
  });
  afterAll(async () => {
    await killSpawnedProcesses();
    await direct?.close();
    await slackApi?.close();
    rmSync(scratch, { recursive: true, force: true });
  });

  /** The request and its card's outbox row: through the server, or from PGlite's directory (only once the app is dead). */
  async function readStored(reference: string) {
    const database = direct ?? (await openDatabase({ dataDir }));
    try {
      const number = parseReference(reference, 'TO') ?? 0;
      const [request] = await database.db
        .select()
        .from(timeOffRequests)
        .where(eq(timeOffRequests.number, number));
      const cards = await database.db.select().from(outbox).where(eq(outbox.cardKey, reference));
      return { request, cards };
    } finally {
      if (!direct) await database.close();
    }
  }

  const cardPosts = () =>
    slackApi.callsTo('chat.postMessage').filter((call) => call.body.channel === office.channels.approvals);

  it('delivers the card exactly once after a restart', async () => {
    slackApi.failNext('chat.postMessage', 1_000, { status: 500 });
    const first = spawnFrontdesk(env);
    await waitForOk(`${appUrl}/healthz`, 30_000, first);

    const response = await postSignedSlack(
      appUrl,
      SECRET,
      buildSlashCommandBody({
        command: '/timeoff',
        text: `${RANGE} family visit`,
        responseUrl: slackApi.responseUrl('file'),
      }),
    );
    const answer = await readSlashAnswer(response, slackApi, 'file');
    expect(answer).toMatch(/^Time off requested: TO-\d+/);
    const reference = findReferenceInAnswer(answer, 'TO');
    await waitFor(() => cardPosts()[0], 'the first try of the card');
    // Killed between tries, the row is queued again rather than leased (a lease would hold it for 60 s).
    // The next try is at least 500 ms after a failure; with PostgreSQL the test sees the row put back.
    if (direct) {
      await waitFor(async () => {
        const { cards } = await readStored(reference);
        return cards[0]?.lastError === 'http_500' && cards[0].claimedUntil === null ? true : undefined;
      }, 'the failed try to be recorded');
    } else {
      // PGlite's files belong to the running app, so there is nothing to poll: give the try time to end.
      await sleep(150);
    }
    await first.kill();

    const stored = await readStored(reference);
    expect(stored.request).toMatchObject({ status: 'pending', startDay: monday.toISODate() });
    expect(stored.cards).toEqual([expect.objectContaining({ status: 'pending', sentAt: null })]);

    slackApi.reset();
    const restarted = performance.now();
    const second = spawnFrontdesk(env);
    await waitForOk(`${appUrl}/healthz`, 30_000, second);
    const card = await waitFor(() => cardPosts()[0], 'the card after the restart');
    const deliveredMs = performance.now() - restarted;
    if (direct) {
      await waitForOutboxDrained(direct.db);
    } else {
      // PGlite's files belong to the running app, so there is no outbox to watch: the deliverer polls every
      // second, and a second copy would have gone out by now.
      await sleep(1_500);
    }

    expect(cardPosts()).toHaveLength(1);
    expect(JSON.stringify(card.body.blocks)).toContain(`"value":"${reference}"`);
    expect(deliveredMs, `delivered ${Math.round(deliveredMs)} ms after the restart`).toBeLessThan(20_000);
    if (direct) expect((await readStored(reference)).cards[0]?.status).toBe('sent');
  }, 60_000);
});
