import type { OfficeConfig } from '../../config/office.ts';
import type { Db } from '../../db/client.ts';
import { listActiveCallOutsBetween } from '../../db/repositories/call-outs.ts';
import { loadCredentialsInForce } from '../../db/repositories/credentials.ts';
import { listTimeOffBetween, type TimeOffRow } from '../../db/repositories/time-off.ts';
import type { IsoDay } from '../../domain/dates.ts';
import { formatReference } from '../../domain/references.ts';
import type { HandlerContext } from '../kernel/context.ts';
import type { Effect, Message } from '../kernel/message.ts';
import { type LeaveFacts, loadLeaveFacts } from './balances.ts';
import { buildTimeOffCard } from './card.ts';

/** The pending requests touching `first`…`last` (but `except`), their cards redrawn as the database stands. */
async function redrawPendingCards(
  first: IsoDay,
  last: IsoDay,
  ctx: HandlerContext,
  except?: TimeOffRow,
): Promise<Effect[]> {
  const pending = await listTimeOffBetween(ctx.db, ctx.officeId, first, last, ['pending']);
  const effects: Effect[] = [];
  for (const row of pending) {
    if (row.id === except?.id) continue;
    effects.push({
      kind: 'update',
      cardKey: formatReference('TO', row.number),
      message: await loadTimeOffCard(ctx.db, ctx.office, row),
    });
  }
  return effects;
}

/**
 * The other pending cards for overlapping days, redrawn: their coverage warnings and "Also asking" lines
 * change whenever a request for those days is filed, decided, cancelled or withdrawn.
 */
export function refreshOverlappingCards(row: TimeOffRow, ctx: HandlerContext): Promise<Effect[]> {
  return redrawPendingCards(row.startDay, row.endDay, ctx, row);
}

/** The pending cards of requests touching `day`, redrawn after a call-out there changed coverage. */
export function refreshCardsForDay(day: IsoDay, ctx: HandlerContext): Promise<Effect[]> {
  return redrawPendingCards(day, day, ctx);
}

/**
 * A request's card as the database stands: the requester's requests of the years it touches and everyone
 * else's overlapping ones are read here, all at once. A caller that has just read the requester's leave
 * facts (filing does) passes them, with the new request among their rows.
 */
export async function loadTimeOffCard(
  db: Db,
  office: OfficeConfig,
  row: TimeOffRow,
  leave?: LeaveFacts,
): Promise<Message> {
  const [facts, everyone, callOuts, credentials] = await Promise.all([
    leave ??
      loadLeaveFacts(
        db,
        office,
        row.requesterKey,
        Number(row.startDay.slice(0, 4)),
        Number(row.endDay.slice(0, 4)),
      ),
    listTimeOffBetween(db, office.office.id, row.startDay, row.endDay),
    listActiveCallOutsBetween(db, office.office.id, row.startDay, row.endDay),
    loadCredentialsInForce(db, office),
  ]);
  const overlapping = everyone.filter(
    (other) => other.id !== row.id && other.requesterKey !== row.requesterKey,
  );
  return buildTimeOffCard(office, row, { leave: facts, overlapping, callOuts, credentials });
}
