import { DateTime } from 'luxon';
import { z } from 'zod';
import { createAuditEntry } from '../../db/repositories/audit.ts';
import {
  cancelTimeOffRequest,
  createTimeOffRequest,
  decideTimeOffRequest,
  getTimeOffRequest,
  listActiveTimeOffForPerson,
  listTimeOffBetween,
  lockTimeOffOfPerson,
  type TimeOffRow,
} from '../../db/repositories/time-off.ts';
import {
  type DayPart,
  formatDay,
  formatDayWithYear,
  formatOfficeTime,
  getOfficeDay,
  getPlanningWindow,
  type IsoDay,
  parseDateRange,
} from '../../domain/dates.ts';
import { isOnStaffList, listManagers } from '../../domain/people.ts';
import { formatReference } from '../../domain/references.ts';
import {
  canCancel,
  evaluateTimeOffRequest,
  formatCoverageGap,
  MAX_REQUEST_CALENDAR_DAYS,
  type TimeOffEvaluation,
  type TimeOffType,
} from '../../domain/time-off.ts';
import type { HandlerContext } from '../kernel/context.ts';
import { clip, managerNames, NOTHING_CHANGED, NOTHING_SAVED, refusal } from '../kernel/copy.ts';
import type { Feature } from '../kernel/feature.ts';
import type { Effect, Form, Message, Outcome } from '../kernel/message.ts';
import { replyOnly } from '../kernel/message.ts';
import {
  type RequestKind,
  relationTo,
  type Step,
  stepButton,
  stepCommandWithReason,
  stepFormHandler,
  withCancelReason,
  withDenyReason,
} from '../kernel/workflow.ts';
import {
  buildTimeOffCard,
  describeTimeOffDays,
  describeWorkingDays,
  findGapsIfApproved,
  loadYearBalance,
  TIME_OFF_TYPE_LABELS,
  toTimeOffRequest,
} from './card.ts';
import { listPendingTimeOff, timeOffDigest } from './digest.ts';
import { TIME_OFF_ACTIONS, TIME_OFF_FORMS } from './ids.ts';

const MAX_REASON = 500;
const TYPE_WORDS: Record<string, TimeOffType> = {
  vacation: 'vacation',
  sick: 'sick',
  personal: 'personal',
  education: 'education',
  ce: 'education',
  cme: 'education',
  other: 'other',
};

const timeOffFormSchema = z.object({
  start: z.iso.date({ error: 'Pick the first day off.' }),
  end: z.iso.date({ error: 'Pick a valid last day.' }).optional(),
  part: z.enum(['full', 'am', 'pm']).default('full'),
  type: z.enum(['vacation', 'sick', 'personal', 'education', 'other']).default('vacation'),
  reason: z.string().trim().max(MAX_REASON, `Keep the reason under ${MAX_REASON} characters.`).default(''),
});

interface Draft {
  start: IsoDay;
  end: IsoDay;
  part: DayPart;
  type: TimeOffType;
  reason: string;
}

/** Why a draft was refused, in words a busy person understands at a glance, with what to do instead. */
function explainRefusal(
  evaluation: Exclude<TimeOffEvaluation, { ok: true }>,
  draft: Draft,
  zone: string,
): string {
  switch (evaluation.reason) {
    case 'end_before_start':
      return `The last day (${formatDay(draft.end, zone)}) is before the first day (${formatDay(draft.start, zone)}).`;
    case 'half_day_range':
      return 'Morning or afternoon off works for a single day only. Ask for the full days, or one half day at a time.';
    case 'in_the_past':
      return `${formatDay(draft.start, zone)} has already passed. Time off can be asked for from today (${formatDay(evaluation.today, zone)}) on.`;
    case 'too_long':
      return `That is ${evaluation.calendarDays} calendar days; one request can cover at most ${MAX_REQUEST_CALENDAR_DAYS}. Please split it in two.`;
    case 'no_working_days':
      return `${describeTimeOffDays({ startDay: draft.start, endDay: draft.end, part: draft.part }, zone)} has no working days (weekends and office holidays don't count), so there is nothing to ask for.`;
    case 'overlaps_existing':
      return `You already have ${evaluation.conflicting} for some of those days. To change it, cancel it first with /timeoff cancel ${evaluation.conflicting}.`;
  }
}

const FORM_FIELD_OF_REASON: Record<Exclude<TimeOffEvaluation, { ok: true }>['reason'], string> = {
  end_before_start: 'end',
  half_day_range: 'part',
  in_the_past: 'start',
  too_long: 'end',
  no_working_days: 'start',
  overlaps_existing: 'start',
};

/**
 * The other pending cards for overlapping days, redrawn: their coverage warnings and "Also asking" lines
 * change whenever a request for those days is filed, decided, cancelled or withdrawn.
 */
async function refreshOverlappingCards(row: TimeOffRow, ctx: HandlerContext): Promise<Effect[]> {
  const others = (
    await listTimeOffBetween(ctx.db, ctx.officeId, row.startDay, row.endDay, ['pending'])
  ).filter((other) => other.id !== row.id);
  const effects: Effect[] = [];
  for (const other of others) {
    effects.push({
      kind: 'update',
      cardKey: formatReference('TO', other.number),
      message: await buildTimeOffCard(ctx.db, ctx.office, other),
    });
  }
  return effects;
}

/** Checks a draft, stores it, and queues the approval card: the one path for the text command and the form. */
async function fileTimeOff(
  draft: Draft,
  ctx: HandlerContext,
): Promise<
  | { ok: true; outcome: Outcome }
  | { ok: false; reason: Exclude<TimeOffEvaluation, { ok: true }>; message: string }
> {
  const { office, actor, db, now, officeId, zone } = ctx;
  const fromYear = draft.start.slice(0, 4);
  const toYear = draft.end.slice(0, 4);
  await lockTimeOffOfPerson(db, officeId, actor.key);
  const existing = await listActiveTimeOffForPerson(
    db,
    officeId,
    actor.key,
    `${fromYear}-01-01`,
    `${toYear}-12-31`,
  );
  const evaluation = evaluateTimeOffRequest({ draft, existing: existing.map(toTimeOffRequest), now, office });
  if (!evaluation.ok)
    return { ok: false, reason: evaluation, message: explainRefusal(evaluation, draft, zone) };

  const row = await createTimeOffRequest(db, {
    officeId: officeId,
    requesterKey: actor.key,
    requesterName: actor.name,
    requesterRole: actor.role ?? null,
    requesterPlatform: actor.platform,
    requesterUserId: actor.userId,
    startDay: draft.start,
    endDay: draft.end,
    part: draft.part,
    type: draft.type,
    reason: draft.reason,
    workingDays: evaluation.workingDays,
    overBalance: evaluation.overBalance,
    createdAt: now.toJSDate(),
  });
  const reference = formatReference('TO', row.number);
  // Sent together, so the driver pipelines them in one round trip. `existing` holds every active request
  // of the requester in the years this one touches, which is what the card's balance needs.
  const [, card] = await Promise.all([
    createAuditEntry(db, {
      officeId: officeId,
      actor,
      action: 'timeoff.filed',
      entity: reference,
      detail: { start: row.startDay, end: row.endDay, part: row.part, workingDays: row.workingDays },
    }),
    buildTimeOffCard(db, office, row, [...existing, row]),
  ]);
  const year = draft.start.slice(0, 4);
  const days = describeTimeOffDays(row, zone);
  const lines = [
    `${days}, ${describeWorkingDays(evaluation.workingDays)} (${TIME_OFF_TYPE_LABELS[draft.type].toLowerCase()})`,
    ...(draft.reason ? [`Reason: ${draft.reason}`] : []),
    evaluation.overBalance
      ? `⚠️ This is more than your remaining allowance: ${evaluation.balanceAfter} days left in ${year} if approved. A manager can still approve it.`
      : `If approved, you will have ${evaluation.balanceAfter} days left in ${year}.`,
    `${managerNames(office)} will decide; you will get a message when they do.`,
  ];
  return {
    ok: true,
    outcome: {
      reply: {
        text: `Time off requested: ${reference}, ${days}`,
        title: `Time off requested — ${reference}`,
        lines,
      },
      effects: [
        {
          kind: 'post',
          channel: 'approvals',
          cardKey: reference,
          message: card,
        },
        ...(await refreshOverlappingCards(row, ctx)),
      ],
    },
  };
}

function readTypeWord(rest: string): { type: TimeOffType; reason: string } {
  const [first = '', ...others] = rest.split(/\s+/);
  const type = TYPE_WORDS[first.toLowerCase().replace(/[:,.]$/, '')];
  return type ? { type, reason: others.join(' ').trim() } : { type: 'vacation', reason: rest };
}

async function fileFromText(text: string, ctx: HandlerContext): Promise<Outcome> {
  const zone = ctx.zone;
  const parsed = parseDateRange(text, ctx.now, zone);
  const hint =
    'Write it like /timeoff 2026-12-01 to 2026-12-03 family visit, /timeoff dec 1, or /timeoff fri pm dentist.';
  if (!parsed.ok) {
    switch (parsed.reason) {
      case 'no_date':
        return refusal(`I could not find a date at the start of "${clip(text)}". ${NOTHING_SAVED}`, hint);
      case 'unparseable':
        return refusal(`"${clip(parsed.fragment)}" is not a date I can read. ${NOTHING_SAVED}`, hint);
      case 'end_before_start':
        return refusal(
          `The last day (${formatDay(parsed.end, zone)}) is before the first day (${formatDay(parsed.start, zone)}). ${NOTHING_SAVED}`,
          hint,
        );
      case 'half_day_range':
        return refusal(
          `A half day (am/pm) is one day; for a range write /timeoff ${writeShortDay(parsed.start)} to ${writeShortDay(parsed.end)}. ${NOTHING_SAVED}`,
          hint,
        );
    }
  }
  const tooFar = explainTooFar(parsed.end, ctx);
  if (tooFar) return refusal(`${tooFar} ${NOTHING_SAVED}`, hint);
  const { type, reason } = readTypeWord(parsed.rest);
  if (reason.length > MAX_REASON) {
    return refusal(
      `Please keep the reason under ${MAX_REASON} characters (yours has ${reason.length}). ${NOTHING_SAVED}`,
    );
  }
  const filed = await fileTimeOff(
    { start: parsed.start, end: parsed.end, part: parsed.part, type, reason },
    ctx,
  );
  return filed.ok ? filed.outcome : refusal(`${filed.message} ${NOTHING_SAVED}`);
}

/** `dec 8`, the way people type a day after /timeoff. */
function writeShortDay(day: IsoDay): string {
  return DateTime.fromISO(day, { zone: 'utc', locale: 'en-US' }).toFormat('LLL d').toLowerCase();
}

/** Refuses a last day past the planning window (the end of next year): `2062` or `9999` is a typo, not a plan. */
function explainTooFar(end: IsoDay, ctx: HandlerContext): string | undefined {
  const zone = ctx.zone;
  const { last } = getPlanningWindow(ctx.now, zone);
  if (end <= last) return undefined;
  return `${formatDayWithYear(end, zone)} is too far ahead; time off can be asked for up to ${formatDayWithYear(last, zone)}.`;
}

function buildRequestForm(ctx: HandlerContext): Form {
  const today = getOfficeDay(ctx.now, ctx.zone);
  return {
    formId: TIME_OFF_FORMS.request,
    title: 'Ask for time off',
    submitLabel: 'Send request',
    inputs: [
      { kind: 'date', id: 'start', label: 'First day off', initial: today },
      { kind: 'date', id: 'end', label: 'Last day off (leave empty for one day)', optional: true },
      {
        kind: 'select',
        id: 'part',
        label: 'How much of the day',
        initial: 'full',
        options: [
          { label: 'All day', value: 'full' },
          { label: 'Morning only (one day)', value: 'am' },
          { label: 'Afternoon only (one day)', value: 'pm' },
        ],
      },
      {
        kind: 'select',
        id: 'type',
        label: 'Type',
        initial: 'vacation',
        options: Object.entries(TIME_OFF_TYPE_LABELS).map(([value, label]) => ({ label, value })),
      },
      { kind: 'textarea', id: 'reason', label: 'Reason', optional: true, maxLength: MAX_REASON },
    ],
  };
}

async function submitRequestForm(
  values: Record<string, string>,
  _metadata: string | undefined,
  ctx: HandlerContext,
) {
  const refused = refuseNonStaff(ctx);
  if (refused) return refused;
  const parsed = timeOffFormSchema.safeParse(values);
  if (!parsed.success) {
    const formErrors: Record<string, string> = {};
    for (const issue of parsed.error.issues) formErrors[String(issue.path[0] ?? 'start')] ??= issue.message;
    return { formErrors, effects: [] } satisfies Outcome;
  }
  const { start, end, part, type, reason } = parsed.data;
  const tooFar = explainTooFar(end ?? start, ctx);
  if (tooFar) return { formErrors: { [end ? 'end' : 'start']: tooFar }, effects: [] } satisfies Outcome;
  const filed = await fileTimeOff({ start, end: end ?? start, part, type, reason }, ctx);
  if (filed.ok) return filed.outcome;
  return {
    formErrors: { [FORM_FIELD_OF_REASON[filed.reason.reason]]: filed.message },
    effects: [],
  } satisfies Outcome;
}

async function listMine(ctx: HandlerContext): Promise<Outcome> {
  const { office, actor, db, now, officeId, zone } = ctx;
  const today = getOfficeDay(now, zone);
  const rows = await listActiveTimeOffForPerson(db, officeId, actor.key, today);
  const balance = await loadYearBalance(db, office, actor.key, now.setZone(zone).year);
  const lines = rows.map(
    (row) =>
      `${formatReference('TO', row.number)} · ${describeTimeOffDays(row, zone)} · ${describeWorkingDays(row.workingDays)} · ${row.status}`,
  );
  if (lines.length === 0) lines.push('You have no upcoming or pending time off.');
  lines.push(
    `Balance ${now.setZone(zone).year}: ${balance.remaining} of ${balance.allowance} days left (${balance.approved} approved, ${balance.pending} pending).`,
  );
  return replyOnly({
    text: `Your time off: ${rows.length} upcoming or pending`,
    title: 'Your time off',
    lines,
  });
}

const LIST_ALL_DAYS = 30;
const LIST_LIMIT = 40;

async function listEveryone(ctx: HandlerContext): Promise<Outcome> {
  const { db, now, officeId, zone } = ctx;
  const today = getOfficeDay(now, zone);
  const until =
    now
      .setZone(zone)
      .plus({ days: LIST_ALL_DAYS - 1 })
      .toISODate() ?? today;
  const rows = await listTimeOffBetween(db, officeId, today, until);
  const lines = rows
    .slice(0, LIST_LIMIT)
    .map(
      (row) =>
        `${describeTimeOffDays(row, zone)} · ${row.requesterName} · ${formatReference('TO', row.number)} · ${row.status}`,
    );
  if (rows.length > LIST_LIMIT) lines.push(`…and ${rows.length - LIST_LIMIT} more`);
  if (rows.length === 0) lines.push(`Nobody has time off in the next ${LIST_ALL_DAYS} days.`);
  return replyOnly({
    text: `Time off in the next ${LIST_ALL_DAYS} days: ${rows.length}`,
    title: `Everyone’s time off, next ${LIST_ALL_DAYS} days`,
    lines,
  });
}

function describeDecidedAlready(row: TimeOffRow, reference: string, zone: string): string {
  if (row.status === 'cancelled') {
    return `${reference} was already withdrawn by ${row.cancelledByName ?? 'its requester'}. ${NOTHING_CHANGED}`;
  }
  const when = row.decidedAt ? ` on ${formatOfficeTime(row.decidedAt, zone)}` : '';
  return `${reference} was already ${row.status} by ${row.decidedByName ?? 'another manager'}${when}. ${NOTHING_CHANGED}`;
}

const timeOffRequestKind: RequestKind<TimeOffRow> = {
  prefix: 'TO',
  noun: 'time-off request',
  referenceNoun: 'time-off',
  example: 'TO-12',
  load: (ctx, number) => getTimeOffRequest(ctx.db, ctx.officeId, number),
  card: (row, ctx) => buildTimeOffCard(ctx.db, ctx.office, row),
};

/** Approve or deny: managers from the office config, and not on their own request while another manager exists. */
function decision<Values>(
  status: 'approved' | 'denied',
  note: (values: Values) => string,
): Step<TimeOffRow, Values> {
  return {
    managerOnly: (managers) => `Only ${managers} can approve or deny time off. ${NOTHING_CHANGED}`,
    authorise({ row }, ctx) {
      const others = listManagers(ctx.office).filter((member) => member.name !== ctx.actor.name);
      if (row.requesterKey !== ctx.actor.key || others.length === 0) return undefined;
      return `Your own request needs another manager (${others.map((m) => m.name).join(' or ')}). ${NOTHING_CHANGED}`;
    },
    check: ({ row, reference }, ctx) =>
      row.status === 'pending' ? undefined : describeDecidedAlready(row, reference, ctx.zone),
    apply: ({ row }, values, { actor, db, now }) =>
      decideTimeOffRequest(db, {
        id: row.id,
        status,
        byKey: actor.key,
        byName: actor.name,
        at: now.toJSDate(),
        note: note(values) || null,
      }),
    async finish({ row: decided, reference }, _before, values, ctx) {
      const { actor, zone } = ctx;
      const days = describeTimeOffDays(decided, zone);
      const verdict = status === 'approved' ? 'approved ✅' : 'denied';
      const reason = note(values);
      const dm: Message = {
        text: `Your time off ${reference} (${days}) was ${status} by ${actor.name}.`,
        lines: [
          `Your time off ${reference} (${days}) was ${verdict} by ${actor.name}.`,
          ...(reason ? [`Note: ${reason}`] : []),
        ],
      };
      const effects: Effect[] = [
        {
          kind: 'dm',
          to: { platform: decided.requesterPlatform, userId: decided.requesterUserId },
          message: dm,
        },
        ...(await refreshOverlappingCards(decided, ctx)),
      ];
      let gapText = '';
      if (status === 'approved') {
        effects.push(...(await ctx.publish({ kind: 'timeoff.approved', timeOff: decided })));
        // Evaluated now, not when the card was drawn: a gap that opened since is named here.
        const approved = await listTimeOffBetween(ctx.db, ctx.officeId, decided.startDay, decided.endDay, [
          'approved',
        ]);
        const { gaps } = findGapsIfApproved(ctx.office, decided, approved);
        if (gaps.length > 0)
          gapText = ` ⚠️ This leaves ${gaps.map((gap) => formatCoverageGap(gap, zone)).join('; ')}.`;
      }
      return {
        audit: { action: `timeoff.${status}`, detail: reason ? { note: true } : {} },
        reply: {
          text: `${status === 'approved' ? 'Approved' : 'Denied'} ${reference} for ${decided.requesterName} (${days}).${gapText}`,
        },
        effects,
      };
    },
  };
}

const approve = decision<undefined>('approved', () => '');
const deny = withDenyReason(
  decision<{ reason: string }>('denied', (values) => values.reason),
  TIME_OFF_FORMS.denyReason,
  MAX_REASON,
);

/**
 * The requester withdraws (pending) or cancels (approved) before it starts; a manager may do it for them,
 * and cancelling someone's approved leave takes a reason, which they are told.
 */
function cancelStep<Values>(note: (values: Values) => string): Step<TimeOffRow, Values> {
  return {
    check({ row, reference }, ctx) {
      const { actor, now, office, zone } = ctx;
      const check = canCancel(toTimeOffRequest(row), now, zone, relationTo(row.requesterKey, actor));
      if (check.ok) return undefined;
      switch (check.reason) {
        case 'not_permitted':
          return `${reference} is not yours; only its requester or a manager can cancel it. ${NOTHING_CHANGED}`;
        case 'already_started':
          return `${reference} has already started, so it cannot be cancelled here. Please talk to ${managerNames(office)}.`;
        case 'already_closed':
          return `${reference} is already ${row.status}. ${NOTHING_CHANGED}`;
      }
    },
    apply: ({ row }, values, { actor, db, now }) =>
      cancelTimeOffRequest(db, {
        id: row.id,
        fromStatus: row.status === 'approved' ? 'approved' : 'pending',
        byName: actor.name,
        at: now.toJSDate(),
        note: note(values) || null,
      }),
    async finish({ row: cancelled, reference }, before, values, ctx) {
      const { actor, zone } = ctx;
      const wasApproved = before.status === 'approved';
      const days = describeTimeOffDays(cancelled, zone);
      const reason = note(values);
      const effects: Effect[] = [];
      if (wasApproved) {
        effects.push({
          kind: 'post',
          channel: 'approvals',
          message: {
            text: `${actor.name} cancelled approved time off ${reference}: ${cancelled.requesterName}, ${days}.`,
            lines: [
              `${actor.name} cancelled approved time off ${reference}: ${cancelled.requesterName}, ${days}. They will be in.`,
            ],
          },
        });
      }
      if (cancelled.requesterKey !== actor.key) {
        const text = `${actor.name} cancelled your time off ${reference} (${days}).`;
        effects.push({
          kind: 'dm',
          to: { platform: cancelled.requesterPlatform, userId: cancelled.requesterUserId },
          message: reason ? { text, lines: [text, `Reason: ${reason}`] } : { text },
        });
      }
      effects.push(...(await refreshOverlappingCards(cancelled, ctx)));
      const told = wasApproved ? ' The managers have been told.' : '';
      return {
        audit: {
          action: wasApproved ? 'timeoff.cancelled' : 'timeoff.withdrawn',
          ...(reason ? { detail: { note: true } } : {}),
        },
        reply: { text: `${wasApproved ? 'Cancelled' : 'Withdrew'} ${reference} (${days}).${told}` },
        effects,
      };
    },
  };
}

const cancelWithReason = withCancelReason(
  cancelStep<{ reason: string }>((values) => values.reason),
  { formId: TIME_OFF_FORMS.cancelReason, submitLabel: 'Cancel time off', maxLength: MAX_REASON },
);
/** `/timeoff cancel TO-3`: at once, or through the reason form when a manager cancels someone's approved leave. */
const cancelCommand = stepCommandWithReason(
  timeOffRequestKind,
  { plain: cancelStep<undefined>(() => ''), withReason: cancelWithReason },
  (row, actor) => row.status === 'approved' && row.requesterKey !== actor.key,
  'Say which request to cancel, like /timeoff cancel TO-12. /timeoff list shows yours.',
);

/** Time off is for people on the staff list: anyone else has no allowance and no role to cover. */
function refuseNonStaff(ctx: HandlerContext): Outcome | undefined {
  if (isOnStaffList(ctx.actor)) return undefined;
  return refusal(
    `Time off is for people on the practice's staff list, and you are not on it. Ask ${managerNames(ctx.office)} to add you. ${NOTHING_SAVED}`,
  );
}

async function runTimeOffCommand(text: string, ctx: HandlerContext): Promise<Outcome> {
  const refused = refuseNonStaff(ctx);
  if (refused) return refused;
  return text === '' ? { form: buildRequestForm(ctx), effects: [] } : fileFromText(text, ctx);
}

/** `/timeoff`: requests, decisions with Approve / Deny, balances and cancellations. */
export const timeOffFeature: Feature = {
  command: 'timeoff',
  usage: {
    summary: 'Ask for time off',
    lines: [
      '/timeoff — opens a form with date pickers',
      '/timeoff 2026-12-01 to 2026-12-03 family visit — asks for those days; also dec 1, tomorrow, fri, next monday, dec 8 pm (a half day with am/pm)',
      'sick, personal or education right after the dates sets the type (vacation if none)',
      '/timeoff list — your requests and your balance',
      '/timeoff list all — (managers) everyone’s time off in the next 30 days',
      '/timeoff cancel TO-12 — withdraws a pending request, or cancels an approved one that has not started; a manager cancelling someone’s approved time off gives a reason',
    ],
  },
  run: runTimeOffCommand,
  subcommands: [
    {
      words: ['list all'],
      maxArgs: 0,
      managerOnly: () => 'Only managers can see everyone’s time off. /timeoff list shows yours.',
      run: (_rest, ctx) => listEveryone(ctx),
    },
    { words: ['list'], run: (_rest, ctx) => listMine(ctx) },
    {
      words: ['cancel', 'withdraw'],
      run: cancelCommand,
    },
  ],
  actions: {
    [TIME_OFF_ACTIONS.approve]: stepButton(timeOffRequestKind, approve),
    [TIME_OFF_ACTIONS.deny]: stepButton(timeOffRequestKind, deny),
  },
  forms: {
    [TIME_OFF_FORMS.request]: submitRequestForm,
    [TIME_OFF_FORMS.denyReason]: stepFormHandler(timeOffRequestKind, deny),
    [TIME_OFF_FORMS.cancelReason]: stepFormHandler(timeOffRequestKind, cancelWithReason),
  },
  digest: timeOffDigest,
  pending: listPendingTimeOff,
};
