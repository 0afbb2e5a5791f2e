import { randomUUID } from 'node:crypto';
import type { PgTable } from 'drizzle-orm/pg-core';
import type { DateTime } from 'luxon';
import type { LevelWithSilent } from 'pino';
import { expect } from 'vitest';
import { startFrontdesk } from '../../src/bot/frontdesk.ts';
import type { DelivererOptions } from '../../src/bot/outbox-deliverer.ts';
import type { OfficeConfig } from '../../src/config/office.ts';
import { type Database, openDatabase } from '../../src/db/client.ts';
import type { ScheduledJob } from '../../src/handlers/kernel/jobs.ts';
import { buildSlackTestEnv } from './env.ts';
import { createRecordingLogger } from './logger.ts';
import { buildOfficeConfig } from './office.ts';
import { waitForResponseUrlText } from './slack-answers.ts';
import { type RecordedSlackCall, startRecordingSlackApi } from './slack-api-server.ts';
import {
  buildBlockActionsBody,
  buildSlackHeaders,
  buildSlashCommandBody,
  buildViewSubmissionBody,
  postSignedSlack,
} from './slack-signing.ts';
import { waitForOutboxDrained } from './wait.ts';

export interface SlackHarnessOptions {
  /** the command `slash()` types, with its slash: `/timeoff` */
  command?: string;
  office?: OfficeConfig;
  /** the app's fixed "now"; without it the app reads the real clock */
  now?: DateTime;
  /** tables `reset()` empties, in this order (children before the rows they point at) */
  tables?: PgTable[];
  /** the recording logger's level; `trace` for files that check nothing secret is logged even at trace */
  logLevel?: LevelWithSilent;
  /** the outbox deliverer's settings; polls every 20 ms unless told otherwise, so tests see posts soon */
  deliverer?: Partial<DelivererOptions>;
  /** the scheduled jobs the app runs; none unless given, since a catch-up digest queues posts a test does not expect */
  jobs?: readonly ScheduledJob[];
  /** the channel the messages whose buttons `press()` presses are in; the payload builder's default otherwise */
  pressChannel?: string;
  /** opens the app's database (a `databaseTargets()` target's `open`); a fresh PGlite otherwise */
  openDatabase?: () => Promise<Database>;
  /** more of the environment (`TEAMS_EMULATOR: '1'`, `SANDBOX: '1'`): other platforms beside Slack */
  env?: NodeJS.ProcessEnv;
}

/** What Slack shows the person who typed a command: the ack's body (empty when the ack was). */
export interface SlashAnswer<Block = unknown> {
  text?: string;
  response_type?: string;
  blocks?: Block[];
}

const SECRET = 'slack-harness-signing-secret';

/**
 * The app started in-process with Slack on, against a recording Slack Web API and a fresh PGlite (or the
 * database `openDatabase` opens), and the signed requests a Slack user sends it. Start it in `beforeAll`,
 * `stop()` it in `afterAll`, and `reset()` it in `beforeEach` unless the file's tests build on what the
 * ones before them did.
 */
export async function startSlackHarness(options: SlackHarnessOptions = {}) {
  const office = options.office ?? buildOfficeConfig();
  const api = await startRecordingSlackApi();
  const open = options.openDatabase ?? (() => openDatabase({ dataDir: null }));
  const database = await open().catch(async (error: unknown) => {
    await api.close();
    throw error;
  });
  const recording = createRecordingLogger(options.logLevel ?? 'info');
  const { now } = options;
  const app = await startFrontdesk({
    env: buildSlackTestEnv(SECRET, api.apiUrl, options.env),
    office,
    database,
    logger: recording.logger,
    ...(now ? { clock: () => now } : {}),
    deliverer: { pollMs: 20, ...options.deliverer },
    jobs: options.jobs ?? [],
  }).catch(async (error: unknown) => {
    await database.close();
    await api.close();
    throw error;
  });
  let databaseClosed: Promise<void> | undefined;
  const closeDatabase = () => {
    databaseClosed ??= database.close();
    return databaseClosed;
  };
  const send = (body: string) => postSignedSlack(app.url, SECRET, body);
  const postsTo = (channel: string): RecordedSlackCall[] =>
    api.callsTo('chat.postMessage').filter((call) => call.body.channel === channel);

  return {
    api,
    /** the app's base URL, for requests the helpers below do not make */
    url: app.url,
    db: database.db,
    recording,
    secret: SECRET,
    /** Types the harness's command; its answer goes to the response URL `responseId` (default `slash`). */
    async slash<Block = unknown>(
      text: string,
      params: { userId?: string; triggerId?: string; responseId?: string } = {},
    ): Promise<SlashAnswer<Block>> {
      if (!options.command) throw new Error('startSlackHarness was given no command to type');
      const response = await send(
        buildSlashCommandBody({
          command: options.command,
          text,
          userId: params.userId ?? 'U0SAM',
          channelId: 'C0GENERAL',
          responseUrl: api.responseUrl(params.responseId ?? 'slash'),
          ...(params.triggerId ? { triggerId: params.triggerId } : {}),
        }),
      );
      expect(response.status).toBe(200);
      const raw = await response.text();
      return raw ? (JSON.parse(raw) as SlashAnswer<Block>) : {};
    },
    /**
     * Presses a button as `userId`; the app's answer goes to the response URL `responseId`. `ephemeral`
     * presses one on an answer only they see (a confirmation, a question asked again), not a channel card.
     */
    async press(
      actionId: string,
      value: string,
      userId: string,
      responseId: string,
      params: { triggerId?: string; ephemeral?: boolean } = {},
    ): Promise<void> {
      const response = await send(
        buildBlockActionsBody({
          actionId,
          value,
          userId,
          responseUrl: api.responseUrl(responseId),
          ...(options.pressChannel ? { channelId: options.pressChannel } : {}),
          ...(params.triggerId ? { triggerId: params.triggerId } : {}),
          ...(params.ephemeral ? { ephemeral: true } : {}),
          ...(params.ephemeral ? { ephemeral: true } : {}),
        }),
      );
      expect(response.status).toBe(200);
    },
    /** Submits a modal; the response is returned unread, since a refused form answers with its errors. */
    submit: (params: Parameters<typeof buildViewSubmissionBody>[0]) => send(buildViewSubmissionBody(params)),
    /** `userId` opens the app's Home tab: Slack's `app_home_opened` event, signed. */
    async openHome(userId: string): Promise<void> {
      const body = JSON.stringify({
        token: 'deprecated-verification-token',
        team_id: 'T0TEST',
        api_app_id: 'A0FRONTDESK',
        type: 'event_callback',
        event_id: `Ev${userId}${randomUUID()}`,
        event_time: Math.floor(Date.now() / 1000),
        event: { type: 'app_home_opened', user: userId, channel: `D${userId}`, tab: 'home' },
      });
      const headers = { ...buildSlackHeaders(SECRET, body), 'content-type': 'application/json' };
      const response = await fetch(`${app.url}/slack/events`, { method: 'POST', headers, body });
      expect(response.status).toBe(200);
    },
    /** The Home views published for `userId`, oldest first. */
    homesOf: (userId: string) => api.callsTo('views.publish').filter((call) => call.body.user_id === userId),
    /** The text the app posted to the response URL `responseId`, once it is there. */
    answerTo: (responseId: string) => waitForResponseUrlText(api, responseId),
    /** The direct messages to `userId`: they are posted to the user's id, which the recording server keeps. */
    dmsTo: postsTo,
    postsTo,
    waitForOutboxDrained: () => waitForOutboxDrained(database.db),
    async reset(): Promise<void> {
      // A card or redraw of the test before may still be on its way to the recording API: the deliverer
      // stops after the batch in hand, so nothing it sends lands after the calls are cleared.
      await app.deliverer.stop();
      for (const table of options.tables ?? []) await database.db.delete(table);
      api.reset();
      app.deliverer.start();
    },
    /** Closes the database while the app runs on, for what the app does without one; `stop()` then skips it. */
    closeDatabase,
    async stop(): Promise<void> {
      await app.stop();
      await closeDatabase();
      await api.close();
    },
  };
}

export type SlackHarness = Awaited<ReturnType<typeof startSlackHarness>>;
