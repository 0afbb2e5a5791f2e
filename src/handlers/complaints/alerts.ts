import type { OfficeConfig } from '../../config/office.ts';
import type { ComplaintRow } from '../../db/repositories/complaints.ts';
import { findPrivacyOfficer, selectComplaintAlertRecipients } from '../../domain/complaints.ts';
import { formatReference } from '../../domain/references.ts';
import type { HandlerContext } from '../kernel/context.ts';
import { listRecipients } from '../kernel/jobs.ts';
import type { Effect, Recipient } from '../kernel/message.ts';
import { redrawSentCards } from '../kernel/sent-cards.ts';
import { buildComplaintAlert } from './card.ts';

/** The key of one person's alert about a complaint, so the alert can be redrawn as the complaint moves on. */
function alertKey(reference: string, to: Recipient): string {
  return `${reference}/alert/${to.platform}/${to.userId}`;
}

/** Each alert recipient of the complaint as it is now, with where they can be reached. */
function listAlerted(row: ComplaintRow, office: OfficeConfig) {
  return selectComplaintAlertRecipients(row, office).flatMap((member) =>
    listRecipients(member).map((to) => ({ member, to })),
  );
}

/**
 * Direct messages to whoever must hear about this complaint now, but for anyone sent an alert about it
 * already (`sent`, by its keys): one refined from urgent and back again is not sent twice.
 */
export function buildAlertEffects(
  row: ComplaintRow,
  office: OfficeConfig,
  sent: ReadonlySet<string>,
): Effect[] {
  const message = buildComplaintAlert(row, office);
  const reference = formatReference('CP', row.number);
  const alerted = listAlerted(row, office).map(({ member, to }) => ({
    member,
    to,
    cardKey: alertKey(reference, to),
  }));
  const told = new Set(alerted.filter(({ cardKey }) => sent.has(cardKey)).map(({ member }) => member.name));
  return alerted
    .filter(({ member }) => !told.has(member.name))
    .map(({ to, cardKey }): Effect => ({ kind: 'dm', to, message, cardKey }));
}

/**
 * The alerts already sent, redrawn after a step or a refinement: the button just used (Acknowledge) goes
 * and the state shows.
 */
export async function redrawAlerts(row: ComplaintRow, ctx: HandlerContext): Promise<Effect[]> {
  const reference = formatReference('CP', row.number);
  // Whoever could have been alerted: the complaint may have been urgent or about privacy when filed and
  // refined since, so the recipients it would have now are not enough.
  const everyone = selectComplaintAlertRecipients({ category: 'privacy', severity: 'urgent' }, ctx.office)
    .flatMap(listRecipients)
    .map((to) => ({ to, cardKey: alertKey(reference, to) }));
  return redrawSentCards(ctx, everyone, buildComplaintAlert(row, ctx.office));
}

export function describeAlerted(row: ComplaintRow, office: OfficeConfig): string | undefined {
  if (row.category === 'privacy') {
    const officer = findPrivacyOfficer(office);
    return `It concerns privacy, so every manager${officer ? ` and ${officer.name}, the privacy officer,` : ''} has been messaged now.`;
  }
  return row.severity === 'urgent' ? 'It is urgent, so every manager has been messaged now.' : undefined;
}
