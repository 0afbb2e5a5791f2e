import type { Logger } from 'pino';
import { type Db, sendCommit } from '../../db/client.ts';
import { type Outcome, replyOnly } from './message.ts';

/**
 * ms from the start of a dispatch to its answer at the latest. Slack's adapter acks "Working on it…" at
 * 2.5 s, inside Slack's 3 s window; this answer then reaches the response URL about 2 s after that window.
 */
export const DISPATCH_DEADLINE_MS = 5_000;

const NOT_SAVED = replyOnly({
  text: "The practice's database did not answer in time, so nothing was saved. Please try again in a minute.",
});
const UNCONFIRMED = replyOnly({
  text: "The practice's database did not confirm in time whether this was saved. Please check in a minute whether it went through before sending it again.",
});

/** Thrown in a transaction that reached its end after the person was told nothing was saved, so it rolls back. */
export class DeadlinePassedError extends Error {
  constructor() {
    super('the dispatch deadline passed before the commit');
    this.name = 'DeadlinePassedError';
  }
}

/** Where the work stood when the deadline passed, which decides what is true to tell the person. */
type Stage = { kind: 'running' } | { kind: 'committing' } | { kind: 'committed'; outcome: Outcome };

/** How work under a deadline runs its transaction, so that the deadline's answer is never a lie. */
export interface Deadline {
  /**
   * Runs `callback` in a transaction on `db` that never commits once the deadline has answered "nothing was
   * saved"; once it has committed, its outcome is also the deadline's answer. The callback may call
   * `commit` once it has issued its last statement, to send COMMIT with them (`sendCommit`); after that it
   * may only await them.
   */
  transaction(db: Db, callback: (tx: Db, commit: () => void) => Promise<Outcome>): Promise<Outcome>;
}

/**
 * Runs `work` and answers with its outcome, or after `ms` with the truth as it stands then: nothing was saved
 * (the COMMIT was never sent, and now never will be), the real answer (the commit succeeded, something after
 * it stalls), or that saving could not be confirmed (the COMMIT was sent and its answer never came).
 */
export async function runWithDeadline(
  options: { ms: number; logger: Logger; input: string },
  work: (deadline: Deadline) => Promise<Outcome>,
): Promise<Outcome> {
  const { ms, logger, input } = options;
  let stage: Stage = { kind: 'running' };
  let passed = false;
  const deadline: Deadline = {
    async transaction(db, callback) {
      let commitSent = false;
      const outcome = await db.transaction(async (tx) => {
        if (passed) throw new DeadlinePassedError();
        const result = await callback(tx, () => {
          // Past the deadline it is left unsent, and the check below rolls the transaction back.
          if (commitSent || passed) return;
          stage = { kind: 'committing' };
          commitSent = sendCommit(tx) !== undefined;
          if (!commitSent) stage = { kind: 'running' };
        });
        if (!commitSent) {
          // The last synchronous step: nothing is awaited between here and the driver sending COMMIT, so
          // the deadline cannot pass unseen in between.
          if (passed) throw new DeadlinePassedError();
          stage = { kind: 'committing' };
        }
        return result;
      });
      stage = { kind: 'committed', outcome };
      return outcome;
    },
  };

  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<Outcome>((resolve) => {
    timer = setTimeout(() => {
      passed = true;
      logger.warn({ input, deadlineMs: ms, stage: stage.kind }, 'no answer by the dispatch deadline');
      resolve(answerAt(stage));
    }, ms);
  });
  const done = work(deadline);
  // Once answered late, how the work ended is only the operator's to know.
  const settled = (committed: boolean) => {
    if (passed) logger.info({ input, committed }, 'input settled after its deadline answer');
  };
  done.then(
    () => settled(stage.kind === 'committed'),
    () => settled(false),
  );
  try {
    return await Promise.race([done, late]);
  } finally {
    clearTimeout(timer);
  }
}

function answerAt(stage: Stage): Outcome {
  switch (stage.kind) {
    case 'running':
      return NOT_SAVED;
    case 'committing':
      return UNCONFIRMED;
    case 'committed':
      return stage.outcome;
  }
}
