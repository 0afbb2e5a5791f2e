import { describe, expect, it } from 'vitest';
import type { StaffMember } from '../../src/config/office.ts';
import { findStaffMember, listStaffOfRole, resolvePerson } from '../../src/domain/people.ts';
import { buildOfficeConfig } from '../helpers/office.ts';

const office = buildOfficeConfig();

describe('findStaffMember', () => {
  it('finds a member by their id on each platform, and the sandbox by the slug of the name', () => {
    expect(findStaffMember(office, 'slack', 'U0PRIYA')?.name).toBe('Priya Shah');
    expect(findStaffMember(office, 'sandbox', 'priya-shah')?.name).toBe('Priya Shah');
    expect(findStaffMember(office, 'slack', 'priya-shah')).toBeUndefined();
    expect(findStaffMember(office, 'teams', 'U0PRIYA')).toBeUndefined();
    expect(findStaffMember(office, 'slack', 'U0NOBODY')).toBeUndefined();
  });

  it('gives the first entry of an id listed twice, as the list reads from the top', () => {
    const staff: StaffMember[] = [
      ...office.staff,
      { ...(office.staff[1] as StaffMember), name: 'Sam Lee Again', slack: 'U0PRIYA' },
    ];
    expect(findStaffMember({ staff }, 'slack', 'U0PRIYA')?.name).toBe('Priya Shah');
  });

  it('answers from each staff list on its own', () => {
    const renamed = office.staff.map((member) =>
      member.slack === 'U0SAM' ? { ...member, name: 'Samuel Lee' } : member,
    );
    expect(resolvePerson({ staff: renamed }, 'slack', 'U0SAM').name).toBe('Samuel Lee');
    expect(resolvePerson(office, 'slack', 'U0SAM').name).toBe('Sam Lee');
  });

  it('keeps direction overrides out of a stranger’s name, so it cannot reverse "not on the staff list"', () => {
    const stranger = resolvePerson(office, 'slack', 'U0STRANGER', 'Dana Reyes\u202E\u2067');
    expect(stranger.name).toBe('Dana Reyes — not on the staff list');
    expect(resolvePerson(office, 'slack', 'U0STRANGER', '\u202E ').name).toBe(
      'Someone not on the staff list',
    );
  });
});

describe('listStaffOfRole', () => {
  it('lists the members of a role in list order, and none for a role nobody has', () => {
    expect(listStaffOfRole(office.staff, 'physician').map((member) => member.name)).toEqual([
      'Dr. Helen Park',
      'Dr. Omar Haddad',
    ]);
    expect(listStaffOfRole(office.staff, 'front-desk').map((member) => member.name)).toEqual([
      'Sam Lee',
      'Priya Shah',
    ]);
    expect(listStaffOfRole(office.staff, 'radiology')).toEqual([]);
    expect(listStaffOfRole([{ role: undefined, name: 'x' }], undefined)).toHaveLength(1);
  });
});
