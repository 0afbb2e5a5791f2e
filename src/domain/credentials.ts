import type { OfficeConfig, StaffMember } from '../config/office.ts';
import type { ClearedFor } from './coverage.ts';
import { addDays, type IsoDay } from './dates.ts';
import { slugifyName, staffKey } from './people.ts';

/** Who holds a credential: a staff member by key, or the practice itself (CLIA, lease, malpractice policy). */
export const PRACTICE_HOLDER = 'practice';

/**
 * A credential as every rule sees it, from /creds (with its reference) or from a staff entry in office.yaml.
 * It is valid through `expires`; the day after, it has lapsed.
 */
export interface Credential {
  /** `CR-4`, or undefined for one written in office.yaml */
  reference: string | undefined;
  holderKey: string;
  holderName: string;
  /** a configured kind's id, or undefined for a practice item named freely */
  kind: string | undefined;
  name: string;
  expires: IsoDay;
  number: string | undefined;
}

/** How far ahead the digest and `/creds list expiring` look. */
export const EXPIRING_WINDOW_DAYS = 30;

type CredentialOffice = Pick<OfficeConfig, 'credentials' | 'staff'>;

/** The configured kind a person typed, by id or name, without case or punctuation. */
export function findCredentialKind(text: string, office: Pick<OfficeConfig, 'credentials'>) {
  const wanted = slugifyName(text);
  return office.credentials.kinds.find((kind) => kind.id === wanted || slugifyName(kind.name) === wanted);
}

/** The credentials written on staff entries in office.yaml. */
export function listConfiguredCredentials(office: CredentialOffice): readonly Credential[] {
  const known = CONFIGURED.get(office.staff);
  if (known?.kinds === office.credentials.kinds) return known.credentials;
  const credentials = readConfiguredCredentials(office);
  CONFIGURED.set(office.staff, { kinds: office.credentials.kinds, credentials });
  return credentials;
}

// The config never changes while the process runs, and every card and digest merges these in: each staff
// list is read for its credentials once (with the kinds it was named by).
const CONFIGURED = new WeakMap<
  CredentialOffice['staff'],
  { kinds: CredentialOffice['credentials']['kinds']; credentials: readonly Credential[] }
>();

function readConfiguredCredentials(office: CredentialOffice): Credential[] {
  return office.staff.flatMap((member) =>
    (member.credentials ?? []).map((credential) => ({
      reference: undefined,
      holderKey: staffKey(member),
      holderName: member.name,
      kind: credential.kind,
      name: office.credentials.kinds.find((kind) => kind.id === credential.kind)?.name ?? credential.kind,
      expires: credential.expires,
      number: credential.number,
    })),
  );
}

/**
 * What makes two credentials the same one: the holder and the configured kind, or, for an item named freely,
 * its name without case or punctuation. A holder has at most one record of each.
 */
export function describeCredentialIdentity(
  credential: Pick<Credential, 'holderKey' | 'kind' | 'name'>,
): string {
  return `${credential.holderKey}/${credential.kind !== undefined ? `kind:${credential.kind}` : `name:${slugifyName(credential.name)}`}`;
}

/**
 * Every credential in force: the latest /creds record of each holder and kind (`recorded` oldest first: older
 * builds stored a second add of one as a second record, and the later one is what the manager meant), and
 * those in office.yaml that no /creds record of the same holder and kind supersedes.
 */
export function mergeCredentials(recorded: readonly Credential[], office: CredentialOffice): Credential[] {
  const latest = new Map<string, Credential>();
  for (const credential of recorded) {
    const identity = describeCredentialIdentity(credential);
    // Deleted first, so the latest keeps its place among the others: the order is still oldest first.
    latest.delete(identity);
    latest.set(identity, credential);
  }
  const inForce = [...latest.values()];
  const configured = listConfiguredCredentials(office).filter(
    (credential) =>
      !inForce.some((other) => other.holderKey === credential.holderKey && other.kind === credential.kind),
  );
  return [...inForce, ...configured];
}

/**
 * Whether a credential's holder is still with the practice: the practice itself, or someone on the staff list.
 * The credentials of someone who left are kept (a manager may still list, export or remove them) but are not
 * news: the huddle and the reminders leave them out.
 */
export function isHeldByCurrentHolder(
  credential: Pick<Credential, 'holderKey'>,
  office: Pick<OfficeConfig, 'staff'>,
): boolean {
  return (
    credential.holderKey === PRACTICE_HOLDER ||
    office.staff.some((member) => staffKey(member) === credential.holderKey)
  );
}

/** Whether a credential of this kind can change who counts toward coverage: some role requires the kind. */
export function isKindRequiredForCoverage(
  kind: string | undefined,
  office: Pick<OfficeConfig, 'credentials'>,
): boolean {
  return (
    kind !== undefined &&
    office.credentials.kinds.some((known) => known.id === kind && known.requiredFor.length > 0)
  );
}

/** Whether a credential has lapsed on `day`: valid through its expiry date. */
export function hasLapsed(credential: Pick<Credential, 'expires'>, day: IsoDay): boolean {
  return credential.expires < day;
}

/** Credentials that lapse within the window from `day` on, or have lapsed, soonest first. */
export function listExpiring(credentials: readonly Credential[], day: IsoDay): Credential[] {
  const last = addDays(day, EXPIRING_WINDOW_DAYS);
  return credentials
    .filter((credential) => credential.expires <= last)
    .sort((a, b) => a.expires.localeCompare(b.expires) || a.holderName.localeCompare(b.holderName));
}

/** Whether credentials can change who counts toward coverage: only when some role requires one. */
export function credentialsAffectCoverage(office: Pick<OfficeConfig, 'credentials'>): boolean {
  return office.credentials.kinds.some((kind) => kind.requiredFor.length > 0);
}

/**
 * Whether `member` may count toward `role` on `day`: not when a credential the role requires has lapsed. A
 * required credential never recorded does not block (frontdesk does not know it is missing, only that one
 * it knows of has run out); the latest of several of one kind decides.
 */
export function isCleared(
  member: Pick<StaffMember, 'name'>,
  role: string,
  day: IsoDay,
  credentials: readonly Credential[],
  office: Pick<OfficeConfig, 'credentials'>,
): boolean {
  const required = office.credentials.kinds.filter((kind) => kind.requiredFor.includes(role));
  const key = staffKey(member);
  return required.every((kind) => {
    const held = credentials.filter(
      (credential) => credential.holderKey === key && credential.kind === kind.id,
    );
    if (held.length === 0) return true;
    const latest = held.reduce((a, b) => (a.expires >= b.expires ? a : b));
    return !hasLapsed(latest, day);
  });
}

/** People who cannot count toward their own role on `day` because a credential it requires has lapsed. */
export function listUncleared(
  day: IsoDay,
  credentials: readonly Credential[],
  office: CredentialOffice,
): Set<string> {
  return new Set(
    office.staff
      .filter(
        (member) => member.role !== undefined && !isCleared(member, member.role, day, credentials, office),
      )
      .map((member) => member.name),
  );
}

/**
 * The reminder due for a credential on `day`, if any: the closest of `remindDays` whose day has come
 * (a process down on the day sends the closest one late, never a stale earlier one), until it lapses.
 */
export function findDueReminder(
  credential: Pick<Credential, 'expires'>,
  day: IsoDay,
  remindDays: readonly number[],
): number | undefined {
  if (hasLapsed(credential, day)) return undefined;
  const reached = remindDays.filter((days) => addDays(credential.expires, -days) <= day);
  return reached.length > 0 ? Math.min(...reached) : undefined;
}

/** Coverage's question (may this person count toward this role that day?) answered from these credentials. */
export function clearedBy(
  credentials: readonly Credential[],
  office: Pick<OfficeConfig, 'credentials'>,
): ClearedFor {
  // Asked for every person of a role on every day counted, so it allocates nothing per question: a person
  // holding no credential on record is cleared (isCleared), and each person's own are found once.
  if (credentials.length === 0) return () => true;
  const byHolder = new Map<string, Credential[]>();
  for (const credential of credentials) {
    const held = byHolder.get(credential.holderKey);
    if (held) held.push(credential);
    else byHolder.set(credential.holderKey, [credential]);
  }
  return (member, role, day) => {
    const held = byHolder.get(staffKey(member));
    return held === undefined || isCleared(member, role, day, held, office);
  };
}
