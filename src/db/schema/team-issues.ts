import { sql } from 'drizzle-orm';
import { bigserial, index, integer, pgTable, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import type { IssueCategory, IssueStatus } from '../../domain/issues.ts';
import type { PlatformName } from '../../domain/people.ts';

/**
 * Team issues (`/issue`), posted to the huddle channel; `number` is the human reference (IS-5). `status`
 * moves open → taken → done (or open → done by a manager) by conditional updates only, so of two people
 * pressing `Take it` at once exactly one becomes the owner.
 */
export const teamIssues = pgTable(
  'team_issues',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    officeId: text('office_id').notNull(),
    number: integer('number').notNull().default(sql`nextval('team_issue_ref_seq')`),
    category: text('category').$type<IssueCategory>().notNull(),
    description: text('description').notNull(),
    raiserKey: text('raiser_key').notNull(),
    raiserName: text('raiser_name').notNull(),
    raiserPlatform: text('raiser_platform').$type<PlatformName>().notNull(),
    raiserUserId: text('raiser_user_id').notNull(),
    status: text('status').$type<IssueStatus>().notNull().default('open'),
    ownerKey: text('owner_key'),
    ownerName: text('owner_name'),
    takenAt: timestamp('taken_at', { withTimezone: true }),
    doneByKey: text('done_by_key'),
    doneByName: text('done_by_name'),
    doneAt: timestamp('done_at', { withTimezone: true }),
    doneNote: text('done_note').notNull().default(''),
    /** when the managers were told nobody had taken it; set once */
    flaggedAt: timestamp('flagged_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    uniqueIndex('team_issues_number_idx').on(table.officeId, table.number),
    index('team_issues_status_idx').on(table.officeId, table.status),
  ],
);
