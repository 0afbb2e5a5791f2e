import type { DateTime } from 'luxon';
import type { Logger } from 'pino';
import type { OfficeConfig } from '../../config/office.ts';
import type { Db } from '../../db/client.ts';
import type { Person } from '../../domain/people.ts';
import type { FeatureEvent } from './events.ts';
import type { Effect } from './message.ts';

/** Everything a handler may use; `db` is the transaction the whole input runs in. */
export interface HandlerContext {
  now: DateTime;
  office: OfficeConfig;
  /** `office.office.id`: the office every row read or written belongs to */
  officeId: string;
  /** `office.office.timezone`: the zone every day and time is computed in */
  zone: string;
  db: Db;
  actor: Person;
  logger: Logger;
  /** the address people reach frontdesk at (`https://frontdesk.example.org`), when it is known */
  publicUrl?: string | undefined;
  /**
   * Hands over a statement the handler issued without awaiting it (a write whose result it does not need):
   * the input commits only if it succeeds, and it goes out with the effects and COMMIT instead of costing a
   * round trip of its own. Its failure fails the input like a failure the handler awaited.
   */
  commitAfter(statement: Promise<unknown>): void;
  /** tells every feature that subscribes to `event`; returns the messages they add */
  publish(event: FeatureEvent): Promise<Effect[]>;
}
