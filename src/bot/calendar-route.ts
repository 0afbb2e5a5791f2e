import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { DateTime } from 'luxon';
import type { Logger } from 'pino';
import type { OfficeConfig } from '../config/office.ts';
import type { Db } from '../db/client.ts';
import { buildCalendarFeed, readCalendarToken } from '../handlers/index.ts';
import { describeErrorForLog } from '../handlers/kernel/dispatch.ts';
import { sendJson } from './http-body.ts';

const FEED_PATH = /^\/calendar\/([^/]{1,200})\.ics$/;

/** Compares two secrets in time that does not depend on where they differ (or on their lengths). */
function matchesSecret(given: string, expected: string): boolean {
  const digest = (text: string) => createHash('sha256').update(text).digest();
  return timingSafeEqual(digest(given), digest(expected));
}

/**
 * `GET` (or `HEAD`) `/calendar/<token>.ics`: the iCalendar feed of rep visits and approved time off. A wrong or missing
 * token, or a feed with no token yet, gets the same 404 as any unknown path, so nothing is disclosed.
 * Returns false for paths that are not under /calendar/. The path (it holds the secret) is never logged.
 */
export async function serveCalendarFeed(
  deps: { db: Db; office: OfficeConfig; logger: Logger; clock: () => DateTime },
  path: string,
  request: IncomingMessage,
  response: ServerResponse,
): Promise<boolean> {
  if (!path.startsWith('/calendar/')) return false;
  const token = FEED_PATH.exec(path)?.[1];
  if (!token || (request.method !== 'GET' && request.method !== 'HEAD')) {
    sendJson(response, 404, { error: 'not found' });
    return true;
  }
  try {
    const expected = await readCalendarToken(deps.db, deps.office);
    if (!expected || !matchesSecret(token, expected)) {
      sendJson(response, 404, { error: 'not found' });
      return true;
    }
    const feed = await buildCalendarFeed(deps.db, deps.office, deps.clock());
    // The length is a header, so an answer to HEAD (Node sends it without the body) matches GET's.
    response.writeHead(200, {
      'content-type': 'text/calendar; charset=utf-8',
      'content-length': Buffer.byteLength(feed),
      'content-disposition': 'inline; filename="frontdesk.ics"',
      'cache-control': 'private, max-age=300',
    });
    response.end(feed);
  } catch (error) {
    deps.logger.error({ err: describeErrorForLog(error) }, 'calendar feed failed');
    sendJson(response, 503, { error: 'the calendar is unavailable; try again in a minute' });
  }
  return true;
}
