import { and, asc, eq, isNotNull, isNull, sql } from 'drizzle-orm';
import type { OfficeConfig } from '../../config/office.ts';
import { type Credential, credentialsAffectCoverage, mergeCredentials } from '../../domain/credentials.ts';
import { formatReference } from '../../domain/references.ts';
import type { Db } from '../client.ts';
import { fixedQuery } from '../fixed-query.ts';
import { credentials } from '../schema/index.ts';
import { lockUntilTransactionEnds } from '../transaction-lock.ts';

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

/**
 * Takes a lock on one holder's credentials until the caller's transaction ends, so two adds of the same one at
 * once are checked one after the other: under READ COMMITTED each would otherwise miss the other's row.
 */
export async function lockCredentialsOfHolder(db: Db, officeId: string, holderKey: string): Promise<void> {
  await lockUntilTransactionEnds(db, `credentials:${officeId}:${holderKey}`);
}

/** One holder's credentials recorded with /creds and not removed, oldest record first. */
export async function listCredentialsOfHolder(
  db: Db,
  officeId: string,
  holderKey: string,
): Promise<CredentialRow[]> {
  return db
    .select()
    .from(credentials)
    .where(
      and(
        eq(credentials.officeId, officeId),
        eq(credentials.holderKey, holderKey),
        isNull(credentials.removedAt),
      ),
    )
    .orderBy(asc(credentials.number));
}

/** The credential with reference number `number`, if it exists in this office, removed or not. */
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

/** Every credential recorded with /creds and not removed, soonest expiry first. */
export async function listCredentials(db: Db, officeId: string): Promise<CredentialRow[]> {
  return selectCredentials(db, { officeId });
}

const selectCredentials = fixedQuery<{ officeId: string }, CredentialRow[]>((db) =>
  db
    .select()
    .from(credentials)
    .where(and(eq(credentials.officeId, sql.placeholder('officeId')), isNull(credentials.removedAt)))
    .orderBy(asc(credentials.expires), asc(credentials.number)),
);

/** The credentials a manager removed (`/creds remove`), kept for the record: soonest expiry first. */
export async function listRemovedCredentials(db: Db, officeId: string): Promise<CredentialRow[]> {
  return db
    .select()
    .from(credentials)
    .where(and(eq(credentials.officeId, officeId), isNotNull(credentials.removedAt)))
    .orderBy(asc(credentials.expires), asc(credentials.number));
}

/**
 * Retires a credential: it stays stored, for the record and the export, and counts nowhere else (huddle, home,
 * reminders, lists, coverage). `undefined` when it was already removed.
 */
export async function removeCredential(
  db: Db,
  params: { id: number; byName: string; at: Date },
): Promise<CredentialRow | undefined> {
  const [row] = await db
    .update(credentials)
    .set({ removedByName: params.byName, removedAt: params.at })
    .where(and(eq(credentials.id, params.id), isNull(credentials.removedAt)))
    .returning();
  return row;
}

/**
 * Moves a credential's expiry on, and its number when one is given; `undefined` when it changed meanwhile (the
 * expiry read is no longer current) or was removed.
 */
export async function renewCredential(
  db: Db,
  params: { id: number; from: string; expires: string; credentialNumber?: string; byName: string; at: Date },
): Promise<CredentialRow | undefined> {
  const [row] = await db
    .update(credentials)
    .set({
      expires: params.expires,
      ...(params.credentialNumber !== undefined ? { credentialNumber: params.credentialNumber } : {}),
      renewedByName: params.byName,
      renewedAt: params.at,
    })
    .where(
      and(eq(credentials.id, params.id), eq(credentials.expires, params.from), isNull(credentials.removedAt)),
    )
    .returning();
  return row;
}

/**
 * Corrects a credential's expiry (earlier or later) and number, as recorded anew: the last renewal no longer
 * set the expiry, so it is cleared (the audit log keeps it). `undefined` when the expiry or number read is no
 * longer current.
 */
export async function correctCredential(
  db: Db,
  params: {
    id: number;
    from: string;
    fromNumber: string | null;
    expires: string;
    credentialNumber: string | null;
  },
): Promise<CredentialRow | undefined> {
  const [row] = await db
    .update(credentials)
    .set({
      expires: params.expires,
      credentialNumber: params.credentialNumber,
      renewedByName: null,
      renewedAt: null,
    })
    .where(
      and(
        eq(credentials.id, params.id),
        eq(credentials.expires, params.from),
        isNull(credentials.removedAt),
        params.fromNumber === null
          ? isNull(credentials.credentialNumber)
          : eq(credentials.credentialNumber, params.fromNumber),
      ),
    )
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
  // Oldest record first, as mergeCredentials takes them: a later record of a holder and kind supersedes.
  const rows = [...(await listCredentials(db, office.office.id))].sort((a, b) => a.number - b.number);
  return mergeCredentials(rows.map(toCredential), office);
}

/**
 * The credentials that can change who counts toward coverage (for `clearedBy`): those in force where some
 * role requires one, and none, without a read, where no role does. Read for every card and count, an empty
 * table still cost 0.44 ms of PGlite's time.
 */
export async function loadCredentialsForCoverage(db: Db, office: OfficeConfig): Promise<Credential[]> {
  return credentialsAffectCoverage(office) ? loadCredentialsInForce(db, office) : [];
}
