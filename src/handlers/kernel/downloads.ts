import { createHash, randomBytes } from 'node:crypto';
import type { DateTime } from 'luxon';
import type { Db } from '../../db/client.ts';
import { createDownload } from '../../db/repositories/downloads.ts';
import type { Person } from '../../domain/people.ts';
import type { Attachment, Image, Link, Outcome } from './message.ts';

/** How long a download link works. */
export const DOWNLOAD_HOURS = 24;

/** The hash a download's token is stored and looked up under; the token itself is never stored. */
export function hashDownloadToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** `/exports/<token>.csv`, or `.png`: where a stored attachment is downloaded. */
function downloadPath(token: string, attachment: Attachment): string {
  return `/exports/${token}.${attachment.contentType === 'image/png' ? 'png' : 'csv'}`;
}

/**
 * For platforms that cannot take an upload (Teams, the sandbox): each attachment is stored behind an
 * unguessable token for 24 hours, a CSV for one download and a picture for as long as its card is shown,
 * and the reply gets a link to each CSV and the pictures inline. The files leave the outcome, so they are
 * never kept with a delivery's answer.
 */
export async function offerDownloads(
  db: Db,
  outcome: Outcome,
  params: { officeId: string; actor: Person; now: DateTime; baseUrl: string | undefined },
): Promise<Outcome> {
  const { attachments, ...rest } = outcome;
  if (!attachments || attachments.length === 0) return outcome;
  const links: Link[] = [];
  const images: Image[] = [];
  for (const attachment of attachments) {
    const token = randomBytes(24).toString('base64url');
    await createDownload(db, {
      officeId: params.officeId,
      tokenHash: hashDownloadToken(token),
      name: attachment.name,
      contentType: attachment.contentType,
      content: Buffer.from(attachment.content).toString('base64'),
      once: attachment.contentType === 'text/csv',
      actorKey: params.actor.key,
      actorName: params.actor.name,
      actorPlatform: params.actor.platform,
      actorUserId: params.actor.userId,
      createdAt: params.now.toJSDate(),
      expiresAt: params.now.plus({ hours: DOWNLOAD_HOURS }).toJSDate(),
    });
    const url = `${params.baseUrl ?? ''}${downloadPath(token, attachment)}`;
    if (attachment.contentType === 'image/png') images.push({ url, alt: attachment.title });
    else links.push({ label: `Download ${attachment.title} (works once, for ${DOWNLOAD_HOURS} hours)`, url });
  }
  const reply = rest.reply ?? { text: 'Your files' };
  return {
    ...rest,
    reply: {
      ...reply,
      links: [...(reply.links ?? []), ...links],
      images: [...(reply.images ?? []), ...images],
    },
  };
}
