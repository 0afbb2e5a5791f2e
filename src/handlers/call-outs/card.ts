import type { CallOutRow, CoverAskRow } from '../../db/repositories/call-outs.ts';
import { type CallOutKind, describeCallOutHours } from '../../domain/call-outs.ts';
import { formatClockTime, formatRoleGap, type RoleGap } from '../../domain/coverage.ts';
import { formatDay, formatOfficeTime } from '../../domain/dates.ts';
import { formatRole } from '../../domain/people.ts';
import { formatReference } from '../../domain/references.ts';
import type { Message } from '../kernel/message.ts';
import { CALL_OUT_ACTIONS } from './ids.ts';

const KIND_LABELS: Record<CallOutKind, string> = {
  sick: 'Out sick',
  late: 'In late',
  leaving: 'Leaving early',
};

export function formatCallOutReference(row: Pick<CallOutRow, 'number'>): string {
  return formatReference('CO', row.number);
}

/** `Mon Nov 30, all day` or `Mon Nov 30, until 10:30`: when, never why. */
export function describeCallOutWhen(row: CallOutRow, zone: string): string {
  return `${formatDay(row.day, zone)}, ${describeCallOutHours({ from: row.fromTime, until: row.untilTime })}`;
}

/** `Out sick Mon Nov 30, all day`, `In late Mon Nov 30 — in at 10:30`: the kind, for the person and managers only. */
export function describeCallOutForManagers(row: CallOutRow, zone: string): string {
  const day = formatDay(row.day, zone);
  if (row.kind === 'late' && row.untilTime) return `In late ${day}: in at ${formatClockTime(row.untilTime)}`;
  if (row.kind === 'leaving' && row.fromTime)
    return `Leaving early ${day}: leaves at ${formatClockTime(row.fromTime)}`;
  return `${KIND_LABELS[row.kind]} ${day}, all day`;
}

/** `Sam Lee (front desk)`. */
export function describePerson(name: string, role: string | null): string {
  return role ? `${name} (${formatRole(role).toLowerCase()})` : name;
}

/** Where finding cover stands, in one line a manager reads at a glance. */
export function describeCover(row: CallOutRow, zone: string): string | undefined {
  if (row.status === 'cancelled') return undefined;
  switch (row.coverState) {
    case 'not_needed':
      return undefined;
    case 'asking':
      return 'Cover: asking';
    case 'offered':
      return `Cover: ${row.coverName} offered; waiting for a manager to confirm`;
    case 'confirmed':
      return `Cover: ${row.coverName}${row.coverConfirmedByName ? `, confirmed by ${row.coverConfirmedByName}` : ''}${row.coverConfirmedAt ? ` on ${formatOfficeTime(row.coverConfirmedAt, zone)}` : ''}`;
  }
}

/** The managers' lines on a role left short: each gap and who was asked, or `met` when none is. */
function describeCoverNeed(
  facts: { gaps: readonly RoleGap[]; asked: readonly string[]; hours: { open: string; close: string } },
  met: string,
): string[] {
  if (facts.gaps.length === 0) return [met];
  return [
    ...facts.gaps.map((gap) => `⚠️ ${formatRoleGap(gap, facts.hours)}`),
    facts.asked.length > 0
      ? `Asked to cover: ${facts.asked.join(', ')}`
      : 'Nobody else can cover that role then; you will get a message to ask again.',
  ];
}

/** What the managers are told when a call-out is recorded: the kind and reason are theirs to see. */
export function buildManagerNotice(
  row: CallOutRow,
  facts: { gaps: readonly RoleGap[]; asked: readonly string[]; hours: { open: string; close: string } },
  zone: string,
): Message {
  const reference = formatCallOutReference(row);
  const who = describePerson(row.personName, row.personRole);
  const lines = [
    describeCallOutForManagers(row, zone),
    ...(row.reason ? [`Reason: ${row.reason}`] : []),
    ...(row.recordedByKey !== row.personKey ? [`Recorded by ${row.recordedByName}`] : []),
  ];
  lines.push(...describeCoverNeed(facts, 'Coverage is still met.'));
  return {
    text: `Call-out ${reference}: ${who}, ${describeCallOutWhen(row, zone)}`,
    title: `Call-out ${reference} — ${who}`,
    lines,
  };
}

/** What the managers are told when a cover is given back because the coverer is away then too. */
export function buildCoverReleasedNotice(
  before: CallOutRow,
  facts: { gaps: readonly RoleGap[]; asked: readonly string[]; hours: { open: string; close: string } },
  zone: string,
): Message {
  const reference = formatCallOutReference(before);
  const who = describePerson(before.personName, before.personRole);
  const lines = [`${before.coverName} was covering, and is away then too, so the cover no longer stands.`];
  lines.push(...describeCoverNeed(facts, 'Coverage is still met without a cover.'));
  return {
    text: `Cover needed again for ${reference}: ${who}, ${describeCallOutWhen(before, zone)}`,
    title: `Cover needed again — ${reference}`,
    lines,
  };
}

/**
 * The message asking one person to cover, as it should read now for them: with the buttons while the
 * call-out still asks, they have not answered and the day has not `passed`, else what happened. It never
 * says why the person is out.
 */
export function buildCoverAsk(
  row: CallOutRow,
  ask: Pick<CoverAskRow, 'personKey' | 'answer'>,
  zone: string,
  passed = false,
): Message {
  const reference = formatCallOutReference(row);
  const role = row.personRole ? formatRole(row.personRole).toLowerCase() : 'their work';
  const when = describeCallOutWhen(row, zone);
  const question = `${row.personName} is out ${when}. Can you cover ${role}?`;
  const base = {
    text: `Can you cover? ${reference}: ${row.personName} is out ${when}`,
    title: `Can you cover? — ${reference}`,
  };
  if (row.status === 'cancelled')
    return { ...base, lines: [question], note: `No longer needed: ${row.personName} is in after all.` };
  if ((row.coverState === 'offered' || row.coverState === 'confirmed') && row.coverKey === ask.personKey) {
    return {
      ...base,
      lines: [question],
      note:
        row.coverState === 'confirmed'
          ? `✅ You are covering. Thank you!`
          : 'You offered to cover; a manager will confirm.',
    };
  }
  if (row.coverState === 'offered' || row.coverState === 'confirmed')
    return { ...base, lines: [question], note: `Covered by ${row.coverName}. Thanks all the same.` };
  if (ask.answer === 'declined')
    return { ...base, lines: [question], note: 'You said you can’t cover. Thanks for answering.' };
  if (ask.answer === 'withdrawn')
    return {
      ...base,
      lines: [question],
      note: 'You are away then too, so you are not asked any more. Thank you all the same.',
    };
  if (passed) return { ...base, lines: [question], note: 'That day has passed.' };
  return {
    ...base,
    lines: [question, 'The first to say yes covers; everyone else asked is told.'],
    buttons: [
      { label: 'I can cover', actionId: CALL_OUT_ACTIONS.canCover, value: reference, style: 'primary' },
      { label: "Can't cover", actionId: CALL_OUT_ACTIONS.cannotCover, value: reference },
    ],
  };
}

/**
 * A manager's `Confirm cover` card once its volunteer turned out to be away then too, drawn from the call-out
 * as it was before the cover was given back: redrawn as what it now is, so nobody reads it as an offer waiting.
 */
export function buildWithdrawnCoverCard(before: CallOutRow, zone: string): Message {
  const reference = formatCallOutReference(before);
  const withdrawn = `${before.coverName} is away then too, so the cover for ${describePerson(before.personName, before.personRole)}, ${describeCallOutWhen(before, zone)} no longer stands.`;
  return {
    text: `Cover withdrawn for ${reference}: ${withdrawn}`,
    title: `Cover withdrawn — ${reference}`,
    lines: [withdrawn],
  };
}

/**
 * The card each manager gets when someone offers to cover, with `Confirm cover` while the offer waits and
 * the day has not `passed`.
 */
export function buildConfirmCard(row: CallOutRow, zone: string, passed = false): Message {
  const reference = formatCallOutReference(row);
  const text = `${row.coverName} can cover for ${describePerson(row.personName, row.personRole)}, ${describeCallOutWhen(row, zone)}`;
  const waiting = row.status === 'active' && row.coverState === 'offered';
  const note =
    row.status === 'cancelled'
      ? `Call-out cancelled by ${row.cancelledByName ?? 'someone'}`
      : row.coverState === 'confirmed'
        ? describeCover(row, zone)
        : waiting && passed
          ? 'That day has passed; the cover was not confirmed.'
          : undefined;
  return {
    text: `Cover offered for ${reference}: ${text}`,
    title: `Cover offered — ${reference}`,
    lines: [text],
    ...(waiting && !passed
      ? {
          buttons: [
            {
              label: 'Confirm cover',
              actionId: CALL_OUT_ACTIONS.confirmCover,
              value: writeConfirmValue(reference, row.coverKey),
              style: 'primary' as const,
            },
          ],
        }
      : {}),
    ...(note ? { note } : {}),
  };
}

/**
 * `CO-3/cover/staff:luis-ortega`: the call-out and whose offer a `Confirm cover` button confirms, so a card
 * left from an offer that no longer stands never confirms a later volunteer.
 */
export function writeConfirmValue(reference: string, coverKey: string | null): string {
  return coverKey ? `${reference}/cover/${coverKey}` : reference;
}

/** The call-out and volunteer of a `Confirm cover` press; a button from before volunteers were named has none. */
export function readConfirmValue(value: string): { reference: string; coverKey: string | undefined } {
  const [reference = '', coverKey] = value.split('/cover/');
  return { reference, coverKey: coverKey || undefined };
}

/** The one message to the managers when nobody has said yes: who was asked, who said no, who is silent. */
export function buildEscalation(
  row: CallOutRow,
  asks: readonly CoverAskRow[],
  facts: { gaps: readonly RoleGap[]; hours: { open: string; close: string }; askAgain: boolean },
  zone: string,
): Message {
  const reference = formatCallOutReference(row);
  const who = describePerson(row.personName, row.personRole);
  const names = (answer: CoverAskRow['answer']) =>
    asks.filter((ask) => ask.answer === answer).map((ask) => ask.personName);
  const lines = [`${who} is out ${describeCallOutWhen(row, zone)}.`];
  for (const gap of facts.gaps) lines.push(`⚠️ ${formatRoleGap(gap, facts.hours)}`);
  if (asks.length === 0)
    lines.push('Nobody else could be asked: nobody who can cover that role is at work then.');
  else {
    lines.push(`Asked: ${asks.map((ask) => ask.personName).join(', ')}`);
    const declined = names('declined');
    const silent = names('asked');
    if (declined.length > 0) lines.push(`Can’t cover: ${declined.join(', ')}`);
    const away = names('withdrawn');
    if (away.length > 0) lines.push(`Away then themselves: ${away.join(', ')}`);
    if (silent.length > 0) lines.push(`No answer: ${silent.join(', ')}`);
  }
  return {
    text: `No cover yet for ${reference}: ${who}, ${describeCallOutWhen(row, zone)}`,
    title: `No cover yet — ${reference}`,
    lines,
    ...(facts.askAgain
      ? {
          buttons: [
            {
              label: 'Ask again',
              actionId: CALL_OUT_ACTIONS.askAgain,
              value: `${reference}/round-${row.askRound}`,
            },
          ],
        }
      : {}),
  };
}
