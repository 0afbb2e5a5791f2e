import { z } from 'zod';
import { createAuditEntry } from '../../db/repositories/audit.ts';
import { createTeamIssue } from '../../db/repositories/team-issues.ts';
import { checkIssueText, ISSUE_CATEGORIES, type IssueCategory, MAX_ISSUE_TEXT } from '../../domain/issues.ts';
import type { HandlerContext } from '../kernel/context.ts';
import { NOTHING_SAVED, refusal } from '../kernel/copy.ts';
import type { Outcome } from '../kernel/message.ts';
import { buildIssueCard, formatIssueReference, PATIENT_DETAILS_WARNING } from './card.ts';

const formSchema = z.object({
  category: z.enum(ISSUE_CATEGORIES, { error: 'Choose a category.' }),
  text: z.string({ error: 'Say what is wrong.' }),
});

/** Why the text was refused; it states the length and the limit, never a word of the text. */
function describeTextRefusal(check: Exclude<ReturnType<typeof checkIssueText>, { ok: true }>): string {
  return check.reason === 'empty'
    ? 'Say what is wrong.'
    : `That is ${check.length.toLocaleString('en-US')} characters; an issue can be at most ${MAX_ISSUE_TEXT.toLocaleString('en-US')}. Please shorten it.`;
}

async function fileIssue(
  fields: { category: IssueCategory; text: string },
  source: 'text' | 'form',
  ctx: HandlerContext,
): Promise<Outcome> {
  const { actor, db, now, officeId, zone } = ctx;
  const row = await createTeamIssue(db, {
    officeId,
    category: fields.category,
    description: fields.text,
    raiserKey: actor.key,
    raiserName: actor.name,
    raiserPlatform: actor.platform,
    raiserUserId: actor.userId,
    createdAt: now.toJSDate(),
  });
  const reference = formatIssueReference(row);
  await createAuditEntry(db, {
    officeId,
    actor,
    action: 'issue.filed',
    entity: reference,
    detail: { source, category: row.category },
  });
  return {
    reply: {
      text: `Issue raised: ${reference}`,
      title: `Issue raised — ${reference}`,
      lines: [
        'It is on the huddle channel for anyone to take, and in the morning huddle until it is done.',
        'You will get a message when someone takes it and when it is done.',
        ...(source === 'text' ? [PATIENT_DETAILS_WARNING] : []),
      ],
    },
    effects: [{ kind: 'post', channel: 'huddle', cardKey: reference, message: buildIssueCard(row, zone) }],
  };
}

/** `/issue <text>`: an issue in the category "other". */
export async function fileFromText(text: string, ctx: HandlerContext): Promise<Outcome> {
  const checked = checkIssueText(text);
  if (!checked.ok)
    return refusal(
      `${describeTextRefusal(checked)} ${NOTHING_SAVED}`,
      'Write it like /issue the printer at the front desk jams.',
    );
  return fileIssue({ category: 'other', text: checked.text }, 'text', ctx);
}

export async function submitIssueForm(
  values: Record<string, string>,
  _metadata: string | undefined,
  ctx: HandlerContext,
): Promise<Outcome> {
  const parsed = formSchema.safeParse(values);
  if (!parsed.success) {
    const field = String(parsed.error.issues[0]?.path[0] ?? 'text');
    return { formErrors: { [field]: parsed.error.issues[0]?.message ?? 'Check this.' }, effects: [] };
  }
  const checked = checkIssueText(parsed.data.text);
  if (!checked.ok) return { formErrors: { text: describeTextRefusal(checked) }, effects: [] };
  return fileIssue({ category: parsed.data.category, text: checked.text }, 'form', ctx);
}
