import { eq } from 'drizzle-orm';
import { beforeEach, describe, expect, it } from 'vitest';
import { askCardRedrawsStatement } from '../../src/db/repositories/card-redraws.ts';
import { claimDeliveryStatement } from '../../src/db/repositories/deliveries.ts';
import { queueOutboxStatement } from '../../src/db/repositories/outbox.ts';
import { cardRedraws, deliveries, outbox } from '../../src/db/schema/index.ts';
import { writeTogether } from '../../src/db/write-together.ts';
import { databaseTargets, openForSuite } from '../helpers/databases.ts';

const OFFICE = 'write-together';
const card = (text: string) => ({
  officeId: OFFICE,
  platform: 'slack',
  kind: 'post' as const,
  target: 'C0APPROVALS',
  cardKey: `TO-${text.length}`,
  message: { text },
});
const delivery = (deliveryId: string) => ({ platform: 'slack', deliveryId, officeId: OFFICE });

describe.each(databaseTargets())('statements written together on $name', (target) => {
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

  it('writes a card, its redraw asks and the delivery claim as one statement, each as written alone', async () => {
    await writeTogether(database.db, [
      queueOutboxStatement([card('a card'), card('another card')]),
      askCardRedrawsStatement(OFFICE, ['TO-1', 'TO-2']),
      claimDeliveryStatement(delivery('trigger-1'), { text: 'Time off requested: TO-9' }),
    ]);
    expect(await counts()).toEqual({ outbox: 2, asks: 2, deliveries: 1 });
    const [claimed] = await database.db.select().from(deliveries).where(eq(deliveries.officeId, OFFICE));
    expect(claimed?.result).toEqual({ text: 'Time off requested: TO-9' });
    // Nothing to queue and nothing to ask: no statement at all, and none left half-built.
    await writeTogether(database.db, [queueOutboxStatement([]), askCardRedrawsStatement(OFFICE, [])]);
    expect(await counts()).toEqual({ outbox: 2, asks: 2, deliveries: 1 });
  });

  it('writes none of them when the delivery was claimed before: a retry queues no second card', async () => {
    await writeTogether(database.db, [claimDeliveryStatement(delivery('trigger-2'), null)]);
    await expect(
      writeTogether(database.db, [
        queueOutboxStatement([card('the retry’s card')]),
        askCardRedrawsStatement(OFFICE, ['TO-1']),
        claimDeliveryStatement(delivery('trigger-2'), null),
      ]),
    ).rejects.toThrow();
    expect(await counts()).toEqual({ outbox: 0, asks: 0, deliveries: 1 });
  });
});
