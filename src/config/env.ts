import { z } from 'zod';
import { ConfigError } from './config-error.ts';

const flagSchema = z.enum(['0', '1'], { error: 'expected 1 or 0' });

const envSchema = z.object({
  PORT: z.coerce
    .number({ error: 'expected a port number' })
    .int('expected a whole port number')
    .min(1, 'expected a port from 1 to 65535')
    .max(65535, 'expected a port from 1 to 65535')
    .default(3000),
  HOST: z.string().min(1).optional(),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'expected a postgres:// URL')
    .optional(),
  DATA_DIR: z.string().min(1).default('./.data'),
  OFFICE_CONFIG: z.string().min(1).optional(),
  SLACK_SIGNING_SECRET: z.string().min(1).optional(),
  SLACK_BOT_TOKEN: z
    .string()
    .regex(/^xox[bp]-/, 'expected a bot token starting with xoxb-')
    .optional(),
  SLACK_API_URL: z.url({ error: 'expected a URL like https://slack.com/api/' }).optional(),
  SLACK_APP_TOKEN: z
    .string()
    .regex(/^xapp-/, 'expected an app-level token starting with xapp- (scope connections:write)')
    .optional(),
  MICROSOFT_APP_ID: z.string().min(1).optional(),
  MICROSOFT_APP_PASSWORD: z.string().min(1).optional(),
  MICROSOFT_APP_TENANT_ID: z.string().min(1).optional(),
  MICROSOFT_APP_TYPE: z.enum(['MultiTenant', 'SingleTenant', 'UserAssignedMSI']).optional(),
  TEAMS_EMULATOR: flagSchema.optional(),
  SANDBOX: flagSchema.optional(),
  PUBLIC_URL: z
    .url({
      protocol: /^https?$/,
      error: 'expected the address people reach frontdesk at, like https://frontdesk.example.org',
    })
    .optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

/**
 * Slack over HTTP (requests to /slack/events, checked with the signing secret), or, with an app-level
 * token, over Socket Mode: frontdesk connects out to Slack and needs no public address.
 */
export type SlackSettings = { botToken: string; apiUrl: string | undefined } & (
  | { mode: 'http'; signingSecret: string }
  | { mode: 'socket'; appToken: string }
);

export interface Env {
  port: number;
  host: string;
  databaseUrl: string | undefined;
  dataDir: string;
  officeConfigPath: string | undefined;
  slack: SlackSettings | undefined;
  teams: { appId: string; appPassword: string; tenantId: string | undefined; appType: string } | undefined;
  teamsEmulator: boolean;
  sandbox: boolean;
  /** the address people reach frontdesk at, without a trailing slash; else each request's own host */
  publicUrl: string | undefined;
  logLevel: z.infer<typeof envSchema>['LOG_LEVEL'];
}

/** Parses the environment once at start-up; a bad value is one ConfigError line naming the variable. */
export function loadEnv(source: NodeJS.ProcessEnv): Env {
  // An empty variable (FOO=) means "not set", as operators expect from shell and .env files.
  const present = Object.fromEntries(Object.entries(source).filter(([, value]) => value !== ''));
  const result = envSchema.safeParse(present);
  if (!result.success) {
    const first = result.error.issues[0];
    const name = String(first?.path[0] ?? 'environment');
    throw new ConfigError(`${name}: ${first?.message ?? 'invalid value'}`);
  }
  const raw = result.data;
  if (raw.SLACK_APP_TOKEN !== undefined && raw.SLACK_BOT_TOKEN === undefined) {
    throw new ConfigError('SLACK_BOT_TOKEN: must be set too (Socket Mode needs the bot token as well)');
  }
  if (
    raw.SLACK_APP_TOKEN === undefined &&
    (raw.SLACK_SIGNING_SECRET === undefined) !== (raw.SLACK_BOT_TOKEN === undefined)
  ) {
    const missing = raw.SLACK_SIGNING_SECRET === undefined ? 'SLACK_SIGNING_SECRET' : 'SLACK_BOT_TOKEN';
    throw new ConfigError(
      `${missing}: must be set too (Slack needs both the signing secret and the bot token)`,
    );
  }
  if ((raw.MICROSOFT_APP_ID === undefined) !== (raw.MICROSOFT_APP_PASSWORD === undefined)) {
    const missing = raw.MICROSOFT_APP_ID === undefined ? 'MICROSOFT_APP_ID' : 'MICROSOFT_APP_PASSWORD';
    throw new ConfigError(`${missing}: must be set too (Teams needs both the app id and the app password)`);
  }
  const slack: SlackSettings | undefined = !raw.SLACK_BOT_TOKEN
    ? undefined
    : raw.SLACK_APP_TOKEN
      ? {
          mode: 'socket',
          appToken: raw.SLACK_APP_TOKEN,
          botToken: raw.SLACK_BOT_TOKEN,
          apiUrl: raw.SLACK_API_URL,
        }
      : raw.SLACK_SIGNING_SECRET
        ? {
            mode: 'http',
            signingSecret: raw.SLACK_SIGNING_SECRET,
            botToken: raw.SLACK_BOT_TOKEN,
            apiUrl: raw.SLACK_API_URL,
          }
        : undefined;
  const teams =
    raw.MICROSOFT_APP_ID && raw.MICROSOFT_APP_PASSWORD
      ? {
          appId: raw.MICROSOFT_APP_ID,
          appPassword: raw.MICROSOFT_APP_PASSWORD,
          tenantId: raw.MICROSOFT_APP_TENANT_ID,
          appType: raw.MICROSOFT_APP_TYPE ?? 'MultiTenant',
        }
      : undefined;
  const teamsEmulator = raw.TEAMS_EMULATOR === '1';
  const sandbox = raw.SANDBOX === undefined ? !slack && !teams && !teamsEmulator : raw.SANDBOX === '1';
  return {
    port: raw.PORT,
    // The sandbox and the Teams emulator act as anyone who asks, so they stay on this machine unless HOST says otherwise.
    host: raw.HOST ?? (sandbox || teamsEmulator ? '127.0.0.1' : '0.0.0.0'),
    databaseUrl: raw.DATABASE_URL,
    dataDir: raw.DATA_DIR,
    officeConfigPath: raw.OFFICE_CONFIG,
    slack,
    teams,
    teamsEmulator,
    sandbox,
    publicUrl: raw.PUBLIC_URL?.replace(/\/+$/, ''),
    logLevel: raw.LOG_LEVEL,
  };
}
