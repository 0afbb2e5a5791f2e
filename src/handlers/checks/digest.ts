import { isCheckDueOn } from '../../domain/checks.ts';
import { addDays, formatDay, type IsoDay } from '../../domain/dates.ts';
import { DIGEST_ORDER } from '../../domain/digest.ts';
import type { FeatureDigest } from '../kernel/digest.ts';
import { formatSlotTime } from './card.ts';
import { listChecks, loadSlotStates } from './loaders.ts';

/** How far back the huddle looks for a check's previous day: a week covers any weekly pattern. */
const LOOK_BACK_DAYS = 7;

/**
 * Checks missed: not recorded `graceMinutes` after their time. The huddle shows those of its own day as of
 * now, and those of each check's previous day, so Monday's huddle still shows what Friday missed.
 */
export const checksDigest: FeatureDigest = {
  order: DIGEST_ORDER.checks,
  async load({ db, office, day, now }) {
    const checks = listChecks(office);
    if (checks.length === 0) return [];
    const zone = office.office.timezone;
    const previous = new Map<string, IsoDay>();
    for (const check of checks) {
      for (let back = 1; back <= LOOK_BACK_DAYS; back += 1) {
        const earlier = addDays(day, -back);
        if (!isCheckDueOn(check, earlier, office)) continue;
        previous.set(check.id, earlier);
        break;
      }
    }
    const days = [...new Set(previous.values())].sort();
    const states = await loadSlotStates(db, office, [...days, day]);
    const missed = states.filter(
      ({ check, slot, reading }) =>
        !reading && slot.remindAt <= now && (slot.day === day || slot.day === previous.get(check.id)),
    );
    return [
      {
        heading: `Checks missed (${missed.length})`,
        lines: missed.map(
          ({ check, slot }) =>
            `⚠️ ${check.name} · ${formatSlotTime(slot, zone)} ${formatDay(slot.day, zone)} · not recorded`,
        ),
      },
    ];
  },
};
