import type { PGlite, Transaction } from '@electric-sql/pglite';
import { wrapQueries } from './pglite-queries.ts';

/**
 * The PGlite client with every query waiting for the next turn of the event loop before it runs.
 *
 * PGlite runs PostgreSQL on the app's own thread, and a query, though it returns a promise, settles
 * without ever giving the event loop a turn: a transaction's statements, and the handler work between
 * them, run one after another as microtasks. So a piece of work of many statements (a round of card
 * redraws, a batch of sends being marked, several filings chained behind one another) held the thread
 * for 100–300 ms at a time. Requests that arrived meanwhile were not even read, timers (the answer
 * deadline among them) fired late, and the slowest answers at 10 connections took twice the average.
 * Waiting for a turn (`setImmediate`) before each query lets them in between, in the order they came.
 */
export function takingTurns(client: PGlite): PGlite {
  return wrapQueries(client, queryAfterTurn);
}

/** Queries issued together still run in the order they were issued: turns are taken first in, first out. */
function queryAfterTurn(on: Pick<Transaction, 'query'>): Transaction['query'] {
  return async (query, params, options) => {
    await new Promise((resolve) => setImmediate(resolve));
    return on.query(query, params, options);
  };
}
