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

/**
 * What every card for `first`…`last` reads besides its requester's leave: everyone's pending and approved
 * requests on those days, the call-outs and the credentials in force, sent together.
 */
export async function readDaysFacts(
  db: Db,
  office: OfficeConfig,
  first: IsoDay,
  last: IsoDay,
): Promise<DaysFacts> {
  const [requests, callOuts, credentials] = await Promise.all([
    listTimeOffBetween(db, office.office.id, first, last),
    listActiveCallOutsBetween(db, office.office.id, first, last),
    loadCredentialsInForce(db, office),
  ]);
  return { requests, callOuts, credentials };
}

/** Everyone's requests, call-outs and credentials on a span of days (`readDaysFacts`). */
export interface DaysFacts {
  requests: readonly TimeOffRow[];
  callOuts: Awaited<ReturnType<typeof listActiveCallOutsBetween>>;
  credentials: Awaited<ReturnType<typeof loadCredentialsInForce>>;
}

/** A request's card from facts already read: `days` must span the request's days. */
export function drawTimeOffCard(
  office: OfficeConfig,
  row: TimeOffRow,
  leave: LeaveFacts,
  days: DaysFacts,
): Message {
  const overlapping = days.requests.filter(
    (other) =>
      other.id !== row.id &&
      other.requesterKey !== row.requesterKey &&
      other.startDay <= row.endDay &&
      other.endDay >= row.startDay,
  );
  const callOuts = days.callOuts.filter(
    (callOut) => callOut.day >= row.startDay && callOut.day <= row.endDay,
  );
  return buildTimeOffCard(office, row, { leave, overlapping, callOuts, credentials: days.credentials });
}

/**
 * The pending requests touching `first`…`last` (but `except`), their cards redrawn as the database stands;
 * every card's reads are sent at once.
 */
async function redrawPendingCards(
  first: IsoDay,
  last: IsoDay,
  ctx: HandlerContext,
  except?: TimeOffRow,
): Promise<Effect[]> {
  const pending = await listTimeOffBetween(ctx.db, ctx.officeId, first, last, ['pending']);
  return redrawCards(
    pending.filter((row) => row.id !== except?.id),
    ctx,
  );
}

/** Each row's card, redrawn as an update, with all their reads sent together. */
export function redrawCards(rows: readonly TimeOffRow[], ctx: HandlerContext): Promise<Effect[]> {
  return Promise.all(
    rows.map(async (row) => ({
      kind: 'update' as const,
      cardKey: formatReference('TO', row.number),
      message: await loadTimeOffCard(ctx.db, ctx.office, row),
    })),
  );
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
 * else's overlapping ones are read here, all at once.
 */
export async function loadTimeOffCard(db: Db, office: OfficeConfig, row: TimeOffRow): Promise<Message> {
  const [leave, days] = await Promise.all([
    loadLeaveFacts(
      db,
      office,
      row.requesterKey,
      Number(row.startDay.slice(0, 4)),
      Number(row.endDay.slice(0, 4)),
    ),
    readDaysFacts(db, office, row.startDay, row.endDay),
  ]);
  return drawTimeOffCard(office, row, leave, days);
}
