import { join } from 'node:path';
import { and, eq, like } from 'drizzle-orm';
import { DateTime } from 'luxon';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/client.ts';
import { outbox } from '../../src/db/schema/index.ts';
import { openFreshPostgres, testDatabaseUrl } from '../helpers/databases.ts';
import { buildOfficeConfig } from '../helpers/office.ts';
import { findDatabaseUrl } from '../helpers/postgres-url.ts';
import {
  type FrontdeskProcess,
  findFreePort,
  killSpawnedProcesses,
  repoRootPath,
  spawnFrontdesk,
  waitForOk,
} from '../helpers/processes.ts';
import { findReferenceInAnswer, readSlashAnswer } from '../helpers/slack-answers.ts';
import { type RecordingSlackApi, startRecordingSlackApi } from '../helpers/slack-api-server.ts';
import { buildSlashCommandBody, postSignedSlack } from '../helpers/slack-signing.ts';
import { pollUntil } from '../helpers/wait.ts';

const SECRET = 'replica-killed-signing-secret';
const office = buildOfficeConfig();
const serverUrl = testDatabaseUrl();
const FILINGS = 10;
/** Each card post takes this long, one at a time (Slack's per-channel pace), so A is killed mid-batch. */
const POST_MS = 250;

// How often a wait for the processes looks again.
const POLL_MS = 20;

// Staff who file, each a Monday to Wednesday in its own week ahead (the real process reads the real clock).
const FILERS = ['U0SAM', 'U0PRIYA', 'U0ANA', 'U0MARCUS', 'U0GRACE'];
const firstMonday = DateTime.now().setZone(office.office.timezone).plus({ weeks: 3 }).startOf('week');
const filing = (index: number) => {
  const monday = firstMonday.plus({ weeks: index });
  return {
    userId: FILERS[index % FILERS.length] ?? 'U0SAM',
    text: `${monday.toISODate()} to ${monday.plus({ days: 2 }).toISODate()} appointment`,
  };
};

interface CardMetadata {
  event_payload?: { outbox_id?: unknown };
}

// Two processes need one database they both reach: PGlite is one process at a time.
const SUITE = 'two processes on one PostgreSQL when one is SIGKILLed mid-send';
describe.runIf(serverUrl)(serverUrl ? SUITE : `${SUITE} — skipped: needs TEST_DATABASE_URL`, () => {
  let slackApi: RecordingSlackApi;
  /** the test's own connection to the processes' database */
  let direct: Database;
  let baseEnv: Record<string, string>;

  beforeAll(async () => {
    if (!serverUrl) return;
    slackApi = await startRecordingSlackApi();
    direct = await openFreshPostgres(serverUrl);
    baseEnv = {
      OFFICE_CONFIG: join(repoRootPath, 'office.example.yaml'),
      SLACK_SIGNING_SECRET: SECRET,
      SLACK_BOT_TOKEN: 'xoxb-test',
      SLACK_API_URL: slackApi.apiUrl,
      DATABASE_URL: await findDatabaseUrl(direct, serverUrl),
    };
  });
  afterAll(async () => {
    await killSpawnedProcesses();
    await direct?.close();
    await slackApi?.close();
  });

  async function startProcess(): Promise<{ process: FrontdeskProcess; url: string }> {
    const port = await findFreePort();
    const process = spawnFrontdesk({ ...baseEnv, PORT: String(port) });
    const url = `http://127.0.0.1:${port}`;
    await waitForOk(`${url}/healthz`, 30_000, process);
    return { process, url };
  }

  /** The approval cards in the channel, as outbox ids (the metadata every outbox post carries). */
  const postedCardIds = () =>
    slackApi.messages
      .filter((message) => message.channel === office.channels.approvals)
      .map((message) => (message.metadata as CardMetadata | undefined)?.event_payload?.outbox_id);

  const cardRows = () =>
    direct.db
      .select()
      .from(outbox)
      .where(and(eq(outbox.kind, 'post'), like(outbox.cardKey, 'TO-%')))
      .orderBy(outbox.id);

  it('posts every card exactly once within 10 s, the rest delivered by the live process', async () => {
    const a = await startProcess();
    const b = await startProcess();
    slackApi.delay('chat.postMessage', POST_MS);
    // B sleeps while A takes the filings, so A claims every card (B's poll would otherwise share them) and
    // its death strands a whole batch; B wakes as A dies.
    b.process.signal('SIGSTOP');

    const answers = await Promise.all(
      Array.from({ length: FILINGS }, async (_, index) => {
        const { userId, text } = filing(index);
        const responseId = `file-${index}`;
        const response = await postSignedSlack(
          a.url,
          SECRET,
          buildSlashCommandBody({
            command: '/timeoff',
            text,
            userId,
            responseUrl: slackApi.responseUrl(responseId),
          }),
        );
        return readSlashAnswer(response, slackApi, responseId);
      }),
    );
    for (const answer of answers) expect(answer).toMatch(/^Time off requested: TO-\d+/);
    const references = answers.map((answer) => findReferenceInAnswer(answer, 'TO'));

    // A is killed with some cards posted and the rest claimed, in flight or waiting in Slack's queue.
    await pollUntil(10_000, 'three cards to be posted', async () => postedCardIds().length >= 3, POLL_MS);
    await a.process.kill();
    const killedAt = Date.now();
    b.process.signal('SIGCONT');
    const postedBeforeKill = postedCardIds().length;
    expect(postedBeforeKill, 'A must die before it posted every card').toBeLessThan(FILINGS);

    await pollUntil(
      10_000,
      'every card to be posted and recorded as sent after the kill',
      async () => {
        const rows = await cardRows();
        return rows.length === FILINGS && rows.every((row) => row.status === 'sent');
      },
      POLL_MS,
    );
    // Every card is sent, so no replica will post one again; a post Slack was still answering when A died
    // would be the only late copy.
    await slackApi.settled();

    const rows = await cardRows();
    expect(rows.map((row) => row.cardKey).sort()).toEqual([...references].sort());
    expect([...postedCardIds()].sort()).toEqual(rows.map((row) => row.id).sort());
    const postsSentAfterKill = slackApi
      .callsTo('chat.postMessage')
      .filter((call) => call.receivedAt > killedAt && call.body.channel === office.channels.approvals);
    expect(postsSentAfterKill.length, 'B posts what A had not').toBeGreaterThan(0);
  }, 90_000);
});
