import type { DateTime } from 'luxon';
import type { Logger } from 'pino';
import type { OfficeConfig } from '../../config/office.ts';
import type { Db } from '../../db/client.ts';
import { writeChangeEffects } from '../../db/repositories/change-effects.ts';
import { findDeliveryReply } from '../../db/repositories/deliveries.ts';
import type { NewOutboxMessage } from '../../db/repositories/outbox.ts';
import type { Person } from '../../domain/people.ts';
import { type Deadline, DISPATCH_DEADLINE_MS, runWithDeadline } from './deadline.ts';
import { offerDownloads } from './downloads.ts';
import type { Input } from './input.ts';
import type { ChannelRole, Effect, Message, Outcome, Platform } from './message.ts';
import type { Router } from './router.ts';

/**
 * Runs one input for one person, as every adapter calls it once the clock and deps are bound; `origin` is
 * the address the request reached frontdesk at (`https://host`, from `readRequestOrigin`), named in answers
 * when PUBLIC_URL is not set.
 */
export type Dispatch = (actor: Person, input: Input, origin?: string) => Promise<Outcome>;

export interface ChannelRoute {
  platform: Platform;
  target: string;
}

export interface DispatchDeps {
  db: Db;
  office: OfficeConfig;
  logger: Logger;
  router: Router;
  /** the platforms this process delivers to */
  platforms: readonly Platform[];
  /** where a channel role is posted on each platform; read inside the transaction */
  routeChannel(db: Db, role: ChannelRole): Promise<ChannelRoute[]>;
  /** called after a commit that queued messages, so the deliverer starts at once */
  onQueued?: () => void;
  /** the address people reach frontdesk at (PUBLIC_URL), for answers that name it (the calendar feed) */
  publicUrl?: string | undefined;
  /** ms until the person is answered whatever the database does (DISPATCH_DEADLINE_MS); tests shorten it */
  deadlineMs?: number;
}

const ALREADY_ANSWERED: Message = {
  text: 'That was already answered a moment ago; run the command again to see it.',
};

const FAILURE_REPLY: Outcome = {
  reply: {
    text: 'Sorry, something went wrong and nothing was saved. Please try again in a minute.',
  },
  effects: [],
};

/**
 * Thrown inside the transaction when a form comes back with field errors, so the delivery claim is rolled
 * back with everything else: Slack keeps one view id for the life of a modal, and the corrected submission
 * that follows must be processed, not answered as a retry of the refused one.
 */
class FormRefused extends Error {
  constructor(readonly outcome: Outcome) {
    super('form refused');
  }
}

function hasFormErrors(outcome: Outcome): boolean {
  return outcome.formErrors !== undefined && Object.keys(outcome.formErrors).length > 0;
}

/**
 * Runs one input in one transaction: claims its delivery id (a retried delivery gets the first answer
 * and changes nothing, its handler's work rolled back), routes it to its handler, and queues the handler's
 * effects in the outbox, so the state change and the messages it causes are committed together or not at all. A form refused with field
 * errors changes nothing, not even the claim. An input still unanswered at the deadline is answered with
 * the truth as it stands then, and its transaction, if not yet committed, never commits.
 */
export async function dispatchInput(
  deps: DispatchDeps,
  actor: Person,
  input: Input,
  now: DateTime,
  origin?: string,
): Promise<Outcome> {
  return runWithDeadline(
    { ms: deps.deadlineMs ?? DISPATCH_DEADLINE_MS, logger: deps.logger, input: input.kind },
    (deadline) => runInput(deps, actor, input, now, deadline, deps.publicUrl ?? origin),
  );
}

async function runInput(
  deps: DispatchDeps,
  actor: Person,
  input: Input,
  now: DateTime,
  deadline: Deadline,
  publicUrl: string | undefined,
): Promise<Outcome> {
  let queued = 0;
  const delivery = input.deliveryId
    ? { platform: actor.platform, deliveryId: input.deliveryId, officeId: deps.office.office.id }
    : undefined;
  try {
    const outcome = await deadline.transaction(deps.db, async (tx, commit) => {
      const handedOver: Promise<unknown>[] = [];
      const result = await deps.router.route(input, {
        now,
        office: deps.office,
        officeId: deps.office.office.id,
        zone: deps.office.office.timezone,
        db: tx,
        actor,
        logger: deps.logger,
        publicUrl,
        commitAfter(statement) {
          // Awaited below; if the handler throws first, the transaction's rollback is what counts.
          statement.catch(() => undefined);
          handedOver.push(statement);
        },
      });
      if (hasFormErrors(result)) throw new FormRefused(result);
      // Slack takes files as uploads into the person's direct messages; elsewhere they become links.
      const answered =
        actor.platform === 'slack'
          ? result
          : await offerDownloads(tx, result, {
              officeId: deps.office.office.id,
              actor,
              now,
              baseUrl: publicUrl,
            });
      const effects = await expandEffects(deps, tx, answered.effects);
      // The effects, the delivery's claim with its answer, and COMMIT go out together: a retried delivery's
      // claim fails on the first one's key, and the server then rolls back everything it did.
      const written = writeChangeEffects(tx, {
        officeId: deps.office.office.id,
        ...effects,
        claim: delivery && {
          key: delivery,
          // Files asked for, even once turned into links: a link's token must not be kept with the answer.
          reply: result.confidentialReply || result.attachments ? ALREADY_ANSWERED : (answered.reply ?? null),
        },
      });
      commit();
      // In the order sent: a handed-over statement that failed is the error reported, not the effects'
      // statement the server then refused as part of a failed transaction (awaited after, or left).
      written.catch(() => undefined);
      for (const statement of handedOver) await statement;
      await written;
      queued = effects.rows.length + effects.redraws.length;
      return answered;
    });
    if (queued > 0) deps.onQueued?.();
    return outcome;
  } catch (error) {
    // A retry runs its handler before it reaches its claim, so it may be refused (its request now overlaps
    // the first one's), fail on what the first wrote (a key only one may hold), or fail on the claim itself:
    // once the first has committed, its answer is the true one.
    const first = delivery && (await findDeliveryReply<Message>(deps.db, delivery).catch(() => undefined));
    if (first) {
      deps.logger.info(
        { platform: actor.platform, input: input.kind },
        'duplicate delivery answered from record',
      );
      return first.reply ? { reply: first.reply, effects: [] } : { effects: [] };
    }
    if (error instanceof FormRefused) return error.outcome;
    deps.logger.error(
      { err: describeErrorForLog(error), input: input.kind },
      'input failed; nothing was saved',
    );
    return FAILURE_REPLY;
  }
}

/**
 * Writes effects to the outbox in the caller's transaction, one row per platform that should get them:
 * a channel post goes to every platform bound to that channel, an update to every platform that may hold
 * the card, a DM to the recipient's platform when it is on; a redraw is asked for once per card. Returns
 * how many rows and redraws it queued. `background` rows are sent after the messages people wait for.
 */
export async function queueEffects(
  deps: Pick<DispatchDeps, 'office' | 'platforms' | 'routeChannel'>,
  tx: Db,
  effects: readonly Effect[],
  options: { background?: boolean } = {},
): Promise<number> {
  const expanded = await expandEffects(deps, tx, effects);
  if (options.background) for (const row of expanded.rows) row.background = true;
  // Issued at once, so a COMMIT sent next goes out behind it.
  await writeChangeEffects(tx, { officeId: deps.office.office.id, ...expanded });
  return expanded.rows.length + expanded.redraws.length;
}

/** Effects as the rows and redraw asks that queue them (`queueEffects`). */
interface ExpandedEffects {
  rows: NewOutboxMessage[];
  redraws: string[];
}

async function expandEffects(
  deps: Pick<DispatchDeps, 'office' | 'platforms' | 'routeChannel'>,
  tx: Db,
  effects: readonly Effect[],
): Promise<ExpandedEffects> {
  const officeId = deps.office.office.id;
  const rows: NewOutboxMessage[] = [];
  for (const effect of effects) {
    switch (effect.kind) {
      case 'post':
        for (const route of await deps.routeChannel(tx, effect.channel)) {
          rows.push({
            officeId,
            platform: route.platform,
            kind: 'post',
            target: route.target,
            cardKey: effect.cardKey,
            message: effect.message,
          });
        }
        break;
      case 'update':
        // Every platform may hold the card; the deliverer skips a platform where it was never posted.
        for (const platform of deps.platforms.filter((on) => !effect.platform || on === effect.platform)) {
          rows.push({
            officeId,
            platform,
            kind: 'update',
            target: '',
            cardKey: effect.cardKey,
            message: effect.message,
          });
        }
        break;
      case 'redraw':
        break;
      case 'dm':
        if (deps.platforms.includes(effect.to.platform)) {
          rows.push({
            officeId,
            platform: effect.to.platform,
            kind: 'dm',
            target: effect.to.userId,
            cardKey: effect.cardKey,
            message: effect.message,
          });
        }
        break;
    }
  }
  return { rows, redraws: effects.flatMap((effect) => (effect.kind === 'redraw' ? [effect.cardKey] : [])) };
}

/** What of an error may be logged: its kind and codes, never its message, which can quote stored text. */
export function describeErrorForLog(error: unknown): Record<string, string | number | undefined> {
  if (!(error instanceof Error)) return { type: typeof error };
  // drizzle wraps the driver's error, which holds the server's code, as the cause of its own.
  const fields = ('code' in error || !(error.cause instanceof Error) ? error : error.cause) as Error & {
    code?: unknown;
    constraint_name?: unknown;
  };
  return {
    type: error.name,
    code: typeof fields.code === 'string' || typeof fields.code === 'number' ? fields.code : undefined,
    constraint: typeof fields.constraint_name === 'string' ? fields.constraint_name : undefined,
    // Only the frames: the lines before them are the message, which may span lines.
    stack: error.stack
      ?.split('\n')
      .filter((line) => /^\s+at /.test(line))
      .slice(0, 5)
      .join('\n'),
  };
}
