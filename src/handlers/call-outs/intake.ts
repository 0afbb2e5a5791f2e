import { z } from 'zod';
import type { StaffMember } from '../../config/office.ts';
import { createAuditEntry } from '../../db/repositories/audit.ts';
import {
  createCallOut,
  listActiveCallOutsBetween,
  lockCallOutsOfDay,
} from '../../db/repositories/call-outs.ts';
import { listTimeOffBetween, lockTimeOffOfPerson } from '../../db/repositories/time-off.ts';
import { isScheduledOn } from '../../domain/calendar.ts';
import {
  type CallOutDraft,
  type CallOutKind,
  type CallOutParse,
  checkCallOut,
  doCallOutsOverlap,
  parseCallOut,
  parseClockTime,
} from '../../domain/call-outs.ts';
import { findAbsentWindow, formatClockTime } from '../../domain/coverage.ts';
import {
  formatDay,
  formatDayNamingYear,
  formatTypedDay,
  getOfficeDay,
  type IsoDay,
} from '../../domain/dates.ts';
import { findStaffByKey, listManagers, slugifyName, staffKey } from '../../domain/people.ts';
import { formatReference } from '../../domain/references.ts';
import { hasVisibleText } from '../../domain/visible-text.ts';
import type { HandlerContext } from '../kernel/context.ts';
import { clip, managerNames, NOTHING_SAVED, refusal } from '../kernel/copy.ts';
import { readFormErrors } from '../kernel/forms.ts';
import { listRecipients } from '../kernel/jobs.ts';
import type { Effect, Form, Outcome } from '../kernel/message.ts';
import { buildManagerNotice, describeCallOutForManagers, formatCallOutReference } from './card.ts';
import { askForCover, releaseCoversOf } from './cover.ts';
import { CALL_OUT_FORMS } from './ids.ts';

export const MAX_CALL_OUT_REASON = 300;

const HINT =
  'Write it like /out sick, /out sick tomorrow, /out late 10:30 car trouble or /out leaving 14:00 dentist.';

type Refused = Extract<CallOutParse, { ok: false }>;

/** Why a call-out was not recorded, in words a person reads at a glance. */
function explain(refused: Refused, ctx: HandlerContext): string {
  const { open, close } = ctx.office.office.hours;
  const hours = `${formatClockTime(open)}–${formatClockTime(close)}`;
  const today = getOfficeDay(ctx.now, ctx.zone);
  const nameDay = (day: IsoDay) => formatDayNamingYear(day, today, ctx.zone);
  switch (refused.reason) {
    case 'no_kind':
      return refused.word
        ? `"${clip(refused.word, 30)}" is not a kind of call-out: use sick, late or leaving.`
        : 'Say whether you are sick, late or leaving early.';
    case 'missing_time':
      return refused.kind === 'late'
        ? 'Say when you will be in, like /out late 10:30.'
        : 'Say when you are leaving, like /out leaving 14:00.';
    case 'not_today': {
      const what = refused.kind === 'late' ? 'late is for coming in late' : 'leaving is for leaving early';
      const refusedDay = `/out ${what} today (${formatDay(refused.today, ctx.zone)}), not ${nameDay(refused.day)}.`;
      if (refused.day < refused.today) return refusedDay;
      const typed = formatTypedDay(refused.day, refused.today);
      return `${refusedDay} For a whole day off, use /out sick ${typed} or /timeoff ${typed}.`;
    }
    case 'not_a_time':
      return `"${clip(refused.fragment, 30)}" is not a time I can read. Write it like 10:30 or 2pm.`;
    case 'outside_hours':
      return `${formatClockTime(refused.time)} is outside office hours (${hours}).`;
    case 'not_a_day':
      return `"${clip(refused.fragment, 30)}" is not a date I can read.`;
    case 'range':
      return 'A call-out is for one day. For more days, call out again tomorrow, or ask for time off with /timeoff.';
    case 'half_day':
      return 'For part of a day, say when: /out late 12:00 or /out leaving 12:00.';
    case 'past':
      return `${nameDay(refused.day)} has already passed. A call-out is for today (${formatDay(refused.today, ctx.zone)}) or a later working day.`;
    case 'closed':
      return `The office is closed on ${nameDay(refused.day)}, so there is nothing to call out of.`;
    case 'too_far':
      return `${nameDay(refused.day)} is more than two weeks away: ask for time off with /timeoff instead.`;
  }
}

const FIELD_OF_REASON: Record<Refused['reason'], string> = {
  no_kind: 'kind',
  missing_time: 'time',
  not_today: 'day',
  not_a_time: 'time',
  outside_hours: 'time',
  not_a_day: 'day',
  range: 'day',
  half_day: 'day',
  past: 'day',
  closed: 'day',
  too_far: 'day',
};

/** Stores a checked call-out, asks for cover if a role falls short, and tells the managers. */
async function recordCallOut(
  member: StaffMember,
  draft: CallOutDraft,
  ctx: HandlerContext,
): Promise<{ ok: true; outcome: Outcome } | { ok: false; field: string; message: string }> {
  const { db, officeId, office, actor, now, zone } = ctx;
  const key = staffKey(member);
  const hours = office.office.hours;
  const self = key === actor.key;
  const whose = self ? 'You' : member.name;
  if (!isScheduledOn(member, draft.day, office)) {
    return {
      ok: false,
      field: 'day',
      message: `${formatDay(draft.day, zone)} is not one of ${self ? 'your' : `${member.name}'s`} workdays, so there is nothing to call out of.`,
    };
  }
  // One call-out of the day at a time: two people calling out at once each see the other away, so neither is
  // asked to cover the other.
  await lockCallOutsOfDay(db, officeId, draft.day);
  await lockTimeOffOfPerson(db, officeId, key);
  const [callOuts, timeOff] = await Promise.all([
    listActiveCallOutsBetween(db, officeId, draft.day, draft.day),
    listTimeOffBetween(db, officeId, draft.day, draft.day, ['approved']),
  ]);
  const clash = callOuts.find(
    (row) =>
      row.personKey === key &&
      doCallOutsOverlap(
        draft,
        { day: row.day, from: row.fromTime ?? undefined, until: row.untilTime ?? undefined },
        hours,
      ),
  );
  if (clash) {
    const reference = formatCallOutReference(clash);
    return {
      ok: false,
      field: 'day',
      message: `${whose} already ${self ? 'have' : 'has'} ${reference} for ${formatDay(draft.day, zone)}. To change it, cancel it first with /out cancel ${reference}.`,
    };
  }
  const from = draft.from ?? hours.open;
  const until = draft.until ?? hours.close;
  const leave = timeOff.find((row) => {
    if (row.requesterKey !== key) return false;
    const window = findAbsentWindow(
      {
        name: row.requesterName,
        role: row.requesterRole,
        start: row.startDay,
        end: row.endDay,
        part: row.part,
      },
      draft.day,
      hours,
    );
    return window !== undefined && window[0] < until && from < window[1];
  });
  if (leave) {
    return {
      ok: false,
      field: 'day',
      message: `${whose} ${self ? 'are' : 'is'} already off then: ${formatReference('TO', leave.number)} is approved for ${formatDay(draft.day, zone)}.`,
    };
  }

  const recipient =
    listRecipients(member).find((to) => to.platform !== 'sandbox') ?? listRecipients(member)[0];
  const stored = await createCallOut(db, {
    officeId,
    personKey: key,
    personName: member.name,
    personRole: member.role ?? null,
    personPlatform: self ? actor.platform : (recipient?.platform ?? 'sandbox'),
    personUserId: self ? actor.userId : (recipient?.userId ?? slugifyName(member.name)),
    day: draft.day,
    kind: draft.kind,
    fromTime: draft.from ?? null,
    untilTime: draft.until ?? null,
    // Undrawn characters alone are no reason: the managers would see an empty one.
    reason: hasVisibleText(draft.reason) ? draft.reason : '',
    recordedByKey: actor.key,
    recordedByName: actor.name,
    createdAt: now.toJSDate(),
  });
  const reference = formatCallOutReference(stored);
  // Covers this person held then are given back first, so the coverage counted below is the day as it is.
  const freed = await releaseCoversOf({ key, day: draft.day, from: draft.from, until: draft.until }, ctx, {
    dayCallOuts: callOuts,
    tellActor: false,
  });
  const asked = await askForCover(stored, ctx);
  const row = asked.row;
  await createAuditEntry(db, {
    officeId,
    actor,
    action: 'callout.recorded',
    entity: reference,
    detail: {
      person: member.name,
      day: row.day,
      from: row.fromTime,
      until: row.untilTime,
      asked: asked.asked.length,
    },
  });
  const notice = buildManagerNotice(row, { gaps: asked.gaps, asked: asked.asked, hours }, zone);
  // The one recording knows; a manager whose call-out it is gets the personal message only.
  const managersTold = listManagers(office).filter(
    (manager) => staffKey(manager) !== actor.key && staffKey(manager) !== key,
  );
  const effects: Effect[] = managersTold
    .flatMap((manager) => listRecipients(manager))
    .map((to): Effect => ({ kind: 'dm', to, message: notice }));
  if (!self) {
    const text = `${actor.name} recorded your call-out ${reference}: ${describeCallOutForManagers(row, zone)}. If that is wrong, /out cancel ${reference}.`;
    for (const to of listRecipients(member)) effects.push({ kind: 'dm', to, message: { text } });
  }
  effects.push(
    ...freed.effects,
    ...asked.effects,
    ...(await ctx.publish({ kind: 'callout.changed', day: row.day, personKey: row.personKey })),
  );

  const what = describeCallOutForManagers(row, zone);
  const lines = [
    self ? what : `${member.name}: ${what}`,
    ...(row.reason ? [`Reason: ${row.reason}`] : []),
    describeWhoWasTold([...managersTold.map((manager) => manager.name), ...(self ? [] : [member.name])]),
  ];
  if (asked.asked.length > 0)
    lines.push(
      `The role is short then, so ${asked.asked.join(', ')} ${asked.asked.length === 1 ? 'has' : 'have'} been asked to cover.`,
    );
  else if (asked.gaps.length > 0)
    lines.push('The role is short then, and nobody else can cover it; the managers will sort it out.');
  for (const { row: coverFor } of freed.released)
    lines.push(
      `${self ? 'You were' : `${member.name} was`} covering ${formatCallOutReference(coverFor)} for ${coverFor.personName} then, so that cover is withdrawn and the managers have been told.`,
    );
  return {
    ok: true,
    outcome: {
      reply: {
        text: `Call-out recorded: ${reference}, ${what}`,
        title: `Call-out recorded — ${reference}`,
        lines,
      },
      effects,
    },
  };
}

/** `Dana Reyes and Sam Lee have been told.`: the people a call-out's messages went to, the one acting aside. */
function describeWhoWasTold(names: readonly string[]): string {
  if (names.length === 0) return 'Nobody else needed telling.';
  const listed = names.length === 1 ? names[0] : `${names.slice(0, -1).join(', ')} and ${names.at(-1)}`;
  return `${listed} ${names.length === 1 ? 'has' : 'have'} been told.`;
}

/** `for Sam Lee sick today`: the staff member named before the kind word, and the rest. */
function readOnBehalf(
  text: string,
  ctx: HandlerContext,
): { ok: true; member: StaffMember; rest: string } | { ok: false; outcome: Outcome } {
  const words = text.trim().split(/\s+/).slice(1);
  const kindAt = words.findIndex((word) => /^(sick|ill|out|late|leaving|leave|early)[:,.]?$/i.test(word));
  const nameWords = kindAt < 0 ? words : words.slice(0, kindAt);
  const name = nameWords.join(' ');
  if (!name)
    return {
      ok: false,
      outcome: refusal(`Say whose call-out it is, like /out for Sam Lee sick today. ${NOTHING_SAVED}`),
    };
  const member = ctx.office.staff.find((candidate) => slugifyName(candidate.name) === slugifyName(name));
  if (!member)
    return {
      ok: false,
      outcome: refusal(
        `${clip(name, 60)} is not on the staff list. Use the name as the staff list has it. ${NOTHING_SAVED}`,
      ),
    };
  return { ok: true, member, rest: kindAt < 0 ? '' : words.slice(kindAt).join(' ') };
}

/** `/out sick`, `/out late 10:30`, `/out for Sam Lee sick today` (managers). */
export async function recordFromText(text: string, ctx: HandlerContext): Promise<Outcome> {
  let member = findStaffByKey(ctx.office, ctx.actor.key);
  let rest = text;
  if (/^for\s/i.test(text.trim())) {
    if (!ctx.actor.isManager)
      return refusal(
        `Only ${managerNames(ctx.office)} can record a call-out for someone else. For yourself, write /out sick. ${NOTHING_SAVED}`,
      );
    const behalf = readOnBehalf(text, ctx);
    if (!behalf.ok) return behalf.outcome;
    member = behalf.member;
    rest = behalf.rest;
  }
  if (!member) return refuseNonStaff(ctx);
  const parsed = parseCallOut(rest, ctx.now, ctx.office);
  if (!parsed.ok) return refusal(`${explain(parsed, ctx)} ${NOTHING_SAVED}`, HINT);
  if (parsed.draft.reason.length > MAX_CALL_OUT_REASON)
    return refusal(`Please keep the reason under ${MAX_CALL_OUT_REASON} characters. ${NOTHING_SAVED}`);
  const recorded = await recordCallOut(member, parsed.draft, ctx);
  return recorded.ok ? recorded.outcome : refusal(`${recorded.message} ${NOTHING_SAVED}`);
}

/** Call-outs are for people on the staff list: anyone else has no role to cover. */
export function refuseNonStaff(ctx: HandlerContext): Outcome {
  return refusal(
    `Call-outs are for people on the practice's staff list, and you are not on it. Ask ${managerNames(ctx.office)} to add you. ${NOTHING_SAVED}`,
  );
}

const KIND_OPTIONS: { label: string; value: CallOutKind }[] = [
  { label: 'Out all day (sick)', value: 'sick' },
  { label: 'In late', value: 'late' },
  { label: 'Leaving early', value: 'leaving' },
];

/** The form `/out` opens: managers also choose who it is for. */
export function buildCallOutForm(ctx: HandlerContext): Form {
  const today = getOfficeDay(ctx.now, ctx.zone);
  const self = findStaffByKey(ctx.office, ctx.actor.key);
  return {
    formId: CALL_OUT_FORMS.record,
    title: 'Call out',
    submitLabel: 'Record',
    lines: ['Recorded at once; the managers are told and cover is found if needed.'],
    inputs: [
      ...(ctx.actor.isManager
        ? [
            {
              kind: 'select' as const,
              id: 'person',
              label: 'Who',
              options: ctx.office.staff.map((member) => ({
                label: member.name,
                value: slugifyName(member.name),
              })),
              ...(self ? { initial: slugifyName(self.name) } : {}),
            },
          ]
        : []),
      { kind: 'select', id: 'kind', label: 'What', initial: 'sick', options: KIND_OPTIONS },
      { kind: 'date', id: 'day', label: 'Day', initial: today },
      {
        kind: 'text',
        id: 'time',
        label: 'In at / leaving at (for late or leaving, like 10:30)',
        optional: true,
        maxLength: 10,
      },
      {
        kind: 'textarea',
        id: 'reason',
        label: 'Note for the managers',
        optional: true,
        maxLength: MAX_CALL_OUT_REASON,
      },
    ],
  };
}

const formSchema = z.object({
  person: z.string().max(100).optional(),
  kind: z.enum(['sick', 'late', 'leaving'], { error: 'Choose what kind of call-out.' }),
  day: z.iso.date({ error: 'Pick the day.' }),
  time: z.string().trim().max(20).default(''),
  reason: z
    .string()
    .trim()
    .max(MAX_CALL_OUT_REASON, `Keep the note under ${MAX_CALL_OUT_REASON} characters.`)
    .default(''),
});

export async function submitCallOutForm(
  values: Record<string, string>,
  _metadata: string | undefined,
  ctx: HandlerContext,
): Promise<Outcome> {
  const parsed = formSchema.safeParse(values);
  if (!parsed.success) {
    const formErrors = readFormErrors(parsed.error, 'kind');
    return { formErrors, effects: [] };
  }
  const { person, kind, day, time, reason } = parsed.data;
  const self = findStaffByKey(ctx.office, ctx.actor.key);
  const chosen =
    person && ctx.actor.isManager
      ? ctx.office.staff.find((member) => slugifyName(member.name) === person)
      : self;
  if (person && ctx.actor.isManager && !chosen)
    return { formErrors: { person: 'Choose someone on the staff list.' }, effects: [] };
  if (!chosen) return refuseNonStaff(ctx);
  let clock: string | undefined;
  if (kind !== 'sick') {
    if (!time)
      return {
        formErrors: {
          time:
            kind === 'late'
              ? 'Say when you will be in, like 10:30.'
              : 'Say when you are leaving, like 14:00.',
        },
        effects: [],
      };
    clock = parseClockTime(time);
    if (!clock)
      return {
        formErrors: { time: `"${clip(time, 20)}" is not a time I can read. Write it like 10:30 or 2pm.` },
        effects: [],
      };
  }
  const checked = checkCallOut(
    {
      kind,
      day,
      from: kind === 'leaving' ? clock : undefined,
      until: kind === 'late' ? clock : undefined,
      reason,
    },
    ctx.now,
    ctx.office,
  );
  if (!checked.ok)
    return { formErrors: { [FIELD_OF_REASON[checked.reason]]: explain(checked, ctx) }, effects: [] };
  const recorded = await recordCallOut(chosen, checked.draft, ctx);
  return recorded.ok ? recorded.outcome : { formErrors: { [recorded.field]: recorded.message }, effects: [] };
}
