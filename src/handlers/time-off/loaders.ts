import type { OfficeConfig } from '../../config/office.ts';
import type { Db } from '../../db/client.ts';
import { listActiveCallOutsBetween } from '../../db/repositories/call-outs.ts';
import { loadCredentialsInForce } from '../../db/repositories/credentials.ts';
import { getTimeOffRequest, listTimeOffBetween, type TimeOffRow } from '../../db/repositories/time-off.ts';
import type { IsoDay } from '../../domain/dates.ts';
import { formatReference, parseReference } from '../../domain/references.ts';
import type { HandlerContext } from '../kernel/context.ts';
import type { JobContext } from '../kernel/jobs.ts';
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

/** Asks for the cards of `rows` to be redrawn once the change commits (`redrawTimeOffCard` draws them). */
export function askRedraws(rows: readonly TimeOffRow[]): Effect[] {
  return rows.map((row) => ({ kind: 'redraw', cardKey: formatReference('TO', row.number) }));
}

/**
 * The other pending cards for overlapping days, asked to be redrawn: their coverage warnings and "Also
 * asking" lines change whenever a request for those days is filed, decided, cancelled or withdrawn.
 */
export async function refreshOverlappingCards(row: TimeOffRow, ctx: HandlerContext): Promise<Effect[]> {
  const pending = await listTimeOffBetween(ctx.db, ctx.officeId, row.startDay, row.endDay, ['pending']);
  return askRedraws(pending.filter((other) => other.id !== row.id));
}

/** The pending cards of requests touching `day`, asked to be redrawn after a call-out there changed coverage. */
export async function refreshCardsForDay(day: IsoDay, ctx: HandlerContext): Promise<Effect[]> {
  return askRedraws(await listTimeOffBetween(ctx.db, ctx.officeId, day, day, ['pending']));
}

/**
 * A pending request's card, redrawn as the database now stands; a decided one is left as its decision drew
 * it. The request is locked while it is drawn, so a decision committed meanwhile comes after this update.
 */
export async function redrawTimeOffCard(cardKey: string, ctx: JobContext): Promise<Effect[]> {
  const number = parseReference(cardKey, 'TO');
  const row =
    number === undefined
      ? undefined
      : await getTimeOffRequest(ctx.db, ctx.office.office.id, number, { forShare: true });
  if (row?.status !== 'pending') return [];
  return [{ kind: 'update', cardKey, message: await loadTimeOffCard(ctx.db, ctx.office, row) }];
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
