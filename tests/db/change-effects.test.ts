import { eq } from 'drizzle-orm';
import { beforeEach, describe, expect, it } from 'vitest';
import { writeChangeEffects } from '../../src/db/repositories/change-effects.ts';
import { cardRedraws, deliveries, outbox } from '../../src/db/schema/index.ts';
import { databaseTargets, openForSuite } from '../helpers/databases.ts';

const OFFICE = 'change-effects';
const card = (text: string) => ({
  officeId: OFFICE,
  platform: 'slack',
  kind: 'post' as const,
  target: 'C0APPROVALS',
  cardKey: `TO-${text.length}`,
  message: { text },
});
const delivery = (deliveryId: string) => ({ platform: 'slack', deliveryId, officeId: OFFICE });

describe.each(databaseTargets())('a change’s effects on $name', (target) => {
  const database = openForSuite(target);
  beforeEach(async () => {
    await database.db.delete(outbox).where(eq(outbox.officeId, OFFICE));
    await database.db.delete(cardRedraws).where(eq(cardRedraws.officeId, OFFICE));
    await database.db.delete(deliveries).where(eq(deliveries.officeId, OFFICE));
  });

  const counts = async () => ({
    outbox: (await database.db.select().from(outbox).where(eq(outbox.officeId, OFFICE))).length,
    asks: (await database.db.select().from(cardRedraws).where(eq(cardRedraws.officeId, OFFICE))).length,
    deliveries: (await database.db.select().from(deliveries).where(eq(deliveries.officeId, OFFICE))).length,
  });

  it('writes the cards, the redraw asks and the delivery claim with its answer', async () => {
    await writeChangeEffects(database.db, {
      officeId: OFFICE,
      rows: [card('a card'), card('another card')],
      redraws: ['TO-1', 'TO-2', 'TO-1'],
      claim: { key: delivery('trigger-1'), reply: { text: 'Time off requested: TO-9' } },
    });
    expect(await counts()).toEqual({ outbox: 2, asks: 2, deliveries: 1 });
    const [claimed] = await database.db.select().from(deliveries).where(eq(deliveries.officeId, OFFICE));
    expect(claimed?.result).toEqual({ text: 'Time off requested: TO-9' });
    const queued = await database.db
      .select()
      .from(outbox)
      .where(eq(outbox.officeId, OFFICE))
      .orderBy(outbox.id);
    expect(queued.map((row) => [row.cardKey, row.message, row.background])).toEqual([
      ['TO-6', { text: 'a card' }, false],
      ['TO-12', { text: 'another card' }, false],
    ]);
  });

  it('writes only what there is: rows alone, a claim alone, and nothing at all', async () => {
    await writeChangeEffects(database.db, { officeId: OFFICE, rows: [card('a card')], redraws: [] });
    expect(await counts()).toEqual({ outbox: 1, asks: 0, deliveries: 0 });
    await writeChangeEffects(database.db, {
      officeId: OFFICE,
      rows: [],
      redraws: [],
      claim: { key: delivery('trigger-3'), reply: null },
    });
    expect(await counts()).toEqual({ outbox: 1, asks: 0, deliveries: 1 });
    const [claimed] = await database.db.select().from(deliveries).where(eq(deliveries.officeId, OFFICE));
    expect(claimed?.result).toBeNull();
    await writeChangeEffects(database.db, { officeId: OFFICE, rows: [], redraws: [] });
    expect(await counts()).toEqual({ outbox: 1, asks: 0, deliveries: 1 });
  });

  it('writes none of them when the delivery was claimed before: a retry queues no second card', async () => {
    const retry = { key: delivery('trigger-2'), reply: null };
    await writeChangeEffects(database.db, { officeId: OFFICE, rows: [], redraws: [], claim: retry });
    await expect(
      writeChangeEffects(database.db, {
        officeId: OFFICE,
        rows: [card('the retry’s card')],
        redraws: ['TO-1'],
        claim: retry,
      }),
    ).rejects.toThrow();
    expect(await counts()).toEqual({ outbox: 0, asks: 0, deliveries: 1 });
  });
});
