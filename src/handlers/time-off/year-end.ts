import { DateTime } from 'luxon';
import type { OfficeConfig } from '../../config/office.ts';
import type { Db } from '../../db/client.ts';
import { createAuditEntry } from '../../db/repositories/audit.ts';
import {
  hasLeaveRecordsBy,
  lockCarryOver,
  recordCarryOver,
  updateCarryOver,
} from '../../db/repositories/leave.ts';
import { hasTimeOffBy, listPendingTimeOffRequests, type TimeOffRow } from '../../db/repositories/time-off.ts';
import {
  computeCarryOver,
  findCarryOverExpiry,
  findLeaveBank,
  type LeaveBank,
  listLeaveBanks,
} from '../../domain/leave-banks.ts';
import { type Person, staffKey } from '../../domain/people.ts';
import { formatReference } from '../../domain/references.ts';
import type { HandlerContext } from '../kernel/context.ts';
import type { DataDrivenJob } from '../kernel/jobs.ts';
import { listRecipients } from '../kernel/jobs.ts';
import type { Effect } from '../kernel/message.ts';
import { computeBankFromFacts, type LeaveFacts, loadLeaveFacts } from './balances.ts';
import { askRedraws } from './loaders.ts';

/** Who the year-end run's audit rows name: frontdesk itself, not a person. */
const YEAR_END_ACTOR: Person = {
  key: 'system:year-end',
  name: 'frontdesk (year end)',
  role: undefined,
  isManager: false,
  platform: 'sandbox',
  userId: 'year-end',
};

/**
 * At the office's New Year, each policy bank's unused days of the year that ended are carried over (up to
 * `carryOver.maxDays`) or lapse; each person is told what changed. One run per year (key `2026`), claimed
 * once across processes; a process down at midnight runs it when it starts. Offices without policies keep
 * the single allowance that starts afresh each year, and an office that did not use frontdesk that year
 * (no request dated in it or before, and no adjustment, carry-over or sick call-out of it or before: nothing
 * the carry-over is worked out from) has nothing to carry. The pending cards of people whose new year's
 * balance grew are asked to be redrawn.
 */
export const leaveYearEndJob: DataDrivenJob = {
  name: 'leave-year-end',
  async listDueRuns({ db, office, now }) {
    if ((office.timeoff.policies ?? []).length === 0) return [];
    const zone = office.office.timezone;
    const year = now.setZone(zone).year;
    const ended = year - 1;
    const used =
      (await hasTimeOffBy(db, office.office.id, `${ended}-12-31`)) ||
      (await hasLeaveRecordsBy(db, office.office.id, ended));
    if (!used) return [];
    const scheduledAt = DateTime.fromObject({ year, month: 1, day: 1 }, { zone });
    return [{ runKey: String(ended), scheduledAt, late: now.diff(scheduledAt, 'minutes').minutes > 2 }];
  },
  async run({ db, office, now }, due) {
    const ended = Number(due.runKey);
    const banks = listLeaveBanks(office).filter((bank) => bank.policy);
    const effects: Effect[] = [];
    const grown = new Set<string>();
    for (const member of office.staff) {
      const key = staffKey(member);
      const facts = await loadLeaveFacts(db, office, key, ended, ended);
      const lines: string[] = [];
      for (const bank of banks) {
        const { carried, forfeited } = workOutCarryOver(office, bank, ended, facts);
        const recorded = await recordCarryOver(db, {
          officeId: office.office.id,
          personKey: key,
          bank: bank.id,
          year: ended + 1,
          carriedDays: carried,
          forfeitedDays: forfeited,
          createdAt: now.toJSDate(),
        });
        if (!recorded || (carried === 0 && forfeited === 0)) continue;
        if (carried > 0) grown.add(key);
        if (carried > 0)
          lines.push(
            `${bank.name}: ${carried} days carried into ${ended + 1}${describeUseBy(bank, ended + 1)}.`,
          );
        if (forfeited > 0) lines.push(`${bank.name}: ${forfeited} unused days of ${ended} lapsed.`);
        await auditYearEnd(db, office.office.id, key, { bank: bank.id, year: ended, carried, forfeited });
      }
      if (lines.length === 0) continue;
      const text = `Your leave at the end of ${ended}: ${lines.join(' ')}`;
      for (const to of listRecipients(member))
        effects.push({
          kind: 'dm',
          to,
          message: { text, title: `Your leave, ${ended} → ${ended + 1}`, lines },
        });
    }
    // Their cards of the new year's days show a balance without the days carried: drawn again once this commits.
    if (grown.size > 0) {
      const pending = await listPendingTimeOffRequests(db, office.office.id);
      effects.push(
        ...askRedraws(
          pending.filter((row) => grown.has(row.requesterKey) && row.endDay >= `${ended + 1}-01-01`),
        ),
      );
    }
    return effects;
  },
};

/** What `year`'s end carries over from a bank and lets lapse, from the person's leave facts of that year. */
function workOutCarryOver(
  office: OfficeConfig,
  bank: LeaveBank,
  year: number,
  facts: LeaveFacts,
): { carried: number; forfeited: number } {
  return computeCarryOver(computeBankFromFacts(office, bank, year, `${year}-12-31`, facts).remaining, bank);
}

/** The audit row of a year-end figure for a person's bank, written by frontdesk itself. */
function auditYearEnd(db: Db, officeId: string, personKey: string, detail: Record<string, unknown>) {
  return createAuditEntry(db, {
    officeId,
    actor: YEAR_END_ACTOR,
    action: 'timeoff.year_end',
    entity: `leave:${personKey}`,
    detail,
  });
}

/** ` (use them by Mar 31)` for a carry-over into `year` that expires, else nothing. */
function describeUseBy(bank: LeaveBank, year: number): string {
  const expires = findCarryOverExpiry(bank, year);
  return expires ? ` (use them by ${DateTime.fromISO(expires, { zone: 'utc' }).toFormat('LLL d')})` : '';
}

/**
 * After a request still pending at a New Year is denied or withdrawn: that year-end counted its days as
 * taken, so the bank's carry-over is worked out again without them (in the same transaction as the
 * decision) and the person is told of the days carried and lapsed now, when either changed. Nothing for a year whose year-end has not run.
 */
export async function recountCarryOverAfter(row: TimeOffRow, ctx: HandlerContext): Promise<Effect[]> {
  const { db, office, officeId, now, zone } = ctx;
  const bank = findLeaveBank(row.type, office);
  if (!bank.policy || !bank.tracked) return [];
  const lastEnded = now.setZone(zone).year - 1;
  const effects: Effect[] = [];
  for (
    let year = Number(row.startDay.slice(0, 4));
    year <= Math.min(Number(row.endDay.slice(0, 4)), lastEnded);
    year += 1
  ) {
    const recorded = await lockCarryOver(db, {
      officeId,
      personKey: row.requesterKey,
      bank: bank.id,
      year: year + 1,
    });
    if (!recorded) continue;
    const facts = await loadLeaveFacts(db, office, row.requesterKey, year, year);
    const { carried, forfeited } = workOutCarryOver(office, bank, year, facts);
    if (carried === recorded.carriedDays && forfeited === recorded.forfeitedDays) continue;
    await updateCarryOver(db, recorded.id, { carriedDays: carried, forfeitedDays: forfeited });
    await auditYearEnd(db, officeId, row.requesterKey, {
      bank: bank.id,
      year,
      carried,
      forfeited,
      after: formatReference('TO', row.number),
    });
    // The year-end message said what carried and what lapsed: whichever changed, the person hears the new figures.
    const lapsed = forfeited > 0 ? `, and ${forfeited} unused days of ${year} lapsed` : '';
    const text = `${formatReference('TO', row.number)} no longer counts against ${year}, so ${bank.name} now carries ${carried} days into ${year + 1}${describeUseBy(bank, year + 1)}${lapsed}.`;
    effects.push({
      kind: 'dm',
      to: { platform: row.requesterPlatform, userId: row.requesterUserId },
      message: { text },
    });
  }
  return effects;
}
