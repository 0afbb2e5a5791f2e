import { z } from 'zod';
import { createAuditEntry } from '../../db/repositories/audit.ts';
import { createNote } from '../../db/repositories/notes.ts';
import { formatDay, getOfficeDay, type IsoDay } from '../../domain/dates.ts';
import { checkNoteText, describeDue, MAX_NOTE_LENGTH, readDueDay, readNote } from '../../domain/notes.ts';
import { formatReference } from '../../domain/references.ts';
import type { HandlerContext } from '../kernel/context.ts';
import { NOTHING_SAVED, refusal } from '../kernel/copy.ts';
import { readFormErrors } from '../kernel/forms.ts';
import type { Form, Outcome } from '../kernel/message.ts';
import { NOTE_FORMS } from './ids.ts';
import { findFirstReminderDay } from './reminders.ts';

const HINT = 'Write it like /note call the lab about Ana’s results by fri.';
// A Slack permalink is about 80 characters; anything near this is not one.
const MAX_LINK = 500;

// zod's URL check lets through line breaks, spaces and Slack's `<`, `>`, `|`, which would forge a line
// of the list or a disguised link where the link is shown.
const linkSchema = z
  .url({ protocol: /^https$/ })
  .max(MAX_LINK)
  .refine((link) => !/[\s<>|]/.test(link));

async function fileNote(
  draft: { text: string; due: IsoDay | undefined; link: string | undefined },
  ctx: HandlerContext,
): Promise<Outcome> {
  const row = await createNote(ctx.db, {
    officeId: ctx.officeId,
    writerKey: ctx.actor.key,
    platform: ctx.actor.platform,
    userId: ctx.actor.userId,
    text: draft.text,
    link: draft.link ?? null,
    due: draft.due ?? null,
    createdAt: ctx.now.toJSDate(),
  });
  const reference = formatReference('FU', row.number);
  // The text is the writer's alone: the audit row says that a note was filed, never what it says.
  await createAuditEntry(ctx.db, {
    officeId: ctx.officeId,
    actor: ctx.actor,
    action: 'note.filed',
    entity: reference,
    detail: { due: row.due },
  });
  const due = describeDue(row.due ?? undefined, getOfficeDay(ctx.now, ctx.zone), ctx.zone);
  const reminded = row.due && findFirstReminderDay(row.due, ctx.office, ctx.now);
  const when = row.due
    ? `It is ${due}: it will be in your morning message from ${formatDay(reminded || row.due, ctx.zone)}.`
    : 'No due day: it stays in /note list until it is done.';
  return {
    reply: {
      text: `Follow-up saved — ${reference}`,
      title: `Follow-up saved — ${reference}`,
      lines: [draft.text, ...(draft.link ? [draft.link] : []), when],
      note: 'Only you see your follow-ups.',
    },
    confidentialReply: true,
    changesOwnHome: true,
    effects: [],
  };
}

/** `/note <text> [by <day>]`: files a private follow-up; bare, it opens the form. */
export async function fileFromText(text: string, ctx: HandlerContext): Promise<Outcome> {
  if (text.trim() === '') return { form: buildNoteForm(), effects: [] };
  const read = readNote(text, ctx.now, ctx.zone);
  if (!read.ok) return refusal(`${read.message} ${NOTHING_SAVED}`, HINT);
  return fileNote({ text: read.text, due: read.due, link: undefined }, ctx);
}

/** The form of a new follow-up; from a message shortcut, with that message's link filled in. */
export function buildNoteForm(link?: string): Form {
  return {
    formId: NOTE_FORMS.add,
    title: 'Add a follow-up',
    submitLabel: 'Save',
    lines: ['Only you see your follow-ups.'],
    inputs: [
      { kind: 'textarea', id: 'text', label: 'Follow up on', maxLength: MAX_NOTE_LENGTH },
      { kind: 'date', id: 'due', label: 'Due (in your morning message from that day)', optional: true },
      {
        kind: 'text',
        id: 'link',
        label: 'Link to the message',
        optional: true,
        maxLength: MAX_LINK,
        ...(link ? { initial: link } : {}),
      },
    ],
  };
}

// A day as typed or picked is short: a longer due value is a pasted sentence, not a day.
const MAX_DUE = 40;
const PICK_A_DAY = 'Pick a day.';

const formSchema = z.object({
  text: z.string().default(''),
  due: z.string().max(MAX_DUE, PICK_A_DAY).default(''),
  link: z.string().trim().default(''),
});

export async function submitNoteForm(
  values: Record<string, string>,
  _metadata: string | undefined,
  ctx: HandlerContext,
): Promise<Outcome> {
  const parsed = formSchema.safeParse(values);
  if (!parsed.success) return { formErrors: readFormErrors(parsed.error, 'text'), effects: [] };
  const { text, due: dueText, link } = parsed.data;
  const formErrors: Record<string, string> = {};
  const read = checkNoteText(text, undefined);
  if (!read.ok) formErrors.text = read.message;
  const due = dueText ? readDueDay(dueText, ctx.now, ctx.zone) : undefined;
  if (dueText && !due) formErrors.due = PICK_A_DAY;
  if (due && !due.ok) formErrors.due = due.message;
  if (link && !linkSchema.safeParse(link).success) formErrors.link = 'That is not a link (https://…).';
  if (!read.ok || Object.keys(formErrors).length > 0) return { formErrors, effects: [] };
  return fileNote({ text: read.text, due: due?.ok ? due.due : undefined, link: link || undefined }, ctx);
}

/** The message shortcut `Add to follow-ups`: the form, with the message's link (the action's value). */
export async function openFromMessage(value: string, _ctx: HandlerContext): Promise<Outcome> {
  const link = linkSchema.safeParse(value.trim());
  if (!link.success)
    return refusal(`frontdesk could not read that message. ${NOTHING_SAVED}`, 'Use /note <text> instead.');
  return { form: buildNoteForm(link.data), effects: [] };
}
