import type { StaffMember } from '../../config/office.ts';
import { createAuditEntry } from '../../db/repositories/audit.ts';
import { createLeaveAdjustment } from '../../db/repositories/leave.ts';
import {
  formatDayNamingYear,
  getOfficeDay,
  getPlanningWindow,
  type IsoDay,
  parseDateRange,
} from '../../domain/dates.ts';
import { findLeaveBank, listLeaveTypes } from '../../domain/leave-banks.ts';
import { findStaffByKey, slugifyName, staffKey } from '../../domain/people.ts';
import { hasVisibleText } from '../../domain/visible-text.ts';
import type { HandlerContext } from '../kernel/context.ts';
import { clip, NOTHING_CHANGED, refusal } from '../kernel/copy.ts';
import { listRecipients } from '../kernel/jobs.ts';
import type { Effect, Outcome } from '../kernel/message.ts';
import { computeBankFromFacts, describeBankLines, loadLeaveFacts } from './balances.ts';
import { refreshCardsOf } from './loaders.ts';

const MAX_ADJUST_REASON = 300;
const ADJUST_HINT = 'Write it like /timeoff adjust Sam Lee +1 vacation carried over from paper records.';

function findByName(name: string, ctx: HandlerContext): StaffMember | undefined {
  return ctx.office.staff.find((member) => slugifyName(member.name) === slugifyName(name));
}

/**
 * Reads `[name] [day]` after `balance`: a staff name (all of it, when it is one), else a day at the end
 * (`dec 31`, `2027-03-01`) with the name before it, if any.
 */
function readBalanceAsk(
  text: string,
  ctx: HandlerContext,
): { name: string; day?: IsoDay } | { refused: string } {
  const words = text.trim().split(/\s+/).filter(Boolean);
  if (words.length === 0 || findByName(words.join(' '), ctx)) return { name: words.join(' ') };
  for (let at = 0; at < words.length; at += 1) {
    const read = parseDateRange(words.slice(at).join(' '), ctx.now, ctx.zone);
    if (!read.ok || read.rest !== '' || read.part !== 'full') continue;
    if (read.start !== read.end)
      return { refused: 'Say one day to see the balance on, like /timeoff balance dec 31.' };
    const window = getPlanningWindow(ctx.now, ctx.zone);
    if (read.start < window.first || read.start > window.last)
      return { refused: `Balances are shown for days from ${window.first} to ${window.last}.` };
    return { name: words.slice(0, at).join(' '), day: read.start };
  }
  return { name: words.join(' ') };
}

/**
 * `/timeoff balance` (yours) or `/timeoff balance Sam Lee` (managers): each bank as of today; with a day
 * after it (`/timeoff balance dec 31`), as of that day, in that day's year.
 */
export async function showBalance(rest: string, ctx: HandlerContext): Promise<Outcome> {
  const ask = readBalanceAsk(rest, ctx);
  if ('refused' in ask) return refusal(ask.refused);
  const name = ask.name;
  let member = findStaffByKey(ctx.office, ctx.actor.key);
  if (name) {
    const named = findByName(name, ctx);
    if (named !== member && !ctx.actor.isManager)
      return refusal('Only managers can see someone else’s balance. /timeoff balance shows yours.');
    if (!named)
      return refusal(`${clip(name, 60)} is not on the staff list. Use the name as the staff list has it.`);
    member = named;
  }
  if (!member) return refusal('Balances are kept for people on the staff list, and you are not on it.');
  const today = getOfficeDay(ctx.now, ctx.zone);
  const asOf = ask.day ?? today;
  const year = Number(asOf.slice(0, 4));
  const facts = await loadLeaveFacts(ctx.db, ctx.office, staffKey(member), year, year);
  const lines = describeBankLines(ctx.office, year, asOf, facts);
  const accruing = (ctx.office.timeoff.policies ?? []).filter((policy) => policy.accrual && policy.tracked);
  for (const policy of accruing) {
    const bank = findLeaveBank(policy.type, ctx.office);
    const byYearEnd = computeBankFromFacts(ctx.office, bank, year, `${year}-12-31`, facts);
    lines.push(`${bank.name} by Dec 31: ${byYearEnd.remaining} days left as it accrues.`);
  }
  const whose = member.name === ctx.actor.name ? 'Your balance' : `Balance of ${member.name}`;
  if (ask.day && ask.day !== today) {
    const on = formatDayNamingYear(ask.day, today, ctx.zone);
    // Days carried into a year are known only once its year-end has run.
    const carries = (ctx.office.timeoff.policies ?? []).some(
      (policy) => (policy.carryOver?.maxDays ?? 0) > 0,
    );
    if (carries && year > Number(today.slice(0, 4)))
      lines.push(`Days carried over from ${year - 1} are added at its year end.`);
    return {
      reply: { text: `${whose} on ${on}, ${year}`, title: `${whose} on ${on} — ${year}`, lines },
      effects: [],
    };
  }
  return { reply: { text: `${whose}, ${year}`, title: `${whose} — ${year}`, lines }, effects: [] };
}

type ReadAdjustment =
  | { ok: true; member: StaffMember; days: number; type: string; reason: string }
  | { ok: false; message: string };

/** Reads `Sam Lee +1 vacation <reason>`: a staff name, whole or half days (either sign), a leave type, a reason. */
function readAdjustment(text: string, ctx: HandlerContext): ReadAdjustment {
  const words = text.trim().split(/\s+/).filter(Boolean);
  const at = words.findIndex((word) => /^[+-]?\d+(\.\d+)?$/.test(word));
  if (at < 0) return { ok: false, message: `Say by how many days. ${ADJUST_HINT}` };
  const name = words.slice(0, at).join(' ');
  const member = name ? findByName(name, ctx) : undefined;
  if (!name) return { ok: false, message: `Say whose balance to adjust. ${ADJUST_HINT}` };
  if (!member) return { ok: false, message: `${clip(name, 60)} is not on the staff list.` };
  const days = Number(words[at]);
  if (days === 0) return { ok: false, message: 'An adjustment of 0 days changes nothing.' };
  if (!Number.isInteger(days * 2))
    return { ok: false, message: 'Adjust by whole or half days, like +1 or -0.5.' };
  if (Math.abs(days) > 366) return { ok: false, message: `${words[at]} days is more than a year.` };
  const type = (words[at + 1] ?? '').toLowerCase();
  const types = listLeaveTypes(ctx.office);
  if (!types.includes(type))
    return {
      ok: false,
      message: `${type ? `"${clip(type, 30)}" is not a leave type.` : 'Say which leave type.'} Use one of: ${types.join(', ')}.`,
    };
  if (!findLeaveBank(type, ctx.office).tracked)
    return { ok: false, message: `${type} is not counted against a balance, so there is nothing to adjust.` };
  const reason = words.slice(at + 2).join(' ');
  if (!hasVisibleText(reason))
    return { ok: false, message: `Say why; ${member.name} is told. ${ADJUST_HINT}` };
  if (reason.length > MAX_ADJUST_REASON)
    return { ok: false, message: `Keep the reason under ${MAX_ADJUST_REASON} characters.` };
  return { ok: true, member, days, type, reason };
}

/** `/timeoff adjust Sam Lee +1 vacation <reason>` (managers): audited, and the person is told. */
export async function adjustBalance(text: string, ctx: HandlerContext): Promise<Outcome> {
  const read = readAdjustment(text, ctx);
  if (!read.ok) return refusal(`${read.message} ${NOTHING_CHANGED}`);
  const { member, days, type, reason } = read;
  const bank = findLeaveBank(type, ctx.office);
  const today = getOfficeDay(ctx.now, ctx.zone);
  const year = Number(today.slice(0, 4));
  const key = staffKey(member);
  await createLeaveAdjustment(ctx.db, {
    officeId: ctx.officeId,
    personKey: key,
    personName: member.name,
    bank: bank.id,
    year,
    days,
    reason,
    byKey: ctx.actor.key,
    byName: ctx.actor.name,
    createdAt: ctx.now.toJSDate(),
  });
  await createAuditEntry(ctx.db, {
    officeId: ctx.officeId,
    actor: ctx.actor,
    action: 'timeoff.adjusted',
    entity: `leave:${key}`,
    detail: { bank: bank.id, year, days },
  });
  const facts = await loadLeaveFacts(ctx.db, ctx.office, key, year, year);
  const balance = computeBankFromFacts(ctx.office, bank, year, today, facts);
  const signed = `${days > 0 ? '+' : ''}${days} day${Math.abs(days) === 1 ? '' : 's'}`;
  const now = `${balance.remaining} of ${balance.available} days left in ${year}`;
  const told: Effect[] =
    key === ctx.actor.key
      ? []
      : listRecipients(member).map((to) => ({
          kind: 'dm',
          to,
          message: {
            text: `${ctx.actor.name} adjusted your ${bank.name} balance for ${year} by ${signed}: ${reason}. You now have ${now}.`,
          },
        }));
  return {
    reply: {
      text: `Adjusted ${member.name}'s ${bank.name} balance for ${year} by ${signed}. ${member.name} now has ${now}${key === ctx.actor.key ? '.' : ' and has been told.'}`,
    },
    // The balance lines of their pending cards count the adjustment.
    effects: [...told, ...(await refreshCardsOf(key, ctx))],
  };
}
