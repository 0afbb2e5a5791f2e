import type { PGlite, QueryOptions, Transaction } from '@electric-sql/pglite';
import { wrapQueries } from './pglite-queries.ts';

/**
 * The types drizzle reads as PostgreSQL's text, by their fixed OIDs: drizzle passes a parser that keeps the
 * text for each with every query (drizzle-orm/pglite/session.js) and parses dates and times itself.
 */
export const TYPES_READ_AS_TEXT = {
  timestamp: 1114,
  timestamptz: 1184,
  interval: 1186,
  date: 1082,
  'numeric[]': 1231,
  'timestamp[]': 1115,
  'timestamptz[]': 1185,
  'interval[]': 1187,
  'date[]': 1182,
} as const;

const keepText = (value: string) => value;
const OIDS_READ_AS_TEXT = new Set<string>(Object.values(TYPES_READ_AS_TEXT).map(String));

/**
 * The PGlite client drizzle is given: the same parsers set once on the instance, and dropped from each
 * query. PGlite merges parsers passed with a query into a fresh copy of its own table, some 300 entries
 * (a parser per type and array type), on every query: that copy nearly doubled a small query's time
 * (183 → 344 µs) and was about a tenth of a filing's CPU time.
 */
export function withTextParsersOnInstance(client: PGlite): PGlite {
  for (const oid of Object.values(TYPES_READ_AS_TEXT)) client.parsers[oid] = keepText;
  return wrapQueries(client, queryWithoutParsers);
}

/** A query function that drops parsers the instance already has; any other parser goes with the query. */
function queryWithoutParsers(on: Pick<Transaction, 'query'>): Transaction['query'] {
  return (query, params, options) => {
    if (!options?.parsers || !Object.keys(options.parsers).every((oid) => OIDS_READ_AS_TEXT.has(oid))) {
      return on.query(query, params, options);
    }
    const { parsers: _onTheInstance, ...rest }: QueryOptions = options;
    return on.query(query, params, rest);
  };
}
