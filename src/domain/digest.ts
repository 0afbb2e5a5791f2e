import type { DateTime } from 'luxon';
import type { OfficeConfig } from '../config/office.ts';
import { listHolidays } from './calendar.ts';
import { addDays, formatDay, getOfficeDay, type IsoDay } from './dates.ts';

export interface DigestSection {
  heading: string;
  lines: string[];
}

/** A request waiting for a manager, such as `TO-12` "Sam Lee: time off Tue Dec 1 – Thu Dec 3". */
export interface DigestDecision {
  reference: string;
  summary: string;
  filedAt: DateTime;
  /** the last day it can still be decided (a cover offer: its call-out's day); after it nobody waits on it */
  lastDay?: IsoDay;
  /**
   * where a manager decides it, as the reminders say it, when that is not its card in the approvals channel:
   * `Confirm each cover offer on its card in your direct messages.`
   */
  decidedAt?: string;
}

/** The decisions still open on the office's day at `now`: those whose last day has passed are left out. */
export function selectStillOpen<T extends DigestDecision>(
  decisions: readonly T[],
  now: DateTime,
  zone: string,
): T[] {
  const today = getOfficeDay(now, zone);
  return decisions.filter((decision) => decision.lastDay === undefined || decision.lastDay >= today);
}

/** Sections one feature adds to the huddle, and where they go: lower `order` comes first. */
export interface DigestPart {
  order: number;
  sections: readonly DigestSection[];
}

/** Where the huddle's own parts go among the features': decisions after who is out, holidays last. */
export const DIGEST_ORDER = {
  people: 10,
  decisions: 20,
  supplies: 30,
  checks: 35,
  visitors: 40,
  complaints: 50,
  issues: 55,
  compliance: 60,
  calendar: 90,
  // the parts that could not be read, named last
  unread: 95,
};

export interface HuddleDigest {
  title: string;
  sections: DigestSection[];
  /** the one line an empty day gets instead of sections */
  emptyLine: string | undefined;
}

/** Most lines one section shows; the rest is "…and N more", so any day fits Block Kit's limits. */
export const DIGEST_SECTION_LIMIT = 12;

function capLines(lines: string[], limit = DIGEST_SECTION_LIMIT): string[] {
  if (lines.length <= limit) return lines;
  return [...lines.slice(0, limit - 1), `…and ${lines.length - limit + 1} more`];
}

function describeAge(from: DateTime, now: DateTime): string {
  const hours = Math.max(0, now.diff(from, 'hours').hours);
  if (hours < 1) return 'just now';
  if (hours < 24) return `${Math.floor(hours)} h`;
  const days = Math.floor(hours / 24);
  return `${days} day${days === 1 ? '' : 's'}`;
}

/**
 * The morning huddle for `day` from the features' parts, in order, with the decisions waiting (oldest
 * first, with age) and the holidays within a week; an empty section is left out and a long one cut.
 */
export function assembleHuddleDigest(input: {
  day: IsoDay;
  now: DateTime;
  office: Pick<OfficeConfig, 'office' | 'timeoff'>;
  parts: readonly DigestPart[];
  decisions: readonly DigestDecision[];
}): HuddleDigest {
  const { day, now, office } = input;
  const zone = office.office.timezone;
  const decisions = selectStillOpen(input.decisions, now, zone).sort(
    (a, b) => a.filedAt.toMillis() - b.filedAt.toMillis(),
  );
  const parts: DigestPart[] = [
    ...input.parts,
    {
      order: DIGEST_ORDER.decisions,
      sections: [
        {
          heading: `Waiting for a decision (${decisions.length})`,
          lines: decisions.map(
            (decision) =>
              `${decision.reference} · ${decision.summary} · ${describeAge(decision.filedAt, now)}`,
          ),
        },
      ],
    },
    {
      order: DIGEST_ORDER.calendar,
      sections: [
        {
          heading: 'Holidays this week',
          lines: listHolidays(day, addDays(day, 7), office).map((holiday) => formatDay(holiday, zone)),
        },
      ],
    },
  ];
  const sections = [...parts]
    .sort((a, b) => a.order - b.order)
    .flatMap((part) => part.sections)
    .filter((section) => section.lines.length > 0)
    .map((section) => ({ heading: section.heading, lines: capLines(section.lines) }));
  return {
    title: `Huddle — ${formatDay(day, zone)}`,
    sections,
    emptyLine: sections.length === 0 ? 'A quiet day: everyone is in and nothing is waiting.' : undefined,
  };
}
