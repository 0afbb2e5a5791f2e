import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import {
  authoriseIssueDone,
  checkIssueDone,
  checkIssueTake,
  checkIssueText,
  computeIssueFlagDue,
  countIssueAgeDays,
  describeIssueAge,
  MAX_ISSUE_TEXT,
} from '../../src/domain/issues.ts';
import { buildOfficeConfig } from '../helpers/office.ts';

const office = buildOfficeConfig(); // holidays include Thu 2026-11-26 and Fri 2026-12-25
const zone = office.office.timezone;
const at = (iso: string) => DateTime.fromISO(iso, { zone });

describe('checkIssueText', () => {
  it('trims the text and accepts it', () => {
    expect(checkIssueText('  printer jams  ')).toEqual({ ok: true, text: 'printer jams' });
  });

  it('refuses empty or blank text', () => {
    expect(checkIssueText('   ')).toEqual({ ok: false, reason: 'empty' });
  });

  it('refuses text with nothing visible in it as empty', () => {
    for (const text of ['\u0007\u0001\u001b', '\u200b\u200b\u200d', '\u202e\u00ad\u2060', '\u00ad'])
      expect(checkIssueText(text)).toEqual({ ok: false, reason: 'empty' });
  });

  it('accepts exactly the cap and refuses one character more, with the length', () => {
    expect(checkIssueText('x'.repeat(MAX_ISSUE_TEXT)).ok).toBe(true);
    expect(checkIssueText('x'.repeat(MAX_ISSUE_TEXT + 1))).toEqual({
      ok: false,
      reason: 'too_long',
      length: MAX_ISSUE_TEXT + 1,
    });
  });
});

describe('checkIssueTake', () => {
  it('allows taking an open issue only', () => {
    expect(checkIssueTake({ status: 'open', ownerKey: null })).toBeUndefined();
    expect(checkIssueTake({ status: 'taken', ownerKey: 'staff:sam-lee' })).toBe('already_taken');
    expect(checkIssueTake({ status: 'done', ownerKey: null })).toBe('already_done');
  });
});

describe('authoriseIssueDone', () => {
  const taken = { status: 'taken' as const, ownerKey: 'staff:ana-cruz' };

  it('lets the owner and any manager mark it done', () => {
    expect(authoriseIssueDone(taken, { key: 'staff:ana-cruz', isManager: false })).toBeUndefined();
    expect(authoriseIssueDone(taken, { key: 'staff:dana-reyes', isManager: true })).toBeUndefined();
  });

  it('refuses anyone else, and everyone but managers on an issue nobody owns', () => {
    expect(authoriseIssueDone(taken, { key: 'staff:sam-lee', isManager: false })).toBe('not_owner');
    expect(
      authoriseIssueDone({ status: 'open', ownerKey: null }, { key: 'staff:sam-lee', isManager: false }),
    ).toBe('not_owner');
  });
});

describe('checkIssueDone', () => {
  it('refuses an issue already done', () => {
    expect(checkIssueDone({ status: 'done', ownerKey: 'staff:ana-cruz' })).toBe('already_done');
    expect(checkIssueDone({ status: 'taken', ownerKey: 'staff:ana-cruz' })).toBeUndefined();
  });
});

describe('computeIssueFlagDue', () => {
  it('is the same time on the next working day', () => {
    expect(computeIssueFlagDue(at('2026-11-30T09:15'), office, zone).toISO()).toBe(
      at('2026-12-01T09:15').toISO(), // Mon → Tue
    );
  });

  it('skips the weekend and holidays', () => {
    // Fri → Mon
    expect(computeIssueFlagDue(at('2026-12-04T16:00'), office, zone).toISO()).toBe(
      at('2026-12-07T16:00').toISO(),
    );
    // Wed → Fri, Thanksgiving Thu Nov 26 is a holiday
    expect(computeIssueFlagDue(at('2026-11-25T10:00'), office, zone).toISO()).toBe(
      at('2026-11-27T10:00').toISO(),
    );
  });

  it('counts from the next working day when filed on a weekend', () => {
    // Sat → Mon
    expect(computeIssueFlagDue(at('2026-12-05T11:00'), office, zone).toISO()).toBe(
      at('2026-12-07T11:00').toISO(),
    );
  });

  it('keeps the office time across a DST change', () => {
    // Fri Oct 30 → Mon Nov 2, after clocks go back on Sun Nov 1
    expect(computeIssueFlagDue(at('2026-10-30T09:00'), office, zone).toFormat('yyyy-MM-dd HH:mm')).toBe(
      '2026-11-02 09:00',
    );
  });
});

describe('countIssueAgeDays', () => {
  it('counts office days, 0 on the day it was filed', () => {
    expect(countIssueAgeDays(at('2026-11-30T17:59'), at('2026-11-30T18:00'), zone)).toBe(0);
    expect(countIssueAgeDays(at('2026-11-30T23:00'), at('2026-12-01T00:30'), zone)).toBe(1);
    expect(describeIssueAge(0)).toBe('filed today');
    expect(describeIssueAge(1)).toBe('1 day old');
    expect(describeIssueAge(3)).toBe('3 days old');
  });
});
