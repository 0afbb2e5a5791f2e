import { DateTime } from 'luxon';
import { z } from 'zod';
import type { OfficeConfig } from '../../config/office.ts';
import { createAuditEntry } from '../../db/repositories/audit.ts';
import {
  countCompanyRepMeetings,
  createRepMeeting,
  listBookedRepMeetings,
  lockCompanyMonth,
  type RepMeetingRow,
} from '../../db/repositories/rep-meetings.ts';
import { formatDay } from '../../domain/dates.ts';
import { slugifyName } from '../../domain/people.ts';
import {
  checkBookingWindow,
  evaluateRepBooking,
  findCapMonth,
  findRepSlot,
  formatSlotKey,
  MAX_REP_TEXT,
  matchStaffNames,
  normalizeCompany,
  OPEN_SLOT_DAYS,
  parseRepBookingText,
  parseSlotKey,
  type RepBookingDraft,
  type RepBookingRefusal,
  type RepSlot,
  readRepRules,
} from '../../domain/rep-meetings.ts';
import { hasVisibleText } from '../../domain/visible-text.ts';
import type { HandlerContext } from '../kernel/context.ts';
import { clip, NOTHING_SAVED } from '../kernel/copy.ts';
import { oneLineText, readFormErrors } from '../kernel/forms.ts';
import type { Form, Message, Outcome } from '../kernel/message.ts';
import { replyOnly } from '../kernel/message.ts';
import {
  buildBookButton,
  describeRep,
  describeVisitTime,
  formatRepReference,
  formatSlotStart,
  MAX_BOOK_BUTTONS,
} from './card.ts';
import { REPS_FORMS } from './ids.ts';
import { loadNextOpenSlots, loadOpenSlots } from './loaders.ts';

const TEXT_USAGE = '/reps book <date> <time> <rep> from <company>';
const TEXT_HINT = 'Write it like /reps book 2026-12-02 12:00 Jordan Smith from Acme Pharma.';
const NEXT_OPEN_LIMIT = 5;

const bookFormSchema = z.object({
  repName: oneLineText.pipe(
    z
      .string()
      .refine(hasVisibleText, 'Enter the rep’s name.')
      .max(MAX_REP_TEXT, `Keep the name under ${MAX_REP_TEXT} characters.`),
  ),
  company: oneLineText.pipe(
    z
      .string()
      .min(1, 'Enter the rep’s company.')
      .max(MAX_REP_TEXT, `Keep the company under ${MAX_REP_TEXT} characters.`),
  ),
  topic: oneLineText
    .pipe(z.string().max(MAX_REP_TEXT, `Keep the topic under ${MAX_REP_TEXT} characters.`))
    .default(''),
  contact: oneLineText
    .pipe(z.string().max(MAX_REP_TEXT, `Keep the contact under ${MAX_REP_TEXT} characters.`))
    .default(''),
  providers: z.string().trim().max(1000, 'Name fewer providers.').default(''),
  lunch: z.enum(['yes', 'no']).default('no'),
});

/** Everything a booking stores besides its slot; the text command gives only the rep and the company. */
interface BookingDetails {
  topic: string;
  contact: string;
  providers: OfficeConfig['staff'];
  lunch: boolean;
}

type BookingFailure = { refusal: RepBookingRefusal | { reason: 'slot_taken' }; message: string };

/** A refusal with what to do instead: more lines, and buttons such as the next open slots. */
export function refuseWith(text: string, extra: Partial<Message>): Outcome {
  return replyOnly({
    text,
    lines: [text, ...(extra.lines ?? [])],
    ...(extra.buttons ? { buttons: extra.buttons } : {}),
  });
}

function describeSlotTimes(office: OfficeConfig): string {
  const slots = office.reps.slots.map((slot) => `${slot.day} ${slot.time}`);
  return slots.length > 0 ? slots.join(', ') : 'none configured';
}

function describeDraftSlot(draft: Pick<RepBookingDraft, 'day' | 'time'>, zone: string): string {
  return `${formatDay(draft.day, zone)} at ${draft.time}`;
}

/** Why a booking was refused, in words a busy front desk understands, with what to do instead. */
function explainRefusal(
  failure: RepBookingRefusal | { reason: 'slot_taken' },
  draft: Pick<RepBookingDraft, 'day' | 'time'> & { company?: string },
  office: OfficeConfig,
): string {
  const zone = office.office.timezone;
  const when = describeDraftSlot(draft, zone);
  switch (failure.reason) {
    case 'rep_name_missing':
      return 'Say who is coming: the rep’s name, then "from" and the company.';
    case 'rep_name_too_long':
      return `The rep’s name has ${failure.length} characters; keep it to ${MAX_REP_TEXT}.`;
    case 'company_missing':
      // Read on the form too, so it names no word of the typed command; the command's answer shows how to write it.
      return 'Say which company the rep is from, in words.';
    case 'company_too_long':
      return `The company has ${failure.length} characters; keep it to ${MAX_REP_TEXT}.`;
    case 'in_the_past':
      return `${when} has already passed.`;
    case 'holiday':
      return `${formatDay(draft.day, zone)} is an office holiday, so there are no rep visits that day.`;
    case 'closed_day':
      return `The office takes no rep visits on ${formatDay(draft.day, zone)}.`;
    case 'not_a_slot':
      return failure.times.length > 0
        ? `${draft.time} is not a rep slot. On ${formatDay(draft.day, zone)} the slots are at ${failure.times.join(', ')}.`
        : `There are no rep slots on ${DateTime.fromISO(draft.day).toFormat('cccc')}s. Rep slots are: ${describeSlotTimes(office)}.`;
    case 'too_soon':
      return `Rep visits are booked at least ${failure.minNoticeHours} hours ahead; ${when} is too soon.`;
    case 'too_far':
      return `Rep visits can be booked up to ${failure.maxWeeksAhead} weeks ahead (until ${formatDay(failure.latestDay, zone)}); ${when} is too far out.`;
    case 'company_cap': {
      const month = DateTime.fromISO(`${failure.month}-01`).setLocale('en-US').toFormat('LLLL yyyy');
      return `${draft.company?.trim() || 'That company'} already has ${failure.count} visit${failure.count === 1 ? '' : 's'} booked in ${month}; the limit is ${failure.max} a month per company.`;
    }
    case 'slot_taken':
      return `${when} was just taken by someone else.`;
  }
}

/** Refusals about the slot rather than the rep: the answer offers the next open slots instead. */
function isSlotRefusal(reason: BookingFailure['refusal']['reason']): boolean {
  return ![
    'rep_name_missing',
    'rep_name_too_long',
    'company_missing',
    'company_too_long',
    'company_cap',
  ].includes(reason);
}

/** The next open slots as lines and Book buttons, to follow a refusal about a slot. */
async function offerNextSlots(ctx: HandlerContext): Promise<Partial<Message>> {
  const zone = ctx.zone;
  const slots = await loadNextOpenSlots(ctx.db, ctx.office, ctx.now, NEXT_OPEN_LIMIT);
  if (slots.length === 0) return { lines: ['There are no open rep slots in the booking window right now.'] };
  return {
    lines: [`Next open: ${slots.map((slot) => formatSlotStart(slot.start, zone)).join(' · ')}`],
    buttons: slots.map((slot) => buildBookButton(slot, zone)),
  };
}

/** The booking that holds a slot, if any. */
async function findSlotHolder(slot: RepSlot, ctx: HandlerContext): Promise<RepMeetingRow | undefined> {
  const booked = await listBookedRepMeetings(
    ctx.db,
    ctx.officeId,
    slot.start.toJSDate(),
    slot.end.toJSDate(),
  );
  return booked.find((row) => row.slotStart.getTime() === slot.start.toMillis());
}

/**
 * Checks a booking against the rules and books its slot: the one path for the text command and the form.
 * The company's month is locked first so the cap holds under concurrent bookings; the slot itself is
 * claimed by the insert, whose unique index makes exactly one of several simultaneous bookings win.
 */
async function bookVisit(
  draft: RepBookingDraft,
  details: BookingDetails,
  ctx: HandlerContext,
): Promise<{ ok: true; row: RepMeetingRow; already?: true } | ({ ok: false } & BookingFailure)> {
  const { office, db, now, actor, officeId } = ctx;
  const companyKey = normalizeCompany(draft.company);
  const month = findCapMonth(draft.day);
  let companyVisitsInMonth = 0;
  if (companyKey !== '' && month) {
    await lockCompanyMonth(db, { officeId: officeId, companyKey, month: month.month });
    companyVisitsInMonth = await countCompanyRepMeetings(db, {
      officeId: officeId,
      companyKey,
      fromDay: month.first,
      toDay: month.last,
    });
  }
  const evaluation = evaluateRepBooking({ draft, now, office, companyVisitsInMonth });
  if (!evaluation.ok) {
    // The same booking sent again (an answer that seemed lost) may be refused only for itself, over the
    // company's cap it now counts toward: it is answered with the visit already booked, never a refusal that
    // would send the booker to book the rep a second time.
    const asked = findRepSlot(draft.day, draft.time, office);
    const holder = asked && (await findSlotHolder(asked, ctx));
    if (holder?.bookerKey === actor.key) return { ok: true, row: holder, already: true };
    return { ok: false, refusal: evaluation, message: explainRefusal(evaluation, draft, office) };
  }
  const { slot } = evaluation;
  const row = await createRepMeeting(db, {
    officeId: officeId,
    slotStart: slot.start.toJSDate(),
    slotEnd: slot.end.toJSDate(),
    slotDay: slot.day,
    slotTime: slot.time,
    repName: draft.repName.trim(),
    company: draft.company.trim(),
    companyKey: evaluation.companyKey,
    topic: details.topic,
    contact: details.contact,
    providerKeys: details.providers.map((member) => `staff:${slugifyName(member.name)}`),
    providerNames: details.providers.map((member) => member.name),
    lunch: details.lunch,
    bookerKey: actor.key,
    bookerName: actor.name,
    bookerPlatform: actor.platform,
    bookerUserId: actor.userId,
    createdAt: now.toJSDate(),
  });
  if (!row) {
    // Two of the same booking at once (a double click): the one that lost is the one that won.
    const winner = await findSlotHolder(slot, ctx);
    if (winner?.bookerKey === actor.key) return { ok: true, row: winner, already: true };
    const taken = { reason: 'slot_taken' } as const;
    return { ok: false, refusal: taken, message: explainRefusal(taken, draft, office) };
  }
  await createAuditEntry(db, {
    officeId: officeId,
    actor,
    action: 'reps.booked',
    entity: formatRepReference(row),
    detail: { slot: formatSlotKey(slot) },
  });
  return { ok: true, row };
}

/** The confirmation of a booking, or of one the booker made before (`already`): when, who, what, how to cancel. */
function confirmBooking(row: RepMeetingRow, office: OfficeConfig, already = false): Outcome {
  const zone = office.office.timezone;
  const reference = formatRepReference(row);
  const when = describeVisitTime(row, zone);
  const minutes = readRepRules(office).reminderMinutes;
  const lines = [
    `${when} (${office.reps.minutes} min): ${row.repName} from ${row.company}`,
    ...(row.topic ? [`Topic: ${row.topic}`] : []),
    ...(row.contact ? [`Contact: ${row.contact}`] : []),
    ...(row.providerNames.length > 0 ? [`Providers expected: ${row.providerNames.join(', ')}`] : []),
    `Lunch provided: ${row.lunch ? 'yes' : 'no'}`,
    `You will get a reminder ${minutes} minutes before. To cancel: /reps cancel ${reference}`,
  ];
  if (already)
    return replyOnly({
      text: `You already booked this visit: ${reference}, ${when} — ${describeRep(row)}. Nothing new was saved.`,
      title: `Rep visit already booked — ${reference}`,
      lines,
    });
  return replyOnly({
    text: `Rep visit booked: ${reference}, ${when} — ${describeRep(row)}`,
    title: `Rep visit booked — ${reference}`,
    lines,
  });
}

export async function bookFromText(text: string, ctx: HandlerContext): Promise<Outcome> {
  const zone = ctx.zone;
  // With nothing typed there is no date to miss: say how a booking is written.
  if (text.trim() === '')
    return refuseWith(`Say which slot to book: ${TEXT_USAGE}. ${NOTHING_SAVED}`, { lines: [TEXT_HINT] });
  const parsed = parseRepBookingText(text, ctx.now, zone);
  if (!parsed.ok) {
    switch (parsed.reason) {
      case 'no_date':
        return refuseWith(`I could not find a date at the start of "${clip(text)}". ${NOTHING_SAVED}`, {
          lines: [TEXT_HINT],
        });
      case 'unparseable_date':
        return refuseWith(`"${clip(parsed.fragment)}" is not a date I can read. ${NOTHING_SAVED}`, {
          lines: [TEXT_HINT],
        });
      case 'not_one_day':
        return refuseWith(`A rep visit is on one day; give a single date. ${NOTHING_SAVED}`, {
          lines: [TEXT_HINT],
        });
      case 'no_time':
        return refuseWith(`Give the slot’s time after the date, like 12:00. ${NOTHING_SAVED}`, {
          lines: [TEXT_HINT],
        });
      case 'no_company':
        return refuseWith(`Write the rep and the company as "<rep> from <company>". ${NOTHING_SAVED}`, {
          lines: [TEXT_HINT],
        });
    }
  }
  const booked = await bookVisit(parsed, { topic: '', contact: '', providers: [], lunch: false }, ctx);
  if (booked.ok) return confirmBooking(booked.row, ctx.office, booked.already);
  const offer = isSlotRefusal(booked.refusal.reason) ? await offerNextSlots(ctx) : {};
  return refuseWith(`${booked.message} ${NOTHING_SAVED}`, offer);
}

/** `/reps`: the open slots of the next two weeks, one Book button each (as many as Block Kit allows). */
export async function listOpenSlots(ctx: HandlerContext): Promise<Outcome> {
  const zone = ctx.zone;
  const slots = await loadOpenSlots(ctx.db, ctx.office, ctx.now, OPEN_SLOT_DAYS);
  if (slots.length === 0) {
    return replyOnly({
      text: `No open rep slots in the next ${OPEN_SLOT_DAYS} days`,
      title: 'Rep slots',
      lines: [
        `No open rep slots in the next ${OPEN_SLOT_DAYS} days. /reps list shows what is booked.`,
        `Rep slots are: ${describeSlotTimes(ctx.office)}.`,
      ],
    });
  }
  const shown = slots.slice(0, MAX_BOOK_BUTTONS);
  const lines = shown.map((slot) => formatSlotStart(slot.start, zone));
  if (slots.length > shown.length) {
    lines.push(`…and ${slots.length - shown.length} more; book those with ${TEXT_USAGE}`);
  }
  lines.push(`Press Book, or type ${TEXT_HINT.slice('Write it like '.length, -1)}`);
  return replyOnly({
    text: `${slots.length} open rep slot${slots.length === 1 ? '' : 's'} in the next ${OPEN_SLOT_DAYS} days`,
    title: `Open rep slots — next ${OPEN_SLOT_DAYS} days`,
    lines,
    buttons: shown.map((slot) => buildBookButton(slot, zone)),
  });
}

/** The slot a Book button or form names, if it is still offered, bookable now and not taken. */
async function checkSlotStillOpen(
  value: string,
  ctx: HandlerContext,
): Promise<{ ok: true; slot: RepSlot } | { ok: false; outcome: Outcome }> {
  const zone = ctx.zone;
  const key = parseSlotKey(value);
  const slot = key ? findRepSlot(key.day, key.time, ctx.office) : undefined;
  if (!key || !slot) {
    return {
      ok: false,
      outcome: refuseWith(`That slot is no longer offered. ${NOTHING_SAVED}`, await offerNextSlots(ctx)),
    };
  }
  const window = checkBookingWindow(slot, ctx.now, ctx.office);
  if (!window.ok) {
    const why = explainRefusal(window, key, ctx.office);
    return { ok: false, outcome: refuseWith(`${why} ${NOTHING_SAVED}`, await offerNextSlots(ctx)) };
  }
  const holder = await findSlotHolder(slot, ctx);
  if (holder?.bookerKey === ctx.actor.key)
    return { ok: false, outcome: confirmBooking(holder, ctx.office, true) };
  if (holder) {
    const why = `${formatSlotStart(slot.start, zone)} was just taken by someone else.`;
    return { ok: false, outcome: refuseWith(`${why} ${NOTHING_SAVED}`, await offerNextSlots(ctx)) };
  }
  return { ok: true, slot };
}

function buildBookForm(slot: RepSlot, zone: string): Form {
  return {
    formId: REPS_FORMS.book,
    title: `Book ${slot.start.setZone(zone).setLocale('en-US').toFormat('ccc LLL d, HH:mm')}`,
    submitLabel: 'Book',
    metadata: formatSlotKey(slot),
    inputs: [
      { kind: 'text', id: 'repName', label: 'Rep’s name', maxLength: MAX_REP_TEXT },
      { kind: 'text', id: 'company', label: 'Company', maxLength: MAX_REP_TEXT },
      { kind: 'text', id: 'topic', label: 'Product or topic', optional: true, maxLength: MAX_REP_TEXT },
      { kind: 'text', id: 'contact', label: 'Rep’s email or phone', optional: true, maxLength: MAX_REP_TEXT },
      {
        kind: 'text',
        id: 'providers',
        label: 'Providers expected (names, separated by commas)',
        optional: true,
        maxLength: 1000,
      },
      {
        kind: 'select',
        id: 'lunch',
        label: 'Lunch provided',
        initial: 'no',
        options: [
          { label: 'No', value: 'no' },
          { label: 'Yes', value: 'yes' },
        ],
      },
    ],
  };
}

export async function openBookForm(value: string, ctx: HandlerContext): Promise<Outcome> {
  const open = await checkSlotStillOpen(value, ctx);
  if (!open.ok) return open.outcome;
  return { form: buildBookForm(open.slot, ctx.zone), effects: [] };
}

const FORM_FIELD_OF_REASON: Partial<Record<BookingFailure['refusal']['reason'], string>> = {
  rep_name_missing: 'repName',
  rep_name_too_long: 'repName',
  company_missing: 'company',
  company_too_long: 'company',
  company_cap: 'company',
};

export async function submitBookForm(
  values: Record<string, string>,
  metadata: string | undefined,
  ctx: HandlerContext,
): Promise<Outcome> {
  const parsed = bookFormSchema.safeParse(values);
  // The providers are checked even when another field is wrong, so every mistake shows in one round.
  const providersText = parsed.success
    ? parsed.data.providers
    : bookFormSchema.shape.providers.safeParse(values.providers).data;
  const providers = matchStaffNames(providersText ?? '', ctx.office.staff);
  const providerErrors: Record<string, string> =
    providers.unknown.length > 0
      ? {
          providers: `${providers.unknown.map((name) => `"${clip(name)}"`).join(', ')} is not on the staff list. Write names as the staff list has them, like ${ctx.office.staff[0]?.name ?? 'Dana Reyes'}.`,
        }
      : {};
  if (!parsed.success)
    return { formErrors: { ...readFormErrors(parsed.error, 'repName'), ...providerErrors }, effects: [] };
  if (providers.unknown.length > 0) return { formErrors: providerErrors, effects: [] };
  // The slot comes back from the form's metadata; it is checked again here like anything typed.
  const key = parseSlotKey(metadata ?? '');
  if (!key)
    return refuseWith(`That form no longer names a slot. ${NOTHING_SAVED}`, await offerNextSlots(ctx));
  const booked = await bookVisit(
    { ...key, repName: parsed.data.repName, company: parsed.data.company },
    {
      topic: parsed.data.topic,
      contact: parsed.data.contact,
      providers: providers.members,
      lunch: parsed.data.lunch === 'yes',
    },
    ctx,
  );
  if (booked.ok) return confirmBooking(booked.row, ctx.office, booked.already);
  const field = FORM_FIELD_OF_REASON[booked.refusal.reason];
  if (field) return { formErrors: { [field]: booked.message }, effects: [] };
  // The form closes: what was typed comes back, to book another slot without asking the rep again.
  const typed = [
    `You wrote: ${parsed.data.repName} from ${parsed.data.company}`,
    ...(parsed.data.topic ? [`Topic: ${parsed.data.topic}`] : []),
    ...(parsed.data.contact ? [`Contact: ${parsed.data.contact}`] : []),
    ...(providers.members.length > 0
      ? [`Providers: ${providers.members.map((member) => member.name).join(', ')}`]
      : []),
    ...(parsed.data.lunch === 'yes' ? ['Lunch provided'] : []),
  ];
  const offer = await offerNextSlots(ctx);
  const refused = refuseWith(`${booked.message} ${NOTHING_SAVED}`, {
    ...offer,
    lines: [...typed, ...(offer.lines ?? [])],
  });
  return { ...refused, keepReply: true };
}
