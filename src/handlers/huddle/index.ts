import { createAuditEntry, findLatestAuditEntry } from '../../db/repositories/audit.ts';
import { claimJobRun } from '../../db/repositories/job-runs.ts';
import { findNextWorkingDay, isWorkingDay } from '../../domain/calendar.ts';
import {
  formatDay,
  formatDayWithYear,
  formatOfficeTime,
  getOfficeDay,
  getPlanningWindow,
  type IsoDay,
  parseDateRange,
} from '../../domain/dates.ts';
import type { HandlerContext } from '../kernel/context.ts';
import { clip, NOTHING_CHANGED, refusal } from '../kernel/copy.ts';
import type { Feature } from '../kernel/feature.ts';
import type { Message, Outcome } from '../kernel/message.ts';
import { replyOnly } from '../kernel/message.ts';
import { type DigestSources, loadHuddleDigest, renderHuddleDigest } from './digest.ts';
import { HUDDLE_ACTIONS } from './ids.ts';
import { createHuddleDigestJob, createPendingRemindersJob } from './jobs.ts';

/** The claim that lets one `Post anyway` press a day post the digest (two presses, two managers). */
const POST_ANYWAY_CLAIM = 'huddle-post-anyway';
const POSTED_ANYWAY = 'huddle.posted_anyway';

function readDigestDay(text: string, ctx: HandlerContext): IsoDay | { error: string } {
  const zone = ctx.zone;
  const today = getOfficeDay(ctx.now, zone);
  if (text === '' || text === 'today') return today;
  const parsed = parseDateRange(text, ctx.now, zone);
  if (!parsed.ok || parsed.rest !== '' || parsed.start !== parsed.end || parsed.part !== 'full') {
    return {
      error: `"${clip(text)}" is not one day I can read. Try /huddle, /huddle tomorrow or /huddle 2026-12-03.`,
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

async function postDigestOf(day: IsoDay, features: DigestSources, ctx: HandlerContext): Promise<Outcome> {
  const { office, db, now, zone, logger } = ctx;
  const message = renderHuddleDigest(await loadHuddleDigest(features(), db, office, day, now, logger));
  return {
    reply: { text: `Posted the huddle for ${formatDay(day, zone)} to the huddle channel.` },
    effects: [{ kind: 'post', channel: 'huddle', message }],
  };
}

/**
 * `/huddle post`: today's digest to the huddle channel now, as the morning job posts it. On a day the office
 * is closed the job posts nothing, so a manager is asked first.
 */
/** The question `/huddle post` asks on a day the office is closed. */
function askOnClosedDay(today: IsoDay, zone: string): string {
  return `The office is closed today (${formatDay(today, zone)}), and the huddle is not posted on closed days. Post it anyway?`;
}

/** The question as it reads once answered: its `Post anyway` gone, who posted and when in its place. */
function answeredQuestion(today: IsoDay, poster: string, at: Date, zone: string): Message {
  const text = askOnClosedDay(today, zone);
  return { text, lines: [text], note: `✅ ${poster} posted it (${formatOfficeTime(at, zone)}).` };
}

async function postDigest(features: DigestSources, ctx: HandlerContext): Promise<Outcome> {
  const today = getOfficeDay(ctx.now, ctx.zone);
  if (isWorkingDay(today, ctx.office)) return postDigestOf(today, features, ctx);
  const text = askOnClosedDay(today, ctx.zone);
  return replyOnly({
    text,
    lines: [text],
    buttons: [{ label: 'Post anyway', actionId: HUDDLE_ACTIONS.postAnyway, value: today }],
  });
}

/**
 * `Post anyway`: posts today's digest on a closed day, once that day however often it is pressed; a button
 * left from another day says so instead.
 */
async function postAnyway(value: string, features: DigestSources, ctx: HandlerContext): Promise<Outcome> {
  if (!ctx.actor.isManager) {
    return refusal('Only managers can post the huddle to the channel. /huddle shows it to you.');
  }
  const today = getOfficeDay(ctx.now, ctx.zone);
  if (value !== today) {
    return refusal(
      `That button was for another day. Type /huddle post again to post today’s huddle. ${NOTHING_CHANGED}`,
    );
  }
  const entity = `huddle/${today}`;
  const claimed = await claimJobRun(ctx.db, {
    officeId: ctx.officeId,
    job: POST_ANYWAY_CLAIM,
    runKey: today,
  });
  if (!claimed) {
    const first = await findLatestAuditEntry(ctx.db, {
      officeId: ctx.officeId,
      action: POSTED_ANYWAY,
      entity,
    });
    const poster = first?.actorName ?? 'A manager';
    const text = `${poster} already posted today’s huddle${first ? ` (${formatOfficeTime(first.at, ctx.zone)})` : ''}. ${NOTHING_CHANGED}`;
    return {
      ...refusal(text),
      ...(first ? { source: answeredQuestion(today, poster, first.at, ctx.zone) } : {}),
    };
  }
  await createAuditEntry(ctx.db, {
    officeId: ctx.officeId,
    actor: ctx.actor,
    action: POSTED_ANYWAY,
    entity,
    at: ctx.now.toJSDate(),
  });
  const posted = await postDigestOf(today, features, ctx);
  return { ...posted, source: answeredQuestion(today, ctx.actor.name, ctx.now.toJSDate(), ctx.zone) };
}

/** The digest of a day; for a day the office is closed, the next working day's, saying so. */
async function showDigest(day: IsoDay, features: DigestSources, ctx: HandlerContext): Promise<Outcome> {
  const { office, db, now, zone, logger } = ctx;
  if (isWorkingDay(day, office)) {
    return replyOnly(renderHuddleDigest(await loadHuddleDigest(features(), db, office, day, now, logger)));
  }
  const next = findNextWorkingDay(day, office);
  const message = renderHuddleDigest(await loadHuddleDigest(features(), db, office, next, now, logger));
  const closed = `The office is closed ${formatDay(day, zone)}. This is the huddle for ${formatDay(next, zone)}, the next working day.`;
  return replyOnly({ ...message, lines: [closed, ...(message.lines ?? [])] });
}

async function runHuddleCommand(
  features: DigestSources,
  text: string,
  ctx: HandlerContext,
): Promise<Outcome> {
  const day = readDigestDay(text.toLowerCase(), ctx);
  if (typeof day !== 'string') return replyOnly({ text: day.error });
  return showDigest(day, features, ctx);
}

/** `/huddle`: the day's digest to me, or (managers) posted to the huddle channel now, from every feature's part. */
export const createHuddleFeature = (features: DigestSources): Feature => ({
  command: 'huddle',
  usage: {
    summary: "Today's huddle digest",
    lines: [
      '/huddle · /huddle tomorrow · /huddle 2026-12-03 — the huddle digest for that day, just for you; on a day the office is closed, the next working day’s',
      '/huddle post — (managers) posts today’s digest to the huddle channel now (asking first on a closed day)',
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
  actions: { [HUDDLE_ACTIONS.postAnyway]: (value, ctx) => postAnyway(value, features, ctx) },
  forms: {},
  jobs: [createHuddleDigestJob(features), createPendingRemindersJob(features)],
});
