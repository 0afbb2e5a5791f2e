import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DateTime } from 'luxon';
import type { Logger } from 'pino';
import type { Env } from '../config/env.ts';
import type { OfficeConfig } from '../config/office.ts';
import type { Database, Db } from '../db/client.ts';
import { getChannelBinding } from '../db/repositories/teams-conversations.ts';
import { OfficeZone } from '../domain/office-zone.ts';
import { FEATURES, loadHome, SCHEDULED_JOBS } from '../handlers/index.ts';
import { redrawAskedCards } from '../handlers/kernel/card-redraws.ts';
import {
  type ChannelRoute,
  type Dispatch,
  dispatchInput,
  queueEffects,
} from '../handlers/kernel/dispatch.ts';
import { findChoiceList } from '../handlers/kernel/feature.ts';
import type { ScheduledJob } from '../handlers/kernel/jobs.ts';
import type { ChannelRole, Platform } from '../handlers/kernel/message.ts';
import { createRouter } from '../handlers/kernel/router.ts';
import { serveCalendarFeed } from './calendar-route.ts';
import { serveDownload } from './download-route.ts';
import { sendJson } from './http-body.ts';
import { createHttpStop } from './http-stop.ts';
import { createOutboxDeliverer, type DelivererOptions, type PlatformSender } from './outbox-deliverer.ts';
import { pacedRedraws } from './paced-redraws.ts';
import { createSandboxRoutes } from './sandbox/routes.ts';
import { createSandboxSender } from './sandbox/sender.ts';
import { createScheduler } from './scheduler.ts';

export interface FrontdeskOptions {
  env: Env;
  office: OfficeConfig;
  database: Database;
  logger: Logger;
  /** the real clock, read once per event; tests pass a fixed one */
  clock?: () => DateTime;
  deliverer?: Partial<DelivererOptions>;
  /** the daily jobs this process may run; tests that do not want them pass [] */
  jobs?: readonly ScheduledJob[];
}

// Together under main's 10 s stop deadline, with room left for the deliverer and the database to close.
const HTTP_STOP = { takeInMs: 250, drainMs: 8_000 };

/**
 * Wires one process: the platforms the environment turns on, one HTTP server for all routes,
 * and the outbox deliverer. Returns what main and the end-to-end tests need to run and stop it.
 */
export async function startFrontdesk(options: FrontdeskOptions) {
  const { env, office, database, logger } = options;
  const zone = new OfficeZone(office.office.timezone);
  const clock = options.clock ?? (() => DateTime.fromMillis(Date.now(), { zone }));
  const platforms: Platform[] = [];
  const teamsOn = Boolean(env.teams) || env.teamsEmulator;
  if (env.slack) platforms.push('slack');
  if (teamsOn) platforms.push('teams');
  if (env.sandbox) platforms.push('sandbox');

  const router = createRouter(FEATURES);
  const senders: Partial<Record<Platform, PlatformSender>> = {};
  if (env.slack)
    senders.slack = (await import('./slack/sender.ts')).createSlackSender({
      token: env.slack.botToken,
      apiUrl: env.slack.apiUrl,
      logger,
    });
  if (env.sandbox) senders.sandbox = createSandboxSender(database.db, office.office.id);
  const redraws = pacedRedraws(() => redrawAskedCards(deps, FEATURES, clock()));
  const deliverer = createOutboxDeliverer({
    db: database.db,
    senders,
    office,
    logger: logger.child({ component: 'outbox' }),
    ...(options.deliverer ? { options: options.deliverer } : {}),
    // Called only once started, after `deps` below exists.
    beforeClaim: () => redraws.run(),
  });

  async function routeChannel(db: Db, role: ChannelRole): Promise<ChannelRoute[]> {
    const routes: ChannelRoute[] = [];
    if (env.slack) routes.push({ platform: 'slack', target: office.channels[role] });
    if (teamsOn) {
      // A Teams channel takes part once a manager has bound it ("use this channel for approvals").
      const target = await getChannelBinding(db, office.office.id, 'teams', role);
      if (target) routes.push({ platform: 'teams', target });
    }
    if (env.sandbox) routes.push({ platform: 'sandbox', target: `channel:${role}` });
    return routes;
  }

  const deps = {
    db: database.db,
    office,
    logger,
    router,
    platforms,
    routeChannel,
    onQueued: () => deliverer.wake(),
    publicUrl: env.publicUrl,
  };
  // Every platform's input comes through here, so a change made in Teams or the sandbox redraws the Slack
  // Homes it may show as one made in Slack does.
  const dispatch: Dispatch = async (actor, input, origin) => {
    const outcome = await dispatchInput(deps, actor, input, clock(), origin);
    slack?.refreshHomes(actor, outcome);
    return outcome;
  };
  const scheduler = createScheduler({
    db: database.db,
    office,
    logger,
    clock,
    jobs: options.jobs ?? SCHEDULED_JOBS,
    queueEffects: (tx, effects) => queueEffects(deps, tx, effects),
    onQueued: () => deliverer.wake(),
  });

  // Platform SDKs load only when their platform is on: the Teams SDK alone takes seconds to import.
  const slack = env.slack
    ? (await import('./slack/register.ts')).createSlackApp({
        settings: env.slack,
        office,
        logger,
        dispatch,
        loadHome: (person) => loadHome(database.db, office, person, clock()),
      })
    : undefined;
  const teams = teamsOn
    ? (await import('./teams/register.ts')).createTeamsBot({
        credentials: env.teams,
        office,
        db: database.db,
        logger,
        dispatch,
        choicesOf: (list) => findChoiceList(FEATURES, list)?.(office),
      })
    : undefined;
  if (teams) {
    senders.teams = (await import('./teams/sender.ts')).createTeamsSender({
      adapter: teams.adapter,
      appId: teams.appId,
      db: database.db,
      officeId: office.office.id,
    });
  }
  const sandbox = env.sandbox ? createSandboxRoutes({ db: database.db, office, dispatch }) : undefined;
  if (sandbox && (slack || teams)) {
    logger.warn(
      'the sandbox web chat is on beside Slack or Teams: anyone on this computer can act as any staff member there (SANDBOX=0 turns it off)',
    );
  }

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const path = new URL(request.url ?? '/', 'http://frontdesk').pathname;
    // HEAD answers like GET (status and headers); Node leaves out the body of a response to HEAD.
    if (path === '/healthz' && (request.method === 'GET' || request.method === 'HEAD')) {
      try {
        await database.ping();
        sendJson(response, 200, { status: 'ok' });
      } catch {
        sendJson(response, 503, { status: 'unavailable', reason: 'the database does not answer' });
      }
      return;
    }
    if (path === '/slack/events' && slack && env.slack?.mode === 'http') {
      await slack.handleRequest(request, response);
      return;
    }
    if (path === '/api/messages' && teams && request.method === 'POST') {
      await teams.handleRequest(request, response);
      return;
    }
    if (await serveCalendarFeed({ db: database.db, office, logger, clock }, path, request, response)) return;
    if (await serveDownload({ db: database.db, office, logger, clock }, path, request, response)) return;
    if (sandbox && (await sandbox(path, request, response))) return;
    sendJson(response, 404, { error: 'not found' });
  }

  const server: Server = createServer((request, response) => {
    httpStop.track(response);
    handle(request, response).catch((error: unknown) => {
      logger.error(
        // The calendar feed's and downloads' paths hold secrets: only the first segment is logged.
        {
          type: error instanceof Error ? error.name : typeof error,
          path: request.url?.split('/', 2).join('/'),
        },
        'request failed',
      );
      if (!response.headersSent) sendJson(response, 500, { error: 'internal error' });
      else response.end();
    });
  });

  const httpStop = createHttpStop(server, HTTP_STOP);

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(env.port, env.host, () => resolve());
  });
  deliverer.start();
  scheduler.start();
  await slack?.start();
  const address = server.address() as AddressInfo;
  const url = `http://${env.host === '0.0.0.0' ? 'localhost' : env.host}:${address.port}`;

  return {
    url,
    port: address.port,
    platforms,
    deliverer,
    scheduler,
    /**
     * Takes in the requests already sent, stops taking more, lets those in progress finish (up to 8 s), then
     * stops the scheduler and the deliverer.
     */
    async stop(): Promise<void> {
      await httpStop.stop();
      await slack?.stop();
      await scheduler.stop();
      await deliverer.stop();
    },
  };
}

export type Frontdesk = Awaited<ReturnType<typeof startFrontdesk>>;
