import { removeDirectionControls } from '../../domain/visible-text.ts';
import { withKeys } from '../../domain/with-keys.ts';
import type { HandlerContext } from './context.ts';
import { managerNames, refusal } from './copy.ts';
import type { FeatureEvent } from './events.ts';
import type { ActionHandler, Feature, FormHandler, Subcommand } from './feature.ts';
import { type Input, shapeCommandText } from './input.ts';
import { type Effect, type Outcome, replyOnly } from './message.ts';
import { refuseExtraWords } from './subcommand-usage.ts';
import { describeCommandUsage } from './usage.ts';

// Longer than any form field a feature accepts; it also keeps fuzzy matching and date parsing fast.
const MAX_COMMAND_TEXT = 5_000;
// Half of a UTF-16 surrogate pair: JSON can carry one (`"\ud800"`), PostgreSQL's jsonb refuses it.
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
// C0 and C1 controls and DEL, but the tab and line breaks a form's text keeps. PostgreSQL refuses NUL; the
// rest show as nothing in chat, yet an escape (`\u001b[31m`) would recolour a terminal reading a log or a CSV.
const CONTROL_CHARACTER = /(?![\t\n\r])\p{Cc}/gu;
// U+FFFE, U+FFFF and the other noncharacters are not text: XML refuses some, so a chart naming one fails.
const NONCHARACTER = /\p{Noncharacter_Code_Point}/gu;

/**
 * Storable text: no control character but tab and line breaks, no noncharacter, no direction control, and
 * U+FFFD for half a surrogate pair.
 */
function toStorableText(text: string): string {
  return removeDirectionControls(text.replace(CONTROL_CHARACTER, '').replace(NONCHARACTER, '')).replace(
    LONE_SURROGATE,
    '\uFFFD',
  );
}

/** The input with every string in it made storable, so odd characters never fail the transaction. */
function toStorableInput(input: Input): Input {
  switch (input.kind) {
    case 'command':
      return { ...input, text: toStorableText(input.text) };
    case 'action':
      return { ...input, value: toStorableText(input.value) };
    case 'form':
      return {
        ...input,
        values: Object.fromEntries(
          Object.entries(input.values).map(([id, value]) => [id, toStorableText(value)]),
        ),
        ...(input.metadata === undefined ? {} : { metadata: toStorableText(input.metadata) }),
      };
  }
}

type Phrase = { subcommand: Subcommand; phrase: string[] };

/** Every phrase that chooses a subcommand, longest first, so `list all` is tried before `list`. */
function listPhrases(subcommands: readonly Subcommand[]): Phrase[] {
  return subcommands
    .flatMap((subcommand) => subcommand.words.map((phrase) => ({ subcommand, phrase: phrase.split(' ') })))
    .sort((a, b) => b.phrase.length - a.phrase.length);
}

type Chosen =
  | { kind: 'run'; subcommand: Subcommand; rest: string }
  | { kind: 'too many words'; subcommand: Subcommand & { maxArgs: number }; phrase: string };

/**
 * The subcommand the text starts with, the longest phrase winning, and the words after it. Text that starts
 * with a phrase but has more words after it than the subcommand takes (`export 2026-11 csv`) is refused by
 * the caller, never given to the command's own text, which would file it, unless a shorter phrase it starts
 * with takes them (`list all soon` is `list` when `list all` takes none but `list` takes any). Text typed
 * over several lines (kept only for a feature written in paragraphs) is never a subcommand with too many
 * words: nobody types a command's words over lines, so it is the command's own text (`list\nof problems`).
 */
function findSubcommand(phrases: readonly Phrase[], text: string): Chosen | undefined {
  const words = text.split(/\s+/).filter(Boolean);
  const paragraphs = /\S\s*\n\s*\S/.test(text);
  let tooMany: Chosen | undefined;
  for (const { subcommand, phrase } of phrases) {
    if (!phrase.every((word, index) => words[index]?.toLowerCase() === word)) continue;
    const { maxArgs } = subcommand;
    if (maxArgs !== undefined && words.length - phrase.length > maxArgs) {
      if (!paragraphs)
        tooMany ??= {
          kind: 'too many words',
          subcommand: { ...subcommand, maxArgs },
          phrase: phrase.join(' '),
        };
      continue;
    }
    return { kind: 'run', subcommand, rest: words.slice(phrase.length).join(' ') };
  }
  return tooMany;
}

/** Command word, action id or form id → the feature's handler; `help` and unknowns answer with usage.
 * Text is made storable first: no control character but tab and line breaks, no lone surrogate. A command's
 * text keeps its line breaks only for a feature that declares `commandTextLines: 'multi-line'`, and never in
 * a subcommand's words. */
export function createRouter(features: readonly Feature[]) {
  const commands = new Map(features.map((feature) => [feature.command, feature]));
  const phrasesOf = new Map(
    features.map((feature) => [feature.command, listPhrases(feature.subcommands ?? [])]),
  );
  const actions = new Map<string, ActionHandler>();
  const forms = new Map<string, FormHandler>();
  for (const feature of features) {
    for (const [id, handler] of Object.entries(feature.actions)) if (handler) actions.set(id, handler);
    for (const [id, handler] of Object.entries(feature.forms)) if (handler) forms.set(id, handler);
  }

  return {
    commands: [...commands.keys()],
    actionIds: [...actions.keys()],
    formIds: [...forms.keys()],
    async route(received: Input, context: Omit<HandlerContext, 'publish'>): Promise<Outcome> {
      const ctx: HandlerContext = withKeys(context, {
        async publish(event: FeatureEvent) {
          const effects = [];
          for (const feature of features) {
            // The map is keyed by kind, so the handler found is the one for this event's own type.
            const handler = feature.on?.[event.kind] as
              | ((event: FeatureEvent, ctx: HandlerContext) => Promise<Effect[]>)
              | undefined;
            if (handler) effects.push(...(await handler(event, ctx)));
          }
          return effects;
        },
      });
      const input = toStorableInput(received);
      switch (input.kind) {
        case 'command': {
          if (input.text.length > MAX_COMMAND_TEXT) {
            const length = input.text.length.toLocaleString('en-US');
            return replyOnly({
              text: `That is ${length} characters; frontdesk reads at most 5,000. Please shorten it. Nothing was saved.`,
            });
          }
          const feature = commands.get(input.command);
          if (!feature) {
            return replyOnly({
              text: `/${input.command} is not available yet`,
              lines: [`This frontdesk does not handle /${input.command} yet. Nothing was saved.`],
            });
          }
          const text = shapeCommandText(input.text, feature.commandTextLines ?? 'one-line');
          if (/^(help|\?)$/i.test(text)) return replyOnly(describeCommandUsage(feature));
          const chosen = findSubcommand(phrasesOf.get(feature.command) ?? [], text);
          if (!chosen) return feature.run(text, ctx);
          if (chosen.kind === 'too many words')
            return refuseExtraWords(feature, chosen.subcommand, chosen.phrase, text);
          const { subcommand, rest } = chosen;
          if (subcommand.managerOnly && !ctx.actor.isManager) {
            return refusal(subcommand.managerOnly(managerNames(ctx.office)));
          }
          return subcommand.run(rest, ctx);
        }
        case 'action': {
          const handler = actions.get(input.actionId);
          if (!handler) return replyOnly({ text: 'That button is no longer in use. Nothing was changed.' });
          return handler(input.value, ctx);
        }
        case 'form': {
          const handler = forms.get(input.formId);
          if (!handler) return replyOnly({ text: 'That form is no longer in use. Nothing was saved.' });
          return handler(input.values, input.metadata, ctx);
        }
      }
    },
  };
}

export type Router = ReturnType<typeof createRouter>;
