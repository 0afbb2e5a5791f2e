import {
  type CallOutRow,
  cancelCallOut as cancelStored,
  listCoverAsks,
} from '../../db/repositories/call-outs.ts';
import { formatDay, getOfficeDay } from '../../domain/dates.ts';
import { findStaffByKey, listManagers, staffKey } from '../../domain/people.ts';
import { NOTHING_CHANGED } from '../kernel/copy.ts';
import { listRecipients } from '../kernel/jobs.ts';
import type { Effect } from '../kernel/message.ts';
import { relationTo, type Step } from '../kernel/workflow.ts';
import { describeCallOutWhen, describePerson } from './card.ts';
import { redrawAsks, redrawConfirmCards, redrawEscalations } from './cover.ts';

/**
 * `/out cancel CO-3`: the person or a manager, before the day is over. The managers, the person (when
 * someone else cancels) and whoever offered to cover are told; the asks lose their buttons.
 */
export const cancel: Step<CallOutRow> = {
  authorise: ({ row, reference }, ctx) =>
    relationTo(row.personKey, ctx.actor) === 'other'
      ? `Only ${row.personName} or a manager can cancel ${reference}. ${NOTHING_CHANGED}`
      : undefined,
  check({ row, reference }, ctx) {
    if (row.status === 'cancelled')
      return `${reference} was already cancelled by ${row.cancelledByName ?? 'someone'}. ${NOTHING_CHANGED}`;
    if (row.day < getOfficeDay(ctx.now, ctx.zone))
      return `${reference} was for ${formatDay(row.day, ctx.zone)}, which has passed. ${NOTHING_CHANGED}`;
    return undefined;
  },
  apply: ({ row }, _values, ctx) =>
    cancelStored(ctx.db, { id: row.id, byName: ctx.actor.name, at: ctx.now.toJSDate() }),
  async finish({ row, reference }, before, _values, ctx) {
    const who = describePerson(row.personName, row.personRole);
    const when = describeCallOutWhen(row, ctx.zone);
    const text = `${reference} cancelled by ${ctx.actor.name}: ${who} is in after all, ${when}.`;
    const told = new Set<string>();
    const effects: Effect[] = [];
    const tell = (key: string | null, message: string) => {
      const member = key ? findStaffByKey(ctx.office, key) : undefined;
      if (!member || key === ctx.actor.key || told.has(key ?? '')) return;
      told.add(key ?? '');
      for (const to of listRecipients(member)) effects.push({ kind: 'dm', to, message: { text: message } });
    };
    tell(row.personKey, `${ctx.actor.name} cancelled your call-out ${reference} (${when}).`);
    if (before.coverState === 'offered' || before.coverState === 'confirmed')
      tell(
        row.coverKey,
        `You are no longer needed to cover ${reference}: ${row.personName} is in after all. Thank you!`,
      );
    // A manager told above (the person, or who offered to cover) gets that message only.
    for (const manager of listManagers(ctx.office))
      if (staffKey(manager) !== ctx.actor.key && !told.has(staffKey(manager)))
        for (const to of listRecipients(manager)) effects.push({ kind: 'dm', to, message: { text } });
    const asks = await listCoverAsks(ctx.db, row.id);
    return {
      audit: { action: 'callout.cancelled' },
      reply: { text: `Cancelled ${reference}: ${who}, ${when}. The managers have been told.` },
      effects: [
        ...effects,
        ...redrawAsks(row, asks, ctx),
        ...(before.coverState === 'offered' || before.coverState === 'confirmed'
          ? redrawConfirmCards(row, ctx)
          : []),
        ...redrawEscalations(row, asks, ctx),
        ...(await ctx.publish({ kind: 'callout.changed', day: row.day, personKey: row.personKey })),
      ],
    };
  },
};
