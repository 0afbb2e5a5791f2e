import { type Env, loadEnv } from '../../src/config/env.ts';

/** The environment of an in-process app with Slack on, its Web API at `apiUrl`, on any free port. */
export function buildSlackTestEnv(signingSecret: string, apiUrl: string, extra: NodeJS.ProcessEnv = {}): Env {
  return {
    ...loadEnv({
      SLACK_SIGNING_SECRET: signingSecret,
      SLACK_BOT_TOKEN: 'xoxb-test',
      SLACK_API_URL: apiUrl,
      HOST: '127.0.0.1',
      SANDBOX: '0',
      ...extra,
    }),
    // loadEnv refuses PORT=0; the tests want whatever port is free.
    port: 0,
  };
}
