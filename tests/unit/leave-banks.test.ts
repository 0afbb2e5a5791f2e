import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type LeavePolicy, type OfficeConfig, parseOfficeConfig } from '../../src/config/office.ts';
import {
  computeBankBalance,
  computeCarryOver,
  computeEntitlement,
  describeLeaveType,
  findLeaveBank,
  type LeaveUse,
  listLeaveBanks,
  listLeaveTypes,
} from '../../src/domain/leave-banks.ts';
import { buildOfficeConfig, readExampleOfficeYaml } from '../helpers/office.ts';

const policies: LeavePolicy[] = [
  {
    type: 'vacation',
    tracked: true,
    allowanceDays: 15,
    carryOver: { maxDays: 5, expires: '03-31' },
    tenure: [
      { years: 5, extraDays: 3 },
      { years: 10, extraDays: 5 },
    ],
  },
  { type: 'sick', tracked: true, accrual: { perMonth: 1 }, cap: 8 },
  { type: 'jury-duty', name: 'Jury service', tracked: false },
];
const base = buildOfficeConfig();
const office: OfficeConfig = { ...base, timeoff: { ...base.timeoff, policies } };
const vacation = findLeaveBank('vacation', office);
const sick = findLeaveBank('sick', office);
const full = (start: string, end = start, status: LeaveUse['status'] = 'approved'): LeaveUse => ({
  start,
  end,
  part: 'full',
  status,
});

describe('leave types and banks', () => {
  it('adds the office’s own types with their names, and keeps the shared bank for types without a policy', () => {
    expect(listLeaveTypes(office)).toEqual([
      'vacation',
      'sick',
      'personal',
      'education',
      'other',
      'jury-duty',
    ]);
    expect(describeLeaveType('jury-duty', office)).toBe('Jury service');
    expect(findLeaveBank('personal', office).id).toBe('shared');
    expect(findLeaveBank('jury-duty', office).tracked).toBe(false);
    expect(listLeaveBanks(office).map((bank) => bank.id)).toEqual(['vacation', 'sick', 'shared']);
  });

  it('puts every type in one bank without policies, as before', () => {
    expect(listLeaveBanks(base).map((bank) => bank.id)).toEqual(['shared']);
    expect(findLeaveBank('sick', base).id).toBe('shared');
  });
});

describe('computeEntitlement', () => {
  it('grants the yearly allowance, prorated by the months left from a start date that year, to the half day', () => {
    const entitled = (startDate?: string) =>
      computeEntitlement({
        bank: vacation,
        member: startDate ? { startDate } : undefined,
        year: 2026,
        asOf: '2026-12-31',
        office,
      });
    expect(entitled()).toBe(15);
    expect(entitled('2026-07-01')).toBe(7.5); // 6 of 12 months
    expect(entitled('2026-10-15')).toBe(4); // 3 of 12 months: 3.75, to the nearest half day
    expect(entitled('2027-02-01')).toBe(0);
  });

  it('adds the tenure step reached by the day', () => {
    const entitled = (asOf: string) =>
      computeEntitlement({ bank: vacation, member: { startDate: '2016-06-01' }, year: 2026, asOf, office });
    expect(entitled('2026-05-31')).toBe(18); // 9 full years
    expect(entitled('2026-06-01')).toBe(20); // 10 years
  });

  it('accrues by month, each month from its first day, from the start month', () => {
    const accrued = (asOf: string, startDate?: string) =>
      computeEntitlement({
        bank: sick,
        member: startDate ? { startDate } : undefined,
        year: 2026,
        asOf,
        office,
      });
    expect(accrued('2026-01-01')).toBe(1);
    expect(accrued('2026-03-15')).toBe(3);
    expect(accrued('2026-12-31')).toBe(12);
    expect(accrued('2026-03-15', '2026-03-10')).toBe(1);
    expect(accrued('2026-02-01', '2026-03-10')).toBe(0);
  });

  it('accrues a tenure step reached mid-year only for the months from then on', () => {
    const withTenure: OfficeConfig = {
      ...office,
      timeoff: {
        ...office.timeoff,
        policies: [
          { type: 'sick', tracked: true, accrual: { perMonth: 1 }, tenure: [{ years: 5, extraDays: 12 }] },
        ],
      },
    };
    const accrued = (asOf: string) =>
      computeEntitlement({
        bank: findLeaveBank('sick', withTenure),
        member: { startDate: '2021-07-15' },
        year: 2026,
        asOf,
        office: withTenure,
      });
    expect(accrued('2026-06-30')).toBe(6); // January to June, before five years
    expect(accrued('2026-07-31')).toBe(7); // July began before the anniversary on the 15th
    expect(accrued('2026-08-01')).toBe(9); // August is the first month with the extra day
    expect(accrued('2026-12-31')).toBe(17); // 12 months, and 5 of them with the extra day
  });

  it('never grants more by an earlier day than by a later one (accrual and tenure only grow)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 364 }), fc.integer({ min: 0, max: 364 }), (a, b) => {
        const day = (offset: number) => new Date(Date.UTC(2026, 0, 1 + offset)).toISOString().slice(0, 10);
        const [early, late] = a <= b ? [day(a), day(b)] : [day(b), day(a)];
        for (const bank of [vacation, sick]) {
          const at = (asOf: string) =>
            computeEntitlement({ bank, member: { startDate: '2021-04-20' }, year: 2026, asOf, office });
          expect(at(early)).toBeLessThanOrEqual(at(late));
        }
      }),
    );
  });
});

describe('computeBankBalance', () => {
  const balance = (params: Partial<Parameters<typeof computeBankBalance>[0]>) =>
    computeBankBalance({
      bank: vacation,
      member: undefined,
      year: 2026,
      asOf: '2026-06-01',
      uses: [],
      carried: 0,
      adjusted: 0,
      office,
      ...params,
    });

  it('takes approved and pending days apart, on the person’s own workdays', () => {
    const week = [full('2026-06-01', '2026-06-05'), full('2026-06-08', '2026-06-08', 'pending')];
    expect(balance({ uses: week })).toMatchObject({ available: 15, approved: 5, pending: 1, remaining: 9 });
    const partTime = balance({ uses: week, member: { workdays: ['mon', 'wed'] } });
    expect(partTime).toMatchObject({ approved: 2, pending: 1, remaining: 12 });
  });

  it('counts only the year’s own days of a request across New Year', () => {
    const newYear = [full('2026-12-28', '2027-01-05')];
    expect(balance({ uses: newYear }).approved).toBe(4); // Mon Dec 28 – Thu Dec 31
    expect(balance({ uses: newYear, year: 2027, asOf: '2027-01-05' }).approved).toBe(2); // Jan 1 is a holiday
  });

  it('lets carried-over days be used until they expire, then keeps only what was used by then', () => {
    const early = [full('2026-03-02', '2026-03-03')];
    expect(balance({ carried: 5, asOf: '2026-03-15', uses: early })).toMatchObject({
      available: 20,
      carried: 5,
    });
    expect(balance({ carried: 5, asOf: '2026-04-01', uses: early })).toMatchObject({
      available: 17,
      carried: 2,
      remaining: 15,
    });
    expect(balance({ carried: 5, asOf: '2026-04-01', uses: [full('2026-05-04')] })).toMatchObject({
      carried: 0,
    });
  });

  it('holds no more than the cap, and adds adjustments after it', () => {
    expect(balance({ bank: sick, asOf: '2026-12-01' }).available).toBe(8);
    expect(balance({ bank: sick, asOf: '2026-12-01', adjusted: 1 }).available).toBe(9);
    expect(balance({ bank: sick, asOf: '2026-03-01', adjusted: -0.5 }).available).toBe(2.5);
  });

  it('credits an accrual up to the cap on what the bank holds, so leave taken makes room again', () => {
    // 1 a month, cap 8: full by August, nothing in September; 5 days in September make room for Oct–Dec.
    const september = [full('2026-09-14', '2026-09-18')];
    expect(balance({ bank: sick, asOf: '2026-09-30', uses: september })).toMatchObject({
      available: 8,
      remaining: 3,
    });
    expect(balance({ bank: sick, asOf: '2026-12-01', uses: september })).toMatchObject({
      available: 11,
      remaining: 6,
    });
    // Leave taken in June, before the bank is full, keeps every month's accrual.
    expect(
      balance({ bank: sick, asOf: '2026-12-01', uses: [full('2026-06-08', '2026-06-12')] }),
    ).toMatchObject({ available: 12, remaining: 7 });
  });
});

describe('computeCarryOver', () => {
  it('carries up to maxDays, lapses the rest, and carries nothing from an overdrawn bank', () => {
    expect(computeCarryOver(7, vacation)).toEqual({ carried: 5, forfeited: 2 });
    expect(computeCarryOver(3, vacation)).toEqual({ carried: 3, forfeited: 0 });
    expect(computeCarryOver(-2, vacation)).toEqual({ carried: 0, forfeited: 0 });
    expect(computeCarryOver(4, sick)).toEqual({ carried: 0, forfeited: 4 });
  });

  it('never carries more than what was left or more than the maximum', () => {
    fc.assert(
      fc.property(fc.integer({ min: -40, max: 80 }), (halves) => {
        const left = halves / 2;
        const { carried, forfeited } = computeCarryOver(left, vacation);
        expect(carried).toBeLessThanOrEqual(5);
        expect(carried + forfeited).toBe(Math.max(0, left));
      }),
    );
  });
});

describe('policies in office.yaml', () => {
  const withPolicies = (yaml: string) =>
    parseOfficeConfig(
      readExampleOfficeYaml().replace('  allowanceDays: 15\n', `  allowanceDays: 15\n  policies:\n${yaml}`),
      'office.yaml',
    );

  it('reads policies with their defaults', () => {
    const parsed = withPolicies(
      '    - { type: sick, allowanceDays: 5 }\n    - { type: jury-duty, tracked: false }\n',
    );
    expect(parsed.timeoff.policies).toEqual([
      { type: 'sick', tracked: true, allowanceDays: 5 },
      { type: 'jury-duty', tracked: false },
    ]);
  });

  it.each([
    [
      '    - { type: sick, allowanceDays: 5, accrual: { perMonth: 1 } }\n',
      'timeoff.policies.0.accrual: use either allowanceDays or accrual, not both',
    ],
    [
      '    - { type: vacation, allowanceDays: 15, cap: 4, carryOver: { maxDays: 5 } }\n',
      'timeoff.policies.0.carryOver.maxDays: is larger than the cap (4)',
    ],
    [
      '    - { type: sick }\n',
      'timeoff.policies.0.allowanceDays: is missing (give allowanceDays or accrual, or tracked: false)',
    ],
    [
      '    - { type: sick, allowanceDays: 5 }\n    - { type: sick, allowanceDays: 6 }\n',
      'timeoff.policies.1.type: sick has two policies',
    ],
    [
      '    - { type: vacation, allowanceDays: 15, carryOver: { maxDays: 5, expires: "02-30" } }\n',
      'timeoff.policies.0.carryOver.expires: expected a real day',
    ],
    ['    - { type: sick, allowanceDays: -1 }\n', 'timeoff.policies.0.allowanceDays:'],
  ])('stops start-up with one line naming the key for %j', (yaml, message) => {
    expect(() => withPolicies(yaml)).toThrow(message);
  });

  it('refuses a person’s allowance for a type the office does not have', () => {
    const yaml = readExampleOfficeYaml().replace(
      '{ name: Sam Lee, slack: U0SAM, role: front-desk }',
      '{ name: Sam Lee, slack: U0SAM, role: front-desk, allowances: { holiday: 3 } }',
    );
    expect(() => parseOfficeConfig(yaml, 'office.yaml')).toThrow(
      'office.yaml: staff.1.allowances.holiday: is not a leave type (use vacation, sick, personal, education, other)',
    );
  });

  it.each([
    [
      '',
      '{ education: 3 }',
      'staff.1.allowances.education: shares timeoff.allowanceDays with the other types; set the person’s allowance as allowances.vacation',
    ],
    [
      '    - { type: vacation, allowanceDays: 15 }\n',
      '{ personal: 3 }',
      'staff.1.allowances.personal: has no policy of its own, so it shares timeoff.allowanceDays; give it a policy to set a person’s own',
    ],
    [
      '    - { type: jury-duty, tracked: false }\n',
      '{ jury-duty: 3 }',
      'staff.1.allowances.jury-duty: is not counted against a balance (tracked: false)',
    ],
  ])(
    'refuses a person’s allowance that would change nothing (policies %j, %s)',
    (policies, allowances, message) => {
      const yaml = readExampleOfficeYaml()
        .replace(
          '  allowanceDays: 15\n',
          policies ? `  allowanceDays: 15\n  policies:\n${policies}` : '  allowanceDays: 15\n',
        )
        .replace(
          '{ name: Sam Lee, slack: U0SAM, role: front-desk }',
          `{ name: Sam Lee, slack: U0SAM, role: front-desk, allowances: ${allowances} }`,
        );
      expect(() => parseOfficeConfig(yaml, 'office.yaml')).toThrow(message);
    },
  );

  it('takes a person’s vacation allowance for the shared bank only while vacation draws from it', () => {
    const member = { allowances: { vacation: 20 } };
    const shared = (withPolicies: LeavePolicy[]) =>
      computeEntitlement({
        bank: findLeaveBank('personal', { timeoff: { ...base.timeoff, policies: withPolicies } }),
        member,
        year: 2026,
        asOf: '2026-12-31',
        office: { timeoff: { ...base.timeoff, policies: withPolicies } },
      });
    expect(shared([])).toBe(20);
    expect(shared(policies)).toBe(15);
  });

  it('still reads the example file without policies', () => {
    expect(
      parseOfficeConfig(readExampleOfficeYaml(), 'office.example.yaml').timeoff.policies,
    ).toBeUndefined();
  });
});
