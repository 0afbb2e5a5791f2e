import { DateTime } from 'luxon';
import { z } from 'zod';
import type { OfficeConfig } from '../../config/office.ts';
import { createAuditEntry } from '../../db/repositories/audit.ts';
import {
  acknowledgeComplaint,
  type ComplaintDraftFields,
  type ComplaintRow,
  createComplaint,
  getComplaint,
  listComplaintsFiled,
  listOpenComplaints,
  reopenComplaint,
  resolveComplaint,
  updateComplaintDraft,
} from '../../db/repositories/complaints.ts';
import {
  COMPLAINT_ABOUTS,
  COMPLAINT_CATEGORIES,
  COMPLAINT_SEVERITIES,
  COMPLAINT_STEP_FROM,
  type ComplaintStep,
  type ComplaintStepRefusal,
  canHandleComplaint,
  checkComplaintStep,
  computeComplaintDueDays,
  countComplaintAgeDays,
  findPrivacyOfficer,
  isPastDueDay,
  MAX_COMPLAINT_TEXT,
  selectComplaintAlertRecipients,
} from '../../domain/complaints.ts';
import { formatDay, formatOfficeTime } from '../../domain/dates.ts';
import type { Person } from '../../domain/people.ts';
import { formatReference } from '../../domain/references.ts';
import type { HandlerContext } from '../kernel/context.ts';
import { managerNames, NOTHING_CHANGED, NOTHING_SAVED, refusal } from '../kernel/copy.ts';
import type { Feature } from '../kernel/feature.ts';
import { listRecipients } from '../kernel/jobs.ts';
import type { Effect, Form, FormInput, Outcome, Recipient } from '../kernel/message.ts';
import { replyOnly } from '../kernel/message.ts';
import {
  type Found,
  findRequest,
  type RequestKind,
  type Step,
  type StepForm,
  stepButton,
  stepFormHandler,
} from '../kernel/workflow.ts';
import {
  buildComplaintAlert,
  buildComplaintCard,
  buildComplaintDetailsForm,
  COMPLAINT_ABOUT_LABELS,
  COMPLAINT_CATEGORY_LABELS,
  COMPLAINT_SEVERITY_LABELS,
  COMPLAINT_STATUS_LABELS,
  describeAgeDays,
  describeComplaintSummary,
} from './card.ts';
import { buildComplaintExport } from './export.ts';
import { COMPLAINT_ACTIONS, COMPLAINT_FORMS } from './ids.ts';
import { complaintRemindersJob, complaintsDigest } from './reminders.ts';

const MAX_WHEN = 200;
const MAX_OUTCOME = 1000;
const MAX_CALLBACK_NAME = 200;
const MAX_CALLBACK_PHONE = 40;
const LIST_LIMIT = 25;
const YES_NO = ['yes', 'no'] as const;

const limitText = (what: string, max: number) =>
  `${what} can be at most ${max.toLocaleString('en-US')} characters; please shorten it.`;

const complaintFormSchema = z.object({
  about: z
    .enum(COMPLAINT_ABOUTS, { error: 'Pick who it is from: a patient, a visitor or staff.' })
    .default('patient'),
  category: z.enum(COMPLAINT_CATEGORIES, { error: 'Pick a category from the list.' }),
  severity: z
    .enum(COMPLAINT_SEVERITIES, { error: 'Pick a severity: low, medium, high or urgent.' })
    .default('medium'),
  what: z
    .string({ error: 'Say what happened.' })
    .trim()
    .min(1, 'Say what happened.')
    .max(MAX_COMPLAINT_TEXT, limitText('What happened', MAX_COMPLAINT_TEXT)),
  when: z.string().trim().max(MAX_WHEN, limitText('When it happened', MAX_WHEN)).default(''),
  outcome: z.string().trim().max(MAX_OUTCOME, limitText('The outcome wanted', MAX_OUTCOME)).default(''),
  callback: z.enum(YES_NO, { error: 'Answer yes or no.' }).default('no'),
  callbackName: z
    .string()
    .trim()
    .max(MAX_CALLBACK_NAME, limitText('The name to call back', MAX_CALLBACK_NAME))
    .default(''),
  callbackPhone: z
    .string()
    .trim()
    .max(MAX_CALLBACK_PHONE, limitText('The phone number', MAX_CALLBACK_PHONE))
    .regex(
      /^[0-9+()./ -]*(\s*(x|ext\.?)\s*\d+)?$/i,
      'Write a phone number, like 555-0100 or (555) 010-0100 ext 2.',
    )
    .default(''),
  anonymous: z.enum(YES_NO, { error: 'Answer yes or no.' }).default('no'),
});

const resolveFormSchema = z.object({
  summary: z
    .string({ error: 'Say how it was resolved.' })
    .trim()
    .min(1, 'Say how it was resolved.')
    .max(MAX_COMPLAINT_TEXT, limitText('The resolution summary', MAX_COMPLAINT_TEXT)),
  contacted: z.enum(YES_NO, { error: 'Answer yes or no.' }),
});

/** The form's values as stored fields, or an error per form input; anonymity is for staff complaints only. */
function readComplaintForm(
  values: Record<string, string>,
): { ok: true; fields: ComplaintDraftFields } | { ok: false; formErrors: Record<string, string> } {
  const parsed = complaintFormSchema.safeParse(values);
  if (!parsed.success) {
    const formErrors: Record<string, string> = {};
    for (const issue of parsed.error.issues) formErrors[String(issue.path[0] ?? 'what')] ??= issue.message;
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
function buildComplaintForm(row?: ComplaintRow): Form {
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
function describeReporterForAudit(actor: Person, anonymous: boolean): Person {
  return anonymous ? { ...actor, key: 'anonymous', name: 'anonymous', userId: 'anonymous' } : actor;
}

/** The key of one person's alert about a complaint, so the alert can be redrawn as the complaint moves on. */
function alertKey(reference: string, to: Recipient): string {
  return `${reference}/alert/${to.platform}/${to.userId}`;
}

/** Each alert recipient of the complaint as it is now, with where they can be reached. */
function listAlerted(row: ComplaintRow, office: OfficeConfig) {
  return selectComplaintAlertRecipients(row, office).flatMap((member) =>
    listRecipients(member).map((to) => ({ member, to })),
  );
}

/** Direct messages to whoever must hear about this complaint now and was not told already. */
function buildAlertEffects(
  row: ComplaintRow,
  office: OfficeConfig,
  alreadyTold: readonly string[],
): Effect[] {
  const message = buildComplaintAlert(row, office);
  const reference = formatReference('CP', row.number);
  return listAlerted(row, office)
    .filter(({ member }) => !alreadyTold.includes(member.name))
    .map(({ to }): Effect => ({ kind: 'dm', to, message, cardKey: alertKey(reference, to) }));
}

/**
 * The alerts already sent, redrawn after a step: the button just used (Acknowledge) goes and the state
 * shows. A recipient who was never alerted has no such message, and the deliverer skips it.
 */
function redrawAlerts(row: ComplaintRow, office: OfficeConfig): Effect[] {
  const message = buildComplaintAlert(row, office);
  const reference = formatReference('CP', row.number);
  return listAlerted(row, office).map(
    ({ to }): Effect => ({
      kind: 'update',
      cardKey: alertKey(reference, to),
      message,
      platform: to.platform,
    }),
  );
}

function describeAlerted(row: ComplaintRow, office: OfficeConfig): string | undefined {
  if (row.category === 'privacy') {
    const officer = findPrivacyOfficer(office);
    return `It concerns privacy, so every manager${officer ? ` and ${officer.name}, the privacy officer,` : ''} has been messaged now.`;
  }
  return row.severity === 'urgent' ? 'It is urgent, so every manager has been messaged now.' : undefined;
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
      ...buildAlertEffects(row, office, []),
    ],
  };
}

async function fileFromText(text: string, ctx: HandlerContext): Promise<Outcome> {
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

async function submitIntakeForm(
  values: Record<string, string>,
  _metadata: string | undefined,
  ctx: HandlerContext,
) {
  const read = readComplaintForm(values);
  if (!read.ok) return { formErrors: read.formErrors, effects: [] } satisfies Outcome;
  return fileComplaint(read.fields, 'form', ctx);
}

const complaintKind: RequestKind<ComplaintRow> = {
  prefix: 'CP',
  noun: 'complaint',
  referenceNoun: 'complaint',
  example: 'CP-3',
  load: (ctx, number) => getComplaint(ctx.db, ctx.officeId, number),
  card: async (row, ctx) => buildComplaintCard(row, ctx.office, ctx.now),
};

/** Who may handle a complaint, from the office config: managers, and the privacy officer for privacy ones. */
function authoriseHandling(doing: string) {
  return ({ row }: Found<ComplaintRow>, ctx: HandlerContext): string | undefined =>
    canHandleComplaint(ctx.actor, row, ctx.office)
      ? undefined
      : `Only managers (${managerNames(ctx.office)}) can ${doing} complaints; they are confidential. ${NOTHING_CHANGED}`;
}

function explainStepRefusal(
  row: ComplaintRow,
  reference: string,
  reason: ComplaintStepRefusal,
  zone: string,
): string {
  const at = (date: Date | null) => (date ? ` on ${formatOfficeTime(date, zone)}` : '');
  switch (reason) {
    case 'already_acknowledged':
      return `${reference} was already acknowledged by ${row.ownerName ?? 'another manager'}${at(row.acknowledgedAt)}, who owns it. ${NOTHING_CHANGED}`;
    case 'already_resolved':
      return `${reference} was already resolved by ${row.resolvedByName ?? 'another manager'}${at(row.resolvedAt)}. ${NOTHING_CHANGED}`;
    case 'not_acknowledged':
      return `${reference} has not been acknowledged yet. Press Acknowledge first (you become its owner), then Resolve. ${NOTHING_CHANGED}`;
    case 'not_resolved':
      return `${reference} is ${COMPLAINT_STATUS_LABELS[row.status]}, not resolved, so there is nothing to reopen. ${NOTHING_CHANGED}`;
  }
}

/** Checks a step against the complaint as stored; a refusal explains what state it is in and who put it there. */
function checkStep(step: ComplaintStep) {
  return ({ row, reference }: Found<ComplaintRow>, ctx: HandlerContext): string | undefined => {
    const check = checkComplaintStep(row.status, step);
    return check.ok ? undefined : explainStepRefusal(row, reference, check.reason, ctx.zone);
  };
}

function dmReporter(row: ComplaintRow, actor: Person, text: string): Effect[] {
  // An anonymous reporter is kept for abuse handling only, so they are not messaged either.
  if (row.anonymous || row.reporterKey === actor.key) return [];
  return [
    { kind: 'dm', to: { platform: row.reporterPlatform, userId: row.reporterUserId }, message: { text } },
  ];
}

async function viewDetails(value: string, ctx: HandlerContext): Promise<Outcome> {
  const looked = await findRequest(complaintKind, value, ctx);
  if (!looked.ok) return looked.outcome;
  const { found } = looked;
  const refused = authoriseHandling('read')(found, ctx);
  if (refused) return refusal(refused);
  await createAuditEntry(ctx.db, {
    officeId: ctx.officeId,
    actor: ctx.actor,
    action: 'complaint.viewed',
    entity: found.reference,
  });
  return { form: buildComplaintDetailsForm(found.row, ctx.office, ctx.now), effects: [] };
}

/** The manager who acknowledges becomes the owner, and the clock to resolve runs. */
const acknowledge: Step<ComplaintRow> = {
  authorise: authoriseHandling('acknowledge'),
  check: checkStep('acknowledge'),
  apply: ({ row }, _values, { actor, db, now }) =>
    acknowledgeComplaint(db, {
      id: row.id,
      fromStatuses: COMPLAINT_STEP_FROM.acknowledge,
      owner: { key: actor.key, name: actor.name, platform: actor.platform, userId: actor.userId },
      at: now.toJSDate(),
    }),
  finish: async ({ row: updated, reference }, _before, _values, { actor, office, zone }) => ({
    audit: { action: 'complaint.acknowledged' },
    reply: {
      text: `Acknowledged ${reference}; you own it now. Resolve it by ${formatDay(updated.resolveDueDay, zone)}.`,
    },
    effects: [
      ...redrawAlerts(updated, office),
      ...dmReporter(
        updated,
        actor,
        `Your complaint ${reference} was acknowledged by ${actor.name}, who will follow it up.`,
      ),
    ],
  }),
};

type Resolution = z.infer<typeof resolveFormSchema>;

const resolve: Step<ComplaintRow, Resolution> & { form: StepForm<ComplaintRow, Resolution> } = {
  authorise: authoriseHandling('resolve'),
  check: checkStep('resolve'),
  apply: ({ row }, values, { actor, db, now }) =>
    resolveComplaint(db, {
      id: row.id,
      fromStatuses: COMPLAINT_STEP_FROM.resolve,
      byName: actor.name,
      at: now.toJSDate(),
      resolution: values.summary,
      patientContacted: values.contacted === 'yes',
    }),
  finish: async ({ row: updated, reference }, _before, _values, { actor, office }) => ({
    audit: { action: 'complaint.resolved', detail: { patientContacted: updated.patientContacted } },
    reply: { text: `Resolved ${reference}.` },
    effects: [
      ...redrawAlerts(updated, office),
      ...dmReporter(updated, actor, `Your complaint ${reference} was resolved by ${actor.name}.`),
    ],
  }),
  form: {
    id: COMPLAINT_FORMS.resolve,
    build: ({ row, reference }) => ({
      title: `Resolve ${reference}`,
      submitLabel: 'Resolve',
      lines: [`${describeComplaintSummary(row)} · owner ${row.ownerName ?? 'nobody yet'}`],
      inputs: [
        {
          kind: 'textarea',
          id: 'summary',
          label: 'Resolution summary',
          maxLength: MAX_COMPLAINT_TEXT,
        },
        {
          kind: 'select',
          id: 'contacted',
          label: 'Was the patient (or the person who complained) contacted?',
          options: [
            { label: 'Yes', value: 'yes' },
            { label: 'No', value: 'no' },
          ],
        },
      ],
    }),
    read(values) {
      const parsed = resolveFormSchema.safeParse(values);
      if (parsed.success) return { ok: true, values: parsed.data };
      const formErrors: Record<string, string> = {};
      for (const issue of parsed.error.issues)
        formErrors[String(issue.path[0] ?? 'summary')] ??= issue.message;
      return { ok: false, formErrors };
    },
  },
};

const reopen: Step<ComplaintRow> = {
  authorise: authoriseHandling('reopen'),
  check: checkStep('reopen'),
  apply: ({ row }, _values, { actor, db, now }) =>
    reopenComplaint(db, {
      id: row.id,
      fromStatuses: COMPLAINT_STEP_FROM.reopen,
      byName: actor.name,
      at: now.toJSDate(),
    }),
  async finish({ row: updated, reference }, _before, _values, { actor, office }) {
    const effects: Effect[] = redrawAlerts(updated, office);
    if (updated.ownerPlatform && updated.ownerUserId && updated.ownerKey !== actor.key) {
      effects.push({
        kind: 'dm',
        to: { platform: updated.ownerPlatform, userId: updated.ownerUserId },
        message: { text: `${reference}, which you own, was reopened by ${actor.name}.` },
      });
    }
    return {
      audit: { action: 'complaint.reopened' },
      reply: { text: `Reopened ${reference}; ${updated.ownerName ?? 'its owner'} still owns it.` },
      effects,
    };
  },
};

/** The reporter may refine what they filed until a manager acknowledges it; the refusal says why not. */
const refine: Step<ComplaintRow, ComplaintDraftFields> & {
  form: StepForm<ComplaintRow, ComplaintDraftFields>;
} = {
  authorise: ({ row, reference }, ctx) =>
    row.reporterKey === ctx.actor.key
      ? undefined
      : `Only the person who logged ${reference} can refine it. ${NOTHING_CHANGED}`,
  check: ({ row, reference }) =>
    row.status === 'new'
      ? undefined
      : `${reference} is already ${COMPLAINT_STATUS_LABELS[row.status]}; please tell ${row.ownerName ?? 'a manager'} what to add. ${NOTHING_CHANGED}`,
  apply: ({ row }, fields, { actor, db }) =>
    updateComplaintDraft(db, { id: row.id, reporterKey: actor.key, fields }),
  async finish({ row: updated, reference }, before, _values, { actor, office }) {
    const alreadyTold = selectComplaintAlertRecipients(before, office).map((member) => member.name);
    const alerts = buildAlertEffects(updated, office, alreadyTold);
    const alerted = alerts.length > 0 ? describeAlerted(updated, office) : undefined;
    return {
      audit: {
        action: 'complaint.refined',
        actor: describeReporterForAudit(actor, updated.anonymous),
        detail: {
          about: updated.about,
          category: updated.category,
          severity: updated.severity,
          anonymous: updated.anonymous,
        },
      },
      reply: {
        text: `Updated ${reference}: ${COMPLAINT_CATEGORY_LABELS[updated.category]} · ${COMPLAINT_SEVERITY_LABELS[updated.severity]}.`,
        ...(alerted ? { lines: [`Updated ${describeComplaintSummary(updated)}.`, alerted] } : {}),
      },
      effects: alerts,
      // The filing confirmation loses its Refine button once the refinement is saved.
      source: {
        text: `Complaint logged: ${reference}`,
        title: `Complaint logged — ${reference}`,
        lines: [`Refined: ${describeComplaintSummary(updated)}.`],
      },
    };
  },
  form: {
    id: COMPLAINT_FORMS.refine,
    build: ({ row }) => {
      const { formId: _id, metadata: _reference, ...form } = buildComplaintForm(row);
      return form;
    },
    read(values) {
      const read = readComplaintForm(values);
      return read.ok ? { ok: true, values: read.fields } : read;
    },
  },
};

async function listOpen(ctx: HandlerContext): Promise<Outcome> {
  const { actor, db, now, officeId, zone } = ctx;
  const rows = await listOpenComplaints(db, officeId);
  await createAuditEntry(db, {
    officeId: officeId,
    actor,
    action: 'complaint.listed',
    entity: 'complaints',
    detail: { open: rows.length },
  });
  const due = (label: string, day: string) =>
    `${label} ${formatDay(day, zone)}${isPastDueDay(day, now, zone) ? ' ⚠️ overdue' : ''}`;
  const lines = rows
    .slice(0, LIST_LIMIT)
    .map((row) =>
      [
        describeComplaintSummary(row),
        COMPLAINT_STATUS_LABELS[row.status],
        `${describeAgeDays(countComplaintAgeDays(DateTime.fromJSDate(row.createdAt), now, zone))} old`,
        `owner ${row.ownerName ?? 'nobody yet'}`,
        ...(row.status === 'new' ? [due('acknowledge by', row.ackDueDay)] : []),
        due('resolve by', row.resolveDueDay),
      ].join(' · '),
    );
  if (rows.length > LIST_LIMIT) lines.push(`…and ${rows.length - LIST_LIMIT} more`);
  if (rows.length === 0) lines.push('No open complaints.');
  return replyOnly({
    text: `Open complaints: ${rows.length}`,
    title: `Open complaints (${rows.length})`,
    lines,
  });
}

async function exportCsv(monthText: string, ctx: HandlerContext): Promise<Outcome> {
  const { office, actor, db, now, officeId, zone } = ctx;
  const example = `/complaint export ${now.setZone(zone).toFormat('yyyy-MM')}`;
  const month = monthText === '' ? undefined : DateTime.fromFormat(monthText, 'yyyy-MM', { zone });
  if (month && !month.isValid) {
    return refusal(`Write the month like ${example}, or leave it out to export every complaint.`);
  }
  const rows = await listComplaintsFiled(
    db,
    officeId,
    month ? { from: month.toJSDate(), to: month.plus({ months: 1 }).toJSDate() } : {},
  );
  const exported = buildComplaintExport(rows, office);
  await createAuditEntry(db, {
    officeId: officeId,
    actor,
    action: 'complaint.exported',
    entity: 'complaints',
    detail: { month: month ? monthText : 'all', rows: exported.shown, total: rows.length },
  });
  const period = month ? month.toFormat('LLLL yyyy') : 'all time';
  const hint = !month && exported.shown < rows.length ? [`Export one month at a time, like ${example}.`] : [];
  return {
    reply: {
      text: `Complaints export, ${period}: ${rows.length}`,
      title: `Complaints export (CSV), ${period}`,
      lines: [...exported.lines, ...hint],
    },
    confidentialReply: true,
    effects: [],
  };
}

async function runComplaintCommand(text: string, ctx: HandlerContext): Promise<Outcome> {
  return text === '' ? { form: buildComplaintForm(), effects: [] } : fileFromText(text, ctx);
}

/** Complaints are confidential: only managers list or export them. */
function refuseConfidential(doing: string) {
  return (managers: string) =>
    `Only managers (${managers}) can ${doing} complaints; they are confidential. /complaint <what happened> logs one.`;
}

/** A details view offers only Close; a submission anyway (a tampered client) changes nothing. */
async function ignoreDetailsSubmission(): Promise<Outcome> {
  return { effects: [] };
}

/** `/complaint`: confidential intake, Acknowledge / Resolve / Reopen on the card, details, list and export. */
export const complaintsFeature: Feature = {
  command: 'complaint',
  usage: {
    summary: 'Log a patient or staff complaint (kept confidential)',
    lines: [
      '/complaint — opens a confidential form: from (patient, visitor, staff), category, severity, what happened, when, the outcome wanted, call back, and for staff complaints "anonymous to the team"',
      '/complaint <what happened> — logs it as category other, severity medium; the confirmation’s Refine button completes it',
      '/complaint list — (managers) open complaints with owner, age and due days',
      '/complaint export [2026-03] — (managers) CSV for the quality log, one month or all; the only listing with the complaint text (cards show it under View details, to managers)',
    ],
  },
  run: runComplaintCommand,
  // Only the exact words are subcommands, so a complaint that starts with "list" is still filed.
  subcommands: [
    {
      words: ['list'],
      maxArgs: 0,
      managerOnly: refuseConfidential('list'),
      run: (_rest, ctx) => listOpen(ctx),
    },
    { words: ['export'], maxArgs: 1, managerOnly: refuseConfidential('export'), run: exportCsv },
  ],
  actions: {
    [COMPLAINT_ACTIONS.details]: viewDetails,
    [COMPLAINT_ACTIONS.acknowledge]: stepButton(complaintKind, acknowledge),
    [COMPLAINT_ACTIONS.resolve]: stepButton(complaintKind, resolve),
    [COMPLAINT_ACTIONS.reopen]: stepButton(complaintKind, reopen),
    [COMPLAINT_ACTIONS.refine]: stepButton(complaintKind, refine),
  },
  forms: {
    [COMPLAINT_FORMS.intake]: submitIntakeForm,
    [COMPLAINT_FORMS.refine]: stepFormHandler(complaintKind, refine),
    [COMPLAINT_FORMS.resolve]: stepFormHandler(complaintKind, resolve),
    [COMPLAINT_FORMS.details]: ignoreDetailsSubmission,
  },
  jobs: [complaintRemindersJob],
  digest: complaintsDigest,
};
