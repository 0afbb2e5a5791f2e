import type { StaffMember } from '../../config/office.ts';
import { listAbsencesBetween } from '../../db/repositories/absences.ts';
import { createAuditEntry } from '../../db/repositories/audit.ts';
import {
  answerCoverAsk,
  type CallOutRow,
  type CoverAskRow,
  confirmCover,
  getCallOut,
  listActiveCallOutsBetween,
  listCoverAsks,
  releaseCover,
  startAskRound,
  takeCoverVolunteer,
  withdrawCoverAsks,
} from '../../db/repositories/call-outs.ts';
import type { TimeOffRow } from '../../db/repositories/time-off.ts';
import { doCallOutsOverlap, findCoverCandidates } from '../../domain/call-outs.ts';
import { type ClockTime, isAwayDuring, MIDDAY, type RoleGap } from '../../domain/coverage.ts';
import { formatDay, getOfficeDay, type IsoDay } from '../../domain/dates.ts';
import { findStaffByKey, listManagers, staffKey } from '../../domain/people.ts';
import { parseReference } from '../../domain/references.ts';
import type { HandlerContext } from '../kernel/context.ts';
import { managerNames, NOTHING_CHANGED, refusal } from '../kernel/copy.ts';
import { listRecipients } from '../kernel/jobs.ts';
import type { Effect, Message, Outcome, Recipient } from '../kernel/message.ts';
import { findRequest, type RequestKind } from '../kernel/workflow.ts';
import {
  buildConfirmCard,
  buildCoverAsk,
  buildCoverReleasedNotice,
  buildEscalation,
  buildWithdrawnCoverCard,
  describeCallOutWhen,
  describePerson,
  formatCallOutReference,
  readConfirmValue,
} from './card.ts';
import { findCallOutGaps, loadDayAbsences } from './loaders.ts';

export const callOutKind: RequestKind<CallOutRow> = {
  prefix: 'CO',
  noun: 'call-out',
  referenceNoun: 'call-out',
  example: 'CO-3',
  load: (ctx, number) => getCallOut(ctx.db, ctx.officeId, number),
};

function askKey(reference: string, to: Recipient): string {
  return `${reference}/ask/${to.platform}/${to.userId}`;
}

function confirmKey(reference: string, to: Recipient): string {
  return `${reference}/confirm/${to.platform}/${to.userId}`;
}

/** The key of one manager's escalation about one round of asking. */
export function escalationKey(reference: string, round: number, to: Recipient): string {
  return `${reference}/escalation/round-${round}/${to.platform}/${to.userId}`;
}

/** Where a staff member, by key, can be reached directly. */
function recipientsOfKey(ctx: HandlerContext, key: string): Recipient[] {
  const member = findStaffByKey(ctx.office, key);
  return member ? listRecipients(member) : [];
}

/** Every manager's direct chats, except the person acting, who gets the answer instead. */
export function managerRecipients(ctx: HandlerContext): Recipient[] {
  return listManagers(ctx.office)
    .filter((member) => staffKey(member) !== ctx.actor.key)
    .flatMap((member) => listRecipients(member));
}

/** Whether the call-out's day is over in the office, so nobody can still cover it. */
function hasPassed(row: CallOutRow, ctx: HandlerContext): boolean {
  return row.day < getOfficeDay(ctx.now, ctx.zone);
}

/** The ask each person got, redrawn as the call-out now stands (buttons gone once covered, cancelled or past). */
export function redrawAsks(row: CallOutRow, asks: readonly CoverAskRow[], ctx: HandlerContext): Effect[] {
  const reference = formatCallOutReference(row);
  const passed = hasPassed(row, ctx);
  return asks.flatMap((ask) =>
    recipientsOfKey(ctx, ask.personKey).map(
      (to): Effect => ({
        kind: 'update',
        cardKey: askKey(reference, to),
        message: buildCoverAsk(row, ask, ctx.zone, passed),
        platform: to.platform,
      }),
    ),
  );
}

/** The managers' `Confirm cover` cards, redrawn. */
export function redrawConfirmCards(row: CallOutRow, ctx: HandlerContext): Effect[] {
  const reference = formatCallOutReference(row);
  const message = buildConfirmCard(row, ctx.zone, hasPassed(row, ctx));
  return listManagers(ctx.office)
    .flatMap((member) => listRecipients(member))
    .map(
      (to): Effect => ({
        kind: 'update',
        cardKey: confirmKey(reference, to),
        message,
        platform: to.platform,
      }),
    );
}

/**
 * The managers' escalation about the call-out's last round of asking, if one went out, redrawn without
 * `Ask again` once the call-out is settled (covered, cancelled, its day over), its note saying how.
 */
export function redrawEscalations(
  row: CallOutRow,
  asks: readonly CoverAskRow[],
  ctx: HandlerContext,
): Effect[] {
  if (row.escalatedRound !== row.askRound) return [];
  const note =
    row.status === 'cancelled'
      ? `🚫 Cancelled by ${row.cancelledByName ?? 'someone'}`
      : row.coverState === 'confirmed'
        ? `✅ Covered by ${row.coverName}`
        : row.coverState === 'offered'
          ? `${row.coverName} offered to cover`
          : 'The day is over';
  const escalation = buildEscalation(
    row,
    asks,
    { gaps: [], hours: ctx.office.office.hours, askAgain: false },
    ctx.zone,
  );
  return updateEscalations(row, { ...escalation, note }, ctx);
}

/** Every manager's escalation about the call-out's current round, redrawn as `message`. */
function updateEscalations(row: CallOutRow, message: Message, ctx: HandlerContext): Effect[] {
  const reference = formatCallOutReference(row);
  return listManagers(ctx.office)
    .flatMap((member) => listRecipients(member))
    .map(
      (to): Effect => ({
        kind: 'update',
        cardKey: escalationKey(reference, row.askRound, to),
        message,
        platform: to.platform,
      }),
    );
}

/**
 * Whether the call-out leaves its role below the minimum, and who could cover while the person is away;
 * `exclude` are people who said no before and are not asked again.
 */
async function findCover(
  row: CallOutRow,
  ctx: HandlerContext,
  exclude: readonly string[],
): Promise<{ gaps: RoleGap[]; candidates: StaffMember[] }> {
  const { absences, covering, cleared } = await loadDayAbsences(ctx.db, ctx.office, row.day);
  const gaps = findCallOutGaps(row, absences, ctx.office, cleared);
  if (gaps.length === 0 || !row.personRole) return { gaps, candidates: [] };
  const candidates = findCoverCandidates({
    absentName: row.personName,
    role: row.personRole,
    day: row.day,
    from: row.fromTime ?? undefined,
    until: row.untilTime ?? undefined,
    absences,
    covering,
    office: ctx.office,
    cleared,
  }).filter((member) => !exclude.includes(staffKey(member)));
  return { gaps, candidates };
}

/**
 * Starts the round after the call-out's current one and asks the candidates; `undefined` when the call-out
 * moved on first (covered, cancelled, or another manager asked again).
 */
async function sendAsks(
  row: CallOutRow,
  candidates: readonly StaffMember[],
  ctx: HandlerContext,
): Promise<{ row: CallOutRow; effects: Effect[] } | undefined> {
  const updated = await startAskRound(ctx.db, {
    id: row.id,
    round: row.askRound,
    at: ctx.now.toJSDate(),
    people: candidates.map((member) => ({ key: staffKey(member), name: member.name })),
  });
  if (!updated) return undefined;
  const reference = formatCallOutReference(updated);
  const effects = candidates.flatMap((member) => {
    const message = buildCoverAsk(updated, { personKey: staffKey(member), answer: 'asked' }, ctx.zone);
    return listRecipients(member).map(
      (to): Effect => ({ kind: 'dm', to, message, cardKey: askKey(reference, to) }),
    );
  });
  return { row: updated, effects };
}

/**
 * A new call-out asks everyone who can cover its role when it leaves the role below its minimum. With nobody
 * to ask the round still starts, empty, so the managers hear of it at once.
 */
export async function askForCover(
  row: CallOutRow,
  ctx: HandlerContext,
): Promise<{ row: CallOutRow; gaps: RoleGap[]; asked: string[]; effects: Effect[] }> {
  const { gaps, candidates } = await findCover(row, ctx, []);
  const sent = gaps.length > 0 && row.personRole ? await sendAsks(row, candidates, ctx) : undefined;
  if (!sent) return { row, gaps, asked: [], effects: [] };
  return { ...sent, gaps, asked: candidates.map((member) => member.name) };
}

/** A cover given back because its coverer is away then too, and what came of asking again. */
export interface ReleasedCover {
  row: CallOutRow;
  gaps: RoleGap[];
  asked: string[];
}

/**
 * Someone covering a colleague who is then away during those hours themselves (they called out) covers
 * nobody: each such cover is released and the call-out asks again, as a new round, everyone who can cover
 * and has not said no; the managers are told, the volunteer's ask and the managers' cards redrawn.
 */
export async function releaseCoversOf(
  away: { key: string; day: IsoDay; from: ClockTime | undefined; until: ClockTime | undefined },
  ctx: HandlerContext,
  options: {
    /** the active call-outs of `away.day`, as the caller read them */
    dayCallOuts: readonly CallOutRow[];
    /** whether the person acting is told with the other managers, having no answer of their own that says it */
    tellActor: boolean;
  },
): Promise<{ released: ReleasedCover[]; effects: Effect[] }> {
  const hours = ctx.office.office.hours;
  const overlapping = options.dayCallOuts.filter(
    (row) =>
      row.personKey !== away.key &&
      doCallOutsOverlap(
        away,
        { day: row.day, from: row.fromTime ?? undefined, until: row.untilTime ?? undefined },
        hours,
      ),
  );
  // Asked, or said yes, for hours they are now away: those no longer stand, so a round is not left waiting on them.
  const withdrawn = await withdrawCoverAsks(ctx.db, {
    callOutIds: overlapping.map((row) => row.id),
    personKey: away.key,
    at: ctx.now.toJSDate(),
  });
  const held = overlapping.filter(
    (row) => row.coverKey === away.key && (row.coverState === 'offered' || row.coverState === 'confirmed'),
  );
  const effects: Effect[] = overlapping
    .filter((row) => !held.includes(row))
    .flatMap((row) =>
      redrawAsks(
        row,
        withdrawn.filter((ask) => ask.callOutId === row.id),
        ctx,
      ),
    );
  const released: ReleasedCover[] = [];
  for (const before of held) {
    const freed = await releaseCover(ctx.db, { id: before.id, coverKey: away.key });
    if (!freed) continue;
    const reference = formatCallOutReference(freed);
    const asks = await listCoverAsks(ctx.db, freed.id);
    const saidNo = asks.filter((ask) => ask.answer === 'declined').map((ask) => ask.personKey);
    const { gaps, candidates } = await findCover(freed, ctx, saidNo);
    const sent = gaps.length > 0 && freed.personRole ? await sendAsks(freed, candidates, ctx) : undefined;
    const row = sent?.row ?? freed;
    const asked = sent ? candidates.map((member) => member.name) : [];
    await createAuditEntry(ctx.db, {
      officeId: ctx.officeId,
      actor: ctx.actor,
      action: 'callout.cover_released',
      entity: reference,
      detail: { cover: before.coverName, asked: asked.length },
    });
    const notice = buildCoverReleasedNotice(before, { gaps, asked, hours }, ctx.zone);
    effects.push(
      ...(options.tellActor
        ? listManagers(ctx.office).flatMap((member) => listRecipients(member))
        : managerRecipients(ctx)
      ).map((to): Effect => ({ kind: 'dm', to, message: notice })),
      ...redrawAsks(
        row,
        asks.filter((ask) => ask.personKey === away.key),
        ctx,
      ),
      ...listManagers(ctx.office)
        .flatMap((member) => listRecipients(member))
        .map(
          (to): Effect => ({
            kind: 'update',
            cardKey: confirmKey(reference, to),
            message: buildWithdrawnCoverCard(before, ctx.zone),
            platform: to.platform,
          }),
        ),
      ...(sent?.effects ?? []),
      ...(await ctx.publish({ kind: 'callout.changed', day: row.day, personKey: row.personKey })),
    );
    released.push({ row, gaps, asked });
  }
  return { released, effects };
}

/**
 * Approved time off takes back every cover its requester held on those days, and their asks, for the hours it
 * takes; the approving manager is told with the others, the approval's own answer saying nothing of it.
 */
export async function releaseCoversForTimeOff(timeOff: TimeOffRow, ctx: HandlerContext): Promise<Effect[]> {
  const callOuts = await listActiveCallOutsBetween(ctx.db, ctx.officeId, timeOff.startDay, timeOff.endDay);
  const [from, until] =
    timeOff.part === 'am' ? [undefined, MIDDAY] : timeOff.part === 'pm' ? [MIDDAY, undefined] : [];
  const effects: Effect[] = [];
  for (const day of new Set(callOuts.map((row) => row.day))) {
    const dayCallOuts = callOuts.filter((row) => row.day === day);
    const freed = await releaseCoversOf({ key: timeOff.requesterKey, day, from, until }, ctx, {
      dayCallOuts,
      tellActor: true,
    });
    effects.push(...freed.effects);
  }
  return effects;
}

/** Once cover is confirmed: the volunteer and everyone else asked are told, the managers' cards redrawn. */
async function tellCovered(
  row: CallOutRow,
  asks: readonly CoverAskRow[],
  ctx: HandlerContext,
  tellVolunteer: boolean,
): Promise<Effect[]> {
  const reference = formatCallOutReference(row);
  const when = describeCallOutWhen(row, ctx.zone);
  const covered = `${reference} is covered: ${row.coverName} is covering for ${row.personName}, ${when}. Thank you for answering.`;
  const effects: Effect[] = [];
  for (const ask of asks) {
    if (ask.personKey === row.coverKey) continue;
    for (const to of recipientsOfKey(ctx, ask.personKey))
      effects.push({ kind: 'dm', to, message: { text: covered } });
  }
  if (tellVolunteer && row.coverKey) {
    const text = `${row.coverConfirmedByName ?? 'A manager'} confirmed: you are covering for ${describePerson(row.personName, row.personRole)}, ${when}. Thank you!`;
    for (const to of recipientsOfKey(ctx, row.coverKey)) effects.push({ kind: 'dm', to, message: { text } });
  }
  return [
    ...redrawAsks(row, asks, ctx),
    ...redrawConfirmCards(row, ctx),
    ...redrawEscalations(row, asks, ctx),
    ...effects,
    ...(await ctx.publish({ kind: 'callout.changed', day: row.day, personKey: row.personKey })),
  ];
}

/** The person pressing a cover button must have been asked; the call-out must still need an answer. */
async function findAsked(
  value: string,
  ctx: HandlerContext,
): Promise<
  | { ok: true; row: CallOutRow; reference: string; asks: CoverAskRow[]; ask: CoverAskRow }
  | { ok: false; outcome: Outcome }
> {
  const looked = await findRequest(callOutKind, value, ctx);
  if (!looked.ok) return looked;
  const { row, reference } = looked.found;
  const asks = await listCoverAsks(ctx.db, row.id);
  const ask = asks.find((candidate) => candidate.personKey === ctx.actor.key);
  if (!ask)
    return { ok: false, outcome: refusal(`You were not asked to cover ${reference}. ${NOTHING_CHANGED}`) };
  const settled = describeSettled(row, reference, ctx);
  if (settled)
    // The ask still shows buttons only if a redraw was missed: draw it as it now stands.
    return { ok: false, outcome: { ...refusal(settled), effects: redrawAsks(row, [ask], ctx) } };
  return { ok: true, row, reference, asks, ask };
}

/** Why a cover answer is no longer wanted: cancelled, someone is covering, or the day is over. */
function describeSettled(row: CallOutRow, reference: string, ctx: HandlerContext): string | undefined {
  const actorKey = ctx.actor.key;
  if (row.status === 'cancelled')
    return `${reference} was cancelled: ${row.personName} is in after all. ${NOTHING_CHANGED}`;
  if (row.coverState === 'offered' || row.coverState === 'confirmed') {
    if (row.coverKey === actorKey)
      return row.coverState === 'confirmed'
        ? `You are already covering ${reference}. ${NOTHING_CHANGED}`
        : `You already offered to cover ${reference}; a manager will confirm. ${NOTHING_CHANGED}`;
    return `${reference} is already covered by ${row.coverName}. Thanks all the same. ${NOTHING_CHANGED}`;
  }
  return describePassed(row, reference, ctx);
}

function describePassed(row: CallOutRow, reference: string, ctx: HandlerContext): string | undefined {
  return hasPassed(row, ctx)
    ? `${reference} was for ${formatDay(row.day, ctx.zone)}, which has passed. ${NOTHING_CHANGED}`
    : undefined;
}

/** Whether the person acting is away (time off or a call-out) during any of the call-out's hours. */
async function isActorAwayDuring(row: CallOutRow, ctx: HandlerContext): Promise<boolean> {
  const hours = ctx.office.office.hours;
  const { absences } = await listAbsencesBetween(ctx.db, ctx.office, row.day, row.day);
  const window: [ClockTime, ClockTime] = [row.fromTime ?? hours.open, row.untilTime ?? hours.close];
  return isAwayDuring(absences, ctx.actor.name, row.day, window, hours);
}

/** `I can cover`: the first yes becomes the cover (confirmed at once with `callouts.autoConfirm`). */
export async function volunteer(value: string, ctx: HandlerContext): Promise<Outcome> {
  const asked = await findAsked(value, ctx);
  if (!asked.ok) return asked.outcome;
  const { row, reference, asks } = asked;
  if (await isActorAwayDuring(row, ctx))
    return refusal(
      `You are away yourself then, so you can't cover ${reference}. Thank you all the same. ${NOTHING_CHANGED}`,
    );
  const autoConfirm = ctx.office.callouts.autoConfirm;
  const taken = await takeCoverVolunteer(ctx.db, {
    id: row.id,
    key: ctx.actor.key,
    name: ctx.actor.name,
    role: ctx.actor.role ?? null,
    at: ctx.now.toJSDate(),
    state: autoConfirm ? 'confirmed' : 'offered',
  });
  if (!taken) {
    // Someone else said yes, or the call-out was cancelled, between the read and the update.
    const current = (await getCallOut(ctx.db, ctx.officeId, row.number)) ?? row;
    return refusal(
      describeSettled(current, reference, ctx) ?? `${reference} changed a moment ago. ${NOTHING_CHANGED}`,
    );
  }
  const answered = (await answerCoverAsk(ctx.db, {
    callOutId: row.id,
    personKey: ctx.actor.key,
    answer: 'volunteered',
    at: ctx.now.toJSDate(),
  })) ?? { ...asked.ask, answer: 'volunteered' as const };
  const allAsks = asks.map((ask) => (ask.personKey === ctx.actor.key ? answered : ask));
  await createAuditEntry(ctx.db, {
    officeId: ctx.officeId,
    actor: ctx.actor,
    action: autoConfirm ? 'callout.cover_confirmed' : 'callout.cover_offered',
    entity: reference,
  });
  const who = describePerson(taken.personName, taken.personRole);
  const when = describeCallOutWhen(taken, ctx.zone);
  if (autoConfirm) {
    const notice: Message = {
      text: `${taken.coverName} is covering for ${who}, ${when} (${reference}).`,
    };
    return {
      reply: { text: `Thank you: you are covering for ${who}, ${when}. The managers have been told.` },
      effects: [
        ...managerRecipients(ctx).map((to): Effect => ({ kind: 'dm', to, message: notice })),
        ...(await tellCovered(taken, allAsks, ctx, false)),
      ],
    };
  }
  const card = buildConfirmCard(taken, ctx.zone);
  return {
    reply: {
      text: `Thank you: you offered to cover for ${who}, ${when}. ${managerNames(ctx.office)} will confirm; you will get a message.`,
    },
    effects: [
      ...listManagers(ctx.office)
        .flatMap((member) => listRecipients(member))
        .map((to): Effect => ({ kind: 'dm', to, message: card, cardKey: confirmKey(reference, to) })),
      ...redrawAsks(taken, allAsks, ctx),
    ],
  };
}

/** `Can't cover`: noted, and the ask loses its buttons. */
export async function decline(value: string, ctx: HandlerContext): Promise<Outcome> {
  const asked = await findAsked(value, ctx);
  if (!asked.ok) return asked.outcome;
  const { row, reference } = asked;
  const answered = await answerCoverAsk(ctx.db, {
    callOutId: row.id,
    personKey: ctx.actor.key,
    answer: 'declined',
    at: ctx.now.toJSDate(),
  });
  if (!answered) return refusal(`You already answered for ${reference}. ${NOTHING_CHANGED}`);
  await createAuditEntry(ctx.db, {
    officeId: ctx.officeId,
    actor: ctx.actor,
    action: 'callout.cover_declined',
    entity: reference,
  });
  return {
    reply: { text: `Thanks for letting us know that you can’t cover ${reference}.` },
    effects: redrawAsks(row, [answered], ctx),
  };
}

/** `Confirm cover` (managers): the volunteer is told, and everyone else asked hears it is covered. */
export async function confirmVolunteer(value: string, ctx: HandlerContext): Promise<Outcome> {
  if (!ctx.actor.isManager)
    return refusal(`Only ${managerNames(ctx.office)} can confirm cover. ${NOTHING_CHANGED}`);
  const pressed = readConfirmValue(value);
  const looked = await findRequest(callOutKind, pressed.reference, ctx);
  if (!looked.ok) return looked.outcome;
  const { row, reference } = looked.found;
  // A card from before buttons named their volunteer confirms whoever has offered.
  const offeredBy = pressed.coverKey ?? row.coverKey ?? '';
  const explain = (current: CallOutRow) => {
    if (current.status === 'cancelled')
      return `${reference} was cancelled by ${current.cancelledByName ?? 'someone'}. ${NOTHING_CHANGED}`;
    if (current.coverState === 'confirmed')
      return `${current.coverName} is already confirmed for ${reference}${current.coverConfirmedByName ? ` (by ${current.coverConfirmedByName})` : ''}. ${NOTHING_CHANGED}`;
    if (pressed.coverKey && current.coverKey !== pressed.coverKey)
      return describeWithdrawnOffer(current, reference, pressed.coverKey, ctx);
    return current.coverState === 'offered'
      ? describePassed(current, reference, ctx)
      : `Nobody has offered to cover ${reference} yet. ${NOTHING_CHANGED}`;
  };
  const refused = explain(row);
  // A card still showing `Confirm cover` for a day that is over loses the button.
  if (refused)
    return hasPassed(row, ctx)
      ? { ...refusal(refused), effects: redrawConfirmCards(row, ctx) }
      : refusal(refused);
  const confirmed = await confirmCover(ctx.db, {
    id: row.id,
    coverKey: offeredBy,
    byName: ctx.actor.name,
    at: ctx.now.toJSDate(),
  });
  if (!confirmed) {
    const current = (await getCallOut(ctx.db, ctx.officeId, row.number)) ?? row;
    return refusal(explain(current) ?? `${reference} changed a moment ago. ${NOTHING_CHANGED}`);
  }
  await createAuditEntry(ctx.db, {
    officeId: ctx.officeId,
    actor: ctx.actor,
    action: 'callout.cover_confirmed',
    entity: reference,
    detail: { cover: confirmed.coverName },
  });
  const asks = await listCoverAsks(ctx.db, row.id);
  return {
    reply: {
      text: `Confirmed: ${confirmed.coverName} covers for ${describePerson(confirmed.personName, confirmed.personRole)}, ${describeCallOutWhen(confirmed, ctx.zone)}. Everyone asked has been told.`,
    },
    effects: await tellCovered(confirmed, asks, ctx, true),
  };
}

/**
 * A `Confirm cover` card whose volunteer's offer no longer stands (they turned out to be away then): it never
 * confirms whoever offered since, who has a card of their own.
 */
function describeWithdrawnOffer(
  current: CallOutRow,
  reference: string,
  offeredBy: string,
  ctx: HandlerContext,
): string {
  const volunteer = findStaffByKey(ctx.office, offeredBy)?.name ?? 'That volunteer';
  const since =
    current.coverState === 'offered' ? ` ${current.coverName} has offered since: confirm on that card.` : '';
  return `${volunteer}'s offer for ${reference} no longer stands: they are away then too.${since} ${NOTHING_CHANGED}`;
}

/** `Ask again` on an escalation (managers): a new round to everyone who can cover and has not said no. */
export async function askAgain(value: string, ctx: HandlerContext): Promise<Outcome> {
  if (!ctx.actor.isManager)
    return refusal(`Only ${managerNames(ctx.office)} can ask for cover again. ${NOTHING_CHANGED}`);
  const key = parseRoundKey(value);
  const looked = await findRequest(callOutKind, key ? String(key.number) : value, ctx);
  if (!looked.ok) return looked.outcome;
  const { row, reference } = looked.found;
  const settled = describeSettled(row, reference, ctx);
  // The pressed escalation was out of date: it is redrawn as the call-out stands, without the button.
  if (settled)
    return {
      ...refusal(settled),
      effects: redrawEscalations(row, await listCoverAsks(ctx.db, row.id), ctx),
    };
  if (row.coverState !== 'asking' || row.askRound !== key?.round)
    return refusal(`Cover for ${reference} was already asked for again. ${NOTHING_CHANGED}`);
  const previous = await listCoverAsks(ctx.db, row.id);
  const declined = previous.filter((ask) => ask.answer === 'declined').map((ask) => ask.personKey);
  const { gaps, candidates } = await findCover(row, ctx, declined);
  // Nobody left to ask: nothing is written, so the round (and its one escalation) stands as it was.
  if (gaps.length > 0 && candidates.length === 0)
    return refusal(
      `Nobody else can cover for ${row.personName} then: everyone who could is away, already covering, or said no. ${NOTHING_CHANGED}`,
    );
  const sent = gaps.length > 0 ? await sendAsks(row, candidates, ctx) : undefined;
  if (gaps.length > 0 && !sent) {
    const current = (await getCallOut(ctx.db, ctx.officeId, row.number)) ?? row;
    return refusal(
      describeSettled(current, reference, ctx) ??
        `Cover for ${reference} was already asked for again. ${NOTHING_CHANGED}`,
    );
  }
  const escalation = buildEscalation(
    row,
    previous,
    { gaps, hours: ctx.office.office.hours, askAgain: false },
    ctx.zone,
  );
  // Every manager's escalation loses its button, so nobody asks the same round twice.
  const redrawn = updateEscalations(row, { ...escalation, note: `Asked again by ${ctx.actor.name}` }, ctx);
  if (!sent)
    return {
      reply: { text: `Coverage for ${reference} is met now; nobody was asked.` },
      effects: redrawn,
    };
  await createAuditEntry(ctx.db, {
    officeId: ctx.officeId,
    actor: ctx.actor,
    action: 'callout.asked_again',
    entity: reference,
    detail: { asked: candidates.length },
  });
  const names = candidates.map((member) => member.name);
  return {
    reply: { text: `Asked again for ${reference}: ${names.join(', ')}.` },
    effects: [...redrawn, ...sent.effects],
  };
}

/** Reads `CO-3/round-2` (a call-out and its round of asking): the escalation's run key and its button's value. */
export function parseRoundKey(text: string): { number: number; round: number } | undefined {
  const [reference = '', round = ''] = text.split('/round-');
  const number = parseReference(reference, 'CO');
  return number === undefined || !/^\d+$/.test(round) ? undefined : { number, round: Number(round) };
}
