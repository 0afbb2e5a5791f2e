import type { IncomingMessage, ServerResponse } from 'node:http';
import type { DateTime } from 'luxon';
import type { Logger } from 'pino';
import type { OfficeConfig } from '../config/office.ts';
import type { Db } from '../db/client.ts';
import { createAuditEntry } from '../db/repositories/audit.ts';
import { deleteDownload, findDownload } from '../db/repositories/downloads.ts';
import { findStaffByKey } from '../domain/people.ts';
import { describeErrorForLog } from '../handlers/kernel/dispatch.ts';
import { hashDownloadToken } from '../handlers/kernel/downloads.ts';
import { sendJson } from './http-body.ts';

const DOWNLOAD_PATH = /^\/exports\/([A-Za-z0-9_-]{16,100})\.(csv|png)$/;

/**
 * `GET` (or `HEAD`) `/exports/<token>.csv|png`: a file a person asked for in Teams or the sandbox. A CSV is
 * handed out once (HEAD does not use it up), a picture until it expires; each download is audited. Anything
 * else, a used or expired token included, another office's, or one whose maker is no longer a manager, gets
 * the same 404 as an unknown path. The token is never logged.
 */
export async function serveDownload(
  deps: { db: Db; office: OfficeConfig; logger: Logger; clock: () => DateTime },
  path: string,
  request: IncomingMessage,
  response: ServerResponse,
): Promise<boolean> {
  if (!path.startsWith('/exports/')) return false;
  const match = DOWNLOAD_PATH.exec(path);
  const [, token = '', extension] = match ?? [];
  if (!match || (request.method !== 'GET' && request.method !== 'HEAD')) {
    sendJson(response, 404, { error: 'not found' });
    return true;
  }
  try {
    const take = request.method === 'GET';
    const expected = extension === 'png' ? 'image/png' : 'text/csv';
    const found = await deps.db.transaction(async (tx) => {
      const row = await findDownload(tx, {
        officeId: deps.office.office.id,
        tokenHash: hashDownloadToken(token),
        contentType: expected,
        at: deps.clock().toJSDate(),
        take,
      });
      if (!row) return undefined;
      // Every file is a manager's: one who is no longer a manager (the config changed) holds a dead link.
      const maker = findStaffByKey(deps.office, row.actorKey);
      if (!maker?.manager) {
        await deleteDownload(tx, row.id);
        return undefined;
      }
      if (take)
        await createAuditEntry(tx, {
          officeId: row.officeId,
          // Audited as the person who asked for the file, where they asked: the link itself names no one.
          actor: {
            key: row.actorKey,
            name: row.actorName,
            role: maker.role,
            isManager: true,
            platform: row.actorPlatform,
            userId: row.actorUserId,
          },
          action: 'export.downloaded',
          entity: row.name,
        });
      return row;
    });
    if (!found) {
      sendJson(response, 404, { error: 'not found' });
      return true;
    }
    const body = Buffer.from(found.content, 'base64');
    response.writeHead(200, {
      'content-type': expected === 'text/csv' ? 'text/csv; charset=utf-8' : 'image/png',
      'content-length': body.length,
      'content-disposition': `${expected === 'text/csv' ? 'attachment' : 'inline'}; filename="${found.name.replace(/[^\w.-]/g, '_')}"`,
      'cache-control': 'private, no-store',
    });
    response.end(body);
  } catch (error) {
    deps.logger.error({ err: describeErrorForLog(error) }, 'download failed');
    sendJson(response, 503, { error: 'the file is unavailable; try again in a minute' });
  }
  return true;
}
