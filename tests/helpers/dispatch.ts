import type { Logger } from 'pino';
import type { OfficeConfig } from '../../src/config/office.ts';
import type { Db } from '../../src/db/client.ts';
import type { ReferencePrefix } from '../../src/domain/references.ts';
import { FEATURES } from '../../src/handlers/index.ts';
import type { DispatchDeps } from '../../src/handlers/kernel/dispatch.ts';
import type { Feature } from '../../src/handlers/kernel/feature.ts';
import type { Outcome } from '../../src/handlers/kernel/message.ts';
import { createRouter } from '../../src/handlers/kernel/router.ts';

/** Dispatch dependencies for handler tests: Slack on, each channel role routed to its configured channel id. */
export function buildDispatchDeps(
  db: Db,
  office: OfficeConfig,
  logger: Logger,
  features: readonly Feature[] = FEATURES,
): DispatchDeps {
  return {
    db,
    office,
    logger,
    router: createRouter(features),
    platforms: ['slack'],
    routeChannel: async (_db, role) => [{ platform: 'slack', target: office.channels[role] }],
  };
}

/** Everything the person who acted was told, as one text to match against. */
export function replyText(outcome: Outcome): string {
  const reply = outcome.reply;
  return reply ? [reply.text, reply.title ?? '', ...(reply.lines ?? [])].join('\n') : '';
}

/** The first reference with `prefix` (`TO-12`) in what the person was told; fails the test when there is none. */
export function findReference(outcome: Outcome, prefix: ReferencePrefix): string {
  const match = new RegExp(`${prefix}-\\d+`).exec(replyText(outcome));
  if (!match) throw new Error(`no reference in: ${replyText(outcome)}`);
  return match[0];
}
