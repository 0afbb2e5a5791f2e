import { z } from 'zod';
import {
  createTimeOffRequest,
  lockTimeOffOfPerson,
  reserveTimeOffRequest,
} from '../../db/repositories/time-off.ts';
import {
  addDays,
  type DayPart,
  formatDay,
  formatDayNamingYear,
  formatDayWithYear,
  formatTypedDay,
  getOfficeDay,
  getPlanningWindow,
  type IsoDay,
  parseDateRange,
} from '../../domain/dates.ts';
import {
  describeLeaveType,
  findLeaveBank,
  listLeaveTypes,
  personCalendar,
} from '../../domain/leave-banks.ts';
import { isOnStaffList } from '../../domain/people.ts';
import { formatReference } from '../../domain/references.ts';
import {
  evaluateTimeOffRequest,
  MAX_REQUEST_CALENDAR_DAYS,
  type TimeOffEvaluation,
  type TimeOffType,
} from '../../domain/time-off.ts';
import type { HandlerContext } from '../kernel/context.ts';
import { clip, managerNames, NOTHING_SAVED, refusal } from '../kernel/copy.ts';
import { readFormErrors } from '../kernel/forms.ts';
import type { Form, Outcome } from '../kernel/message.ts';
import { readRequestBank } from './balances.ts';
import { describeTimeOffDays, describeWorkingDays, toTimeOffRequest } from './card.ts';
import { TIME_OFF_FORMS } from './ids.ts';
import { askRedraws, drawTimeOffCard, readFilingFacts } from './loaders.ts';

export const MAX_REASON = 500;
// Other words people write for the built-in types.
const TYPE_SYNONYMS: Readonly<Record<string, TimeOffType>> = { ce: 'education', cme: 'education' };

const timeOffFormSchema = z.object({
  start: z.iso.date({ error: 'Pick the first day off.' }),
  end: z.iso.date({ error: 'Pick a valid last day.' }).optional(),
  part: z.enum(['full', 'am', 'pm']).default('full'),
  type: z.string().max(40).default('vacation'),
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
  today: IsoDay,
  zone: string,
): string {
  switch (evaluation.reason) {
    case 'end_before_start':
      return `The last day (${formatDayNamingYear(draft.end, today, zone)}) is before the first day (${formatDayNamingYear(draft.start, today, zone)}).`;
    case 'half_day_range':
      return 'Morning or afternoon off works for a single day only. Ask for the full days, or one half day at a time.';
    case 'in_the_past':
      return `${formatDayNamingYear(draft.start, evaluation.today, zone)} has already passed. Time off can be asked for from today (${formatDay(evaluation.today, zone)}) on.`;
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

/** Checks a draft, stores it, and queues the approval card: the one path for the text command and the form. */
async function fileTimeOff(
  draft: Draft,
  ctx: HandlerContext,
): Promise<
  | { ok: true; outcome: Outcome }
  | { ok: false; reason: Exclude<TimeOffEvaluation, { ok: true }>; message: string }
> {
  const { office, actor, db, now, officeId, zone } = ctx;
  const fromYear = Number(draft.start.slice(0, 4));
  const toYear = Number(draft.end.slice(0, 4));
  // One round trip: the lock goes first, so the reads behind it see every filing of this person that
  // committed while it waited; the days' facts for the card come with them.
  const [, { leave, days: onThoseDays }, reserved] = await Promise.all([
    lockTimeOffOfPerson(db, officeId, actor.key),
    readFilingFacts(db, office, actor.key, { fromYear, toYear }, { first: draft.start, last: draft.end }),
    reserveTimeOffRequest(db),
  ]);
  const existing = leave.rows;
  const bank = findLeaveBank(draft.type, office);
  const evaluation = evaluateTimeOffRequest({
    draft,
    existing: existing.map(toTimeOffRequest),
    now,
    // Days count on the person's own workdays, and against the bank the type draws from.
    office: { ...office, timeoff: personCalendar(office, leave.member).timeoff },
    bank: readRequestBank(office, bank, leave, { ...draft, status: 'pending' }),
  });
  if (!evaluation.ok)
    return {
      ok: false,
      reason: evaluation,
      message: explainRefusal(evaluation, draft, getOfficeDay(now, zone), zone),
    };

  // Not awaited: the insert goes out with the card and COMMIT (`commitAfter`).
  const { row, stored } = createTimeOffRequest(
    db,
    {
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
      overBalance: bank.tracked && evaluation.overBalance,
      createdAt: now.toJSDate(),
    },
    {
      actor,
      detail: { start: draft.start, end: draft.end, part: draft.part, workingDays: evaluation.workingDays },
    },
    reserved,
  );
  ctx.commitAfter(stored);
  const reference = formatReference('TO', row.number);
  // `leave` holds every active request of the requester in the years this one touches, and their
  // adjustments and carry-overs: what the card's balance needs.
  const card = drawTimeOffCard(office, row, { ...leave, rows: [...existing, row] }, onThoseDays);
  const days = describeTimeOffDays(row, zone);
  const of = (office.timeoff.policies?.length ?? 0) > 0 ? ` of ${bank.name}` : '';
  const over = evaluation.balances.find((balance) => balance.left < 0);
  const balanceLine = !bank.tracked
    ? `${bank.name} is not counted against a balance.`
    : over
      ? `⚠️ This is more than your remaining allowance: ${over.left} days${of} left in ${over.year} if approved. A manager can still approve it.`
      : `If approved, you will have ${evaluation.balances.map((balance, index) => `${balance.left}${index === 0 ? ` days${of}` : ''} left in ${balance.year}`).join(' and ')}.`;
  const lines = [
    `${days}, ${describeWorkingDays(evaluation.workingDays)} (${describeLeaveType(draft.type, office).toLowerCase()})`,
    ...(draft.reason ? [`Reason: ${draft.reason}`] : []),
    balanceLine,
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
        // The other pending requests on these days were read with the days' facts, and the requester's
        // others of these years, whose balance lines count this one, with the leave facts.
        ...askRedraws([...onThoseDays.requests, ...existing].filter((other) => other.status === 'pending')),
      ],
    },
  };
}

/** The type named right after the dates (a built-in type, a synonym or one of the office's own), else vacation. */
function readTypeWord(rest: string, ctx: HandlerContext): { type: TimeOffType; reason: string } {
  const [first = '', ...others] = rest.split(/\s+/);
  const word = first.toLowerCase().replace(/[:,.]$/, '');
  const type = listLeaveTypes(ctx.office).includes(word) ? word : TYPE_SYNONYMS[word];
  return type ? { type, reason: others.join(' ').trim() } : { type: 'vacation', reason: rest };
}

export async function fileFromText(text: string, ctx: HandlerContext): Promise<Outcome> {
  const zone = ctx.zone;
  const today = getOfficeDay(ctx.now, zone);
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
          `The last day (${formatDayNamingYear(parsed.end, today, zone)}) is before the first day (${formatDayNamingYear(parsed.start, today, zone)}). ${NOTHING_SAVED}`,
          hint,
        );
      case 'half_day_range':
        return refusal(
          `A half day (am/pm) is one day; for a range write /timeoff ${formatTypedDay(parsed.start, today)} to ${formatTypedDay(parsed.end, today)}. ${NOTHING_SAVED}`,
          hint,
        );
      case 'missing_end': {
        const example = `${formatTypedDay(parsed.start, today)} to ${formatTypedDay(addDays(parsed.start, 2), today)}`;
        return refusal(
          `${formatDayNamingYear(parsed.start, today, zone)} to what day? Write the last day too, like /timeoff ${example}. ${NOTHING_SAVED}`,
          hint,
        );
      }
    }
  }
  const tooFar = explainTooFar(parsed.end, ctx);
  if (tooFar) return refusal(`${tooFar} ${NOTHING_SAVED}`, hint);
  const { type, reason } = readTypeWord(parsed.rest, ctx);
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

/** Refuses a last day past the planning window (the end of next year): `2062` or `9999` is a typo, not a plan. */
function explainTooFar(end: IsoDay, ctx: HandlerContext): string | undefined {
  const zone = ctx.zone;
  const { last } = getPlanningWindow(ctx.now, zone);
  if (end <= last) return undefined;
  return `${formatDayWithYear(end, zone)} is too far ahead; time off can be asked for up to ${formatDayWithYear(last, zone)}.`;
}

export function buildRequestForm(ctx: HandlerContext): Form {
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
        options: listLeaveTypes(ctx.office).map((value) => ({
          label: describeLeaveType(value, ctx.office),
          value,
        })),
      },
      { kind: 'textarea', id: 'reason', label: 'Reason', optional: true, maxLength: MAX_REASON },
    ],
  };
}

export async function submitRequestForm(
  values: Record<string, string>,
  _metadata: string | undefined,
  ctx: HandlerContext,
) {
  const refused = refuseNonStaff(ctx);
  if (refused) return refused;
  const parsed = timeOffFormSchema.safeParse(values);
  if (!parsed.success) {
    const formErrors = readFormErrors(parsed.error, 'start');
    return { formErrors, effects: [] } satisfies Outcome;
  }
  const { start, end, part, type, reason } = parsed.data;
  if (!listLeaveTypes(ctx.office).includes(type))
    return { formErrors: { type: 'Choose one of the types in the list.' }, effects: [] } satisfies Outcome;
  const tooFar = explainTooFar(end ?? start, ctx);
  if (tooFar) return { formErrors: { [end ? 'end' : 'start']: tooFar }, effects: [] } satisfies Outcome;
  const filed = await fileTimeOff({ start, end: end ?? start, part, type, reason }, ctx);
  if (filed.ok) return filed.outcome;
  return {
    formErrors: { [FORM_FIELD_OF_REASON[filed.reason.reason]]: filed.message },
    effects: [],
  } satisfies Outcome;
}

/** Time off is for people on the staff list: anyone else has no allowance and no role to cover. */
export function refuseNonStaff(ctx: HandlerContext): Outcome | undefined {
  if (isOnStaffList(ctx.actor)) return undefined;
  return refusal(
    `Time off is for people on the practice's staff list, and you are not on it. Ask ${managerNames(ctx.office)} to add you. ${NOTHING_SAVED}`,
  );
}
