import { DateTime } from 'luxon';
import {
  getCallOut,
  listCallOutsAwaitingCover,
  listCoverAsks,
  markEscalated,
} from '../../db/repositories/call-outs.ts';
import { getOfficeDay } from '../../domain/dates.ts';
import { listManagers } from '../../domain/people.ts';
import type { DataDrivenJob } from '../kernel/jobs.ts';
import { listRecipients } from '../kernel/jobs.ts';
import type { Effect } from '../kernel/message.ts';
import { buildEscalation, formatCallOutReference } from './card.ts';
import { escalationKey, parseRoundKey } from './cover.ts';
import { findCallOutGaps, loadDayAbsences } from './loaders.ts';

/**
 * One message to every manager when a round of asking found no cover: `callouts.escalateMinutes` after the
 * asks went out, or at once when everyone asked said no (or nobody could be asked). Each round is its own
 * run (`CO-3/round-1`), claimed once across processes.
 */
export const coverEscalationJob: DataDrivenJob = {
  name: 'cover-escalation',
  async listDueRuns({ db, office, now }) {
    const zone = office.office.timezone;
    const rows = await listCallOutsAwaitingCover(db, office.office.id, getOfficeDay(now, zone));
    const due = [];
    for (const row of rows) {
      if (!row.askedAt) continue;
      const waitedUntil = DateTime.fromJSDate(row.askedAt).plus({ minutes: office.callouts.escalateMinutes });
      const asks = await listCoverAsks(db, row.id);
      const noneLeft = asks.every((ask) => ask.answer === 'declined' || ask.answer === 'withdrawn');
      if (!noneLeft && waitedUntil > now) continue;
      const scheduledAt = noneLeft ? now : waitedUntil;
      due.push({
        runKey: `${formatCallOutReference(row)}/round-${row.askRound}`,
        scheduledAt,
        late: now.diff(scheduledAt, 'minutes').minutes > 2,
      });
    }
    return due;
  },
  async run({ db, office }, due) {
    const key = parseRoundKey(due.runKey);
    const row = key ? await getCallOut(db, office.office.id, key.number) : undefined;
    // Covered, cancelled or asked again between listing and claiming: the claim stands, and nobody is told.
    if (!row || !key || row.status !== 'active' || row.coverState !== 'asking' || row.askRound !== key.round)
      return [];
    await markEscalated(db, { id: row.id, round: row.askRound });
    const { absences, cleared } = await loadDayAbsences(db, office, row.day);
    const gaps = findCallOutGaps(row, absences, office, cleared);
    const asks = await listCoverAsks(db, row.id);
    const message = buildEscalation(
      row,
      asks,
      { gaps, hours: office.office.hours, askAgain: true },
      office.office.timezone,
    );
    const reference = formatCallOutReference(row);
    return listManagers(office)
      .flatMap((member) => listRecipients(member))
      .map(
        (to): Effect => ({ kind: 'dm', to, message, cardKey: escalationKey(reference, row.askRound, to) }),
      );
  },
};
