import { and, asc, eq, gte, inArray, lt, sql } from 'drizzle-orm';
import type { SupplyStatus, SupplyStep } from '../../domain/supplies.ts';
import type { Db } from '../client.ts';
import { supplyRequests, supplyStock } from '../schema/index.ts';

/** A stored supply request. */
export type SupplyRow = typeof supplyRequests.$inferSelect;
/** What filing stores; the lifecycle columns are set only by status updates. */
export type NewSupplyRow = Pick<
  typeof supplyRequests.$inferInsert,
  | 'officeId'
  | 'draftKey'
  | 'requesterKey'
  | 'requesterName'
  | 'requesterPlatform'
  | 'requesterUserId'
  | 'sku'
  | 'itemName'
  | 'unit'
  | 'quantity'
  | 'unitPriceCents'
  | 'urgency'
  | 'note'
  | 'createdAt'
>;
/** Stock on hand of one catalog item. */
export type SupplyStockRow = typeof supplyStock.$inferSelect;

const OPEN: SupplyStatus[] = ['pending', 'approved', 'ordered'];

/**
 * Stores a new pending request and returns it with its reference number; `undefined` when a request with
 * the same draft key was already filed (a second press of the same "did you mean" button).
 */
export async function createSupplyRequest(db: Db, values: NewSupplyRow): Promise<SupplyRow | undefined> {
  const [row] = await db.insert(supplyRequests).values(values).onConflictDoNothing().returning();
  return row;
}

/** The request with reference number `number`, if it exists in this office; `forShare` as for `getTimeOffRequest`. */
export async function getSupplyRequest(
  db: Db,
  officeId: string,
  number: number,
  options: { forShare?: boolean } = {},
): Promise<SupplyRow | undefined> {
  const query = db
    .select()
    .from(supplyRequests)
    .where(and(eq(supplyRequests.officeId, officeId), eq(supplyRequests.number, number)));
  const [row] = await (options.forShare ? query.for('share') : query);
  return row;
}

/** The request filed from the draft `draftKey`, if one was. */
export async function getSupplyRequestByDraft(
  db: Db,
  officeId: string,
  draftKey: string,
): Promise<SupplyRow | undefined> {
  const [row] = await db
    .select()
    .from(supplyRequests)
    .where(and(eq(supplyRequests.officeId, officeId), eq(supplyRequests.draftKey, draftKey)));
  return row;
}

/** Pending, approved and ordered requests, oldest first. */
export async function listOpenSupplyRequests(db: Db, officeId: string): Promise<SupplyRow[]> {
  return db
    .select()
    .from(supplyRequests)
    .where(and(eq(supplyRequests.officeId, officeId), inArray(supplyRequests.status, OPEN)))
    .orderBy(asc(supplyRequests.number));
}

/** Every request filed within [from, to), oldest first. */
export async function listSupplyRequestsFiledBetween(
  db: Db,
  officeId: string,
  from: Date,
  to: Date,
): Promise<SupplyRow[]> {
  return db
    .select()
    .from(supplyRequests)
    .where(
      and(
        eq(supplyRequests.officeId, officeId),
        gte(supplyRequests.createdAt, from),
        lt(supplyRequests.createdAt, to),
      ),
    )
    .orderBy(asc(supplyRequests.number));
}

/** Every request approved within [from, to), whatever happened to it since. */
export async function listSupplyRequestsApprovedBetween(
  db: Db,
  officeId: string,
  from: Date,
  to: Date,
): Promise<SupplyRow[]> {
  return db
    .select()
    .from(supplyRequests)
    .where(
      and(
        eq(supplyRequests.officeId, officeId),
        gte(supplyRequests.approvedAt, from),
        lt(supplyRequests.approvedAt, to),
      ),
    );
}

function describeStep(step: SupplyStep, byName: string, at: Date, note: string | null) {
  switch (step) {
    case 'approved':
      return { approvedByName: byName, approvedAt: at };
    case 'denied':
      return { deniedByName: byName, deniedAt: at, denialNote: note };
    case 'ordered':
      return { orderedByName: byName, orderedAt: at };
    case 'received':
      return { receivedByName: byName, receivedAt: at };
    case 'cancelled':
      return { cancelledByName: byName, cancelledAt: at, cancelNote: note };
  }
}

/**
 * Moves a request from `from` to `to` in one conditional statement, recording who and when: of two presses
 * at once exactly one wins; `undefined` means the request was no longer in `from`.
 */
export async function updateSupplyRequestStatus(
  db: Db,
  params: { id: number; from: SupplyStatus; to: SupplyStep; byName: string; at: Date; note?: string | null },
): Promise<SupplyRow | undefined> {
  const [row] = await db
    .update(supplyRequests)
    .set({ status: params.to, ...describeStep(params.to, params.byName, params.at, params.note ?? null) })
    .where(and(eq(supplyRequests.id, params.id), eq(supplyRequests.status, params.from)))
    .returning();
  return row;
}

/** Stock on hand of every item that was ever counted or received. */
export async function listSupplyStock(db: Db, officeId: string): Promise<SupplyStockRow[]> {
  return db.select().from(supplyStock).where(eq(supplyStock.officeId, officeId));
}

/** Stock on hand of one item, if it was ever counted or received. */
export async function getSupplyStock(
  db: Db,
  officeId: string,
  sku: string,
): Promise<SupplyStockRow | undefined> {
  const [row] = await db
    .select()
    .from(supplyStock)
    .where(and(eq(supplyStock.officeId, officeId), eq(supplyStock.sku, sku)));
  return row;
}

/** Records a count: on hand becomes `count`, whatever it was. */
export async function createStockCount(
  db: Db,
  params: { officeId: string; sku: string; count: number; byName: string; at: Date },
): Promise<SupplyStockRow> {
  const values = {
    officeId: params.officeId,
    sku: params.sku,
    onHand: params.count,
    countedAt: params.at,
    countedByName: params.byName,
    updatedAt: params.at,
  };
  const [row] = await db
    .insert(supplyStock)
    .values(values)
    .onConflictDoUpdate({
      target: [supplyStock.officeId, supplyStock.sku],
      set: {
        onHand: values.onHand,
        countedAt: values.countedAt,
        countedByName: values.countedByName,
        updatedAt: values.updatedAt,
      },
    })
    .returning();
  if (!row) throw new Error('stock count not stored');
  return row;
}

/**
 * Adds a delivery to an item's counted stock; an item never counted stays unknown (undefined), since a
 * delivery alone does not say how many were on the shelf before it.
 */
export async function addReceivedStock(
  db: Db,
  params: { officeId: string; sku: string; quantity: number; at: Date },
): Promise<SupplyStockRow | undefined> {
  const [row] = await db
    .update(supplyStock)
    .set({ onHand: sql`${supplyStock.onHand} + ${params.quantity}`, updatedAt: params.at })
    .where(and(eq(supplyStock.officeId, params.officeId), eq(supplyStock.sku, params.sku)))
    .returning();
  return row;
}
