import { asc, eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { createAuditEntry } from '../../src/db/repositories/audit.ts';
import { createOutboxMessages } from '../../src/db/repositories/change-effects.ts';
import {
  createTimeOffRequest,
  reserveTimeOffRequest,
  type TimeOffFiling,
} from '../../src/db/repositories/time-off.ts';
import { auditLog, outbox, timeOffRequests } from '../../src/db/schema/index.ts';
import type { Person } from '../../src/domain/people.ts';
import { databaseTargets, openForSuite } from '../helpers/databases.ts';

const SAM: Person = {
  key: 'staff:sam-lee',
  name: 'Sam Lee',
  role: 'front-desk',
  isManager: false,
  platform: 'slack',
  userId: 'U0SAM',
};

function filing(officeId: string, overrides: Partial<TimeOffFiling> = {}): TimeOffFiling {
  return {
    officeId,
    requesterKey: SAM.key,
    requesterName: "Sam 'Lee'); drop table audit_log; --",
    requesterRole: null,
    requesterPlatform: 'slack',
    requesterUserId: SAM.userId,
    startDay: '2026-12-07',
    endDay: '2026-12-09',
    part: 'full',
    type: 'vacation',
    workingDays: 3,
    createdAt: new Date('2026-11-30T14:05:06.789Z'),
    ...overrides,
  };
}

// The writes of a filing are statements built once and run in every transaction after: each call must
// store its own values, whatever ran before it.
describe.each(databaseTargets())('the writes of a filing on $name', (target) => {
  const database = openForSuite(target);

  it('stores each request with its own values and names it in the audit row written with it', async () => {
    const stored = [];
    for (const overrides of [
      {},
      { part: 'am' as const, reason: '=SUM(A1:A9) <!channel> 💥', overBalance: true },
    ]) {
      stored.push(
        await database.db.transaction(async (tx) => {
          const { row, stored } = createTimeOffRequest(
            tx,
            filing('office-w', overrides),
            { actor: SAM, detail: { start: '2026-12-07', nested: { quote: `it's "fine"` } } },
            await reserveTimeOffRequest(tx),
          );
          await stored;
          return row;
        }),
      );
    }
    const [first, second] = stored;
    expect(first).toMatchObject({
      requesterName: "Sam 'Lee'); drop table audit_log; --",
      requesterRole: null,
      startDay: '2026-12-07',
      endDay: '2026-12-09',
      part: 'full',
      reason: '',
      workingDays: 3,
      overBalance: false,
      status: 'pending',
      decidedAt: null,
    });
    expect(first?.createdAt).toEqual(new Date('2026-11-30T14:05:06.789Z'));
    expect(second).toMatchObject({ part: 'am', reason: '=SUM(A1:A9) <!channel> 💥', overBalance: true });
    expect(second?.number).toBe((first?.number ?? 0) + 1);
    // The rows handed back before their statement ran are the rows stored, column for column.
    expect(
      await database.db
        .select()
        .from(timeOffRequests)
        .where(eq(timeOffRequests.officeId, 'office-w'))
        .orderBy(asc(timeOffRequests.id)),
    ).toEqual(stored);
    const audit = await database.db
      .select()
      .from(auditLog)
      .where(eq(auditLog.officeId, 'office-w'))
      .orderBy(asc(auditLog.id));
    expect(audit.map((row) => row.entity)).toEqual([`TO-${first?.number}`, `TO-${second?.number}`]);
    expect(audit[0]?.detail).toEqual({ start: '2026-12-07', nested: { quote: `it's "fine"` } });
    expect(audit[0]).toMatchObject({ actor: SAM.key, actorName: 'Sam Lee', platform: 'slack' });
  });

  it('records an audit row at the time given, or at the transaction’s time when none is', async () => {
    const at = new Date('2026-01-02T03:04:05.678Z');
    const before = Date.now();
    await createAuditEntry(database.db, {
      officeId: 'office-a',
      actor: SAM,
      action: 'a',
      entity: 'TO-1',
      at,
    });
    await createAuditEntry(database.db, { officeId: 'office-a', actor: SAM, action: 'b', entity: 'SUP-2' });
    const rows = await database.db
      .select()
      .from(auditLog)
      .where(eq(auditLog.officeId, 'office-a'))
      .orderBy(asc(auditLog.id));
    expect(rows.map((row) => [row.action, row.entity, row.detail])).toEqual([
      ['a', 'TO-1', {}],
      ['b', 'SUP-2', {}],
    ]);
    expect(rows[0]?.at).toEqual(at);
    expect(rows[1]?.at.getTime()).toBeGreaterThanOrEqual(before - 60_000);
  });

  it('queues one message as it was written, and of a card’s waiting updates keeps the last', async () => {
    const update = (text: string) => ({
      officeId: 'office-o',
      platform: 'slack',
      kind: 'update' as const,
      target: '',
      cardKey: 'TO-9',
      message: { text, lines: ['<@U0SAM> & co'] },
    });
    await createOutboxMessages(database.db, [
      { officeId: 'office-o', platform: 'slack', kind: 'dm', target: 'U0SAM', message: { text: 'hi' } },
    ]);
    await createOutboxMessages(database.db, [update('first')]);
    await createOutboxMessages(database.db, [update('second')]);
    const rows = await database.db
      .select()
      .from(outbox)
      .where(eq(outbox.officeId, 'office-o'))
      .orderBy(asc(outbox.id));
    expect(rows.map((row) => [row.kind, row.cardKey, row.message])).toEqual([
      ['dm', null, { text: 'hi' }],
      ['update', 'TO-9', { text: 'second', lines: ['<@U0SAM> & co'] }],
    ]);
  });
});
