import type { HandlerContext } from './context.ts';
import type { FeatureEvent } from './events.ts';
import type { ScheduledJob } from './jobs.ts';
import type { Effect, Outcome } from './message.ts';

export type CommandHandler = (text: string, ctx: HandlerContext) => Promise<Outcome>;
export type ActionHandler = (value: string, ctx: HandlerContext) => Promise<Outcome>;
export type FormHandler = (
  values: Record<string, string>,
  metadata: string | undefined,
  ctx: HandlerContext,
) => Promise<Outcome>;

/** A feature's subscriptions: for each event kind, the messages it adds when another feature publishes one. */
export type EventHandlers = {
  [Kind in FeatureEvent['kind']]?: (
    event: Extract<FeatureEvent, { kind: Kind }>,
    ctx: HandlerContext,
  ) => Promise<Effect[]>;
};

/** How a command is written: the answer to `<command> help`, and its line in the list of all commands. */
export interface Usage {
  summary: string;
  lines: string[];
}

/**
 * Everything one feature adds to frontdesk, and the only place it is registered: its command word and
 * usage, its buttons (action ids) and forms (form ids) with their handlers, and its scheduled jobs. Command
 * words, ids, help and the scheduler's jobs are all derived from the list of features.
 */
export interface Feature {
  command: string;
  usage: Usage;
  run: CommandHandler;
  actions: Record<string, ActionHandler>;
  forms: Record<string, FormHandler>;
  jobs?: readonly ScheduledJob[];
  /** what it does when another feature publishes an event */
  on?: EventHandlers;
}
