import type { TurnContext } from 'botbuilder';
import { z } from 'zod';
import type { SelectOption } from '../../handlers/kernel/message.ts';

/** The invoke Teams sends as someone types into a choice input backed by a `Data.Query` (dynamic typeahead). */
export const SEARCH_INVOKE_NAME = 'application/search';
/** Teams lists at most 15 results under a typeahead; it asks for that many unless it says otherwise. */
export const DEFAULT_SEARCH_RESULTS = 15;
const MAX_SEARCH_RESULTS = 50;
/** Longer than any choice's label and heading (a catalog line: a 100-character name, unit, sku and category). */
const MAX_QUERY_CHARS = 250;

export interface SearchResult {
  title: string;
  value: string;
}

const searchQuerySchema = z.object({
  queryText: z.string().max(MAX_QUERY_CHARS).default(''),
  dataset: z.string().max(100),
  queryOptions: z
    .object({ skip: z.number().int().min(0).optional(), top: z.number().int().min(1).optional() })
    .optional(),
});

/** The options whose label or heading holds every word typed, in their order, as Teams lists results. */
function searchOptions(options: readonly SelectOption[], words: readonly string[]): SearchResult[] {
  return options
    .filter((option) => {
      const searchable = `${option.label}\n${option.group ?? ''}`.toLowerCase();
      return words.every((word) => searchable.includes(word));
    })
    .map((option) => ({ title: option.label, value: option.value }));
}

/**
 * Answers an `application/search` invoke from the list the card named (a form select's `searchList`, whose
 * options `choicesOf` gives). A list it does not know, or a query it cannot read (the client writes it, any
 * size or shape), gets no results: only those lists are searchable, and what was typed is neither logged nor
 * shown.
 */
export function answerSearch(
  value: unknown,
  choicesOf: (list: string) => readonly SelectOption[] | undefined,
): SearchResult[] {
  const parsed = searchQuerySchema.safeParse(value);
  const options = parsed.success ? choicesOf(parsed.data.dataset) : undefined;
  if (!parsed.success || !options) return [];
  const { queryText, queryOptions } = parsed.data;
  const words = queryText.toLowerCase().split(/\s+/).filter(Boolean);
  const skip = queryOptions?.skip ?? 0;
  const top = Math.min(queryOptions?.top ?? DEFAULT_SEARCH_RESULTS, MAX_SEARCH_RESULTS);
  return searchOptions(options, words).slice(skip, skip + top);
}

/** Whether a turn is a typeahead search (teams-ai routes every one here, known dataset or not). */
export function isSearchInvoke(context: TurnContext): Promise<boolean> {
  const { type, name } = context.activity;
  return Promise.resolve(type === 'invoke' && name === SEARCH_INVOKE_NAME);
}
