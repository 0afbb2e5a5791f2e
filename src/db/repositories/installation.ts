import { eq } from 'drizzle-orm';
import type { Db } from '../client.ts';
import { INSTALLATION_KEY, installation } from '../schema/index.ts';

/** This installation's id, if one has been stored. */
export async function getInstallId(db: Db): Promise<string | undefined> {
  const [row] = await db
    .select({ installId: installation.installId })
    .from(installation)
    .where(eq(installation.key, INSTALLATION_KEY));
  return row?.installId;
}

/**
 * Stores `candidate` as the installation's id unless one exists, and returns the stored one: when two
 * processes start at once, the second insert does nothing and both read the first one's id.
 */
export async function ensureInstallId(
  db: Db,
  params: { candidate: string; createdAt: Date },
): Promise<string> {
  await db
    .insert(installation)
    .values({ key: INSTALLATION_KEY, installId: params.candidate, createdAt: params.createdAt })
    .onConflictDoNothing();
  const stored = await getInstallId(db);
  if (!stored) throw new Error('install id not stored');
  return stored;
}
