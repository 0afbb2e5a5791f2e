import { z } from 'zod';
import { createAuditEntry, replaceAuditActor } from '../../db/repositories/audit.ts';
import {
  acknowledgeComplaint,
  type ComplaintDraftFields,
  type ComplaintRow,
  getComplaint,
  reopenComplaint,
  resolveComplaint,
  updateComplaintDraft,
} from '../../db/repositories/complaints.ts';
import {
  COMPLAINT_STEP_FROM,
  type ComplaintStep,
  type ComplaintStepRefusal,
  canHandleComplaint,
  checkComplaintStep,
  MAX_COMPLAINT_TEXT,
} from '../../domain/complaints.ts';
import { formatDay, formatOfficeTime } from '../../domain/dates.ts';
import type { Person } from '../../domain/people.ts';
import { hasVisibleText } from '../../domain/visible-text.ts';
import type { HandlerContext } from '../kernel/context.ts';
import { managerNames, NOTHING_CHANGED, refusal } from '../kernel/copy.ts';
import { readFormErrors } from '../kernel/forms.ts';
import type { Effect, Outcome } from '../kernel/message.ts';
import { type Found, findRequest, type RequestKind, type Step, type StepForm } from '../kernel/workflow.ts';
import { buildAlertEffects, describeAlerted, redrawAlerts } from './alerts.ts';
import {
  buildComplaintCard,
  buildComplaintDetailsForm,
  COMPLAINT_CATEGORY_LABELS,
  COMPLAINT_SEVERITY_LABELS,
  COMPLAINT_STATUS_LABELS,
  describeComplaintSummary,
} from './card.ts';
import { loadResolutionHistory } from './history.ts';
import { COMPLAINT_FORMS } from './ids.ts';
import {
  buildComplaintForm,
  describeReporterForAudit,
  limitText,
  readComplaintForm,
  YES_NO,
} from './intake.ts';
import { findActingOwner } from './owner.ts';

const resolveFormSchema = z.object({
  summary: z
    .string({ error: 'Say how it was resolved.' })
    .trim()
    .refine(hasVisibleText, 'Say how it was resolved.')
    .max(MAX_COMPLAINT_TEXT, limitText('The resolution summary', MAX_COMPLAINT_TEXT)),
  contacted: z.enum(YES_NO, { error: 'Answer yes or no.' }),
});

export const complaintKind: RequestKind<ComplaintRow> = {
  prefix: 'CP',
  noun: 'complaint',
  referenceNoun: 'complaint',
  example: 'CP-3',
  load: (ctx, number, options) => getComplaint(ctx.db, ctx.officeId, number, options),
  card: async (row, ctx) => buildComplaintCard(row, ctx.office, ctx.now, await loadResolutions(ctx, row)),
};

async function loadResolutions(ctx: HandlerContext, row: ComplaintRow) {
  return (await loadResolutionHistory(ctx.db, [row.id])).get(row.id) ?? [];
}

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

export async function viewDetails(value: string, ctx: HandlerContext): Promise<Outcome> {
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
  const resolutions = await loadResolutions(ctx, found.row);
  return { form: buildComplaintDetailsForm(found.row, ctx.office, ctx.now, resolutions), effects: [] };
}

/** The manager who acknowledges becomes the owner, and the clock to resolve runs. */
export const acknowledge: Step<ComplaintRow> = {
  authorise: authoriseHandling('acknowledge'),
  check: checkStep('acknowledge'),
  apply: ({ row }, _values, { actor, db, now }) =>
    acknowledgeComplaint(db, {
      id: row.id,
      fromStatuses: COMPLAINT_STEP_FROM.acknowledge,
      owner: { key: actor.key, name: actor.name, platform: actor.platform, userId: actor.userId },
      at: now.toJSDate(),
    }),
  finish: async ({ row: updated, reference }, _before, _values, ctx) => ({
    audit: { action: 'complaint.acknowledged' },
    reply: {
      text: `Acknowledged ${reference}; you own it now. Resolve it by ${formatDay(updated.resolveDueDay, ctx.zone)}.`,
    },
    effects: [
      ...(await redrawAlerts(updated, ctx)),
      ...dmReporter(
        updated,
        ctx.actor,
        `Your complaint ${reference} was acknowledged by ${ctx.actor.name}, who will follow it up.`,
      ),
    ],
  }),
};

type Resolution = z.infer<typeof resolveFormSchema>;

export const resolve: Step<ComplaintRow, Resolution> & { form: StepForm<ComplaintRow, Resolution> } = {
  authorise: authoriseHandling('resolve'),
  check: checkStep('resolve'),
  apply: ({ row }, values, { actor, db, now }) =>
    resolveComplaint(db, {
      id: row.id,
      fromStatuses: COMPLAINT_STEP_FROM.resolve,
      by: { key: actor.key, name: actor.name },
      at: now.toJSDate(),
      resolution: values.summary,
      patientContacted: values.contacted === 'yes',
    }),
  finish: async ({ row: updated, reference }, _before, _values, ctx) => ({
    audit: { action: 'complaint.resolved', detail: { patientContacted: updated.patientContacted } },
    reply: { text: `Resolved ${reference}.` },
    effects: [
      ...(await redrawAlerts(updated, ctx)),
      ...dmReporter(updated, ctx.actor, `Your complaint ${reference} was resolved by ${ctx.actor.name}.`),
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
      const formErrors = readFormErrors(parsed.error, 'summary');
      return { ok: false, formErrors };
    },
  },
};

export const reopen: Step<ComplaintRow> = {
  authorise: authoriseHandling('reopen'),
  check: checkStep('reopen'),
  apply: ({ row }, _values, { actor, db, now }) =>
    reopenComplaint(db, {
      id: row.id,
      fromStatuses: COMPLAINT_STEP_FROM.reopen,
      byName: actor.name,
      at: now.toJSDate(),
    }),
  async finish({ row: updated, reference }, _before, _values, ctx) {
    const { actor } = ctx;
    const effects: Effect[] = await redrawAlerts(updated, ctx);
    const owner = findActingOwner(updated, ctx.office);
    if (owner && updated.ownerKey !== actor.key) {
      effects.push({
        kind: 'dm',
        to: owner,
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
export const refine: Step<ComplaintRow, ComplaintDraftFields> & {
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
  async finish({ row: updated, reference }, before, _values, ctx) {
    const { actor, office } = ctx;
    if (updated.anonymous && !before.anonymous) {
      const anonymous = describeReporterForAudit(actor, true);
      const reporterActions = ['complaint.filed', 'complaint.refined'];
      await replaceAuditActor(
        ctx.db,
        { officeId: ctx.officeId, entity: reference, actorKey: actor.key, actions: reporterActions },
        anonymous,
      );
    }
    // The alerts already sent show the complaint as refined; only whoever was never alerted gets a new one.
    const redrawn = await redrawAlerts(updated, ctx);
    const sent = new Set(redrawn.flatMap((effect) => (effect.kind === 'update' ? [effect.cardKey] : [])));
    const alerts = buildAlertEffects(updated, office, sent);
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
      effects: [...alerts, ...redrawn],
      // The filing confirmation loses its Refine button once the refinement is saved.
      source: {
        text: `Complaint logged: ${reference}`,
        title: `Complaint logged — ${reference}`,
        lines: [`Refined: ${describeComplaintSummary(updated)}.`],
      },
    };
  },
  // A Refine pressed after a manager acknowledged: the filing confirmation loses its button too.
  staleSource: ({ row, reference }) => ({
    text: `Complaint logged: ${reference}`,
    title: `Complaint logged — ${reference}`,
    lines: [`Logged: ${describeComplaintSummary(row)}.`],
    note: `Now ${COMPLAINT_STATUS_LABELS[row.status]}; tell ${row.ownerName ?? 'a manager'} what to add.`,
  }),
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
    giveBack: (fields) => [
      'What you wrote, to pass on:',
      fields.description,
      ...(fields.occurredWhen ? [`When: ${fields.occurredWhen}`] : []),
      ...(fields.desiredOutcome ? [`Outcome wanted: ${fields.desiredOutcome}`] : []),
    ],
  },
};
