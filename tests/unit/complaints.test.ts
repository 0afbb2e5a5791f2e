import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { parseDocument } from 'yaml';
import { ConfigError } from '../../src/config/config-error.ts';
import { parseOfficeConfig } from '../../src/config/office.ts';
import {
  COMPLAINT_DEFAULTS,
  type ComplaintClockState,
  type ComplaintStatus,
  type ComplaintStep,
  canHandleComplaint,
  checkComplaintStep,
  computeComplaintDueDays,
  countComplaintAgeDays,
  findOverdueClock,
  findPrivacyOfficer,
  isPastDueDay,
  readComplaintSettings,
  selectComplaintAlertRecipients,
  selectOverdueComplaints,
} from '../../src/domain/complaints.ts';
import { resolvePerson } from '../../src/domain/people.ts';
import { buildOfficeConfig, readExampleOfficeYaml } from '../helpers/office.ts';

const office = buildOfficeConfig(); // holidays include Thu 2026-11-26 and Fri 2026-12-25
const zone = office.office.timezone;
const at = (iso: string) => DateTime.fromISO(iso, { zone });

function buildComplaint(overrides: Partial<ComplaintClockState> = {}): ComplaintClockState {
  return {
    reference: 'CP-1',
    category: 'other',
    severity: 'medium',
    status: 'new',
    filedAt: at('2026-03-06T12:00'), // Fri
    ackDue: '2026-03-10',
    resolveDue: '2026-04-17',
    ...overrides,
  };
}

describe('checkComplaintStep', () => {
  const allowed: [ComplaintStatus, ComplaintStep, ComplaintStatus][] = [
    ['new', 'acknowledge', 'acknowledged'],
    ['acknowledged', 'resolve', 'resolved'],
    ['reopened', 'resolve', 'resolved'],
    ['resolved', 'reopen', 'reopened'],
  ];
  it.each(allowed)('allows %s → %s, leading to %s', (status, step, to) => {
    expect(checkComplaintStep(status, step)).toEqual({ ok: true, to });
  });

  const refused: [ComplaintStatus, ComplaintStep, string][] = [
    ['acknowledged', 'acknowledge', 'already_acknowledged'],
    ['reopened', 'acknowledge', 'already_acknowledged'],
    ['resolved', 'acknowledge', 'already_resolved'],
    ['new', 'resolve', 'not_acknowledged'],
    ['resolved', 'resolve', 'already_resolved'],
    ['new', 'reopen', 'not_resolved'],
    ['acknowledged', 'reopen', 'not_resolved'],
    ['reopened', 'reopen', 'not_resolved'],
  ];
  it.each(refused)('refuses %s → %s as %s', (status, step, reason) => {
    expect(checkComplaintStep(status, step)).toEqual({ ok: false, reason });
  });
});

describe('computeComplaintDueDays', () => {
  it('gives 2 business days to acknowledge and 30 to resolve by default', () => {
    expect(computeComplaintDueDays(at('2026-03-06T12:00'), office)).toEqual({
      ackDue: '2026-03-10', // Fri → Tue
      resolveDue: '2026-04-17', // six working weeks later, a Fri
    });
  });

  it('counts from the office day of filing, not the UTC day', () => {
    const lateFriday = DateTime.fromISO('2026-03-07T04:30Z'); // Fri 11:30 PM in New York
    expect(computeComplaintDueDays(lateFriday, office).ackDue).toBe('2026-03-10');
  });

  it('uses the configured clocks', () => {
    const quick = { ...office, complaints: { ...COMPLAINT_DEFAULTS, ackDays: 1, resolveDays: 5 } };
    expect(computeComplaintDueDays(at('2026-11-25T09:00'), quick)).toEqual({
      ackDue: '2026-11-27', // Wed → Fri, Thanksgiving skipped
      resolveDue: '2026-12-03', // Fri, Mon, Tue, Wed, Thu
    });
  });
});

describe('isPastDueDay', () => {
  it('runs the clock to the end of the due day', () => {
    expect(isPastDueDay('2026-03-10', at('2026-03-10T23:59'), zone)).toBe(false); // Tue
    expect(isPastDueDay('2026-03-10', at('2026-03-11T00:00'), zone)).toBe(true); // Wed
  });
});

describe('countComplaintAgeDays', () => {
  it('counts calendar days since the office day of filing', () => {
    expect(countComplaintAgeDays(at('2026-03-06T12:00'), at('2026-03-06T17:00'), zone)).toBe(0);
    expect(countComplaintAgeDays(at('2026-03-06T23:00'), at('2026-03-07T01:00'), zone)).toBe(1);
    expect(countComplaintAgeDays(at('2026-03-06T12:00'), at('2026-03-16T09:00'), zone)).toBe(10);
  });
});

describe('findOverdueClock', () => {
  const wednesday = at('2026-03-11T10:00'); // the day after the acknowledgement day
  const afterResolveDay = at('2026-04-20T10:00'); // Mon after the resolution day

  it('flags a new complaint past its acknowledgement day', () => {
    expect(findOverdueClock(buildComplaint(), wednesday, zone)).toEqual({
      clock: 'acknowledgement',
      dueDay: '2026-03-10',
    });
  });

  it('leaves a new complaint alone on its acknowledgement day', () => {
    expect(findOverdueClock(buildComplaint(), at('2026-03-10T17:00'), zone)).toBeUndefined();
  });

  it('stops the acknowledgement clock once acknowledged', () => {
    expect(findOverdueClock(buildComplaint({ status: 'acknowledged' }), wednesday, zone)).toBeUndefined();
  });

  it.each(['acknowledged', 'reopened'] as const)('flags a %s complaint past its resolution day', (status) => {
    expect(findOverdueClock(buildComplaint({ status }), afterResolveDay, zone)).toEqual({
      clock: 'resolution',
      dueDay: '2026-04-17',
    });
  });

  it('reports the acknowledgement clock first for a new complaint past both days', () => {
    expect(findOverdueClock(buildComplaint(), afterResolveDay, zone)?.clock).toBe('acknowledgement');
  });

  it('never flags a resolved complaint', () => {
    expect(findOverdueClock(buildComplaint({ status: 'resolved' }), afterResolveDay, zone)).toBeUndefined();
  });
});

describe('selectOverdueComplaints', () => {
  it('keeps the overdue ones, oldest first, with their clock and age', () => {
    const now = at('2026-03-16T10:00'); // Mon
    const selected = selectOverdueComplaints(
      [
        buildComplaint({ reference: 'CP-3', filedAt: at('2026-03-09T09:00'), ackDue: '2026-03-11' }),
        buildComplaint({ reference: 'CP-2', status: 'acknowledged' }),
        buildComplaint({ reference: 'CP-1' }),
        buildComplaint({ reference: 'CP-4', filedAt: at('2026-03-13T09:00'), ackDue: '2026-03-17' }),
      ],
      now,
      zone,
    );
    expect(selected.map((item) => [item.reference, item.clock, item.ageDays])).toEqual([
      ['CP-1', 'acknowledgement', 10],
      ['CP-3', 'acknowledgement', 7],
    ]);
  });
});

describe('canHandleComplaint', () => {
  const withOfficer = { ...office, complaints: { ...COMPLAINT_DEFAULTS, privacyOfficer: 'Grace Kim' } };
  const dana = resolvePerson(office, 'slack', 'U0DANA'); // manager
  const grace = resolvePerson(office, 'slack', 'U0GRACE'); // nurse
  const sam = resolvePerson(office, 'slack', 'U0SAM'); // front desk

  it('lets every manager handle any complaint', () => {
    expect(canHandleComplaint(dana, { category: 'billing' }, withOfficer)).toBe(true);
  });

  it('refuses other staff', () => {
    expect(canHandleComplaint(sam, { category: 'privacy' }, withOfficer)).toBe(false);
  });

  it('lets the privacy officer handle privacy complaints only', () => {
    expect(canHandleComplaint(grace, { category: 'privacy' }, withOfficer)).toBe(true);
    expect(canHandleComplaint(grace, { category: 'billing' }, withOfficer)).toBe(false);
    expect(canHandleComplaint(grace, { category: 'privacy' }, office)).toBe(false);
  });

  it('does not take a look-alike chat user for the privacy officer', () => {
    const impostor = resolvePerson(office, 'slack', 'U0NOBODY', 'Grace Kim');
    expect(canHandleComplaint(impostor, { category: 'privacy' }, withOfficer)).toBe(false);
  });
});

describe('selectComplaintAlertRecipients', () => {
  const names = (list: { name: string }[]) => list.map((member) => member.name);
  const withOfficer = { ...office, complaints: { ...COMPLAINT_DEFAULTS, privacyOfficer: 'grace kim' } };

  it('alerts nobody for an ordinary complaint', () => {
    expect(selectComplaintAlertRecipients({ category: 'billing', severity: 'high' }, withOfficer)).toEqual(
      [],
    );
  });

  it('alerts every manager for an urgent one', () => {
    expect(
      names(selectComplaintAlertRecipients({ category: 'billing', severity: 'urgent' }, withOfficer)),
    ).toEqual(['Dana Reyes', 'Dr. Omar Haddad']);
  });

  it('alerts every manager and the privacy officer for a privacy one', () => {
    expect(
      names(selectComplaintAlertRecipients({ category: 'privacy', severity: 'low' }, withOfficer)),
    ).toEqual(['Dana Reyes', 'Dr. Omar Haddad', 'Grace Kim']);
    expect(names(selectComplaintAlertRecipients({ category: 'privacy', severity: 'low' }, office))).toEqual([
      'Dana Reyes',
      'Dr. Omar Haddad',
    ]);
  });

  it('alerts a privacy officer who is also a manager once', () => {
    const managerOfficer = { ...office, complaints: { ...COMPLAINT_DEFAULTS, privacyOfficer: 'Dana Reyes' } };
    expect(
      names(selectComplaintAlertRecipients({ category: 'privacy', severity: 'urgent' }, managerOfficer)),
    ).toEqual(['Dana Reyes', 'Dr. Omar Haddad']);
  });
});

describe('office config complaints section', () => {
  /** The example office with its `complaints` section replaced (or removed, for `undefined`). */
  const withSection = (section: Record<string, unknown> | undefined) => {
    const document = parseDocument(readExampleOfficeYaml());
    if (section) document.set('complaints', section);
    else document.delete('complaints');
    return document.toString();
  };

  it('defaults when the section is missing', () => {
    const parsed = parseOfficeConfig(withSection(undefined), 'office.yaml');
    expect(readComplaintSettings(parsed)).toEqual({
      ackDays: 2,
      resolveDays: 30,
      showDetailsInChannel: false,
    });
  });

  it('fills the keys that are left out', () => {
    const parsed = parseOfficeConfig(withSection({ ackDays: 3, privacyOfficer: 'Grace Kim' }), 'office.yaml');
    expect(readComplaintSettings(parsed)).toEqual({
      ackDays: 3,
      resolveDays: 30,
      showDetailsInChannel: false,
      privacyOfficer: 'Grace Kim',
    });
    expect(findPrivacyOfficer(parsed)?.name).toBe('Grace Kim');
  });

  it('refuses a privacy officer who is not on the staff list', () => {
    expect(() => parseOfficeConfig(withSection({ privacyOfficer: 'Pat Nobody' }), 'office.yaml')).toThrow(
      new ConfigError(
        'office.yaml: complaints.privacyOfficer: Pat Nobody is not in staff; use a name exactly as the staff list has it',
      ),
    );
  });

  it('refuses a resolution clock shorter than the acknowledgement clock', () => {
    expect(() => parseOfficeConfig(withSection({ ackDays: 5, resolveDays: 3 }), 'office.yaml')).toThrow(
      /complaints\.resolveDays: must be at least ackDays \(5\)/,
    );
  });

  it('refuses an unknown key', () => {
    expect(() => parseOfficeConfig(withSection({ ackdays: 5 }), 'office.yaml')).toThrow(/complaints/);
  });
});
