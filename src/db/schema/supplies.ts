import { sql } from 'drizzle-orm';
import {
  bigserial,
  check,
  index,
  integer,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
} from 'drizzle-orm/pg-core';
import type { PlatformName } from '../../domain/people.ts';
import type { SupplyStatus, SupplyUrgency } from '../../domain/supplies.ts';

/**
 * Supply requests; `number` is the human reference (SR-7), unique per office. `sku` is null for an item not
 * in the catalog. Name, unit and price are copied from the catalog when filed, so a later config edit does
 * not rewrite what was asked for or approved. `draft_key` makes filing from a "did you mean" button happen once.
 */
export const supplyRequests = pgTable(
  'supply_requests',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    officeId: text('office_id').notNull(),
    number: integer('number').notNull().default(sql`nextval('supply_ref_seq')`),
    draftKey: text('draft_key'),
    requesterKey: text('requester_key').notNull(),
    requesterName: text('requester_name').notNull(),
    requesterPlatform: text('requester_platform').$type<PlatformName>().notNull(),
    requesterUserId: text('requester_user_id').notNull(),
    sku: text('sku'),
    itemName: text('item_name').notNull(),
    unit: text('unit'),
    quantity: integer('quantity').notNull(),
    unitPriceCents: integer('unit_price_cents'),
    urgency: text('urgency').$type<SupplyUrgency>().notNull().default('routine'),
    note: text('note').notNull().default(''),
    status: text('status').$type<SupplyStatus>().notNull().default('pending'),
    approvedByName: text('approved_by_name'),
    approvedAt: timestamp('approved_at', { withTimezone: true }),
    deniedByName: text('denied_by_name'),
    deniedAt: timestamp('denied_at', { withTimezone: true }),
    denialNote: text('denial_note'),
    orderedByName: text('ordered_by_name'),
    orderedAt: timestamp('ordered_at', { withTimezone: true }),
    receivedByName: text('received_by_name'),
    receivedAt: timestamp('received_at', { withTimezone: true }),
    cancelledByName: text('cancelled_by_name'),
    cancelledAt: timestamp('cancelled_at', { withTimezone: true }),
    /** why a manager cancelled an approved or ordered request; the requester is told it */
    cancelNote: text('cancel_note'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    uniqueIndex('supply_requests_number_idx').on(table.officeId, table.number),
    uniqueIndex('supply_requests_draft_idx').on(table.officeId, table.draftKey),
    // Open requests for /supplies list, and on-order quantities per sku for reorder suggestions.
    index('supply_requests_status_idx').on(table.officeId, table.status, table.sku),
    index('supply_requests_created_idx').on(table.officeId, table.createdAt),
    index('supply_requests_approved_idx').on(table.officeId, table.approvedAt),
    // The same bounds as MAX_SUPPLY_QUANTITY in the domain: a last guard, never the user's answer.
    check('supply_requests_quantity_check', sql`${table.quantity} between 1 and 1000`),
  ],
);

/** Stock on hand per catalog item: the last count a manager recorded plus what was received since. */
export const supplyStock = pgTable(
  'supply_stock',
  {
    officeId: text('office_id').notNull(),
    sku: text('sku').notNull(),
    onHand: integer('on_hand').notNull(),
    countedAt: timestamp('counted_at', { withTimezone: true }),
    countedByName: text('counted_by_name'),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    primaryKey({ columns: [table.officeId, table.sku] }),
    check('supply_stock_on_hand_check', sql`${table.onHand} >= 0`),
  ],
);
