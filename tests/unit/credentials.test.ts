import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { OfficeConfig } from '../../src/config/office.ts';
import { findCoverCandidates } from '../../src/domain/call-outs.ts';
import { findRolesBelowCoverage } from '../../src/domain/coverage.ts';
import {
  type Credential,
  clearedBy,
  credentialsAffectCoverage,
  findCredentialKind,
  findDueReminder,
  hasLapsed,
  isCleared,
  listExpiring,
  mergeCredentials,
} from '../../src/domain/credentials.ts';
import { addDays } from '../../src/domain/dates.ts';
import { buildOfficeConfig } from '../helpers/office.ts';

const base = buildOfficeConfig();
const office: OfficeConfig = {
  ...base,
  credentials: {
    kinds: [
      { id: 'bls', name: 'BLS/CPR', requiredFor: ['medical-assistant', 'nurse'] },
      { id: 'rn-license', name: 'RN license', requiredFor: ['nurse'] },
    ],
    remindDays: [90, 60, 30, 14, 7],
  },
  coverage: { 'medical-assistant': 1 },
  staff: base.staff.map((member) =>
    member.name === 'Marcus Bell'
      ? { ...member, credentials: [{ kind: 'bls', expires: '2027-06-30' }] }
      : member,
  ),
};
const TODAY = '2026-11-30';

const credential = (overrides: Partial<Credential> = {}): Credential => ({
  reference: 'CR-1',
  holderKey: 'staff:ana-cruz',
  holderName: 'Ana Cruz',
  kind: 'bls',
  name: 'BLS/CPR',
  expires: '2026-12-10',
  number: undefined,
  ...overrides,
});

describe('expiry', () => {
  it('is valid through its expiry date and lapsed the day after', () => {
    expect(hasLapsed(credential(), '2026-12-10')).toBe(false);
    expect(hasLapsed(credential(), '2026-12-11')).toBe(true);
  });

  it('lists what lapses within 30 days or has lapsed, soonest first', () => {
    const list = listExpiring(
      [
        credential({ reference: 'CR-1', expires: '2027-01-01' }),
        credential({ reference: 'CR-2', expires: '2026-12-30' }),
        credential({ reference: 'CR-3', expires: '2026-11-01' }),
      ],
      TODAY,
    );
    expect(list.map((item) => item.reference)).toEqual(['CR-3', 'CR-2']);
  });

  it('reads a kind by id or name, without case or punctuation', () => {
    expect(findCredentialKind('BLS', office)?.id).toBe('bls');
    expect(findCredentialKind('rn license', office)?.id).toBe('rn-license');
    expect(findCredentialKind('RN-License', office)?.id).toBe('rn-license');
    expect(findCredentialKind('unicorn', office)).toBeUndefined();
  });
});

describe('findDueReminder', () => {
  const days = [90, 60, 30, 14, 7];
  it('names the closest reminder day reached, none before the first and none after the lapse', () => {
    const expires = '2026-12-31';
    expect(findDueReminder({ expires }, '2026-10-01', days)).toBeUndefined(); // 91 days ahead
    expect(findDueReminder({ expires }, '2026-10-02', days)).toBe(90);
    expect(findDueReminder({ expires }, '2026-12-01', days)).toBe(30);
    expect(findDueReminder({ expires }, '2026-12-31', days)).toBe(7);
    expect(findDueReminder({ expires }, '2027-01-01', days)).toBeUndefined();
  });

  it('never names a day that has not come, whatever the day', () => {
    fc.assert(
      fc.property(fc.integer({ min: -10, max: 200 }), (ahead) => {
        const expires = addDays(TODAY, ahead);
        const due = findDueReminder({ expires }, TODAY, days);
        if (due !== undefined) expect(addDays(expires, -due) <= TODAY).toBe(true);
        if (ahead >= 0 && ahead <= 90) expect(due).toBeDefined();
      }),
    );
  });
});

describe('credentials from office.yaml and /creds', () => {
  it('lets a /creds record of the same holder and kind supersede the one in office.yaml', () => {
    expect(mergeCredentials([], office).map((item) => [item.holderName, item.expires])).toEqual([
      ['Marcus Bell', '2027-06-30'],
    ]);
    const recorded = credential({
      holderKey: 'staff:marcus-bell',
      holderName: 'Marcus Bell',
      expires: '2028-06-30',
    });
    expect(mergeCredentials([recorded], office).map((item) => item.expires)).toEqual(['2028-06-30']);
  });
});

describe('coverage with lapsed credentials', () => {
  const lapsed = credential({ expires: '2026-11-20' });
  const anaLapsed = clearedBy([lapsed], office);

  it('matters to coverage only where some role requires a credential', () => {
    expect(credentialsAffectCoverage(office)).toBe(true);
    const kinds = office.credentials.kinds.map((kind) => ({ ...kind, requiredFor: [] }));
    expect(credentialsAffectCoverage({ credentials: { ...office.credentials, kinds } })).toBe(false);
    expect(credentialsAffectCoverage({ credentials: { ...office.credentials, kinds: [] } })).toBe(false);
  });

  it('keeps someone whose required credential lapsed out of the count, but not one never recorded', () => {
    expect(isCleared({ name: 'Ana Cruz' }, 'medical-assistant', TODAY, [lapsed], office)).toBe(false);
    expect(isCleared({ name: 'Ana Cruz' }, 'medical-assistant', '2026-11-20', [lapsed], office)).toBe(true);
    expect(isCleared({ name: 'Ana Cruz' }, 'front-desk', TODAY, [lapsed], office)).toBe(true);
    expect(isCleared({ name: 'Ana Cruz' }, 'medical-assistant', TODAY, [], office)).toBe(true);
    const renewed = credential({ reference: 'CR-2', expires: '2028-11-20' });
    expect(isCleared({ name: 'Ana Cruz' }, 'medical-assistant', TODAY, [lapsed, renewed], office)).toBe(true);
  });

  it('turns a role short in the huddle count when the only other one is out', () => {
    const marcusOut = [
      { name: 'Marcus Bell', role: 'medical-assistant', start: TODAY, end: TODAY, part: 'full' as const },
    ];
    expect(findRolesBelowCoverage(TODAY, marcusOut, office)).toEqual([]);
    expect(findRolesBelowCoverage(TODAY, marcusOut, office, anaLapsed)).toEqual([
      { role: 'medical-assistant', onDuty: 0, needed: 1, from: '08:00', until: '18:00' },
    ]);
  });

  it('does not ask someone to cover a role their lapsed credential is required for', () => {
    const ask = (cleared = clearedBy([], office)) =>
      findCoverCandidates({
        absentName: 'Marcus Bell',
        role: 'medical-assistant',
        day: TODAY,
        from: undefined,
        until: undefined,
        absences: [],
        covering: [],
        office,
        cleared,
      }).map((member) => member.name);
    expect(ask()).toContain('Ana Cruz');
    expect(ask(anaLapsed)).not.toContain('Ana Cruz');
  });
});
