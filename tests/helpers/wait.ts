import { count, eq } from 'drizzle-orm';
import type { Db } from '../../src/db/client.ts';
import { outbox } from '../../src/db/schema/index.ts';

/** Polls `read` until it gives a value (up to 5 s), for messages the outbox delivers in the background. */
export async function waitFor<T>(
  read: () => T | undefined | Promise<T | undefined>,
  what: string,
): Promise<T> {
  const deadline = Date.now() + 5_000;
  for (;;) {
    const value = await read();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** Checks every `everyMs` until `check` holds; fails saying what did not happen within `ms`. */
export async function pollUntil(
  ms: number,
  what: string,
  check: () => Promise<boolean>,
  everyMs: number,
): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`${what} did not happen within ${ms} ms`);
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
}

/**
 * Waits until the outbox has nothing left to send (up to 5 s), so a test can then say that nothing else
 * was sent, instead of sleeping for a while and hoping the deliverer was done.
 */
export async function waitForOutboxDrained(db: Db): Promise<void> {
  await waitFor(async () => {
    const [pending] = await db.select({ count: count() }).from(outbox).where(eq(outbox.status, 'pending'));
    return pending?.count === 0 ? true : undefined;
  }, 'the outbox to drain');
}
