import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import { join } from 'node:path';
import { and, eq, like, sql } from 'drizzle-orm';
import { DateTime } from 'luxon';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/client.ts';
import { outbox, timeOffRequests } from '../../src/db/schema/index.ts';
import { openFreshPostgres, testDatabaseUrl } from '../helpers/databases.ts';
import { createGate } from '../helpers/gate.ts';
import { buildOfficeConfig } from '../helpers/office.ts';
import { findDatabaseUrl } from '../helpers/postgres-url.ts';
import {
  type FrontdeskProcess,
  findFreePort,
  killSpawnedProcesses,
  repoRootPath,
  spawnFrontdesk,
  waitForOk,
  within,
} from '../helpers/processes.ts';
import { readSlashAnswer } from '../helpers/slack-answers.ts';
import { type RecordingSlackApi, startRecordingSlackApi } from '../helpers/slack-api-server.ts';
import { buildSlashCommandBody, postSignedSlack } from '../helpers/slack-signing.ts';
import { pollUntil } from '../helpers/wait.ts';

const SECRET = 'sigterm-under-load-signing-secret';
const office = buildOfficeConfig();
const serverUrl = testDatabaseUrl();
/** Filings sent together before SIGTERM, and more sent just after it, while the process is stopping. */
const IN_FLIGHT = 40;
const LATE = 10;
/** Each card post takes this long, one at a time, so the deliverer is mid-batch when the signal comes. */
const POST_MS = 15;
/**
 * Filings the database holds up past Slack's 3 s, so they are answered through response_url: more than the
 * app's 10 database connections, so some are still waiting for a connection when the signal comes.
 */
const HELD_UP = 15;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

// How often a wait for the processes looks again.
const POLL_MS = 50;

// Every filing is a single working day of its own (the real process reads the real clock, so the days are
// weeks ahead and skip weekends and holidays), by each staff member in turn: no two overlap.
const filers = office.staff.flatMap((member) => (member.slack ? [member.slack] : []));
const holidays = new Set(office.timeoff.holidays);
const days: string[] = [];
for (
  let day = DateTime.now().setZone(office.office.timezone).plus({ weeks: 3 }).startOf('week');
  days.length < IN_FLIGHT + LATE;
  day = day.plus({ days: 1 })
) {
  const iso = day.toISODate() ?? '';
  if (day.weekday <= 5 && !holidays.has(iso)) days.push(iso);
}

/** What the person who typed a filing was told, or how it was refused. */
type Result =
  | { kind: 'filed'; userId: string; day: string; reference: string }
  | { kind: 'refused'; userId: string; day: string; how: string };

interface CardMetadata {
  event_payload?: { outbox_id?: unknown };
}

const SUITE = 'SIGTERM while filings are in flight, on PostgreSQL';
describe.runIf(serverUrl)(serverUrl ? SUITE : `${SUITE} — skipped: needs TEST_DATABASE_URL`, () => {
  let slackApi: RecordingSlackApi;
  /** the test's own connection to the database of the test that is running */
  let direct: Database | undefined;

  beforeAll(async () => {
    slackApi = await startRecordingSlackApi();
  });
  afterEach(async () => {
    await killSpawnedProcesses();
    await direct?.close();
    direct = undefined;
    slackApi.reset();
  });
  afterAll(async () => {
    await slackApi?.close();
  });

  /** A fresh database, and the environment of processes on it, as one practice's. */
  async function openPractice(): Promise<{ db: Database; env: Record<string, string> }> {
    direct = await openFreshPostgres(serverUrl ?? '');
    const env = {
      OFFICE_CONFIG: join(repoRootPath, 'office.example.yaml'),
      SLACK_SIGNING_SECRET: SECRET,
      SLACK_BOT_TOKEN: 'xoxb-test',
      SLACK_API_URL: slackApi.apiUrl,
      DATABASE_URL: await findDatabaseUrl(direct, serverUrl ?? ''),
      HOST: '127.0.0.1',
    };
    return { db: direct, env };
  }

  async function startProcess(
    env: Record<string, string>,
  ): Promise<{ process: FrontdeskProcess; url: string }> {
    const port = await findFreePort();
    const process = spawnFrontdesk({ ...env, PORT: String(port) });
    const url = `http://127.0.0.1:${port}`;
    await waitForOk(`${url}/healthz`, 60_000, process);
    return { process, url };
  }

  /**
   * Files time off for `index`'s person and day, and reads what they were told (or how it failed);
   * `onAck` is called once Slack's request got its HTTP answer.
   */
  async function file(url: string, index: number, onAck: () => void = () => {}): Promise<Result> {
    const userId = filers[index % filers.length] ?? 'U0SAM';
    const day = days[index] ?? '';
    const responseId = `filing-${index}`;
    let response: Response;
    try {
      response = await postSignedSlack(
        url,
        SECRET,
        buildSlashCommandBody({
          command: '/timeoff',
          text: `${day} appointment`,
          userId,
          responseUrl: slackApi.responseUrl(responseId),
        }),
      );
    } catch (error) {
      // Slack shows the person an error for a request it could not deliver.
      return { kind: 'refused', userId, day, how: `connection: ${(error as Error).name}` };
    } finally {
      onAck();
    }
    if (!response.ok) return { kind: 'refused', userId, day, how: `HTTP ${response.status}` };
    // A "Working on it…" ack must be followed by the answer: readSlashAnswer fails the test if it is not.
    const answer = await readSlashAnswer(response, slackApi, responseId);
    const reference = /^Time off requested: (TO-\d+)/.exec(answer)?.[1];
    if (reference) return { kind: 'filed', userId, day, reference };
    return { kind: 'refused', userId, day, how: answer };
  }

  /** A refusal is a failed request or an answer that says nothing was saved, never silence. */
  function expectPlainRefusals(results: Result[]): void {
    for (const result of results) {
      if (result.kind === 'refused' && !/^(connection|HTTP [45]\d\d)/.test(result.how)) {
        expect(result.how).toMatch(/nothing was saved/i);
      }
    }
  }

  /**
   * Stored are exactly the acknowledged filings, each once with its one card queued; a restarted process
   * then sends every card the stopped one had not, and none it had.
   */
  async function expectStoredOnceAndPostedOnce(
    db: Database,
    env: Record<string, string>,
    results: Result[],
  ): Promise<void> {
    const filed = results.flatMap((result) => (result.kind === 'filed' ? [result] : []));
    const stored = await db.db.select().from(timeOffRequests);
    expect(stored.map((row) => `TO-${row.number}`).sort()).toEqual(filed.map((f) => f.reference).sort());
    expect(stored.map((row) => `${row.requesterUserId} ${row.startDay}`).sort()).toEqual(
      filed.map((f) => `${f.userId} ${f.day}`).sort(),
    );
    const cardRows = () =>
      db.db
        .select()
        .from(outbox)
        .where(and(eq(outbox.kind, 'post'), like(outbox.cardKey, 'TO-%')));
    const cards = await cardRows();
    expect(cards.map((row) => row.cardKey).sort()).toEqual(filed.map((f) => f.reference).sort());

    const restarted = await startProcess(env);
    await pollUntil(
      30_000,
      'every card to be sent',
      async () => (await cardRows()).every((row) => row.status === 'sent'),
      POLL_MS,
    );
    await slackApi.settled();
    const posted = slackApi.messages
      .filter((message) => message.channel === office.channels.approvals)
      .map((message) => String((message.metadata as CardMetadata | undefined)?.event_payload?.outbox_id));
    expect(posted.sort()).toEqual(cards.map((row) => String(row.id)).sort());

    restarted.process.signal('SIGTERM');
    expect(await within(10_000, 'exit after SIGTERM', restarted.process.exited)).toBe(0);
  }

  it('finishes the filings in flight, refuses later ones plainly, and every card is posted once after a restart', async () => {
    const { db, env } = await openPractice();
    slackApi.delay('chat.postMessage', POST_MS);
    const first = await startProcess(env);

    // "In flight" means sent: on a busy machine this test's own process can still be writing requests when
    // the first answer is back, and a request not yet sent is not one the stop must finish.
    let sent = 0;
    const countSent = () => {
      sent += 1;
    };
    subscribe('undici:request:bodySent', countSent);
    const inFlight = Array.from({ length: IN_FLIGHT }, (_, index) => file(first.url, index));
    let answered = 0;
    for (const filing of inFlight) void filing.then(() => (answered += 1));
    // The signal comes as the first answers are out, with most filings still being handled.
    await Promise.race(inFlight);
    await pollUntil(10_000, 'every filing in flight to be sent', async () => sent >= IN_FLIGHT, 1);
    unsubscribe('undici:request:bodySent', countSent);
    first.process.signal('SIGTERM');
    const answeredBeforeSignal = answered;
    const late = Array.from({ length: LATE }, (_, index) => file(first.url, IN_FLIGHT + index));
    const results = await Promise.all([...inFlight, ...late]);

    expect(await within(10_000, 'exit after SIGTERM', first.process.exited)).toBe(0);
    expect(first.process.stderr()).toBe('');
    expect(answeredBeforeSignal, 'SIGTERM must come while filings are in flight').toBeLessThan(IN_FLIGHT);
    expectPlainRefusals(results);
    expect(
      results.slice(0, IN_FLIGHT).filter((result) => result.kind === 'filed'),
      'filings in flight at SIGTERM are finished, not dropped',
    ).toHaveLength(IN_FLIGHT);
    await expectStoredOnceAndPostedOnce(db, env, results);
  }, 120_000);

  it("finishes and answers filings the database held up past Slack's 3 s before it exits", async () => {
    const { db, env } = await openPractice();
    const first = await startProcess(env);
    // A lock that lets filings read but not insert, as a busy database would hold them up.
    const released = createGate();
    const locked = createGate();
    const lock = db.db.transaction(async (tx) => {
      await tx.execute(sql`lock table time_off_requests in share row exclusive mode`);
      locked.open();
      await released.opened;
    });
    await locked.opened;

    let acked = 0;
    const filings = Array.from({ length: HELD_UP }, (_, index) =>
      file(first.url, index, () => {
        acked += 1;
      }),
    );
    // Every person has been told "Working on it…"; the filings themselves wait for the lock.
    await pollUntil(10_000, 'every filing to be acknowledged', async () => acked === HELD_UP, POLL_MS);
    first.process.signal('SIGTERM');
    await sleep(1_000);
    released.open();
    await lock;
    const results = await Promise.all(filings);

    expect(await within(10_000, 'exit after SIGTERM', first.process.exited)).toBe(0);
    expect(first.process.stderr()).toBe('');
    expectPlainRefusals(results);
    expect(results.filter((result) => result.kind === 'filed')).toHaveLength(HELD_UP);
    await expectStoredOnceAndPostedOnce(db, env, results);
  }, 120_000);
});
