import { z } from 'zod';
import {
  finishTeamIssue,
  getTeamIssue,
  type TeamIssueRow,
  takeTeamIssue,
} from '../../db/repositories/team-issues.ts';
import { formatOfficeTime } from '../../domain/dates.ts';
import {
  authoriseIssueDone,
  checkIssueDone,
  checkIssueTake,
  type IssueStepRefusal,
  MAX_ISSUE_NOTE,
} from '../../domain/issues.ts';
import type { HandlerContext } from '../kernel/context.ts';
import { managerNames, NOTHING_CHANGED } from '../kernel/copy.ts';
import type { Effect, Recipient } from '../kernel/message.ts';
import { redrawSentCards } from '../kernel/sent-cards.ts';
import type { Found, RequestKind, Step, StepForm } from '../kernel/workflow.ts';
import { buildDoneNotice, buildIssueCard, buildTakenNotice } from './card.ts';
import { listManagerFlags } from './flags.ts';
import { ISSUE_FORMS } from './ids.ts';

export const issueKind: RequestKind<TeamIssueRow> = {
  prefix: 'IS',
  noun: 'issue',
  referenceNoun: 'issue',
  example: 'IS-5',
  load: (ctx, number, options) => getTeamIssue(ctx.db, ctx.officeId, number, options),
  card: async (row, ctx) => buildIssueCard(row, ctx.zone),
};

/** The managers' "not taken" flags that were sent, redrawn as the issue's card now reads (no Take it). */
async function redrawFlags(row: TeamIssueRow, ctx: HandlerContext): Promise<Effect[]> {
  return redrawSentCards(ctx, listManagerFlags(row, ctx.office), buildIssueCard(row, ctx.zone));
}

function explain(
  row: TeamIssueRow,
  reference: string,
  reason: IssueStepRefusal,
  ctx: HandlerContext,
): string {
  const at = (date: Date | null) => (date ? ` on ${formatOfficeTime(date, ctx.zone)}` : '');
  switch (reason) {
    case 'already_taken':
      return row.ownerKey === ctx.actor.key
        ? `You already own ${reference}. ${NOTHING_CHANGED}`
        : `${reference} was already taken by ${row.ownerName ?? 'someone'}${at(row.takenAt)}. ${NOTHING_CHANGED}`;
    case 'already_done':
      return `${reference} was already done by ${row.doneByName ?? 'someone'}${at(row.doneAt)}. ${NOTHING_CHANGED}`;
    case 'not_owner':
      return `Only ${reference}'s owner${row.ownerName ? ` (${row.ownerName})` : ''} or a manager (${managerNames(ctx.office)}) can mark it done.${row.status === 'open' ? ' Press Take it first to own it.' : ''} ${NOTHING_CHANGED}`;
  }
}

/** The raiser, unless they are the one acting: nobody is told what they did themselves. */
function raiserUnlessActor(row: TeamIssueRow, ctx: HandlerContext): Recipient | undefined {
  return row.raiserKey === ctx.actor.key
    ? undefined
    : { platform: row.raiserPlatform, userId: row.raiserUserId };
}

/** `Take it`: anyone becomes the owner of an issue nobody owns; the raiser is told. */
export const takeStep: Step<TeamIssueRow> = {
  check: ({ row, reference }, ctx) => {
    const refused = checkIssueTake(row);
    return refused ? explain(row, reference, refused, ctx) : undefined;
  },
  apply: ({ row }, _values, ctx) =>
    takeTeamIssue(ctx.db, {
      id: row.id,
      ownerKey: ctx.actor.key,
      ownerName: ctx.actor.name,
      at: ctx.now.toJSDate(),
    }),
  async finish({ row, reference }, _before, _values, ctx) {
    const raiser = raiserUnlessActor(row, ctx);
    const effects: Effect[] = raiser ? [{ kind: 'dm', to: raiser, message: buildTakenNotice(row) }] : [];
    effects.push(...(await redrawFlags(row, ctx)));
    return {
      audit: { action: 'issue.taken' },
      reply: {
        text: `You own ${reference} now. Press Done on its card when it is fixed.`,
      },
      effects,
    };
  },
};

const doneFormSchema = z.object({
  note: z
    .string()
    .trim()
    .max(MAX_ISSUE_NOTE, `Keep the note under ${MAX_ISSUE_NOTE} characters.`)
    .default(''),
});

const doneForm: StepForm<TeamIssueRow, { note: string }> = {
  id: ISSUE_FORMS.done,
  build: ({ reference }) => ({
    title: `Done: ${reference}`,
    submitLabel: 'Mark done',
    lines: ['The person who raised it is told, with your note.'],
    inputs: [
      {
        kind: 'textarea',
        id: 'note',
        label: 'Note (what was done)',
        optional: true,
        maxLength: MAX_ISSUE_NOTE,
      },
    ],
  }),
  read(values) {
    const parsed = doneFormSchema.safeParse(values);
    if (parsed.success) return { ok: true, values: parsed.data };
    return { ok: false, formErrors: { note: parsed.error.issues[0]?.message ?? 'Check the note.' } };
  },
};

/** `Done`: the owner or a manager finishes the issue, with an optional note the raiser is told. */
export const doneStep: Step<TeamIssueRow, { note: string }> & {
  form: StepForm<TeamIssueRow, { note: string }>;
} = {
  authorise: ({ row, reference }: Found<TeamIssueRow>, ctx) => {
    // A done issue says so whoever presses, rather than "only the owner".
    const refused = checkIssueDone(row) ?? authoriseIssueDone(row, ctx.actor);
    return refused ? explain(row, reference, refused, ctx) : undefined;
  },
  check: ({ row, reference }, ctx) => {
    const refused = checkIssueDone(row);
    return refused ? explain(row, reference, refused, ctx) : undefined;
  },
  apply: ({ row }, values, ctx) =>
    finishTeamIssue(ctx.db, {
      id: row.id,
      byKey: ctx.actor.key,
      byName: ctx.actor.name,
      note: values.note,
      at: ctx.now.toJSDate(),
    }),
  async finish({ row, reference }, _before, values, ctx) {
    const raiser = raiserUnlessActor(row, ctx);
    const effects: Effect[] = raiser ? [{ kind: 'dm', to: raiser, message: buildDoneNotice(row) }] : [];
    effects.push(...(await redrawFlags(row, ctx)));
    return {
      // Whether a note was left, never its words: audit detail holds no typed text.
      audit: { action: 'issue.done', detail: { note: values.note !== '' } },
      reply: {
        text: `${reference} is done.${raiser ? ` ${row.raiserName} has been told.` : ''}`,
      },
      effects,
    };
  },
  form: doneForm,
};
