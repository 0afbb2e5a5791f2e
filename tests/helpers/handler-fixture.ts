import { getTableName, is, sql } from 'drizzle-orm';
import { PgTable } from 'drizzle-orm/pg-core';
import type { DateTime } from 'luxon';
import { afterAll, beforeAll, test } from 'vitest';
import type { OfficeConfig } from '../../src/config/office.ts';
import type { Database } from '../../src/db/client.ts';
import * as schema from '../../src/db/schema/index.ts';
import { resolvePerson } from '../../src/domain/people.ts';
import { FEATURES } from '../../src/handlers/index.ts';
import { redrawAskedCards } from '../../src/handlers/kernel/card-redraws.ts';
import { dispatchInput } from '../../src/handlers/kernel/dispatch.ts';
import type { Input } from '../../src/handlers/kernel/input.ts';
import type { ScheduledJob } from '../../src/handlers/kernel/jobs.ts';
import type { Outcome } from '../../src/handlers/kernel/message.ts';
import { type DatabaseTarget, databaseTargets } from './databases.ts';
import { buildDispatchDeps } from './dispatch.ts';
import { createTestScheduler, listDmsTo } from './jobs.ts';
import { createRecordingLogger } from './logger.ts';

export interface HandlerTestOptions<
  Actions extends Record<string, string>,
  Forms extends Record<string, string>,
> {
  /** the office every input is handled in, unless `run` is given another */
  office: OfficeConfig;
  /** when every input happens, unless `run` or `press` is given another time */
  now: DateTime;
  /** the command `command()` types, without its slash: `timeoff` */
  command: string;
  /** the feature's button ids (its `ids.ts`), so `press` takes only those */
  actions: Actions;
  /** the feature's form ids, so `submit` takes only those */
  forms: Forms;
  /** the scheduled jobs `schedulerAt` runs, for a feature that has some */
  jobs?: readonly ScheduledJob[];
}

const APP_TABLES = Object.values(schema).flatMap((value) =>
  is(value, PgTable) ? [getTableName(value)] : [],
);

/**
 * Empties every table of the app in one statement, one round trip a test; sequences go on, as in
 * production. Not TRUNCATE: on PostgreSQL that took hundreds of milliseconds a test.
 */
const CLEAR = sql.raw(
  `with ${APP_TABLES.map((table, index) => `cleared_${index} as (delete from "${table}")`).join(', ')} select 1`,
);

/**
 * The test API of a handler test file: each test gets `db`, an emptied database of its suite's target (one
 * database per target per file, since opening one costs seconds), `deps` to dispatch with, and `run`,
 * `command`, `press` and `submit` acting as a Slack user. Call it at the top of the test file: it adds the
 * hooks that open and close the databases. `recording` holds every log line of the file,
 * for "never logs what people typed" checks over everything the tests did. A suite picks its target
 * with `it.override({ target })`, typically inside `describe.each(databaseTargets())`.
 */
export function createHandlerTest<
  Actions extends Record<string, string>,
  Forms extends Record<string, string>,
>(options: HandlerTestOptions<Actions, Forms>) {
  // Opened in a hook rather than in the first test that needs one: opening and migrating takes seconds,
  // more on a busy machine, and counts against the hook's time limit instead of that test's.
  const opened = new Map<DatabaseTarget['name'], Database>();
  beforeAll(async () => {
    for (const target of databaseTargets()) opened.set(target.name, await target.open());
  });
  afterAll(async () => {
    for (const database of opened.values()) await database.close();
  });
  return test
    .extend('recording', { scope: 'file' }, () => createRecordingLogger())
    .extend('databases', { scope: 'file' }, () => ({
      of(target: DatabaseTarget): Database {
        const database = opened.get(target.name);
        if (!database) throw new Error(`the ${target.name} database was not opened before the tests`);
        return database;
      },
    }))
    .extend('target', databaseTargets()[0] as DatabaseTarget)
    .extend('db', async ({ databases, target }) => {
      const { db } = databases.of(target);
      await db.execute(CLEAR);
      return db;
    })
    .extend('deps', ({ db, recording }) => buildDispatchDeps(db, options.office, recording.logger))
    .extend(
      'dmsTo',
      ({ db }) =>
        (userId: string) =>
          listDmsTo(db, userId),
    )
    .extend(
      'schedulerAt',
      ({ db, recording }) =>
        (clock: () => DateTime, office = options.office) =>
          createTestScheduler({ db, office, logger: recording.logger, clock, jobs: options.jobs ?? [] }),
    )
    .extend(
      'run',
      ({ db, deps, recording }) =>
        async (
          userId: string,
          input: Input,
          now = options.now,
          office = options.office,
        ): Promise<Outcome> => {
          const used = office === options.office ? deps : buildDispatchDeps(db, office, recording.logger);
          const outcome = await dispatchInput(used, resolvePerson(office, 'slack', userId), input, now);
          // As the running app's deliverer does right after a commit: the cards the input asked to redraw.
          while ((await redrawAskedCards(used, FEATURES, now)) > 0);
          return outcome;
        },
    )
    .extend(
      'command',
      ({ run }) =>
        (userId: string, text: string, deliveryId?: string) =>
          run(userId, {
            kind: 'command',
            command: options.command,
            text,
            ...(deliveryId ? { deliveryId } : {}),
          }),
    )
    .extend(
      'press',
      ({ run }) =>
        (userId: string, actionId: Actions[keyof Actions], value: string, deliveryId?: string) =>
          run(userId, { kind: 'action', actionId, value, ...(deliveryId ? { deliveryId } : {}) }),
    )
    .extend(
      'submit',
      ({ run }) =>
        (userId: string, formId: Forms[keyof Forms], values: Record<string, string>, metadata?: string) =>
          run(userId, { kind: 'form', formId, values, ...(metadata ? { metadata } : {}) }),
    );
}
