import {
  formatDay,
  formatDayWithYear,
  getOfficeDay,
  getPlanningWindow,
  type IsoDay,
  parseDateRange,
} from '../../domain/dates.ts';
import type { HandlerContext } from '../kernel/context.ts';
import type { Feature } from '../kernel/feature.ts';
import type { Outcome } from '../kernel/message.ts';
import { replyOnly } from '../kernel/message.ts';
import { type DigestSources, loadHuddleDigest, renderHuddleDigest } from './digest.ts';
import { createHuddleDigestJob, createPendingRemindersJob } from './jobs.ts';

function readDigestDay(text: string, ctx: HandlerContext): IsoDay | { error: string } {
  const zone = ctx.zone;
  const today = getOfficeDay(ctx.now, zone);
  if (text === '' || text === 'today') return today;
  const parsed = parseDateRange(text, ctx.now, zone);
  if (!parsed.ok || parsed.rest !== '' || parsed.start !== parsed.end || parsed.part !== 'full') {
    return {
      error: `"${text.slice(0, 60)}" is not one day I can read. Try /huddle, /huddle tomorrow or /huddle 2026-12-03.`,
    };
  }
  // Far days are refused here rather than looked up: past 9999-12-31 the next working day has a
  // five-digit year, which the database cannot store as a date.
  const { first, last } = getPlanningWindow(ctx.now, zone);
  if (parsed.start < first || parsed.start > last) {
    return {
      error: `The huddle covers days from ${formatDayWithYear(first, zone)} to ${formatDayWithYear(last, zone)}. Try /huddle, /huddle tomorrow or /huddle dec 3.`,
    };
  }
  return parsed.start;
}

/** `/huddle post`: today's digest to the huddle channel now, as the morning job posts it. */
async function postDigest(features: DigestSources, ctx: HandlerContext): Promise<Outcome> {
  const { office, db, now, zone } = ctx;
  const today = getOfficeDay(now, zone);
  const message = renderHuddleDigest(await loadHuddleDigest(features(), db, office, today, now));
  return {
    reply: { text: `Posted the huddle for ${formatDay(today, zone)} to the huddle channel.` },
    effects: [{ kind: 'post', channel: 'huddle', message }],
  };
}

async function runHuddleCommand(
  features: DigestSources,
  text: string,
  ctx: HandlerContext,
): Promise<Outcome> {
  const { office, db, now } = ctx;
  const day = readDigestDay(text.toLowerCase(), ctx);
  if (typeof day !== 'string') return replyOnly({ text: day.error });
  return replyOnly(renderHuddleDigest(await loadHuddleDigest(features(), db, office, day, now)));
}

/** `/huddle`: the day's digest to me, or (managers) posted to the huddle channel now, from every feature's part. */
export const createHuddleFeature = (features: DigestSources): Feature => ({
  command: 'huddle',
  usage: {
    summary: "Today's huddle digest",
    lines: [
      '/huddle — today’s digest, just for you',
      '/huddle post — (managers) posts it to the huddle channel now',
    ],
  },
  run: (text, ctx) => runHuddleCommand(features, text, ctx),
  subcommands: [
    {
      words: ['post'],
      maxArgs: 0,
      managerOnly: () => 'Only managers can post the huddle to the channel. /huddle shows it to you.',
      run: (_rest, ctx) => postDigest(features, ctx),
    },
  ],
  actions: {},
  forms: {},
  jobs: [createHuddleDigestJob(features), createPendingRemindersJob(features)],
});
