import { entityKind } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { sessionOf } from '../../src/db/drizzle-session.ts';
import { databaseTargets, openForSuite } from '../helpers/databases.ts';

// What the fixed queries, the early COMMIT and the PGlite checks read past drizzle's public API: if a drizzle
// upgrade moves it, this fails by name rather than those features misbehaving.
describe.each(databaseTargets())('sessionOf on $name', (target) => {
  const database = openForSuite(target);
  const sessionKind = target.name === 'pglite' ? 'PgliteSession' : 'PostgresJsSession';

  it('finds the session drizzle sends through, and the driver client under it', async () => {
    const session = sessionOf(database.db);
    expect(session.constructor[entityKind]).toBe(sessionKind);
    const client = session.client as { query?: unknown; unsafe?: unknown };
    expect(typeof (target.name === 'pglite' ? client.query : client.unsafe)).toBe('function');
  });

  it('finds a transaction’s own session, of the same kind', async () => {
    await database.db.transaction(async (tx) => {
      const session = sessionOf(tx);
      expect(session).not.toBe(sessionOf(database.db));
      expect(session.constructor[entityKind]).toBe(sessionKind);
      expect(session.client).toBeDefined();
    });
  });
});
