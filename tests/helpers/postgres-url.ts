import { sql } from 'drizzle-orm';
import type { Database } from '../../src/db/client.ts';

/**
 * The postgres:// URL of `database`, an open database on the server at `serverUrl` (such as one from
 * openFreshPostgres), for another process to open; with `localPort`, through that port on 127.0.0.1 (a proxy).
 */
export async function findDatabaseUrl(
  database: Database,
  serverUrl: string,
  localPort?: number,
): Promise<string> {
  const [row] = await database.db
    .select({ name: sql<string>`current_database()` })
    .from(sql`(values (1)) as one`);
  if (!row) throw new Error('the database did not name itself');
  const url = new URL(serverUrl);
  url.pathname = `/${row.name}`;
  if (localPort !== undefined) {
    url.hostname = '127.0.0.1';
    url.port = String(localPort);
  }
  return url.toString();
}
