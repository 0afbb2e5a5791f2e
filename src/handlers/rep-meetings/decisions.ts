import { cancelRepMeeting, getRepMeeting, type RepMeetingRow } from '../../db/repositories/rep-meetings.ts';
import { managerNames, NOTHING_CHANGED } from '../kernel/copy.ts';
import type { Effect } from '../kernel/message.ts';
import type { RequestKind, Step } from '../kernel/workflow.ts';
import { describeRep, describeVisitTime } from './card.ts';

export const repVisitKind: RequestKind<RepMeetingRow> = {
  prefix: 'RM',
  noun: 'rep visit',
  referenceNoun: 'rep visit',
  example: 'RM-5',
  load: (ctx, number) => getRepMeeting(ctx.db, ctx.officeId, number),
};

/** Its booker or a manager cancels a visit before it starts; the slot opens again. */
export const cancel: Step<RepMeetingRow> = {
  authorise: ({ row, reference }, { actor, office }) =>
    row.bookerKey === actor.key || actor.isManager
      ? undefined
      : `${reference} was booked by ${row.bookerName}; only they or ${managerNames(office)} can cancel it. ${NOTHING_CHANGED}`,
  check({ row, reference }, { now, zone }) {
    if (row.status === 'cancelled') {
      return `${reference} was already cancelled by ${row.cancelledByName ?? 'someone'}. ${NOTHING_CHANGED}`;
    }
    if (row.slotStart <= now.toJSDate()) {
      return `${reference} (${describeVisitTime(row, zone)}) has already started or passed. ${NOTHING_CHANGED}`;
    }
    return undefined;
  },
  apply: ({ row }, _values, { actor, db, now }) =>
    cancelRepMeeting(db, { id: row.id, byName: actor.name, at: now.toJSDate() }),
  async finish({ row: cancelled, reference }, _before, _values, { actor, zone }) {
    const when = describeVisitTime(cancelled, zone);
    const told = `${actor.name} cancelled your rep visit ${reference} (${when}, ${describeRep(cancelled)}).`;
    const effects: Effect[] =
      cancelled.bookerKey === actor.key
        ? []
        : [
            {
              kind: 'dm',
              to: { platform: cancelled.bookerPlatform, userId: cancelled.bookerUserId },
              message: { text: told, lines: [told, 'Please let the rep know.'] },
            },
          ];
    return {
      audit: { action: 'reps.cancelled' },
      reply: { text: `Cancelled ${reference} (${when}, ${describeRep(cancelled)}). The slot is open again.` },
      effects,
    };
  },
};
