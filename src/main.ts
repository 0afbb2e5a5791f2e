import { existsSync } from 'node:fs';
import { pino } from 'pino';
import { startFrontdesk } from './bot/frontdesk.ts';
import { ConfigError } from './config/config-error.ts';
import { loadEnv } from './config/env.ts';
import { loadOfficeConfig } from './config/office.ts';
import { openDatabase } from './db/client.ts';
import { DatabaseUnavailableError } from './db/database-error.ts';

const STOP_DEADLINE_MS = 10_000;

async function main(): Promise<void> {
  const env = loadEnv(process.env);
  const logger = pino({ level: env.logLevel, base: { app: 'frontdesk' } });
  let officePath = env.officeConfigPath;
  if (!officePath) {
    officePath = existsSync('./office.yaml') ? './office.yaml' : './office.example.yaml';
    if (officePath === './office.example.yaml') {
      logger.warn(
        'no office.yaml: using office.example.yaml (copy it to office.yaml and edit it for your practice)',
      );
    }
  }
  // The config is checked before the database is opened, so a bad config writes nothing.
  const office = loadOfficeConfig(officePath);
  if (env.teamsEmulator) {
    logger.warn(
      `TEAMS_EMULATOR=1: Bot Framework authentication is OFF; anyone who reaches ${env.host}:${env.port} can act as any Teams user (it binds 127.0.0.1 unless HOST is set). Never run a real office like this.`,
    );
  }
  const database = await openDatabase({ url: env.databaseUrl, dataDir: env.dataDir });
  const app = await startFrontdesk({ env, office, database, logger });
  logger.info(
    {
      database:
        database.kind === 'postgres' ? `PostgreSQL ${database.location}` : `PGlite in ${database.location}`,
      platforms: app.platforms,
      url: app.url,
    },
    `frontdesk for ${office.office.name} is up at ${app.url} — database: ${database.kind} (${database.location}); platforms: ${app.platforms.join(', ') || 'none'}`,
  );

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'stopping: finishing requests in flight');
    const deadline = setTimeout(() => {
      logger.error('could not stop within 10 s; exiting anyway');
      process.exit(1);
    }, STOP_DEADLINE_MS);
    deadline.unref();
    await app.stop();
    await database.close();
    logger.info('stopped');
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError || error instanceof DatabaseUnavailableError) {
    process.stderr.write(`frontdesk: ${error.message}\n`);
  } else if (error instanceof Error && (error as { code?: unknown }).code === 'EADDRINUSE') {
    process.stderr.write(
      `frontdesk: PORT: ${String((error as { port?: unknown }).port ?? '')} is already in use\n`,
    );
  } else {
    process.stderr.write(
      `frontdesk: could not start: ${error instanceof Error ? error.message : String(error)}\n`,
    );
  }
  process.exit(1);
});
