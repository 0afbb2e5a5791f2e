import type { DateTime } from 'luxon';
import { COMPLAINT_DEFAULTS, type OfficeConfig, type StaffMember } from '../config/office.ts';
import { addWorkingDays } from './calendar.ts';
import { getOfficeDay, type IsoDay, listDays } from './dates.ts';
import type { DigestSection } from './digest.ts';
import { listManagers, type Person, slugifyName } from './people.ts';

/** Who the complaint comes from. */
export const COMPLAINT_ABOUTS = ['patient', 'visitor', 'staff'] as const;
/** A patient, a visitor or staff. */
export type ComplaintAbout = (typeof COMPLAINT_ABOUTS)[number];

/** What the complaint is about; `privacy` covers HIPAA concerns and alerts every manager and the privacy officer. */
export const COMPLAINT_CATEGORIES = [
  'wait_time',
  'billing',
  'staff_conduct',
  'clinical_care',
  'communication',
  'facility',
  'privacy',
  'other',
] as const;
/** One of COMPLAINT_CATEGORIES. */
export type ComplaintCategory = (typeof COMPLAINT_CATEGORIES)[number];

/** How serious it is; `urgent` alerts every manager at once. */
export const COMPLAINT_SEVERITIES = ['low', 'medium', 'high', 'urgent'] as const;
/** One of COMPLAINT_SEVERITIES. */
export type ComplaintSeverity = (typeof COMPLAINT_SEVERITIES)[number];

/** Where a complaint stands: new → acknowledged → resolved, and resolved → reopened → resolved. */
export type ComplaintStatus = 'new' | 'acknowledged' | 'resolved' | 'reopened';

/** What a manager can do to a complaint with its card's buttons. */
export type ComplaintStep = 'acknowledge' | 'resolve' | 'reopen';

/** Why a step was refused: the complaint is not in a state that step starts from. */
export type ComplaintStepRefusal =
  | 'already_acknowledged'
  | 'not_acknowledged'
  | 'already_resolved'
  | 'not_resolved';

/** A step is allowed (and leads to `to`), or refused with a reason. */
export type ComplaintStepCheck =
  | { ok: true; to: ComplaintStatus }
  | { ok: false; reason: ComplaintStepRefusal };

/** The clock a complaint has run over: acknowledgement while new, resolution until resolved. */
export type ComplaintClock = 'acknowledgement' | 'resolution';

/** Business-day clocks and privacy routing, from `complaints` in the office config. */
export interface ComplaintSettings {
  ackDays: number;
  resolveDays: number;
  showDetailsInChannel: boolean;
  privacyOfficer?: string | undefined;
}

/** A complaint as the clocks and the routing see it: never its text, never its reporter. */
export interface ComplaintClockState {
  reference: string;
  category: ComplaintCategory;
  severity: ComplaintSeverity;
  status: ComplaintStatus;
  filedAt: DateTime;
  ackDue: IsoDay;
  resolveDue: IsoDay;
}

/** The most characters the text of a complaint may have, typed or in the form. */
export const MAX_COMPLAINT_TEXT = 3000;

// The defaults live with the config schema that applies them; re-exported beside readComplaintSettings.
export { COMPLAINT_DEFAULTS };

/** Categories as forms and cards name them. */
export const COMPLAINT_CATEGORY_LABELS: Record<ComplaintCategory, string> = {
  wait_time: 'Wait time',
  billing: 'Billing',
  staff_conduct: 'Staff conduct',
  clinical_care: 'Clinical care',
  communication: 'Communication',
  facility: 'Facility',
  privacy: 'Privacy / HIPAA',
  other: 'Other',
};

/** Severities as forms and cards name them. */
export const COMPLAINT_SEVERITY_LABELS: Record<ComplaintSeverity, string> = {
  low: 'Low',
  medium: 'Medium',
  high: 'High',
  urgent: 'Urgent',
};

/** The statuses each step starts from; the repository changes a row only while it is still in one of them. */
export const COMPLAINT_STEP_FROM: Readonly<Record<ComplaintStep, readonly ComplaintStatus[]>> = {
  acknowledge: ['new'],
  resolve: ['acknowledged', 'reopened'],
  reopen: ['resolved'],
};

const STEP_TO: Readonly<Record<ComplaintStep, ComplaintStatus>> = {
  acknowledge: 'acknowledged',
  resolve: 'resolved',
  reopen: 'reopened',
};

/** The office's complaint settings; an office without a `complaints` section gets the defaults. */
export function readComplaintSettings(office: Pick<OfficeConfig, 'complaints'>): ComplaintSettings {
  return office.complaints ?? COMPLAINT_DEFAULTS;
}

/**
 * Whether `step` may be taken from `status`: acknowledge only a new complaint, resolve only an
 * acknowledged (or reopened) one, so every resolved complaint has had an owner, and reopen only a resolved one.
 */
export function checkComplaintStep(status: ComplaintStatus, step: ComplaintStep): ComplaintStepCheck {
  if (COMPLAINT_STEP_FROM[step].includes(status)) return { ok: true, to: STEP_TO[step] };
  switch (step) {
    case 'acknowledge':
      return { ok: false, reason: status === 'resolved' ? 'already_resolved' : 'already_acknowledged' };
    case 'resolve':
      return { ok: false, reason: status === 'new' ? 'not_acknowledged' : 'already_resolved' };
    case 'reopen':
      return { ok: false, reason: 'not_resolved' };
  }
}

/**
 * The last day to acknowledge and to resolve a complaint filed at `filedAt`: `ackDays` and `resolveDays`
 * working days after the office day it was filed on (a complaint filed on a weekend starts counting on the
 * next working day). A clock runs until the end of its due day.
 */
export function computeComplaintDueDays(
  filedAt: DateTime,
  office: Pick<OfficeConfig, 'office' | 'timeoff' | 'complaints'>,
): { ackDue: IsoDay; resolveDue: IsoDay } {
  const settings = readComplaintSettings(office);
  const filedDay = getOfficeDay(filedAt, office.office.timezone);
  return {
    ackDue: addWorkingDays(filedDay, settings.ackDays, office),
    resolveDue: addWorkingDays(filedDay, settings.resolveDays, office),
  };
}

/** Whole calendar days since the office day a complaint was filed on: 0 on the day itself. */
export function countComplaintAgeDays(filedAt: DateTime, now: DateTime, zone: string): number {
  const filedDay = getOfficeDay(filedAt, zone);
  const today = getOfficeDay(now, zone);
  return Math.max(0, listDays(filedDay, today).length - 1);
}

/** A clock runs until the end of its due day: it is over from the next office day on. */
export function isPastDueDay(dueDay: IsoDay, now: DateTime, zone: string): boolean {
  return getOfficeDay(now, zone) > dueDay;
}

/**
 * The clock a complaint has run over on the office day of `now`, if any: acknowledgement when it is still
 * new after its acknowledgement day, otherwise resolution when it is still open after its resolution day.
 */
export function findOverdueClock(
  complaint: Pick<ComplaintClockState, 'status' | 'ackDue' | 'resolveDue'>,
  now: DateTime,
  zone: string,
): { clock: ComplaintClock; dueDay: IsoDay } | undefined {
  if (complaint.status === 'new' && isPastDueDay(complaint.ackDue, now, zone)) {
    return { clock: 'acknowledgement', dueDay: complaint.ackDue };
  }
  if (complaint.status !== 'resolved' && isPastDueDay(complaint.resolveDue, now, zone)) {
    return { clock: 'resolution', dueDay: complaint.resolveDue };
  }
  return undefined;
}

/** The open complaints past a clock, oldest first, each with the clock it ran over and its age in days. */
export function selectOverdueComplaints<T extends ComplaintClockState>(
  complaints: readonly T[],
  now: DateTime,
  zone: string,
): (T & { clock: ComplaintClock; dueDay: IsoDay; ageDays: number })[] {
  return complaints
    .flatMap((complaint) => {
      const overdue = findOverdueClock(complaint, now, zone);
      return overdue
        ? [{ ...complaint, ...overdue, ageDays: countComplaintAgeDays(complaint.filedAt, now, zone) }]
        : [];
    })
    .sort((a, b) => a.filedAt.toMillis() - b.filedAt.toMillis());
}

/** The staff member named as `complaints.privacyOfficer`, if one is configured. */
export function findPrivacyOfficer(
  office: Pick<OfficeConfig, 'staff' | 'complaints'>,
): StaffMember | undefined {
  const name = readComplaintSettings(office).privacyOfficer;
  if (name === undefined) return undefined;
  return office.staff.find((member) => slugifyName(member.name) === slugifyName(name));
}

/**
 * Who may read and act on a complaint: every manager, and the privacy officer for privacy complaints.
 * Decided from the office config each time, never from what a button carried.
 */
export function canHandleComplaint(
  person: Pick<Person, 'key' | 'isManager'>,
  complaint: Pick<ComplaintClockState, 'category'>,
  office: Pick<OfficeConfig, 'staff' | 'complaints'>,
): boolean {
  if (person.isManager) return true;
  const officer = findPrivacyOfficer(office);
  return complaint.category === 'privacy' && officer !== undefined && person.key === staffKey(officer);
}

/**
 * Who is messaged the moment a complaint is filed: every manager for an urgent or a privacy complaint,
 * and the privacy officer too for a privacy one; nobody for the rest (the complaints channel has them).
 */
export function selectComplaintAlertRecipients(
  complaint: Pick<ComplaintClockState, 'category' | 'severity'>,
  office: Pick<OfficeConfig, 'staff' | 'complaints'>,
): StaffMember[] {
  const privacy = complaint.category === 'privacy';
  if (!privacy && complaint.severity !== 'urgent') return [];
  const recipients = [...listManagers(office)];
  const officer = privacy ? findPrivacyOfficer(office) : undefined;
  if (officer && !recipients.some((member) => member.name === officer.name)) recipients.push(officer);
  return recipients;
}

function staffKey(member: StaffMember): string {
  return `staff:${slugifyName(member.name)}`;
}

/** The huddle's complaints line: how many are open, and the overdue ones by reference and age only, never text. */
export function describeComplaintSection(complaints: {
  open: number;
  overdue: readonly { reference: string; ageDays: number }[];
}): DigestSection {
  if (complaints.open === 0 && complaints.overdue.length === 0) return { heading: 'Complaints', lines: [] };
  const overdue = complaints.overdue.map(
    (item) => `${item.reference} (${item.ageDays} ${item.ageDays === 1 ? 'day' : 'days'})`,
  );
  return {
    heading: 'Complaints',
    lines: [
      `${complaints.open} open${overdue.length > 0 ? `, ${overdue.length} overdue: ${overdue.join(', ')}` : ''}`,
    ],
  };
}
