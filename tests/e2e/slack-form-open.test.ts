// When Slack refuses to open a form (views.open: expired_trigger_id, ratelimited…), the person is
// told so, instead of the command or button doing nothing at all.
import { DateTime } from 'luxon';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { outbox, timeOffRequests } from '../../src/db/schema/index.ts';
import { buildOfficeConfig } from '../helpers/office.ts';
import { type SlackHarness, startSlackHarness } from '../helpers/slack-harness.ts';
import { waitFor } from '../helpers/wait.ts';

const office = buildOfficeConfig();
const NOW = DateTime.fromISO('2026-11-30T09:00', { zone: office.office.timezone }); // Mon

describe('a form Slack will not open', () => {
  let slack: SlackHarness;
  beforeAll(async () => {
    slack = await startSlackHarness({
      command: '/timeoff',
      office,
      now: NOW,
      tables: [outbox, timeOffRequests],
    });
  });
  afterAll(() => slack?.stop());
  beforeEach(() => slack.reset());

  it('/timeoff with no text: the person hears that the form did not open', async () => {
    slack.api.failNext('views.open', 1, { error: 'expired_trigger_id' });
    const ack = await slack.slash('', { responseId: 'bare' });
    await waitFor(() => slack.api.callsTo('views.open')[0], 'the views.open attempt');
    await slack.api.settled();
    await new Promise((resolve) => setTimeout(resolve, 500));
    const said = [ack.text ?? '', ...slack.api.responsesTo('bare').map((call) => String(call.body.text))]
      .join(' ')
      .trim();
    expect(said).toBe('Sorry, the form could not open. Please try again. Nothing was saved.');
  });

  it('Deny on a card: the manager hears that the reason form did not open', async () => {
    const filed = await slack.slash('dec 8 dentist', { responseId: 'file' });
    const reference = /TO-\d+/.exec(filed.text ?? '')?.[0] ?? '';
    expect(reference).not.toBe('');
    await slack.waitForOutboxDrained();
    slack.api.failNext('views.open', 1, { error: 'expired_trigger_id' });
    await slack.press('timeoff_deny', reference, 'U0DANA', 'deny');
    await waitFor(() => slack.api.callsTo('views.open')[0], 'the views.open attempt');
    await slack.api.settled();
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(slack.api.responsesTo('deny').map((call) => call.body)).toEqual([
      expect.objectContaining({
        response_type: 'ephemeral',
        text: 'Sorry, the form could not open. Please try again. Nothing was saved.',
      }),
    ]);
    expect((await slack.db.select().from(timeOffRequests))[0]?.status).toBe('pending');
  });
});
