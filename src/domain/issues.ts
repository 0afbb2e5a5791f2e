import { DateTime } from 'luxon';
import { addWorkingDays, type OfficeCalendar } from './calendar.ts';
import { hasVisibleText } from './visible-text.ts';

/** What a team issue is about, as the form offers it. */
export const ISSUE_CATEGORIES = ['equipment', 'it', 'facilities', 'safety', 'supplies', 'other'] as const;
export type IssueCategory = (typeof ISSUE_CATEGORIES)[number];

export const ISSUE_CATEGORY_LABELS: Record<IssueCategory, string> = {
  equipment: 'Equipment',
  it: 'IT',
  facilities: 'Facilities',
  safety: 'Safety',
  supplies: 'Supplies',
  other: 'Other',
};

/** open: nobody owns it yet; taken: someone owns it; done: finished, off the digest. */
export type IssueStatus = 'open' | 'taken' | 'done';

/** Characters an issue's text may have: a card read at a glance, not a report. */
export const MAX_ISSUE_TEXT = 500;
/** Characters of the note left when an issue is done. */
export const MAX_ISSUE_NOTE = 300;

/** Working days an issue may wait untaken before the managers are told. */
export const ISSUE_UNTAKEN_WORKING_DAYS = 1;

export type IssueTextCheck =
  | { ok: true; text: string }
  | { ok: false; reason: 'empty' }
  | { ok: false; reason: 'too_long'; length: number };

/** The text of a new issue, trimmed; empty (nothing visible) or longer than MAX_ISSUE_TEXT is refused. */
export function checkIssueText(text: string): IssueTextCheck {
  const trimmed = text.trim();
  if (!hasVisibleText(trimmed)) return { ok: false, reason: 'empty' };
  if (trimmed.length > MAX_ISSUE_TEXT) return { ok: false, reason: 'too_long', length: trimmed.length };
  return { ok: true, text: trimmed };
}

/** The state of an issue that the rules read. */
export interface IssueState {
  status: IssueStatus;
  ownerKey: string | null;
}

export type IssueStepRefusal = 'already_taken' | 'already_done' | 'not_owner';

/** Whether `Take it` may be pressed: only on an issue nobody owns yet and that is not done. */
export function checkIssueTake(issue: IssueState): IssueStepRefusal | undefined {
  if (issue.status === 'done') return 'already_done';
  if (issue.status === 'taken') return 'already_taken';
  return undefined;
}

/** Who may mark an issue done: its owner or a manager (a manager may close one nobody took). */
export function authoriseIssueDone(
  issue: IssueState,
  actor: { key: string; isManager: boolean },
): IssueStepRefusal | undefined {
  return actor.isManager || (issue.ownerKey !== null && issue.ownerKey === actor.key)
    ? undefined
    : 'not_owner';
}

/** Whether `Done` may be pressed: not on an issue already done. */
export function checkIssueDone(issue: IssueState): IssueStepRefusal | undefined {
  return issue.status === 'done' ? 'already_done' : undefined;
}

/**
 * When an untaken issue is flagged to the managers: the same time of day, one working day (office workdays,
 * not holidays) after the office day it was filed on. Filed on a Friday afternoon, it is flagged on Monday
 * afternoon; filed on a Saturday, on Monday at that time.
 */
export function computeIssueFlagDue(filedAt: DateTime, office: OfficeCalendar, zone: string): DateTime {
  const filed = filedAt.setZone(zone);
  const day = addWorkingDays(filed.toISODate() ?? '', ISSUE_UNTAKEN_WORKING_DAYS, office);
  return DateTime.fromISO(day, { zone }).set({
    hour: filed.hour,
    minute: filed.minute,
    second: filed.second,
    millisecond: filed.millisecond,
  });
}

/** Whole office days since the issue was filed: 0 on the day it was filed. */
export function countIssueAgeDays(filedAt: DateTime, now: DateTime, zone: string): number {
  const filed = filedAt.setZone(zone).startOf('day');
  const today = now.setZone(zone).startOf('day');
  return Math.max(0, Math.round(today.diff(filed, 'days').days));
}

/** `filed today`, `1 day old`, `4 days old`. */
export function describeIssueAge(days: number): string {
  if (days === 0) return 'filed today';
  return `${days} day${days === 1 ? '' : 's'} old`;
}
