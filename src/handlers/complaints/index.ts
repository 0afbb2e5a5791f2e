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
import { listManagers, type Person } from '../../domain/people.ts';
import { formatReference, parseReference } from '../../domain/references.ts';
import type { HandlerContext } from '../kernel/context.ts';
import type { Feature } from '../kernel/feature.ts';
import { listRecipients } from '../kernel/jobs.ts';
import type { Effect, Form, FormInput, Outcome } from '../kernel/message.ts';
import { replyOnly } from '../kernel/message.ts';
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
import { complaintRemindersJob } from './reminders.ts';

const NOTHING_SAVED = 'Nothing was saved.';
const NOTHING_CHANGED = 'Nothing was changed.';
const MAX_WHEN = 200;
const MAX_OUTCOME = 1000;
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

type Found = { ok: true; row: ComplaintRow; reference: string } | { ok: false; outcome: Outcome };

function refusal(text: string): Outcome {
  return replyOnly({ text, lines: [text] });
}

function managerNames(office: OfficeConfig): string {
  const names = listManagers(office).map((member) => member.name);
  return names.length > 0 ? names.join(' or ') : 'a manager';
}

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

/** Direct messages to whoever must hear about this complaint now and was not told already. */
function buildAlertEffects(
  row: ComplaintRow,
  office: OfficeConfig,
  alreadyTold: readonly string[],
): Effect[] {
  const message = buildComplaintAlert(row, office);
  return selectComplaintAlertRecipients(row, office)
    .filter((member) => !alreadyTold.includes(member.name))
    .flatMap((member) => listRecipients(member).map((to): Effect => ({ kind: 'dm', to, message })));
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

async function findComplaint(referenceText: string, ctx: HandlerContext): Promise<Found> {
  const number = parseReference(referenceText, 'CP');
  if (number === undefined) {
    return {
      ok: false,
      outcome: refusal(`That is not a complaint reference; they look like CP-3. ${NOTHING_CHANGED}`),
    };
  }
  const reference = formatReference('CP', number);
  const row = await getComplaint(ctx.db, ctx.officeId, number);
  if (!row) return { ok: false, outcome: refusal(`There is no complaint ${reference}. ${NOTHING_CHANGED}`) };
  return { ok: true, row, reference };
}

/** Finds the complaint a button or form names and checks, from the office config, that the actor may handle it. */
async function findHandledComplaint(
  referenceText: string,
  doing: string,
  ctx: HandlerContext,
): Promise<Found> {
  const found = await findComplaint(referenceText, ctx);
  if (!found.ok) return found;
  if (!canHandleComplaint(ctx.actor, found.row, ctx.office)) {
    return {
      ok: false,
      outcome: refusal(
        `Only managers (${managerNames(ctx.office)}) can ${doing} complaints; they are confidential. ${NOTHING_CHANGED}`,
      ),
    };
  }
  return found;
}

function explainStepRefusal(
  row: ComplaintRow,
  reference: string,
  reason: ComplaintStepRefusal,
  zone: string,
): Outcome {
  const at = (date: Date | null) => (date ? ` on ${formatOfficeTime(date, zone)}` : '');
  switch (reason) {
    case 'already_acknowledged':
      return refusal(
        `${reference} was already acknowledged by ${row.ownerName ?? 'another manager'}${at(row.acknowledgedAt)}, who owns it. ${NOTHING_CHANGED}`,
      );
    case 'already_resolved':
      return refusal(
        `${reference} was already resolved by ${row.resolvedByName ?? 'another manager'}${at(row.resolvedAt)}. ${NOTHING_CHANGED}`,
      );
    case 'not_acknowledged':
      return refusal(
        `${reference} has not been acknowledged yet. Press Acknowledge first (you become its owner), then Resolve. ${NOTHING_CHANGED}`,
      );
    case 'not_resolved':
      return refusal(
        `${reference} is ${COMPLAINT_STATUS_LABELS[row.status]}, not resolved, so there is nothing to reopen. ${NOTHING_CHANGED}`,
      );
  }
}

/** Checks a step against the complaint as stored; a refusal explains what state it is in and who put it there. */
function checkStep(
  found: { row: ComplaintRow; reference: string },
  step: ComplaintStep,
  ctx: HandlerContext,
) {
  const check = checkComplaintStep(found.row.status, step);
  return check.ok ? undefined : explainStepRefusal(found.row, found.reference, check.reason, ctx.zone);
}

/** After a conditional update changed nothing: someone else moved the complaint first, so say what it is now. */
async function explainLostRace(
  found: { row: ComplaintRow; reference: string },
  step: ComplaintStep,
  ctx: HandlerContext,
): Promise<Outcome> {
  const current = (await getComplaint(ctx.db, ctx.officeId, found.row.number)) ?? found.row;
  return (
    checkStep({ row: current, reference: found.reference }, step, ctx) ??
    refusal(`${found.reference} changed a moment ago; please try again. ${NOTHING_CHANGED}`)
  );
}

function dmReporter(row: ComplaintRow, actor: Person, text: string): Effect[] {
  // An anonymous reporter is kept for abuse handling only, so they are not messaged either.
  if (row.anonymous || row.reporterKey === actor.key) return [];
  return [
    { kind: 'dm', to: { platform: row.reporterPlatform, userId: row.reporterUserId }, message: { text } },
  ];
}

async function viewDetails(value: string, ctx: HandlerContext): Promise<Outcome> {
  const found = await findHandledComplaint(value, 'read', ctx);
  if (!found.ok) return found.outcome;
  await createAuditEntry(ctx.db, {
    officeId: ctx.officeId,
    actor: ctx.actor,
    action: 'complaint.viewed',
    entity: found.reference,
  });
  return { form: buildComplaintDetailsForm(found.row, ctx.office, ctx.now), effects: [] };
}

async function acknowledge(value: string, ctx: HandlerContext): Promise<Outcome> {
  const { office, actor, db, now, officeId, zone } = ctx;
  const found = await findHandledComplaint(value, 'acknowledge', ctx);
  if (!found.ok) return found.outcome;
  const refused = checkStep(found, 'acknowledge', ctx);
  if (refused) return refused;
  const updated = await acknowledgeComplaint(db, {
    id: found.row.id,
    fromStatuses: COMPLAINT_STEP_FROM.acknowledge,
    owner: { key: actor.key, name: actor.name, platform: actor.platform, userId: actor.userId },
    at: now.toJSDate(),
  });
  if (!updated) return explainLostRace(found, 'acknowledge', ctx);
  await createAuditEntry(db, {
    officeId: officeId,
    actor,
    action: 'complaint.acknowledged',
    entity: found.reference,
  });
  return {
    reply: {
      text: `Acknowledged ${found.reference}; you own it now. Resolve it by ${formatDay(updated.resolveDueDay, zone)}.`,
    },
    effects: [
      { kind: 'update', cardKey: found.reference, message: buildComplaintCard(updated, office, now) },
      ...dmReporter(
        updated,
        actor,
        `Your complaint ${found.reference} was acknowledged by ${actor.name}, who will follow it up.`,
      ),
    ],
  };
}

async function openResolveForm(value: string, ctx: HandlerContext): Promise<Outcome> {
  const found = await findHandledComplaint(value, 'resolve', ctx);
  if (!found.ok) return found.outcome;
  const refused = checkStep(found, 'resolve', ctx);
  if (refused) return refused;
  return {
    form: {
      formId: COMPLAINT_FORMS.resolve,
      title: `Resolve ${found.reference}`,
      submitLabel: 'Resolve',
      metadata: found.reference,
      lines: [`${describeComplaintSummary(found.row)} · owner ${found.row.ownerName ?? 'nobody yet'}`],
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
    },
    effects: [],
  };
}

async function submitResolveForm(
  values: Record<string, string>,
  metadata: string | undefined,
  ctx: HandlerContext,
): Promise<Outcome> {
  const { office, actor, db, now, officeId } = ctx;
  const parsed = resolveFormSchema.safeParse(values);
  if (!parsed.success) {
    const formErrors: Record<string, string> = {};
    for (const issue of parsed.error.issues) formErrors[String(issue.path[0] ?? 'summary')] ??= issue.message;
    return { formErrors, effects: [] };
  }
  // The reference comes back from the form; who may resolve is checked again now, from the config.
  const found = await findHandledComplaint(metadata ?? '', 'resolve', ctx);
  if (!found.ok) return found.outcome;
  const refused = checkStep(found, 'resolve', ctx);
  if (refused) return refused;
  const updated = await resolveComplaint(db, {
    id: found.row.id,
    fromStatuses: COMPLAINT_STEP_FROM.resolve,
    byName: actor.name,
    at: now.toJSDate(),
    resolution: parsed.data.summary,
    patientContacted: parsed.data.contacted === 'yes',
  });
  if (!updated) return explainLostRace(found, 'resolve', ctx);
  await createAuditEntry(db, {
    officeId: officeId,
    actor,
    action: 'complaint.resolved',
    entity: found.reference,
    detail: { patientContacted: updated.patientContacted },
  });
  return {
    reply: { text: `Resolved ${found.reference}.` },
    effects: [
      { kind: 'update', cardKey: found.reference, message: buildComplaintCard(updated, office, now) },
      ...dmReporter(updated, actor, `Your complaint ${found.reference} was resolved by ${actor.name}.`),
    ],
  };
}

async function reopen(value: string, ctx: HandlerContext): Promise<Outcome> {
  const { office, actor, db, now, officeId } = ctx;
  const found = await findHandledComplaint(value, 'reopen', ctx);
  if (!found.ok) return found.outcome;
  const refused = checkStep(found, 'reopen', ctx);
  if (refused) return refused;
  const updated = await reopenComplaint(db, {
    id: found.row.id,
    fromStatuses: COMPLAINT_STEP_FROM.reopen,
    byName: actor.name,
    at: now.toJSDate(),
  });
  if (!updated) return explainLostRace(found, 'reopen', ctx);
  await createAuditEntry(db, {
    officeId: officeId,
    actor,
    action: 'complaint.reopened',
    entity: found.reference,
  });
  const effects: Effect[] = [
    { kind: 'update', cardKey: found.reference, message: buildComplaintCard(updated, office, now) },
  ];
  if (updated.ownerPlatform && updated.ownerUserId && updated.ownerKey !== actor.key) {
    effects.push({
      kind: 'dm',
      to: { platform: updated.ownerPlatform, userId: updated.ownerUserId },
      message: { text: `${found.reference}, which you own, was reopened by ${actor.name}.` },
    });
  }
  return {
    reply: { text: `Reopened ${found.reference}; ${updated.ownerName ?? 'its owner'} still owns it.` },
    effects,
  };
}

/** The reporter may refine what they filed until a manager acknowledges it; the refusal says why not. */
async function findOwnNewComplaint(referenceText: string, ctx: HandlerContext): Promise<Found> {
  const found = await findComplaint(referenceText, ctx);
  if (!found.ok) return found;
  if (found.row.reporterKey !== ctx.actor.key) {
    return {
      ok: false,
      outcome: refusal(`Only the person who logged ${found.reference} can refine it. ${NOTHING_CHANGED}`),
    };
  }
  if (found.row.status !== 'new') {
    return {
      ok: false,
      outcome: refusal(
        `${found.reference} is already ${COMPLAINT_STATUS_LABELS[found.row.status]}; please tell ${found.row.ownerName ?? 'a manager'} what to add. ${NOTHING_CHANGED}`,
      ),
    };
  }
  return found;
}

async function openRefineForm(value: string, ctx: HandlerContext): Promise<Outcome> {
  const found = await findOwnNewComplaint(value, ctx);
  if (!found.ok) return found.outcome;
  return { form: buildComplaintForm(found.row), effects: [] };
}

async function submitRefineForm(
  values: Record<string, string>,
  metadata: string | undefined,
  ctx: HandlerContext,
): Promise<Outcome> {
  const { office, actor, db, now, officeId } = ctx;
  const read = readComplaintForm(values);
  if (!read.ok) return { formErrors: read.formErrors, effects: [] };
  const found = await findOwnNewComplaint(metadata ?? '', ctx);
  if (!found.ok) return found.outcome;
  const updated = await updateComplaintDraft(db, {
    id: found.row.id,
    reporterKey: actor.key,
    fields: read.fields,
  });
  if (!updated) return explainLostRace(found, 'acknowledge', ctx);
  await createAuditEntry(db, {
    officeId: officeId,
    actor: describeReporterForAudit(actor, updated.anonymous),
    action: 'complaint.refined',
    entity: found.reference,
    detail: {
      about: updated.about,
      category: updated.category,
      severity: updated.severity,
      anonymous: updated.anonymous,
    },
  });
  const alreadyTold = selectComplaintAlertRecipients(found.row, office).map((member) => member.name);
  const alerts = buildAlertEffects(updated, office, alreadyTold);
  const alerted = alerts.length > 0 ? describeAlerted(updated, office) : undefined;
  return {
    reply: {
      text: `Updated ${found.reference}: ${COMPLAINT_CATEGORY_LABELS[updated.category]} · ${COMPLAINT_SEVERITY_LABELS[updated.severity]}.`,
      ...(alerted ? { lines: [`Updated ${describeComplaintSummary(updated)}.`, alerted] } : {}),
    },
    effects: [
      { kind: 'update', cardKey: found.reference, message: buildComplaintCard(updated, office, now) },
      ...alerts,
    ],
  };
}

function refuseNonManager(doing: string, ctx: HandlerContext): Outcome | undefined {
  if (ctx.actor.isManager) return undefined;
  return refusal(
    `Only managers (${managerNames(ctx.office)}) can ${doing} complaints; they are confidential. /complaint <what happened> logs one.`,
  );
}

async function listOpen(ctx: HandlerContext): Promise<Outcome> {
  const { actor, db, now, officeId, zone } = ctx;
  const refused = refuseNonManager('list', ctx);
  if (refused) return refused;
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
  const refused = refuseNonManager('export', ctx);
  if (refused) return refused;
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
  if (text === '') return { form: buildComplaintForm(), effects: [] };
  const [word = '', ...rest] = text.split(/\s+/);
  const keyword = word.toLowerCase();
  // Only the exact words are commands, so a complaint that starts with "list" is still filed.
  if (keyword === 'list' && rest.length === 0) return listOpen(ctx);
  if (keyword === 'export' && rest.length <= 1) return exportCsv(rest[0] ?? '', ctx);
  return fileFromText(text, ctx);
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
      '/complaint — opens a form: who it is from, category, severity, what happened, call back',
      '/complaint <what happened> — logs it from your text (category other, severity medium); Refine adds the rest',
      '/complaint list — (managers) open complaints with owner, age and due dates',
      '/complaint export [2026-03] — (managers) CSV for the quality log, one month or all',
    ],
  },
  run: runComplaintCommand,
  actions: {
    [COMPLAINT_ACTIONS.details]: viewDetails,
    [COMPLAINT_ACTIONS.acknowledge]: acknowledge,
    [COMPLAINT_ACTIONS.resolve]: openResolveForm,
    [COMPLAINT_ACTIONS.reopen]: reopen,
    [COMPLAINT_ACTIONS.refine]: openRefineForm,
  },
  forms: {
    [COMPLAINT_FORMS.intake]: submitIntakeForm,
    [COMPLAINT_FORMS.refine]: submitRefineForm,
    [COMPLAINT_FORMS.resolve]: submitResolveForm,
    [COMPLAINT_FORMS.details]: ignoreDetailsSubmission,
  },
  jobs: [complaintRemindersJob],
};
