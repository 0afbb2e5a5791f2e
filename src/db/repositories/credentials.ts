import { and, asc, eq, sql } from 'drizzle-orm';
import type { OfficeConfig } from '../../config/office.ts';
import { type Credential, credentialsAffectCoverage, mergeCredentials } from '../../domain/credentials.ts';
import { formatReference } from '../../domain/references.ts';
import type { Db } from '../client.ts';
import { fixedQuery } from '../fixed-query.ts';
import { credentials } from '../schema/index.ts';

export type CredentialRow = typeof credentials.$inferSelect;

/** Records a credential and returns it with its reference number. */
export async function createCredential(
  db: Db,
  values: Omit<typeof credentials.$inferInsert, 'id' | 'number'>,
): Promise<CredentialRow> {
  const [row] = await db.insert(credentials).values(values).returning();
  if (!row) throw new Error('credential not stored');
  return row;
}

/** The credential with reference number `number`, if it exists in this office. */
export async function getCredential(
  db: Db,
  officeId: string,
  number: number,
): Promise<CredentialRow | undefined> {
  const [row] = await db
    .select()
    .from(credentials)
    .where(and(eq(credentials.officeId, officeId), eq(credentials.number, number)));
  return row;
}

/** Every credential recorded with /creds, soonest expiry first. */
export async function listCredentials(db: Db, officeId: string): Promise<CredentialRow[]> {
  return selectCredentials(db, { officeId });
}

const selectCredentials = fixedQuery<{ officeId: string }, CredentialRow[]>((db) =>
  db
    .select()
    .from(credentials)
    .where(eq(credentials.officeId, sql.placeholder('officeId')))
    .orderBy(asc(credentials.expires), asc(credentials.number)),
);

/** Moves a credential's expiry on; `undefined` when it changed meanwhile (the expiry read is no longer current). */
export async function renewCredential(
  db: Db,
  params: { id: number; from: string; expires: string; byName: string; at: Date },
): Promise<CredentialRow | undefined> {
  const [row] = await db
    .update(credentials)
    .set({ expires: params.expires, renewedByName: params.byName, renewedAt: params.at })
    .where(and(eq(credentials.id, params.id), eq(credentials.expires, params.from)))
    .returning();
  return row;
}

/** A stored credential as the rules see it. */
export function toCredential(row: CredentialRow): Credential {
  return {
    reference: formatReference('CR', row.number),
    holderKey: row.holderKey,
    holderName: row.holderName,
    kind: row.kind ?? undefined,
    name: row.name,
    expires: row.expires,
    number: row.credentialNumber ?? undefined,
  };
}

/** Every credential in force: recorded with /creds, and those in office.yaml not superseded by one. */
export async function loadCredentialsInForce(db: Db, office: OfficeConfig): Promise<Credential[]> {
  return mergeCredentials((await listCredentials(db, office.office.id)).map(toCredential), office);
}

/**
 * The credentials that can change who counts toward coverage (for `clearedBy`): those in force where some
 * role requires one, and none, without a read, where no role does. Read for every card and count, an empty
 * table still cost 0.44 ms of PGlite's time.
 */
export async function loadCredentialsForCoverage(db: Db, office: OfficeConfig): Promise<Credential[]> {
  return credentialsAffectCoverage(office) ? loadCredentialsInForce(db, office) : [];
}
