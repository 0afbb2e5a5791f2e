import type { OfficeConfig } from '../../config/office.ts';
import type { Db } from '../../db/client.ts';
import { listActiveCallOutsBetween } from '../../db/repositories/call-outs.ts';
import { loadCredentialsForCoverage } from '../../db/repositories/credentials.ts';
import { listLeaveRecords } from '../../db/repositories/leave.ts';
import {
  type DaySpan,
  listPendingTimeOffOf,
  listPendingTimeOffRequests,
  listTimeOffBetween,
  listTimeOffByNumbers,
  listTimeOffOfPersonAndOnSpans,
  listTimeOffOnSpans,
  type TimeOffRow,
} from '../../db/repositories/time-off.ts';
import { isKindRequiredForCoverage } from '../../domain/credentials.ts';
import { getOfficeDay, type IsoDay } from '../../domain/dates.ts';
import { formatReference, parseReference } from '../../domain/references.ts';
import type { HandlerContext } from '../kernel/context.ts';
import type { JobContext } from '../kernel/jobs.ts';
import type { Effect, Message } from '../kernel/message.ts';
import { assembleLeaveFacts, type LeaveFacts, loadLeaveFactsOf } from './balances.ts';
import { buildTimeOffCard } from './card.ts';

/**
 * What every card for the days of `spans` reads besides its requester's leave: everyone's pending and
 * approved requests on those days, the call-outs and, where a role requires one, the credentials in force,
 * sent together.
 */
export async function readDaysFacts(
  db: Db,
  office: OfficeConfig,
  spans: readonly DaySpan[],
): Promise<DaysFacts> {
  const days = spans.flatMap((span) => [span.first, span.last]).sort();
  const [requests, callOuts, credentials] = await Promise.all([
    listTimeOffOnSpans(db, office.office.id, spans),
    listActiveCallOutsBetween(db, office.office.id, days[0] ?? '', days.at(-1) ?? ''),
    loadCredentialsForCoverage(db, office),
  ]);
  return { requests, callOuts, credentials };
}

/**
 * What a filing reads besides its lock, sent together: the person's leave facts for `fromYear`…`toYear`
 * (`loadLeaveFacts`) and the facts of `span` for its card (`readDaysFacts`), with the person's requests
 * and everyone's on those days in one statement.
 */
export async function readFilingFacts(
  db: Db,
  office: OfficeConfig,
  personKey: string,
  years: { fromYear: number; toYear: number },
  span: DaySpan,
): Promise<{ leave: LeaveFacts; days: DaysFacts }> {
  const { fromYear, toYear } = years;
  const officeId = office.office.id;
  const [requests, records, callOuts, credentials] = await Promise.all([
    listTimeOffOfPersonAndOnSpans(db, officeId, personKey, `${fromYear}-01-01`, `${toYear}-12-31`, [span]),
    listLeaveRecords(db, officeId, [personKey], fromYear, toYear),
    listActiveCallOutsBetween(db, officeId, span.first, span.last),
    loadCredentialsForCoverage(db, office),
  ]);
  const [leave] = assembleLeaveFacts(office, [{ personKey, ...years }], requests.ofPerson, records);
  if (!leave) throw new Error('leave facts not assembled');
  return { leave, days: { requests: requests.onSpans, callOuts, credentials } };
}

/** Everyone's requests, call-outs and credentials on a span of days (`readDaysFacts`). */
export interface DaysFacts {
  requests: readonly TimeOffRow[];
  callOuts: Awaited<ReturnType<typeof listActiveCallOutsBetween>>;
  credentials: Awaited<ReturnType<typeof loadCredentialsForCoverage>>;
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
 * Asks for the cards of `rows` to be redrawn once the change commits (`redrawTimeOffCards` draws them),
 * each once, whichever list it came from.
 */
export function askRedraws(rows: readonly TimeOffRow[]): Effect[] {
  const numbers = new Set(rows.map((row) => row.number));
  return [...numbers].map((number) => ({ kind: 'redraw', cardKey: formatReference('TO', number) }));
}

/**
 * The other pending cards a request's filing, decision, cancelling or withdrawal makes stale, asked to be
 * redrawn: those for overlapping days (their coverage warnings and "Also asking" lines) and the requester's
 * others, whatever their days (their balance lines count this one).
 */
export async function refreshCardsAfter(row: TimeOffRow, ctx: HandlerContext): Promise<Effect[]> {
  const stale = await listPendingOnDaysOrOf({ first: row.startDay, last: row.endDay }, row.requesterKey, ctx);
  return askRedraws(stale.filter((other) => other.id !== row.id));
}

/** A person's pending cards, asked to be redrawn after their balance changed (`/timeoff adjust`). */
export async function refreshCardsOf(personKey: string, ctx: HandlerContext): Promise<Effect[]> {
  return askRedraws(await listPendingTimeOffOf(ctx.db, ctx.officeId, personKey));
}

/**
 * After a call-out changed: the pending cards of requests touching its day (coverage) and the pending
 * cards of the person who called out (a sick call-out counts against their balance).
 */
export async function refreshCardsForCallOut(
  event: { day: IsoDay; personKey: string },
  ctx: HandlerContext,
): Promise<Effect[]> {
  return askRedraws(await listPendingOnDaysOrOf({ first: event.day, last: event.day }, event.personKey, ctx));
}

/**
 * After a credential changed (recorded, corrected, renewed, removed): a kind some role requires can change who
 * counts toward coverage on any day after either its old or its new expiry, so every pending card not yet
 * over is asked to be redrawn (each once, paced with the others); a practice item or a kind no role requires
 * changes no card.
 */
export async function refreshCardsForCredential(
  event: { credentialKind: string | undefined },
  ctx: HandlerContext,
): Promise<Effect[]> {
  if (!isKindRequiredForCoverage(event.credentialKind, ctx.office)) return [];
  const today = getOfficeDay(ctx.now, ctx.zone);
  const pending = await listPendingTimeOffRequests(ctx.db, ctx.officeId);
  return askRedraws(pending.filter((row) => row.endDay >= today));
}

/** Everyone's pending requests touching `span`, and `personKey`'s pending requests on any day. */
async function listPendingOnDaysOrOf(
  span: DaySpan,
  personKey: string,
  ctx: HandlerContext,
): Promise<TimeOffRow[]> {
  const [onTheseDays, ofPerson] = await Promise.all([
    listTimeOffBetween(ctx.db, ctx.officeId, span.first, span.last, ['pending']),
    listPendingTimeOffOf(ctx.db, ctx.officeId, personKey),
  ]);
  return [...onTheseDays, ...ofPerson];
}

/**
 * Pending requests' cards, redrawn as the database now stands; decided ones are left as their decisions drew
 * them. The requests are locked while they are drawn, so a decision committed meanwhile comes after these
 * updates.
 */
export async function redrawTimeOffCards(cardKeys: readonly string[], ctx: JobContext): Promise<Effect[]> {
  const numbers = cardKeys.flatMap((cardKey) => parseReference(cardKey, 'TO') ?? []);
  const rows = await listTimeOffByNumbers(ctx.db, ctx.office.office.id, numbers, { forShare: true });
  const pending = rows.filter((row) => row.status === 'pending');
  const cards = await loadTimeOffCards(ctx.db, ctx.office, pending);
  return pending.map((row, index) => ({
    kind: 'update',
    cardKey: formatReference('TO', row.number),
    message: cards[index] as Message,
  }));
}

/** A request's card as the database stands (`loadTimeOffCards`). */
export async function loadTimeOffCard(db: Db, office: OfficeConfig, row: TimeOffRow): Promise<Message> {
  const [card] = await loadTimeOffCards(db, office, [row]);
  if (!card) throw new Error('time-off card not drawn');
  return card;
}

/**
 * Requests' cards as the database stands, in the order given: the requesters' requests of the years each
 * touches and everyone else's overlapping ones are read here, once for all the cards, all at once.
 */
export async function loadTimeOffCards(
  db: Db,
  office: OfficeConfig,
  rows: readonly TimeOffRow[],
): Promise<Message[]> {
  if (rows.length === 0) return [];
  const [leaves, days] = await Promise.all([
    loadLeaveFactsOf(
      db,
      office,
      rows.map((row) => ({
        personKey: row.requesterKey,
        fromYear: Number(row.startDay.slice(0, 4)),
        toYear: Number(row.endDay.slice(0, 4)),
      })),
    ),
    readDaysFacts(
      db,
      office,
      rows.map((row) => ({ first: row.startDay, last: row.endDay })),
    ),
  ]);
  return rows.map((row, index) => drawTimeOffCard(office, row, leaves[index] as LeaveFacts, days));
}
