import type { PGlite, Transaction } from '@electric-sql/pglite';

/** A replacement for PGlite's `query`, made from the one it stands in for. */
export type QueryWrapper = (on: Pick<Transaction, 'query' | 'closed'>) => Transaction['query'];

/**
 * `client` with `query` replaced by `wrap(query)`, on the instance and in every transaction it opens: the
 * two methods drizzle sends all its statements through. Each replacement is made once, not on every read
 * of `query` (drizzle reads it for every statement).
 */
export function wrapQueries(client: PGlite, wrap: QueryWrapper): PGlite {
  const query = wrap(client);
  const transaction = <T>(work: (tx: Transaction) => Promise<T>) =>
    client.transaction((tx) => {
      const txQuery = wrap(tx);
      return work(
        new Proxy(tx, {
          get: (target, property) => (property === 'query' ? txQuery : Reflect.get(target, property, target)),
        }),
      );
    });
  return new Proxy(client, {
    get(target, property) {
      if (property === 'query') return query;
      if (property === 'transaction') return transaction;
      // PGlite keeps its state in private fields, which only the instance itself may reach.
      const value: unknown = Reflect.get(target, property, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}
