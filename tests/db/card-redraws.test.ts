import { beforeEach, describe, expect, it } from 'vitest';
import type { Db } from '../../src/db/client.ts';
import { takeCardRedraws } from '../../src/db/repositories/card-redraws.ts';
import { writeChangeEffects } from '../../src/db/repositories/change-effects.ts';
import { cardRedraws } from '../../src/db/schema/index.ts';
import { databaseTargets, openForSuite } from '../helpers/databases.ts';
import { createGate } from '../helpers/gate.ts';

const OFFICE = 'office-1';
const askCardRedraws = (db: Db, officeId: string, cardKeys: string[]) =>
  writeChangeEffects(db, { officeId, rows: [], redraws: cardKeys });

describe.each(databaseTargets())('card redraw asks on $name', (target) => {
  const database = openForSuite(target);
  beforeEach(async () => {
    await database.db.delete(cardRedraws);
  });
  const waitingAsks = async () =>
    (
      await database.db
        .select({ officeId: cardRedraws.officeId, cardKey: cardRedraws.cardKey })
        .from(cardRedraws)
        .orderBy(cardRedraws.officeId, cardRedraws.cardKey)
    ).map((row) => [row.officeId, row.cardKey]);

  it('takes each asked card once however many times it was asked, oldest asks first', async () => {
    await askCardRedraws(database.db, OFFICE, ['TO-1', 'TO-2', 'TO-1']);
    await askCardRedraws(database.db, OFFICE, ['TO-2']);
    await askCardRedraws(database.db, 'another-office', ['TO-9']);
    const taken = await database.db.transaction((tx) => takeCardRedraws(tx, OFFICE, 10));
    expect(taken).toEqual(['TO-1', 'TO-2']);
    expect(await database.db.transaction((tx) => takeCardRedraws(tx, OFFICE, 10))).toEqual([]);
    expect(await database.db.transaction((tx) => takeCardRedraws(tx, 'another-office', 10))).toEqual([
      'TO-9',
    ]);
  });

  it('writes no second ask for a card whose ask still waits', async () => {
    await askCardRedraws(database.db, OFFICE, ['TO-1', 'TO-2']);
    await askCardRedraws(database.db, OFFICE, ['TO-2', 'TO-3']);
    await askCardRedraws(database.db, 'another-office', ['TO-2']);
    expect(await waitingAsks()).toEqual([
      ['another-office', 'TO-2'],
      [OFFICE, 'TO-1'],
      [OFFICE, 'TO-2'],
      [OFFICE, 'TO-3'],
    ]);
    await database.db.transaction((tx) => takeCardRedraws(tx, OFFICE, 10));
    await askCardRedraws(database.db, OFFICE, ['TO-2']);
    expect(await waitingAsks()).toEqual([
      ['another-office', 'TO-2'],
      [OFFICE, 'TO-2'],
    ]);
  });

  it('takes at most the cards of the limit, oldest asked first, each with every ask for it', async () => {
    // Asks of one card asked again while a round held the earlier one (as the last test below makes).
    await database.db
      .insert(cardRedraws)
      .values(
        ['TO-1', 'TO-2', 'TO-3', 'TO-1', 'TO-2', 'TO-4'].map((cardKey) => ({ officeId: OFFICE, cardKey })),
      );
    expect(await database.db.transaction((tx) => takeCardRedraws(tx, OFFICE, 2))).toEqual(['TO-1', 'TO-2']);
    // TO-1 and TO-2 were asked again after the oldest asks; those later asks went with them.
    const left = await database.db.select({ cardKey: cardRedraws.cardKey }).from(cardRedraws);
    expect(left.map((row) => row.cardKey).sort()).toEqual(['TO-3', 'TO-4']);
    expect(await database.db.transaction((tx) => takeCardRedraws(tx, OFFICE, 2))).toEqual(['TO-3', 'TO-4']);
  });

  it('puts the asks back when the redraw fails', async () => {
    await askCardRedraws(database.db, OFFICE, ['TO-3']);
    await expect(
      database.db.transaction(async (tx) => {
        expect(await takeCardRedraws(tx, OFFICE, 10)).toEqual(['TO-3']);
        throw new Error('the card could not be drawn');
      }),
    ).rejects.toThrow('could not be drawn');
    expect(await database.db.transaction((tx) => takeCardRedraws(tx, OFFICE, 10))).toEqual(['TO-3']);
  });

  // PGlite serves one connection, so only the server has two processes' transactions side by side.
  if (target.name !== 'postgres') return;
  it('asks for a card another process is redrawing without waiting for it, and keeps the ask for the next round', async () => {
    await askCardRedraws(database.db, OFFICE, ['TO-4']);
    const held = createGate();
    let taken: string[] = [];
    const round = database.db.transaction(async (tx) => {
      taken = await takeCardRedraws(tx, OFFICE, 10);
      await held.opened;
    });
    await new Promise((resolve) => setTimeout(resolve, 50));
    // With the round's transaction still open: a waiting ask would never settle before it ends.
    const asked = await Promise.race([
      askCardRedraws(database.db, OFFICE, ['TO-4']).then(() => 'asked'),
      new Promise((resolve) => setTimeout(() => resolve('waited'), 2_000)),
    ]);
    expect(asked).toBe('asked');
    const second = await database.db.transaction((tx) => takeCardRedraws(tx, OFFICE, 10));
    expect(second).toEqual(['TO-4']);
    held.open();
    await round;
    expect(taken).toEqual(['TO-4']);
  });

  it('leaves a waiting ask that a change in progress relies on to a round after that change', async () => {
    await askCardRedraws(database.db, OFFICE, ['TO-5']);
    const decided = createGate();
    const asked = createGate();
    const change = database.db.transaction(async (tx) => {
      await askCardRedraws(tx, OFFICE, ['TO-5']);
      asked.open();
      await decided.opened;
    });
    await asked.opened;
    // The change wrote no ask of its own: a round now would draw the card without it.
    expect(await waitingAsks()).toEqual([[OFFICE, 'TO-5']]);
    expect(await database.db.transaction((tx) => takeCardRedraws(tx, OFFICE, 10))).toEqual([]);
    decided.open();
    await change;
    expect(await database.db.transaction((tx) => takeCardRedraws(tx, OFFICE, 10))).toEqual(['TO-5']);
  });
});
