import { listBookedRepMeetingsWithProvider } from '../../db/repositories/rep-meetings.ts';
import type { TimeOffRow } from '../../db/repositories/time-off.ts';
import { findVisitsDuringTimeOff } from '../../domain/rep-meetings.ts';
import type { HandlerContext } from '../kernel/context.ts';
import type { Effect } from '../kernel/message.ts';
import { describeRep, describeVisitTime, formatRepReference } from './card.ts';

/**
 * When a provider's time off is approved, each booker of a visit that expects them on those days gets a
 * direct message, so the rep can be told or the visit moved before anyone travels.
 */
export async function flagRepVisitsForTimeOff(ctx: HandlerContext, timeOff: TimeOffRow): Promise<Effect[]> {
  const { db, now, officeId, zone } = ctx;
  const rows = (
    await listBookedRepMeetingsWithProvider(
      db,
      officeId,
      timeOff.requesterKey,
      timeOff.startDay,
      timeOff.endDay,
    )
  ).filter((row) => row.slotStart > now.toJSDate());
  const affected = new Set(
    findVisitsDuringTimeOff(
      rows.map((row) => ({
        reference: formatRepReference(row),
        day: row.slotDay,
        time: row.slotTime,
        repName: row.repName,
        company: row.company,
        providerKeys: row.providerKeys,
      })),
      { personKey: timeOff.requesterKey, start: timeOff.startDay, end: timeOff.endDay, part: timeOff.part },
    ).map((visit) => visit.reference),
  );
  return rows
    .filter((row) => affected.has(formatRepReference(row)))
    .map((row): Effect => {
      const reference = formatRepReference(row);
      const text = `${timeOff.requesterName} will be off for your rep visit ${reference} (${describeVisitTime(row, zone)}, ${describeRep(row)}).`;
      return {
        kind: 'dm',
        to: { platform: row.bookerPlatform, userId: row.bookerUserId },
        message: {
          text,
          lines: [
            text,
            `Their time off was just approved, and the visit lists them as expected. Let the rep know, or cancel with /reps cancel ${reference}.`,
          ],
        },
      };
    });
}
