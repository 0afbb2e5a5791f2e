import { DateTime } from 'luxon';
import type { OfficeConfig } from '../../config/office.ts';
import type { ComplaintResolutionRow, ComplaintRow } from '../../db/repositories/complaints.ts';
import {
  COMPLAINT_CATEGORY_LABELS,
  COMPLAINT_SEVERITY_LABELS,
  type ComplaintAbout,
  type ComplaintClockState,
  type ComplaintStatus,
  countComplaintAgeDays,
  isPastDueDay,
  readComplaintSettings,
} from '../../domain/complaints.ts';
import { formatDay, formatDayNamingYear, formatOfficeTime, getOfficeDay } from '../../domain/dates.ts';
import { formatReference } from '../../domain/references.ts';
import type { Button, Form, Message } from '../kernel/message.ts';
import { COMPLAINT_ACTIONS, COMPLAINT_FORMS } from './ids.ts';

/** Who a complaint is from, as forms and cards name it. */
export const COMPLAINT_ABOUT_LABELS: Record<ComplaintAbout, string> = {
  patient: 'Patient',
  visitor: 'Visitor',
  staff: 'Staff',
};

// The labels live in the domain so the monthly report names categories and severities the same way.
export { COMPLAINT_CATEGORY_LABELS, COMPLAINT_SEVERITY_LABELS };

/** States as cards, lists and refusals name them. */
export const COMPLAINT_STATUS_LABELS: Record<ComplaintStatus, string> = {
  new: 'new',
  acknowledged: 'acknowledged',
  resolved: 'resolved',
  reopened: 'reopened',
};

/** The row as the clocks and the routing see it: no text, no reporter. */
export function toComplaintClockState(row: ComplaintRow, zone: string): ComplaintClockState {
  return {
    reference: formatReference('CP', row.number),
    category: row.category,
    severity: row.severity,
    status: row.status,
    filedAt: DateTime.fromJSDate(row.createdAt).setZone(zone),
    ackDue: row.ackDueDay,
    resolveDue: row.resolveDueDay,
  };
}

/** `CP-3 · Clinical care · Urgent`: what anyone allowed to see the card may see. */
export function describeComplaintSummary(row: ComplaintRow): string {
  return `${formatReference('CP', row.number)} · ${COMPLAINT_CATEGORY_LABELS[row.category]} · ${COMPLAINT_SEVERITY_LABELS[row.severity]}`;
}

/** The reporter as cards and exports show them: the name, or `anonymous` for an anonymous staff complaint. */
export function describeReporter(row: Pick<ComplaintRow, 'anonymous' | 'reporterName'>): string {
  return row.anonymous ? 'anonymous' : row.reporterName;
}

/** `4 days`, `1 day`, `0 days`. */
export function describeAgeDays(days: number): string {
  return `${days} day${days === 1 ? '' : 's'}`;
}

/** `Tue Mar 10`, with `⚠️ overdue` once that day has passed. */
function describeDue(day: string, now: DateTime, zone: string): string {
  return `${formatDay(day, zone)}${isPastDueDay(day, now, zone) ? ' ⚠️ overdue' : ''}`;
}

function describeStatus(row: ComplaintRow, zone: string): string {
  const at = (date: Date | null) => (date ? ` on ${formatOfficeTime(date, zone)}` : '');
  switch (row.status) {
    case 'new':
      return `New · waiting for a manager to acknowledge it by ${formatDay(row.ackDueDay, zone)}`;
    case 'acknowledged':
      return `Acknowledged by ${row.ownerName ?? 'a manager'}${at(row.acknowledgedAt)}, who owns it`;
    case 'resolved':
      return `✅ Resolved by ${row.resolvedByName ?? 'a manager'}${at(row.resolvedAt)} · contacted: ${row.patientContacted ? 'yes' : 'no'}`;
    case 'reopened':
      return `↩️ Reopened by ${row.reopenedByName ?? 'a manager'}${at(row.reopenedAt)} · owner ${row.ownerName ?? 'nobody yet'}`;
  }
}

/**
 * The resolutions no longer in force: all of a reopened complaint's, all but the latest of a resolved one's
 * (its note names that one).
 */
function selectEarlierResolutions(
  row: ComplaintRow,
  resolutions: readonly ComplaintResolutionRow[],
): readonly ComplaintResolutionRow[] {
  return row.status === 'resolved' ? resolutions.slice(0, -1) : resolutions;
}

/**
 * One short line for the card: `Resolved before: Tue Nov 24 by Dana Reyes`, two such at most, else the
 * count and the last. Day and name only; what was done is in the details and the export.
 */
function describeEarlierResolutions(
  earlier: readonly ComplaintResolutionRow[],
  now: DateTime,
  zone: string,
): string | undefined {
  const today = getOfficeDay(now, zone);
  const describe = (resolution: ComplaintResolutionRow) =>
    `${formatDayNamingYear(getOfficeDay(DateTime.fromJSDate(resolution.resolvedAt), zone), today, zone)} by ${resolution.resolvedByName}`;
  const last = earlier.at(-1);
  if (!last) return undefined;
  if (earlier.length <= 2) return `Resolved before: ${earlier.map(describe).join('; ')}`;
  return `Resolved ${earlier.length} times before, last ${describe(last)}`;
}

function buildButtons(row: ComplaintRow): Button[] {
  const reference = formatReference('CP', row.number);
  const buttons: Button[] = [
    { label: 'View details', actionId: COMPLAINT_ACTIONS.details, value: reference },
  ];
  switch (row.status) {
    case 'new':
      buttons.push({
        label: 'Acknowledge',
        actionId: COMPLAINT_ACTIONS.acknowledge,
        value: reference,
        style: 'primary',
      });
      break;
    case 'acknowledged':
    case 'reopened':
      buttons.push({
        label: 'Resolve',
        actionId: COMPLAINT_ACTIONS.resolve,
        value: reference,
        style: 'primary',
      });
      break;
    case 'resolved':
      buttons.push({ label: 'Reopen', actionId: COMPLAINT_ACTIONS.reopen, value: reference });
      break;
  }
  return buttons;
}

/**
 * The complaints-channel card, minimum necessary: reference, category, severity, age, reporter (or
 * "anonymous"), state, owner, due days, and when and by whom it was resolved before it was reopened. The text
 * is on it only when `complaints.showDetailsInChannel`. `resolutions` is its history, oldest first: none for
 * a complaint just filed.
 */
export function buildComplaintCard(
  row: ComplaintRow,
  office: OfficeConfig,
  now: DateTime,
  resolutions: readonly ComplaintResolutionRow[] = [],
): Message {
  const zone = office.office.timezone;
  const reference = formatReference('CP', row.number);
  const category = COMPLAINT_CATEGORY_LABELS[row.category];
  const severity = COMPLAINT_SEVERITY_LABELS[row.severity];
  const open = row.status !== 'resolved';
  const age = countComplaintAgeDays(DateTime.fromJSDate(row.createdAt), now, zone);
  const details = readComplaintSettings(office).showDetailsInChannel
    ? [
        `What happened: ${row.description}`,
        ...(row.occurredWhen ? [`When: ${row.occurredWhen}`] : []),
        ...(row.desiredOutcome ? [`Outcome wanted: ${row.desiredOutcome}`] : []),
      ]
    : [];
  const before = describeEarlierResolutions(selectEarlierResolutions(row, resolutions), now, zone);
  const lines = [...details, ...(before ? [before] : [])];
  return {
    text: `Complaint ${reference}: ${category}, ${severity.toLowerCase()} — ${COMPLAINT_STATUS_LABELS[row.status]}`,
    title: `${row.severity === 'urgent' ? '🚨 ' : ''}Complaint ${reference} — ${category}`,
    fields: [
      { label: 'Severity', value: severity },
      { label: 'From', value: COMPLAINT_ABOUT_LABELS[row.about] },
      { label: 'Reporter', value: describeReporter(row) },
      { label: 'State', value: COMPLAINT_STATUS_LABELS[row.status] },
      { label: 'Filed', value: formatOfficeTime(row.createdAt, zone) },
      { label: 'Age', value: describeAgeDays(age) },
      { label: 'Owner', value: row.ownerName ?? 'nobody yet' },
      ...(row.status === 'new'
        ? [{ label: 'Acknowledge by', value: describeDue(row.ackDueDay, now, zone) }]
        : []),
      ...(open ? [{ label: 'Resolve by', value: describeDue(row.resolveDueDay, now, zone) }] : []),
      { label: 'Call back', value: row.wantsCallback ? 'wanted' : 'not asked for' },
    ],
    ...(lines.length > 0 ? { lines } : {}),
    buttons: buildButtons(row),
    note: describeStatus(row, zone),
  };
}

// A details view is one modal: a complaint reopened again and again shows its latest few resolutions whole.
const DETAILS_EARLIER_LIMIT = 5;

/** The resolutions before the latest, each with who, when and what was done; the oldest beyond the limit counted. */
function describeResolutionHistory(resolutions: readonly ComplaintResolutionRow[], zone: string): string[] {
  const earlier = resolutions.slice(0, -1);
  if (earlier.length === 0) return [];
  const shown = earlier.slice(-DETAILS_EARLIER_LIMIT);
  const left = earlier.length - shown.length;
  const contacted = (value: boolean | null) =>
    value === null ? '' : ` · contacted: ${value ? 'yes' : 'no'}`;
  return [
    `Resolved before (${earlier.length}):`,
    ...(left > 0 ? [`(${left} older in /complaint export)`] : []),
    ...shown.flatMap((resolution) => [
      `${formatOfficeTime(resolution.resolvedAt, zone)} by ${resolution.resolvedByName}${contacted(resolution.patientContacted)}`,
      resolution.resolution,
    ]),
  ];
}

/**
 * Everything about a complaint, for a manager's details view: the only place its text is shown by default.
 * `resolutions` is its history, oldest first; the latest is the complaint's own.
 */
export function buildComplaintDetailsForm(
  row: ComplaintRow,
  office: OfficeConfig,
  now: DateTime,
  resolutions: readonly ComplaintResolutionRow[],
): Form {
  const zone = office.office.timezone;
  const reference = formatReference('CP', row.number);
  const age = countComplaintAgeDays(DateTime.fromJSDate(row.createdAt), now, zone);
  const lines = [
    `${describeComplaintSummary(row)} · ${COMPLAINT_STATUS_LABELS[row.status]}`,
    `From: ${COMPLAINT_ABOUT_LABELS[row.about]} · Reporter: ${row.anonymous ? 'anonymous to the team' : row.reporterName}`,
    `Filed ${formatOfficeTime(row.createdAt, zone)} (${describeAgeDays(age)} ago) · Owner: ${row.ownerName ?? 'nobody yet'}`,
    `Acknowledge by ${formatDay(row.ackDueDay, zone)} · Resolve by ${formatDay(row.resolveDueDay, zone)}`,
    row.wantsCallback
      ? `Call back wanted: yes — ${[row.callbackName, row.callbackPhone].filter(Boolean).join(', ') || 'no contact given'}`
      : 'Call back wanted: no',
    ...(row.occurredWhen ? [`When it happened: ${row.occurredWhen}`] : []),
    'What happened:',
    row.description,
    ...(row.desiredOutcome ? ['Outcome wanted:', row.desiredOutcome] : []),
    ...(row.resolution !== null
      ? [
          `Resolved by ${row.resolvedByName ?? 'a manager'}${row.resolvedAt ? ` on ${formatOfficeTime(row.resolvedAt, zone)}` : ''} · contacted: ${row.patientContacted ? 'yes' : 'no'}`,
          'Resolution:',
          row.resolution,
        ]
      : []),
    ...(row.reopenCount > 0
      ? [
          `Reopened ${row.reopenCount === 1 ? 'once' : `${row.reopenCount} times`}, last by ${row.reopenedByName ?? 'a manager'}`,
        ]
      : []),
    ...describeResolutionHistory(resolutions, zone),
  ];
  return { formId: COMPLAINT_FORMS.details, title: `Complaint ${reference}`, lines, inputs: [] };
}

/** The direct message an urgent or privacy complaint sends the moment it is filed: no text, no reporter. */
export function buildComplaintAlert(row: ComplaintRow, office: OfficeConfig): Message {
  const zone = office.office.timezone;
  const reference = formatReference('CP', row.number);
  // An alert redrawn after its reporter refined an urgent complaint to a lower severity no longer says urgent.
  const [icon, kind] =
    row.category === 'privacy'
      ? ['🔒 ', 'Privacy complaint']
      : row.severity === 'urgent'
        ? ['🚨 ', 'Urgent complaint']
        : ['', 'Complaint'];
  return {
    text: `${kind} ${reference} was just logged`,
    title: `${icon}${kind} ${reference}`,
    lines: [
      `${describeComplaintSummary(row)} · from a ${COMPLAINT_ABOUT_LABELS[row.about].toLowerCase()}`,
      `Acknowledge it by ${formatDay(row.ackDueDay, zone)}. Its card is in the complaints channel; View details shows the rest.`,
    ],
    buttons: buildButtons(row),
    ...(row.status === 'new' ? {} : { note: describeStatus(row, zone) }),
  };
}
