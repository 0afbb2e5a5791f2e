import type { TimeOffRow } from '../../db/repositories/time-off.ts';
import type { IsoDay } from '../../domain/dates.ts';

/**
 * What one feature tells the others, so that no feature imports another: the publisher names what happened,
 * and every feature that subscribes (`Feature.on`) adds its own messages in the same transaction.
 */
export type FeatureEvent =
  | { kind: 'timeoff.approved'; timeOff: TimeOffRow }
  /**
   * a call-out was recorded, covered or cancelled: coverage on `day` changed, and so may the balance of
   * the person who called out (a sick call-out counts against sick leave)
   */
  | { kind: 'callout.changed'; day: IsoDay; personKey: string }
  /**
   * a credential was recorded, corrected, renewed or removed: whether its holder counts toward coverage of a
   * role that requires its kind (`credentialKind`, undefined for a practice item) may have changed on any day
   */
  | { kind: 'credential.changed'; holderKey: string; credentialKind: string | undefined };
