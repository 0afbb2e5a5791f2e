import { and, eq } from 'drizzle-orm';
import type { Db } from '../client.ts';
import { teamsPeople } from '../schema/index.ts';

/** Where a Teams user can be reached: enough to open a 1:1 chat with them. */
export interface TeamsAddress {
  memberId: string;
  botId: string;
  channelId: string;
  serviceUrl: string;
  tenantId: string | null;
}

/** Remembers (or refreshes) how to open a 1:1 chat with a Teams user. */
export async function saveTeamsAddress(
  db: Db,
  row: { officeId: string; userId: string } & TeamsAddress,
): Promise<void> {
  const { officeId: _officeId, userId: _userId, ...address } = row;
  await db
    .insert(teamsPeople)
    .values({ ...row, updatedAt: new Date() })
    .onConflictDoUpdate({
      target: [teamsPeople.officeId, teamsPeople.userId],
      set: { ...address, updatedAt: new Date() },
    });
}

/** The stored address of a Teams user, if the bot has seen them. */
export async function getTeamsAddress(
  db: Db,
  officeId: string,
  userId: string,
): Promise<TeamsAddress | undefined> {
  const [row] = await db
    .select({
      memberId: teamsPeople.memberId,
      botId: teamsPeople.botId,
      channelId: teamsPeople.channelId,
      serviceUrl: teamsPeople.serviceUrl,
      tenantId: teamsPeople.tenantId,
    })
    .from(teamsPeople)
    .where(and(eq(teamsPeople.officeId, officeId), eq(teamsPeople.userId, userId)));
  return row;
}
