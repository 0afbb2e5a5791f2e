import { z } from 'zod';
import { createAuditEntry } from '../../db/repositories/audit.ts';
import type { Person } from '../../domain/people.ts';
import { formatReference, parseReference, type ReferencePrefix } from '../../domain/references.ts';
import { hasVisibleText } from '../../domain/visible-text.ts';
import type { HandlerContext } from './context.ts';
import { clip, managerNames, NOTHING_CHANGED, refusal } from './copy.ts';
import type { ActionHandler, CommandHandler, FormHandler } from './feature.ts';
import type { Effect, Form, Message, Outcome } from './message.ts';

/**
 * One kind of request that moves through steps (time off, a supply request, a complaint, a rep visit):
 * how its reference is written and read back, and the card that shows it.
 */
export interface RequestKind<Row> {
  prefix: ReferencePrefix;
  /** as in "There is no time-off request TO-3" */
  noun: string;
  /** as in "That is not a time-off reference" */
  referenceNoun: string;
  /** a reference people would recognise, as in "They look like TO-12" */
  example: string;
  /**
   * the request; with `forShare`, locked against change until the transaction ends, so that a card drawn
   * from it cannot overtake a change committed meanwhile (a kind with a card must honour it)
   */
  load(ctx: HandlerContext, number: number, options?: { forShare?: boolean }): Promise<Row | undefined>;
  /** the card as the request now is; a kind without a card posts none */
  card?(row: Row, ctx: HandlerContext): Promise<Message>;
}

/** A request found by its reference. */
export interface Found<Row> {
  row: Row;
  number: number;
  reference: string;
}

/** What a step leaves behind once taken: its audit row, the answer to the actor, and messages to others. */
export interface StepResult {
  audit: { action: string; detail?: Record<string, unknown>; actor?: Person };
  reply: Message;
  /** sent after the card update, which the workflow adds */
  effects: Effect[];
  /** the message whose button started the step, as it should read now (see Outcome.source) */
  source?: Message;
}

/** The form a step asks for before it is taken (a reason, a resolution); the button opens it. */
export interface StepForm<Row, Values> {
  id: string;
  build(found: Found<Row>, ctx: HandlerContext): Omit<Form, 'formId' | 'metadata'>;
  read(
    values: Record<string, string>,
  ): { ok: true; values: Values } | { ok: false; formErrors: Record<string, string> };
  /**
   * What was typed, given back to the person when the submission is refused (the request moved on while
   * the form was open): the form closes, and a long text would otherwise have to be written again.
   */
  giveBack?(values: Values): string[];
}

/**
 * One step of a request's life (approve, deny, cancel, acknowledge…), declared rather than written out:
 * the workflow finds the request, authorises, checks the state, applies the conditional update, explains a
 * lost race, writes the audit row, updates the card and answers.
 */
export interface Step<Row, Values = undefined> {
  /** only managers may take it; the refusal, given the managers' names, is sent before any lookup */
  managerOnly?: (managers: string) => string;
  /** who may take it on this request (its requester, its owner); a refusal is the answer */
  authorise?(found: Found<Row>, ctx: HandlerContext): string | undefined;
  /** whether the request's state allows it; a refusal says what state it is in and who put it there */
  check(found: Found<Row>, ctx: HandlerContext): string | undefined;
  /** the conditional update: the updated row, or undefined when another input moved the request first */
  apply(found: Found<Row>, values: Values, ctx: HandlerContext): Promise<Row | undefined>;
  finish(done: Found<Row>, before: Row, values: Values, ctx: HandlerContext): Promise<StepResult>;
  form?: StepForm<Row, Values>;
  /**
   * For a step whose button is on the actor's own message (a confirmation, never a shared card): that
   * message as it reads once a press finds the step no longer possible, `why` being the refusal.
   */
  staleSource?(found: Found<Row>, why: string, ctx: HandlerContext): Message;
}

type Looked<Row> = { ok: true; found: Found<Row> } | { ok: false; outcome: Outcome };

/** Reads a reference a person typed, or a button or form carried back, and loads the request it names. */
export async function findRequest<Row>(
  kind: RequestKind<Row>,
  text: string,
  ctx: HandlerContext,
): Promise<Looked<Row>> {
  const number = parseReference(text, kind.prefix);
  if (number === undefined) {
    return {
      ok: false,
      outcome: refusal(
        `"${clip(text, 40)}" is not a ${kind.referenceNoun} reference. They look like ${kind.example}.`,
      ),
    };
  }
  const reference = formatReference(kind.prefix, number);
  const row = await kind.load(ctx, number);
  if (!row) return { ok: false, outcome: refusal(`There is no ${kind.noun} ${reference}.`) };
  return { ok: true, found: { row, number, reference } };
}

/** Where a step was asked for: a typed command, or a card's button or the form it opened. */
type Asked = 'command' | 'card';

/**
 * The update that redraws a request's card as it now is, for a press that showed the card was stale (its
 * redraw not yet landed, or a client showing an old copy); none for a kind without a card. The request is
 * read again locked, so that this redraw cannot overtake the card of a change committed meanwhile.
 */
export async function redrawStaleCard<Row>(
  kind: RequestKind<Row>,
  found: Found<Row>,
  ctx: HandlerContext,
): Promise<Effect[]> {
  if (!kind.card) return [];
  const row = (await kind.load(ctx, found.number, { forShare: true })) ?? found.row;
  return [{ kind: 'update', cardKey: found.reference, message: await kind.card(row, ctx) }];
}

/**
 * The refusal of a step the request's state no longer allows. Asked from a card, the card is redrawn (a
 * Slack Home tab that drew it is refreshed by the change), and a button on the actor's own message is
 * taken off it (`Step.staleSource`).
 */
async function refuseStale<Row, Values>(
  kind: RequestKind<Row>,
  step: Step<Row, Values>,
  found: Found<Row>,
  why: string,
  asked: Asked,
  ctx: HandlerContext,
): Promise<Outcome> {
  if (asked === 'command') return refusal(why);
  return {
    ...refusal(why),
    effects: await redrawStaleCard(kind, found, ctx),
    ...(step.staleSource ? { source: step.staleSource(found, why, ctx) } : {}),
  };
}

/** Finds the request and checks the step may be taken on it by this person now. */
async function prepare<Row, Values>(
  kind: RequestKind<Row>,
  step: Step<Row, Values>,
  text: string,
  asked: Asked,
  ctx: HandlerContext,
): Promise<Looked<Row>> {
  if (step.managerOnly && !ctx.actor.isManager) {
    return { ok: false, outcome: refusal(step.managerOnly(managerNames(ctx.office))) };
  }
  const looked = await findRequest(kind, text, ctx);
  if (!looked.ok) return looked;
  const stale = step.check(looked.found, ctx);
  const refused = step.authorise?.(looked.found, ctx) ?? stale;
  if (!refused) return looked;
  // Someone refused for who they are is not answered with a redraw: the card was not stale for them.
  return {
    ok: false,
    outcome:
      refused === stale ? await refuseStale(kind, step, looked.found, refused, asked, ctx) : refusal(refused),
  };
}

/** A refusal with what the person typed given back, privately: it quotes them. */
function giveBackTyped(outcome: Outcome, typed: readonly string[]): Outcome {
  if (typed.length === 0 || !outcome.reply) return outcome;
  const { reply } = outcome;
  return {
    ...outcome,
    reply: { ...reply, lines: [...(reply.lines ?? [reply.text]), ...typed] },
    confidentialReply: true,
    keepReply: true,
  };
}

async function take<Row, Values>(
  kind: RequestKind<Row>,
  step: Step<Row, Values>,
  text: string,
  values: Values,
  asked: Asked,
  ctx: HandlerContext,
  typed: readonly string[] = [],
): Promise<Outcome> {
  const looked = await prepare(kind, step, text, asked, ctx);
  if (!looked.ok) return giveBackTyped(looked.outcome, typed);
  const { found } = looked;
  const updated = await step.apply(found, values, ctx);
  if (!updated) {
    // Another input moved the request between the read and the update: say what it is now.
    const now = await kind.load(ctx, found.number);
    const why = now && step.check({ ...found, row: now }, ctx);
    if (!now || !why)
      return giveBackTyped(
        refusal(`${found.reference} changed a moment ago; please try again. ${NOTHING_CHANGED}`),
        typed,
      );
    return giveBackTyped(await refuseStale(kind, step, found, why, asked, ctx), typed);
  }
  const done = { ...found, row: updated };
  const result = await step.finish(done, found.row, values, ctx);
  await createAuditEntry(ctx.db, {
    officeId: ctx.officeId,
    actor: result.audit.actor ?? ctx.actor,
    action: result.audit.action,
    entity: found.reference,
    ...(result.audit.detail ? { detail: result.audit.detail } : {}),
  });
  const card: Effect[] = kind.card
    ? [{ kind: 'update', cardKey: found.reference, message: await kind.card(updated, ctx) }]
    : [];
  return {
    reply: result.reply,
    effects: [...card, ...result.effects],
    ...(result.source ? { source: result.source } : {}),
  };
}

/**
 * A step without a form taken on the reference typed after a subcommand (`/timeoff cancel TO-3`); without
 * a reference, `missing` says how to write it.
 */
export function stepCommand<Row>(kind: RequestKind<Row>, step: Step<Row>, missing: string): CommandHandler {
  return async (text, ctx) => (text ? take(kind, step, text, undefined, 'command', ctx) : refusal(missing));
}

/** Takes a step, or opens its form when it has one, on the reference `text`. */
function startStep<Row, Values>(
  kind: RequestKind<Row>,
  step: Step<Row, Values>,
  asked: Asked,
): (text: string, ctx: HandlerContext) => Promise<Outcome> {
  return async (text, ctx) => {
    const { form } = step;
    if (!form) return take(kind, step as Step<Row, undefined>, text, undefined, asked, ctx);
    const looked = await prepare(kind, step, text, asked, ctx);
    if (!looked.ok) return looked.outcome;
    const built = form.build(looked.found, ctx);
    return { form: { ...built, formId: form.id, metadata: looked.found.reference }, effects: [] };
  };
}

/** The button of a step: takes it, or opens its form when it has one. The button's value is the reference. */
export function stepButton<Row, Values>(kind: RequestKind<Row>, step: Step<Row, Values>): ActionHandler {
  return startStep(kind, step, 'card');
}

/**
 * The submission of a step's form. The reference comes back in the form's metadata; who may take the step is
 * checked again now, from the config, never from anything the form carried.
 */
export function stepFormHandler<Row, Values>(
  kind: RequestKind<Row>,
  step: Step<Row, Values> & { form: StepForm<Row, Values> },
): FormHandler {
  return async (values, metadata, ctx) => {
    const read = step.form.read(values);
    if (!read.ok) return { formErrors: read.formErrors, effects: [] };
    const typed = step.form.giveBack?.(read.values) ?? [];
    return take(kind, step, metadata ?? '', read.values, 'card', ctx, typed);
  };
}

/**
 * The form every "why" step shares (deny, or cancel someone's approved request): one reason for the
 * requester, optional unless `required`.
 */
export function reasonForm<Row>(params: {
  id: string;
  title: (reference: string) => string;
  submitLabel: string;
  maxLength: number;
  required?: boolean;
}): StepForm<Row, { reason: string }> {
  const text = z
    .string({ error: 'Say why; the requester is told.' })
    .trim()
    .max(params.maxLength, `Keep the reason under ${params.maxLength} characters.`);
  const schema = z.object({
    reason: params.required
      ? text.refine(hasVisibleText, 'Say why; the requester is told.')
      : text.default(''),
  });
  return {
    id: params.id,
    build: ({ reference }) => ({
      title: params.title(reference),
      submitLabel: params.submitLabel,
      inputs: [
        {
          kind: 'textarea',
          id: 'reason',
          label: 'Reason for the requester',
          optional: !params.required,
          maxLength: params.maxLength,
        },
      ],
    }),
    read(values) {
      const parsed = schema.safeParse(values);
      if (parsed.success) return { ok: true, values: parsed.data };
      return { ok: false, formErrors: { reason: parsed.error.issues[0]?.message ?? 'Check the reason.' } };
    },
  };
}

/** A deny step that first asks for an optional reason for the requester. */
export function withDenyReason<Row>(
  step: Step<Row, { reason: string }>,
  formId: string,
  maxLength: number,
): Step<Row, { reason: string }> & { form: StepForm<Row, { reason: string }> } {
  return {
    ...step,
    form: reasonForm({
      id: formId,
      title: (reference) => `Deny ${reference}`,
      submitLabel: 'Deny',
      maxLength,
    }),
  };
}

/** A cancel step that first asks for a reason the requester is told; the form cannot be sent empty. */
export function withCancelReason<Row>(
  step: Step<Row, { reason: string }>,
  params: { formId: string; submitLabel: string; maxLength: number },
): Step<Row, { reason: string }> & { form: StepForm<Row, { reason: string }> } {
  return {
    ...step,
    form: reasonForm({
      id: params.formId,
      title: (reference) => `Cancel ${reference}`,
      submitLabel: params.submitLabel,
      maxLength: params.maxLength,
      required: true,
    }),
  };
}

/**
 * A subcommand taking a step on a typed reference (`/timeoff cancel TO-3`): through its reason form when
 * `needsReason` says the case calls for one (a manager cancelling someone's approved request), at once
 * otherwise; without a reference, `missing` says how to write it.
 */
export function stepCommandWithReason<Row>(
  kind: RequestKind<Row>,
  steps: {
    plain: Step<Row>;
    withReason: Step<Row, { reason: string }> & { form: StepForm<Row, { reason: string }> };
  },
  needsReason: (row: Row, actor: Person) => boolean,
  missing: string,
): CommandHandler {
  const plain = stepCommand(kind, steps.plain, missing);
  const asking = startStep(kind, steps.withReason, 'command');
  return async (text, ctx) => {
    const looked = text ? await findRequest(kind, text, ctx) : undefined;
    return looked?.ok && needsReason(looked.found.row, ctx.actor) ? asking(text, ctx) : plain(text, ctx);
  };
}

/** How the actor stands to a request: the person who filed it, a manager, or someone else. */
export function relationTo(
  requesterKey: string,
  actor: Pick<Person, 'key' | 'isManager'>,
): 'requester' | 'manager' | 'other' {
  if (requesterKey === actor.key) return 'requester';
  return actor.isManager ? 'manager' : 'other';
}
