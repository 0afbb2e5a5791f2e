import { z } from 'zod';
import { createAuditEntry } from '../../db/repositories/audit.ts';
import {
  type ComplaintDraftFields,
  type ComplaintRow,
  createComplaint,
} from '../../db/repositories/complaints.ts';
import {
  COMPLAINT_ABOUTS,
  COMPLAINT_CATEGORIES,
  COMPLAINT_SEVERITIES,
  computeComplaintDueDays,
  MAX_COMPLAINT_TEXT,
} from '../../domain/complaints.ts';
import { formatDay } from '../../domain/dates.ts';
import type { Person } from '../../domain/people.ts';
import { formatReference } from '../../domain/references.ts';
import { hasVisibleText, toOneLine } from '../../domain/visible-text.ts';
import type { HandlerContext } from '../kernel/context.ts';
import { NOTHING_SAVED, refusal } from '../kernel/copy.ts';
import { readFormErrors } from '../kernel/forms.ts';
import type { Form, FormInput, Outcome } from '../kernel/message.ts';
import { buildAlertEffects, describeAlerted } from './alerts.ts';
import {
  buildComplaintCard,
  COMPLAINT_ABOUT_LABELS,
  COMPLAINT_CATEGORY_LABELS,
  COMPLAINT_SEVERITY_LABELS,
} from './card.ts';
import { COMPLAINT_ACTIONS, COMPLAINT_FORMS } from './ids.ts';

const MAX_WHEN = 200;
const MAX_OUTCOME = 1000;
const MAX_CALLBACK_NAME = 200;
const MAX_CALLBACK_PHONE = 40;
export const YES_NO = ['yes', 'no'] as const;

export const limitText = (what: string, max: number) =>
  `${what} can be at most ${max.toLocaleString('en-US')} characters; please shorten it.`;

const SAY_WHAT_HAPPENED = 'Say what happened.';
const COMPLAINT_HINT =
  'Write it like /complaint the patient waited two hours past the appointment, or send /complaint alone for the form.';

/** An optional answer of invisible characters only is no answer: nobody could read it on the card. */
const optionalText = (what: string, max: number) =>
  z
    .string()
    .trim()
    .max(max, limitText(what, max))
    .default('')
    .transform((text) => (hasVisibleText(text) ? text : ''));

const complaintFormSchema = z.object({
  about: z
    .enum(COMPLAINT_ABOUTS, { error: 'Pick who it is from: a patient, a visitor or staff.' })
    .default('patient'),
  category: z.enum(COMPLAINT_CATEGORIES, { error: 'Pick a category from the list.' }),
  severity: z
    .enum(COMPLAINT_SEVERITIES, { error: 'Pick a severity: low, medium, high or urgent.' })
    .default('medium'),
  what: z
    .string({ error: SAY_WHAT_HAPPENED })
    .trim()
    .refine(hasVisibleText, SAY_WHAT_HAPPENED)
    .max(MAX_COMPLAINT_TEXT, limitText('What happened', MAX_COMPLAINT_TEXT)),
  // One-line inputs: a line break came in a crafted submission, and would pass for a line of the card's own.
  when: optionalText('When it happened', MAX_WHEN).transform(toOneLine),
  outcome: optionalText('The outcome wanted', MAX_OUTCOME),
  callback: z.enum(YES_NO, { error: 'Answer yes or no.' }).default('no'),
  callbackName: optionalText('The name to call back', MAX_CALLBACK_NAME).transform(toOneLine),
  callbackPhone: z
    .string()
    .trim()
    .max(MAX_CALLBACK_PHONE, limitText('The phone number', MAX_CALLBACK_PHONE))
    .regex(
      // A number to dial before any extension; spaces only, never a line break.
      /^$|^[0-9+()./ -]*\d[0-9+()./ -]*( *(x|ext\.?) *\d+)?$/i,
      'Write a phone number, like 555-0100 or (555) 010-0100 ext 2.',
    )
    .default(''),
  anonymous: z.enum(YES_NO, { error: 'Answer yes or no.' }).default('no'),
});

/** The form's values as stored fields, or an error per form input; anonymity is for staff complaints only. */
export function readComplaintForm(
  values: Record<string, string>,
): { ok: true; fields: ComplaintDraftFields } | { ok: false; formErrors: Record<string, string> } {
  const parsed = complaintFormSchema.safeParse(values);
  if (!parsed.success) {
    const formErrors = readFormErrors(parsed.error, 'what');
    return { ok: false, formErrors };
  }
  const form = parsed.data;
  if (form.callback === 'yes' && (!form.callbackName || !/\d/.test(form.callbackPhone))) {
    return {
      ok: false,
      formErrors: {
        ...(form.callbackName ? {} : { callbackName: 'A call back is wanted: who should be called?' }),
        ...(/\d/.test(form.callbackPhone)
          ? {}
          : { callbackPhone: 'A call back is wanted: give the number to call.' }),
      },
    };
  }
  if (form.anonymous === 'yes' && form.about !== 'staff') {
    return {
      ok: false,
      formErrors: { anonymous: 'Only staff complaints can be anonymous. Choose From: staff, or answer no.' },
    };
  }
  return {
    ok: true,
    fields: {
      about: form.about,
      category: form.category,
      severity: form.severity,
      description: form.what,
      occurredWhen: form.when,
      desiredOutcome: form.outcome,
      wantsCallback: form.callback === 'yes',
      // A contact without a call back wanted is not kept: nobody will use it.
      callbackName: form.callback === 'yes' ? form.callbackName : '',
      callbackPhone: form.callback === 'yes' ? form.callbackPhone : '',
      anonymous: form.anonymous === 'yes',
    },
  };
}

/** The intake form, empty or (to refine a complaint) filled with what was filed. */
export function buildComplaintForm(row?: ComplaintRow): Form {
  const options = (labels: Record<string, string>) =>
    Object.entries(labels).map(([value, label]) => ({ label, value }));
  const yesNo = [
    { label: 'No', value: 'no' },
    { label: 'Yes', value: 'yes' },
  ];
  const inputs: FormInput[] = [
    {
      kind: 'select',
      id: 'about',
      label: 'From',
      options: options(COMPLAINT_ABOUT_LABELS),
      initial: row?.about ?? 'patient',
    },
    {
      kind: 'select',
      id: 'category',
      label: 'Category',
      options: options(COMPLAINT_CATEGORY_LABELS),
      ...(row ? { initial: row.category } : {}),
    },
    {
      kind: 'select',
      id: 'severity',
      label: 'Severity',
      options: options(COMPLAINT_SEVERITY_LABELS),
      initial: row?.severity ?? 'medium',
    },
    {
      kind: 'textarea',
      id: 'what',
      label: 'What happened',
      maxLength: MAX_COMPLAINT_TEXT,
      ...(row ? { initial: row.description } : {}),
    },
    {
      kind: 'text',
      id: 'when',
      label: 'When it happened',
      optional: true,
      maxLength: MAX_WHEN,
      ...(row?.occurredWhen ? { initial: row.occurredWhen } : {}),
    },
    {
      kind: 'textarea',
      id: 'outcome',
      label: 'What outcome they want',
      optional: true,
      maxLength: MAX_OUTCOME,
      ...(row?.desiredOutcome ? { initial: row.desiredOutcome } : {}),
    },
    {
      kind: 'select',
      id: 'callback',
      label: 'Do they want a call back?',
      options: yesNo,
      initial: row?.wantsCallback ? 'yes' : 'no',
    },
    {
      kind: 'text',
      id: 'callbackName',
      label: 'Call back: whom to call (managers only see it)',
      optional: true,
      maxLength: MAX_CALLBACK_NAME,
      ...(row?.callbackName ? { initial: row.callbackName } : {}),
    },
    {
      kind: 'text',
      id: 'callbackPhone',
      label: 'Call back: phone number',
      optional: true,
      maxLength: MAX_CALLBACK_PHONE,
      ...(row?.callbackPhone ? { initial: row.callbackPhone } : {}),
    },
    {
      kind: 'select',
      id: 'anonymous',
      label: 'Staff complaints: keep my name from the team?',
      options: yesNo,
      initial: row?.anonymous ? 'yes' : 'no',
    },
  ];
  return row
    ? {
        formId: COMPLAINT_FORMS.refine,
        title: `Refine ${formatReference('CP', row.number)}`,
        submitLabel: 'Save',
        metadata: formatReference('CP', row.number),
        inputs,
      }
    : { formId: COMPLAINT_FORMS.intake, title: 'Log a complaint', submitLabel: 'Log complaint', inputs };
}

/** The audit actor of a reporter: an anonymous complaint's reporter is kept out of the audit log too. */
export function describeReporterForAudit(actor: Person, anonymous: boolean): Person {
  return anonymous ? { ...actor, key: 'anonymous', name: 'anonymous', userId: 'anonymous' } : actor;
}

async function fileComplaint(
  fields: ComplaintDraftFields,
  source: 'text' | 'form',
  ctx: HandlerContext,
): Promise<Outcome> {
  const { office, actor, db, now, officeId, zone } = ctx;
  const due = computeComplaintDueDays(now, office);
  const row = await createComplaint(db, {
    officeId: officeId,
    reporterKey: actor.key,
    reporterName: actor.name,
    reporterPlatform: actor.platform,
    reporterUserId: actor.userId,
    ...fields,
    ackDueDay: due.ackDue,
    resolveDueDay: due.resolveDue,
    createdAt: now.toJSDate(),
  });
  const reference = formatReference('CP', row.number);
  await createAuditEntry(db, {
    officeId: officeId,
    actor: describeReporterForAudit(actor, row.anonymous),
    action: 'complaint.filed',
    entity: reference,
    detail: {
      source,
      about: row.about,
      category: row.category,
      severity: row.severity,
      anonymous: row.anonymous,
    },
  });
  const alerted = describeAlerted(row, office);
  const lines = [
    `Logged as a ${COMPLAINT_ABOUT_LABELS[row.about].toLowerCase()} complaint · ${COMPLAINT_CATEGORY_LABELS[row.category]} · ${COMPLAINT_SEVERITY_LABELS[row.severity]}.`,
    ...(source === 'text'
      ? [
          'Press Refine to set who it is from, the category and severity, when it happened, the outcome they want and whether they want a call back.',
        ]
      : []),
    ...(row.anonymous ? ['Your name is shown to nobody; it is kept only in case the form is misused.'] : []),
    `The managers see it in the confidential complaints channel. One of them will acknowledge it by ${formatDay(row.ackDueDay, zone)} and aim to resolve it by ${formatDay(row.resolveDueDay, zone)}.`,
    ...(alerted ? [alerted] : []),
  ];
  return {
    reply: {
      text: `Complaint logged: ${reference}`,
      title: `Complaint logged — ${reference}`,
      lines,
      ...(source === 'text'
        ? { buttons: [{ label: 'Refine', actionId: COMPLAINT_ACTIONS.refine, value: reference }] }
        : {}),
    },
    effects: [
      {
        kind: 'post',
        channel: 'complaints',
        cardKey: reference,
        message: buildComplaintCard(row, office, now),
      },
      ...buildAlertEffects(row, office, new Set()),
    ],
  };
}

export async function fileFromText(text: string, ctx: HandlerContext): Promise<Outcome> {
  if (!hasVisibleText(text)) return refusal(`${SAY_WHAT_HAPPENED} ${NOTHING_SAVED}`, COMPLAINT_HINT);
  // The refusal states the length and the limit, never a word of the text.
  if (text.length > MAX_COMPLAINT_TEXT) {
    return refusal(
      `That is ${text.length.toLocaleString('en-US')} characters; a complaint can be at most ${MAX_COMPLAINT_TEXT.toLocaleString('en-US')}. Please shorten it and send it again; a manager can ask for the rest when they follow up. ${NOTHING_SAVED}`,
    );
  }
  return fileComplaint(
    {
      about: 'patient',
      category: 'other',
      severity: 'medium',
      description: text,
      occurredWhen: '',
      desiredOutcome: '',
      wantsCallback: false,
      callbackName: '',
      callbackPhone: '',
      anonymous: false,
    },
    'text',
    ctx,
  );
}

export async function submitIntakeForm(
  values: Record<string, string>,
  _metadata: string | undefined,
  ctx: HandlerContext,
) {
  const read = readComplaintForm(values);
  if (!read.ok) return { formErrors: read.formErrors, effects: [] } satisfies Outcome;
  return fileComplaint(read.fields, 'form', ctx);
}
