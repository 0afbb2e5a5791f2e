import type { DateTime } from 'luxon';
import { expect } from 'vitest';
import { type Frontdesk, startFrontdesk } from '../../src/bot/frontdesk.ts';
import { loadEnv } from '../../src/config/env.ts';
import type { OfficeConfig } from '../../src/config/office.ts';
import { type Database, openDatabase } from '../../src/db/client.ts';
import type { ScheduledJob } from '../../src/handlers/kernel/jobs.ts';
import {
  type RecordingConnector,
  sendActivity,
  startRecordingConnector,
  teamsActivity,
} from './bot-connector.ts';
import type { DatabaseTarget } from './databases.ts';
import { createRecordingLogger, type RecordingLogger } from './logger.ts';

export interface TeamsHarness {
  connector: RecordingConnector;
  database: Database;
  logs: RecordingLogger;
  app: Frontdesk;
  /** an activity from a Teams user, its `serviceUrl` the recording connector */
  activity(params: Parameters<typeof teamsActivity>[1]): ReturnType<typeof teamsActivity>;
  /** posts an activity to the app and expects it taken (200) */
  send(body: unknown): Promise<void>;
  /** each user installs the app, as Teams then tells it: their 1:1 chat (`dm-<user>`) is stored for DMs */
  install(users: readonly string[]): Promise<void>;
  stop(): Promise<void>;
}

/**
 * A frontdesk in Teams emulator mode (activities unsigned, replies to their `serviceUrl`) against a recording
 * connector, its log recorded, its outbox polled often; on an in-memory PGlite unless given a target.
 */
export async function startTeamsHarness(options: {
  office: OfficeConfig;
  clock: () => DateTime;
  target?: DatabaseTarget;
  jobs?: readonly ScheduledJob[];
  logLevel?: 'info' | 'warn';
}): Promise<TeamsHarness> {
  const connector = await startRecordingConnector();
  const database = options.target ? await options.target.open() : await openDatabase({ dataDir: null });
  const logs = createRecordingLogger(options.logLevel ?? 'warn');
  const app = await startFrontdesk({
    env: { ...loadEnv({ TEAMS_EMULATOR: '1', SANDBOX: '0', HOST: '127.0.0.1' }), port: 0 },
    office: options.office,
    database,
    logger: logs.logger,
    clock: options.clock,
    deliverer: { pollMs: 20 },
    jobs: options.jobs ?? [],
  });
  const send = async (body: unknown) => expect((await sendActivity(app.url, body)).status).toBe(200);
  return {
    connector,
    database,
    logs,
    app,
    activity: (params) => teamsActivity(connector.url, params),
    send,
    async install(users) {
      for (const user of users)
        await send({
          ...teamsActivity(connector.url, { user, conversation: `dm-${user}` }),
          type: 'conversationUpdate',
          membersAdded: [{ id: '28:frontdesk', name: 'frontdesk' }],
        });
    },
    async stop() {
      await app.stop();
      await database.close();
      await connector.close();
    },
  };
}
