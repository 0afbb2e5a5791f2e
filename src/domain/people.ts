import { type OfficeConfig, type StaffMember, slugifyName } from '../config/office.ts';
import { removeDirectionControls } from './visible-text.ts';

export type PlatformName = 'slack' | 'teams' | 'sandbox';

/** The person behind an input, resolved from the office staff list; unknown people are staff with no role. */
export interface Person {
  /** stable across platforms for staff (`staff:<slug of name>`), platform-scoped for everyone else */
  key: string;
  name: string;
  role: string | undefined;
  isManager: boolean;
  platform: PlatformName;
  userId: string;
}

// The slug is the sandbox user id and the stable part of a staff key; config owns it because the staff
// list's uniqueness check must use the same function. Re-exported for everything that builds a key.
export { slugifyName };

/** The staff entry a platform user id belongs to; in the sandbox the user id is the slug of the name. */
export function findStaffMember(
  office: Pick<OfficeConfig, 'staff'>,
  platform: PlatformName,
  userId: string,
): StaffMember | undefined {
  let byPlatform = STAFF_BY_USER_ID.get(office.staff);
  if (!byPlatform) {
    byPlatform = new Map();
    STAFF_BY_USER_ID.set(office.staff, byPlatform);
  }
  let byUserId = byPlatform.get(platform);
  if (!byUserId) {
    byUserId = new Map();
    // The first entry of an id wins, as a search of the list from the top would find it.
    for (const member of office.staff) {
      const id = platform === 'sandbox' ? slugifyName(member.name) : member[platform];
      if (id !== undefined && !byUserId.has(id)) byUserId.set(id, member);
    }
    byPlatform.set(platform, byUserId);
  }
  return byUserId.get(userId);
}

/** Resolves who acted; manager rights come from the office config only, never from what the platform sent. */
export function resolvePerson(
  office: Pick<OfficeConfig, 'staff'>,
  platform: PlatformName,
  userId: string,
  displayName?: string,
): Person {
  const member = findStaffMember(office, platform, userId);
  if (member) {
    return {
      key: staffKey(member),
      name: member.name,
      role: member.role,
      isManager: member.manager,
      platform,
      userId,
    };
  }
  // The name goes on every card a manager decides from, so a stranger is never mistaken for a colleague.
  const shown = displayName && removeDirectionControls(displayName).trim();
  return {
    key: `${platform}:${userId}`,
    name: shown ? `${shown} — not on the staff list` : 'Someone not on the staff list',
    role: undefined,
    isManager: false,
    platform,
    userId,
  };
}

/** Whether the person is on the office's staff list (with a role and an allowance), not just a chat user. */
export function isOnStaffList(person: Pick<Person, 'key'>): boolean {
  return person.key.startsWith('staff:');
}

/** The staff who may decide requests (found once per staff list: every change that posts a card asks). */
export function listManagers(office: Pick<OfficeConfig, 'staff'>): readonly StaffMember[] {
  let managers = MANAGERS.get(office.staff);
  if (!managers) {
    managers = office.staff.filter((member) => member.manager);
    MANAGERS.set(office.staff, managers);
  }
  return managers;
}

/** The staff entry behind a staff key (`staff:sam-lee`). */
export function findStaffByKey(office: Pick<OfficeConfig, 'staff'>, key: string): StaffMember | undefined {
  let byKey = STAFF_BY_KEY.get(office.staff);
  if (!byKey) {
    byKey = new Map(office.staff.map((member) => [staffKey(member), member]));
    STAFF_BY_KEY.set(office.staff, byKey);
  }
  return byKey.get(key);
}

// A staff list and its entries are fixed once the config is read, and cards, balances and coverage look
// people up by key for every row they show: each list is indexed, and each entry's key made, once.
const STAFF_BY_KEY = new WeakMap<readonly StaffMember[], ReadonlyMap<string, StaffMember>>();
const KEY_OF = new WeakMap<Pick<StaffMember, 'name'>, string>();
// Every input resolves its sender, and every card counts a role's people, in lists of a thousand staff.
const STAFF_BY_USER_ID = new WeakMap<readonly StaffMember[], Map<PlatformName, Map<string, StaffMember>>>();
const STAFF_BY_ROLE = new WeakMap<readonly object[], Map<string | undefined, object[]>>();
const MANAGERS = new WeakMap<readonly StaffMember[], readonly StaffMember[]>();

/** The members of `staff` with `role`, in list order; the list is grouped by role once. */
export function listStaffOfRole<Member extends Pick<StaffMember, 'role'>>(
  staff: readonly Member[],
  role: string | undefined,
): readonly Member[] {
  let byRole = STAFF_BY_ROLE.get(staff);
  if (!byRole) {
    byRole = new Map();
    for (const member of staff) {
      const ofRole = byRole.get(member.role);
      if (ofRole) ofRole.push(member);
      else byRole.set(member.role, [member]);
    }
    STAFF_BY_ROLE.set(staff, byRole);
  }
  return (byRole.get(role) as readonly Member[] | undefined) ?? [];
}

/** The key a staff member acts under on every platform. */
export function staffKey(member: Pick<StaffMember, 'name'>): string {
  let key = KEY_OF.get(member);
  if (key === undefined) {
    key = `staff:${slugifyName(member.name)}`;
    KEY_OF.set(member, key);
  }
  return key;
}

/** Turns a role slug into words: `medical-assistant` → `Medical assistant`. */
export function formatRole(role: string): string {
  const words = role.replaceAll('-', ' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
}
