import type { RecordingSlackApi } from './slack-api-server.ts';
import { waitFor } from './wait.ts';

/** The text of what Slack posted to the response_url `responseId` (see `RecordingSlackApi.responseUrl`). */
export async function waitForResponseUrlText(
  slackApi: RecordingSlackApi,
  responseId: string,
): Promise<string> {
  const call = await waitFor(
    () => slackApi.responsesTo(responseId)[0],
    `the answer through response_url ${responseId}`,
  );
  return String(call.body.text);
}

/**
 * What the person who typed a slash command is finally told: the ack's text, or, when the ack only said
 * "Working on it…", what followed through the response_url `responseId`.
 */
export async function readSlashAnswer(
  response: Response,
  slackApi: RecordingSlackApi,
  responseId: string,
): Promise<string> {
  const raw = await response.text();
  const acked = raw ? String((JSON.parse(raw) as { text?: unknown }).text) : '';
  return acked.startsWith('Working on it') ? waitForResponseUrlText(slackApi, responseId) : acked;
}

/** The first reference with `prefix` (`TO-12`) in an answer's text; fails the test when there is none. */
export function findReferenceInAnswer(answer: string, prefix: 'TO' | 'SR' | 'CP' | 'RM'): string {
  const match = new RegExp(`${prefix}-\\d+`).exec(answer);
  if (!match) throw new Error(`no reference in: ${answer}`);
  return match[0];
}
