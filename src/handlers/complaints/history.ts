import type { Db } from '../../db/client.ts';
import { type ComplaintResolutionRow, listComplaintResolutions } from '../../db/repositories/complaints.ts';

/** Each complaint's resolutions by complaint id, oldest first; a complaint never resolved has no entry. */
export function groupResolutions(
  rows: readonly ComplaintResolutionRow[],
): Map<number, ComplaintResolutionRow[]> {
  const byComplaint = new Map<number, ComplaintResolutionRow[]>();
  for (const row of [...rows].sort((a, b) => a.complaintId - b.complaintId || a.round - b.round)) {
    const history = byComplaint.get(row.complaintId) ?? [];
    history.push(row);
    byComplaint.set(row.complaintId, history);
  }
  return byComplaint;
}

/** The resolutions of these complaints (by id), grouped as `groupResolutions` does. */
export async function loadResolutionHistory(
  db: Db,
  complaintIds: readonly number[],
): Promise<Map<number, ComplaintResolutionRow[]>> {
  return groupResolutions(await listComplaintResolutions(db, complaintIds));
}
