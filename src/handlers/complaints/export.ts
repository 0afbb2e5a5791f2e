import type { ComplaintResolutionRow, ComplaintRow } from '../../db/repositories/complaints.ts';
import { formatReference } from '../../domain/references.ts';
import { formatCsvInstant } from '../kernel/csv.ts';
import { describeReporter } from './card.ts';

/**
 * The quality log's columns: each clock's due day beside the time it was met. A reopened complaint keeps its
 * last resolution, and says how often and when it was reopened: its status is `reopened` until resolved again.
 * `resolutions` holds every resolution it was given, oldest first, one per line; columns are only ever added
 * at the end, as spreadsheets and tests read them by position.
 */
export const COMPLAINT_EXPORT_HEADER = [
  'reference',
  'filed',
  'from',
  'category',
  'severity',
  'status',
  'reporter',
  'owner',
  'acknowledge_by',
  'acknowledged',
  'resolve_by',
  'resolved',
  'resolved_by',
  'contacted',
  'call_back',
  'call_back_name',
  'call_back_phone',
  'when',
  'what_happened',
  'outcome_wanted',
  'resolution',
  'reopened',
  'reopened_last',
  'reopened_by',
  'resolutions',
] as const;

/** `2026-11-30T14:05 Dana Reyes (contacted: yes): Refunded`, a line per resolution, oldest first. */
function describeResolutions(resolutions: readonly ComplaintResolutionRow[], zone: string): string {
  return resolutions
    .map((resolution) => {
      const contacted =
        resolution.patientContacted === null
          ? ''
          : ` (contacted: ${resolution.patientContacted ? 'yes' : 'no'})`;
      return `${formatCsvInstant(resolution.resolvedAt, zone)} ${resolution.resolvedByName}${contacted}: ${resolution.resolution}`;
    })
    .join('\n');
}

/**
 * The quality-log rows, oldest first, times in the office zone, anonymous reporters as `anonymous`, every
 * text whole (the file is for managers only, and never a chat message). `resolutions`: each complaint's by
 * its id, oldest first.
 */
export function buildComplaintRows(
  rows: readonly ComplaintRow[],
  resolutions: ReadonlyMap<number, readonly ComplaintResolutionRow[]>,
  zone: string,
): string[][] {
  return [...rows]
    .sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime() || a.number - b.number)
    .map((row) => [
      formatReference('CP', row.number),
      formatCsvInstant(row.createdAt, zone),
      row.about,
      row.category,
      row.severity,
      row.status,
      describeReporter(row),
      row.ownerName ?? '',
      row.ackDueDay,
      formatCsvInstant(row.acknowledgedAt, zone),
      row.resolveDueDay,
      formatCsvInstant(row.resolvedAt, zone),
      row.resolvedByName ?? '',
      row.patientContacted === null ? '' : row.patientContacted ? 'yes' : 'no',
      row.wantsCallback ? 'yes' : 'no',
      row.callbackName,
      row.callbackPhone,
      row.occurredWhen,
      row.description,
      row.desiredOutcome,
      row.resolution ?? '',
      String(row.reopenCount),
      formatCsvInstant(row.reopenedAt, zone),
      row.reopenedByName ?? '',
      describeResolutions(resolutions.get(row.id) ?? [], zone),
    ]);
}
