import autocannon from 'autocannon';
import { buildSlackHeaders, buildSlashCommandBody } from '../../tests/helpers/slack-signing.ts';

/** One slash command to send: who sends it and its text. */
export interface SlashCommand {
  command: string;
  text: string;
  userId: string;
  userName: string;
  /** where an answer that misses the ack goes; point it at the stub, never at Slack */
  responseUrl: string;
}

/** What one load phase measured, latencies in ms. */
export interface LoadResult {
  connections: number;
  seconds: number;
  requests: number;
  requestsPerSecond: number;
  p50: number;
  p99: number;
  max: number;
  /** connection errors, timeouts and non-2xx answers */
  errors: number;
  /** 2xx answers whose body `accepted` approved of */
  accepted: number;
  /** requests written, including those still unanswered when the phase ended (their connection is closed) */
  sent: number;
}

/**
 * Sends correctly signed slash commands to `<appUrl>/slack/events` from `connections` connections for
 * `seconds`; each request gets the next command, a fresh trigger id and a signature made as it is sent.
 */
export async function runSlashLoad(params: {
  appUrl: string;
  signingSecret: string;
  connections: number;
  seconds: number;
  nextCommand: () => SlashCommand;
  accepted: (body: string) => boolean;
}): Promise<LoadResult> {
  let accepted = 0;
  let sent = 0;
  const result = await autocannon({
    url: `${params.appUrl}/slack/events`,
    connections: params.connections,
    duration: params.seconds,
    timeout: 10,
    requests: [
      {
        method: 'POST',
        path: '/slack/events',
        setupRequest: (request) => {
          sent += 1;
          const body = buildSlashCommandBody(params.nextCommand());
          return { ...request, body, headers: buildSlackHeaders(params.signingSecret, body) };
        },
        onResponse: (status, body) => {
          if (status >= 200 && status < 300 && params.accepted(body)) accepted += 1;
        },
      },
    ],
  });
  return {
    connections: params.connections,
    seconds: result.duration,
    requests: result['2xx'],
    requestsPerSecond: result['2xx'] / result.duration,
    p50: result.latency.p50,
    p99: result.latency.p99,
    max: result.latency.max,
    errors: result.errors + result.timeouts + result.non2xx,
    accepted,
    sent,
  };
}
