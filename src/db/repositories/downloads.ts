import { and, eq, gt, isNull, lt, or } from 'drizzle-orm';
import type { Db } from '../client.ts';
import { downloads } from '../schema/index.ts';

export type DownloadRow = typeof downloads.$inferSelect;

type NewDownload = Omit<typeof downloads.$inferInsert, 'id' | 'downloadedAt'>;

/** Stores a file behind a token's hash; expired files are removed first, so the table never grows stale. */
export async function createDownload(
  db: Db,
  // Where the person asked is required here: the column defaults are only for rows made before they existed.
  values: NewDownload & Required<Pick<NewDownload, 'actorPlatform' | 'actorUserId'>>,
): Promise<void> {
  await db.delete(downloads).where(lt(downloads.expiresAt, values.createdAt));
  await db.insert(downloads).values(values);
}

/**
 * The office's file behind a token's hash while it still works: not expired, and for a single-use file not
 * yet downloaded. With `take`, a single-use file is marked downloaded and its content cleared in the same
 * statement, so of two downloads at once exactly one gets it.
 */
export async function findDownload(
  db: Db,
  params: { officeId: string; tokenHash: string; contentType: string; at: Date; take: boolean },
): Promise<DownloadRow | undefined> {
  // The type the link's extension names is part of the match: a wrong one neither serves nor uses up the file.
  // Offices sharing a database each serve only their own files.
  const usable = and(
    eq(downloads.officeId, params.officeId),
    eq(downloads.tokenHash, params.tokenHash),
    eq(downloads.contentType, params.contentType),
    gt(downloads.expiresAt, params.at),
    or(eq(downloads.once, false), isNull(downloads.downloadedAt)),
  );
  if (!params.take) {
    const [row] = await db.select().from(downloads).where(usable);
    return row;
  }
  const [row] = await db.select().from(downloads).where(usable).for('update');
  if (!row) return undefined;
  if (row.once)
    await db.update(downloads).set({ downloadedAt: params.at, content: '' }).where(eq(downloads.id, row.id));
  return row;
}

/** Removes a file that must no longer be served, such as one whose maker is no longer a manager. */
export async function deleteDownload(db: Db, id: number): Promise<void> {
  await db.delete(downloads).where(eq(downloads.id, id));
}
