import type { DateTime } from 'luxon';
import type { OfficeConfig } from '../../config/office.ts';
import type { Db } from '../../db/client.ts';
import { listComplaintsByNumbersForShare, listOpenComplaints } from '../../db/repositories/complaints.ts';
import { describeComplaintSection, selectOverdueComplaints } from '../../domain/complaints.ts';
import { formatDay } from '../../domain/dates.ts';
import { DIGEST_ORDER } from '../../domain/digest.ts';
import { formatReference, parseReference } from '../../domain/references.ts';
import { buildReminderSchedule } from '../../domain/schedule.ts';
import type { FeatureDigest } from '../kernel/digest.ts';
import type { JobContext, ScheduledJob } from '../kernel/jobs.ts';
import type { Effect, Message, Recipient } from '../kernel/message.ts';
import {
  buildComplaintCard,
  COMPLAINT_CATEGORY_LABELS,
  COMPLAINT_SEVERITY_LABELS,
  describeAgeDays,
  toComplaintClockState,
} from './card.ts';
import { loadResolutionHistory } from './history.ts';
import { findActingOwner } from './owner.ts';

const REMINDER_LIST_LIMIT = 15;

/** The open complaints past a clock, oldest first, each with its row; never their text. */
async function loadOverdueComplaints(db: Db, office: OfficeConfig, now: DateTime) {
  const zone = office.office.timezone;
  const open = await listOpenComplaints(db, office.office.id);
  return {
    open,
    overdue: selectOverdueComplaints(
      open.map((row) => ({ ...toComplaintClockState(row, zone), row })),
      now,
      zone,
    ),
  };
}

/** The huddle's complaints: how many are open and which are overdue, by reference and age only. */
export const complaintsDigest: FeatureDigest = {
  order: DIGEST_ORDER.complaints,
  load: async ({ db, office, now }) => [describeComplaintSection(await loadComplaintDigest(db, office, now))],
};

async function loadComplaintDigest(db: Db, office: OfficeConfig, now: DateTime) {
  const { open, overdue } = await loadOverdueComplaints(db, office, now);
  return {
    open: open.length,
    overdue: overdue.map((item) => ({ reference: item.reference, ageDays: item.ageDays })),
  };
}

function buildReminder(title: string, lines: string[], closing: string): Message {
  const shown = lines.slice(0, REMINDER_LIST_LIMIT);
  if (lines.length > REMINDER_LIST_LIMIT) shown.push(`…and ${lines.length - REMINDER_LIST_LIMIT} more`);
  return { text: title, title, lines: [...shown, closing] };
}

/**
 * Once a working day, at `reminders.time`: each owner gets one message listing their overdue complaints,
 * the complaints channel gets one listing the overdue ones nobody owns, and every open card is rebuilt
 * so its age, due days and overdue flags are current. References, categories and ages only, never text.
 */
export const complaintRemindersJob: ScheduledJob = {
  name: 'complaint-reminders',
  schedule: buildReminderSchedule,
  catchUpMinutes: (office) => office.digest.catchUpMinutes,
  async run(ctx) {
    const { db, office, now } = ctx;
    const zone = office.office.timezone;
    const { open, overdue } = await loadOverdueComplaints(db, office, now);
    // Every open card's age and due days are relative to today. Asked, not drawn from this read: a step
    // another process commits meanwhile would be drawn over.
    const effects: Effect[] = open.map((row) => ({
      kind: 'redraw',
      cardKey: formatReference('CP', row.number),
    }));
    const unowned: string[] = [];
    const byOwner = new Map<string, { to: Recipient; lines: string[] }>();
    for (const item of overdue) {
      const line = `${item.reference} · ${COMPLAINT_CATEGORY_LABELS[item.category]} · ${COMPLAINT_SEVERITY_LABELS[item.severity]} · ${item.clock} was due ${formatDay(item.dueDay, zone)} · ${describeAgeDays(item.ageDays)} old`;
      const owner = findActingOwner(item.row, office);
      if (owner) {
        const key = `${owner.platform}:${owner.userId}`;
        const entry = byOwner.get(key) ?? { to: owner, lines: [] };
        entry.lines.push(line);
        byOwner.set(key, entry);
      } else {
        unowned.push(line);
      }
    }
    for (const { to, lines } of byOwner.values()) {
      const count = `${lines.length} complaint${lines.length === 1 ? '' : 's'} you own ${lines.length === 1 ? 'is' : 'are'} overdue`;
      effects.push({
        kind: 'dm',
        to,
        message: buildReminder(
          count,
          lines,
          'Resolve them with the buttons on their cards in the complaints channel.',
        ),
      });
    }
    if (unowned.length > 0) {
      const count = `${unowned.length} overdue complaint${unowned.length === 1 ? ' has' : 's have'} no owner who can act`;
      effects.push({
        kind: 'post',
        channel: 'complaints',
        message: buildReminder(count, unowned, 'Press Acknowledge on a card to take it on.'),
      });
    }
    return effects;
  },
};

/** Complaints' channel cards, redrawn as the database stands now, with their ages and overdue flags. */
export async function redrawComplaintCards(cardKeys: readonly string[], ctx: JobContext): Promise<Effect[]> {
  const numbers = cardKeys.flatMap((cardKey) => parseReference(cardKey, 'CP') ?? []);
  const rows = await listComplaintsByNumbersForShare(ctx.db, ctx.office.office.id, numbers);
  // Read while the complaints are share-locked, so a resolve is drawn with its resolution or not at all.
  const resolutions = await loadResolutionHistory(
    ctx.db,
    rows.map((row) => row.id),
  );
  return rows.map((row) => ({
    kind: 'update',
    cardKey: formatReference('CP', row.number),
    message: buildComplaintCard(row, ctx.office, ctx.now, resolutions.get(row.id) ?? []),
  }));
}
