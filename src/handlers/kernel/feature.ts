import type { DateTime } from 'luxon';
import type { OfficeConfig } from '../../config/office.ts';
import type { Db } from '../../db/client.ts';
import type { Person } from '../../domain/people.ts';
import type { ReferencePrefix } from '../../domain/references.ts';
import type { HandlerContext } from './context.ts';
import type { FeatureDigest, PendingLoader } from './digest.ts';
import type { FeatureEvent } from './events.ts';
import type { CommandTextLines } from './input.ts';
import type { JobContext, ScheduledJob } from './jobs.ts';
import type { Effect, Message, Outcome, SelectOption } from './message.ts';

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

/**
 * What a feature shows on one person's home (the Slack App Home tab; `home` typed to the bot in Teams and
 * the sandbox): messages with that person's own things, and for managers the cards they can act on, with
 * the same buttons. Private to the person: nothing here is ever posted where others read it.
 */
export type HomeLoader = (ctx: {
  db: Db;
  office: OfficeConfig;
  person: Person;
  now: DateTime;
}) => Promise<Message[]>;

/**
 * The options a feature lists under `name` for its forms' long selects, if a feature does; `name` comes from a
 * client, so only a list's own name (never `constructor` or the like) finds one.
 */
export function findChoiceList(
  features: readonly Feature[],
  name: string,
): ((office: OfficeConfig) => SelectOption[]) | undefined {
  for (const { choiceLists } of features)
    if (choiceLists && Object.hasOwn(choiceLists, name)) return choiceLists[name];
  return undefined;
}

/** A word after the command that chooses what it does (`/timeoff list all`), declared so the router can enforce who may use it. */
export interface Subcommand {
  /** the words that choose it, any of them, such as `['cancel', 'withdraw']` or `['list all']` */
  words: readonly string[];
  /** at most this many words may follow; with more, the text is refused with this subcommand's usage and nothing runs */
  maxArgs?: number;
  /** only managers may use it; the refusal, given the managers' names, is sent and nothing runs */
  managerOnly?: (managers: string) => string;
  /** the text after the chosen words */
  run: CommandHandler;
}

/** How a command is written: the answer to `<command> help`, and its line in the list of all commands. */
export interface Usage {
  summary: string;
  lines: string[];
}

/**
 * Everything one feature adds to frontdesk, and the only place it is registered: its command word,
 * subcommands and usage, its buttons (action ids) and forms (form ids) with their handlers, its scheduled
 * jobs, its part of the huddle and its pending decisions. Command words, ids, help, the scheduler's jobs,
 * the huddle and the reminders are all derived from the list of features.
 */
export interface Feature {
  command: string;
  usage: Usage;
  /** the command's text when no subcommand word starts it, the empty text included */
  run: CommandHandler;
  /**
   * `multi-line` only for a feature whose free text is written in paragraphs (a complaint): `run` then gets
   * the line breaks typed, and must put any one-line field it reads from the text on one line itself.
   * Otherwise (`one-line`, the default) every run of whitespace reaches `run` as one space.
   */
  commandTextLines?: CommandTextLines;
  subcommands?: readonly Subcommand[];
  /**
   * a form select's options by the `searchList` name it gives them, for a platform that searches a list too
   * long to send whole (a Teams typeahead): the same options the form has, read from the office config
   */
  choiceLists?: Record<string, (office: OfficeConfig) => SelectOption[]>;
  actions: Record<string, ActionHandler>;
  forms: Record<string, FormHandler>;
  jobs?: readonly ScheduledJob[];
  /** its part of the morning huddle */
  digest?: FeatureDigest;
  /** its requests waiting for a manager, for the huddle and the reminders */
  pending?: PendingLoader;
  /** what it does when another feature publishes an event */
  on?: EventHandlers;
  /** its part of a person's home */
  home?: HomeLoader;
  /**
   * where its home cards' buttons can be pressed, for a home drawn as one message without them (Teams, the
   * sandbox): "Decide each request from its card in the approvals channel."
   */
  homeButtonsAt?: string;
  /** its cards that other changes ask to redraw (`redraw` effects), by their reference prefix */
  cards?: CardRedrawer;
}

/**
 * Redraws a feature's cards, named by their keys (`TO-12`), as the database stands, all in one go so they
 * share their reads: the update effects, none for a card that no longer changes with other things (it was
 * decided).
 */
export interface CardRedrawer {
  prefix: ReferencePrefix;
  redraw(cardKeys: readonly string[], ctx: JobContext): Promise<Effect[]>;
}
