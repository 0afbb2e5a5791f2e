import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SlackHarness, startSlackHarness } from '../helpers/slack-harness.ts';
import {
  buildBlockActionsBody,
  buildSlackHeaders,
  buildSlashCommandBody,
  buildViewSubmissionBody,
} from '../helpers/slack-signing.ts';

describe('startFrontdesk with Slack on', () => {
  let slack: SlackHarness;

  // Never reset: "stores nothing, calls no Slack method" checks what every request before it did.
  beforeAll(async () => {
    slack = await startSlackHarness();
  });
  afterAll(() => slack?.stop());

  function post(body: string, headers: Record<string, string>) {
    return fetch(`${slack.url}/slack/events`, { method: 'POST', headers, body });
  }

  async function countStored() {
    const result = await slack.db.execute<{ deliveries: number; outbox: number; audit: number }>(sql`
      select (select count(*)::int from deliveries) as deliveries,
             (select count(*)::int from outbox) as outbox,
             (select count(*)::int from audit_log) as audit`);
    const row = (Array.isArray(result) ? result[0] : (result as { rows: unknown[] }).rows[0]) as Record<
      string,
      number
    >;
    return { deliveries: Number(row.deliveries), outbox: Number(row.outbox), audit: Number(row.audit) };
  }

  describe('POST /slack/events with a bad signature', () => {
    const body = buildSlashCommandBody({
      command: '/timeoff',
      text: '2026-12-01 to 2026-12-03 Jane Roe biopsy',
    });

    it('answers 401 to an unsigned request', async () => {
      const response = await post(body, { 'content-type': 'application/x-www-form-urlencoded' });
      expect(response.status).toBe(401);
    });

    it('answers 401 to a correctly signed request from 6 minutes ago', async () => {
      const stale = Math.floor(Date.now() / 1000) - 6 * 60;
      const response = await post(body, buildSlackHeaders(slack.secret, body, stale));
      expect(response.status).toBe(401);
    });

    it('answers 401 to a request signed with another secret', async () => {
      const response = await post(body, buildSlackHeaders('not-the-secret', body));
      expect(response.status).toBe(401);
    });

    it('answers 401 to a signed body that was changed on the way', async () => {
      const headers = buildSlackHeaders(slack.secret, body);
      const response = await post(body.replace('biopsy', 'biopsz'), headers);
      expect(response.status).toBe(401);
    });

    it('answers 401 to an unsigned button press', async () => {
      const press = buildBlockActionsBody({ actionId: 'timeoff_approve', value: 'TO-1' });
      const response = await post(press, { 'content-type': 'application/x-www-form-urlencoded' });
      expect(response.status).toBe(401);
    });

    it('answers 401 to a modal submission signed with another secret', async () => {
      const submission = buildViewSubmissionBody({
        callbackId: 'timeoff_request',
        values: { start: { start: { type: 'datepicker', selected_date: '2026-12-01' } } },
      });
      const response = await post(submission, buildSlackHeaders('not-the-secret', submission));
      expect(response.status).toBe(401);
    });

    it('stores nothing, calls no Slack method and logs no request text for any of them', async () => {
      expect(await countStored()).toEqual({ deliveries: 0, outbox: 0, audit: 0 });
      expect(
        slack.api.calls.filter((call) => call.method !== 'auth.test' && call.method !== 'views.publish'),
      ).toEqual([]);
      expect(slack.recording.text()).not.toContain('Jane Roe');
    });
  });

  describe('POST /slack/events', () => {
    it('answers a signed /timeoff help with the usage, ephemerally, within 3 s', async () => {
      const body = buildSlashCommandBody({ command: '/timeoff', text: 'help' });
      const started = performance.now();
      const response = await post(body, buildSlackHeaders(slack.secret, body));
      const elapsed = performance.now() - started;

      expect(response.status).toBe(200);
      const answer = await response.json();
      expect(answer).toMatchObject({ response_type: 'ephemeral', text: 'How to use /timeoff' });
      expect(answer.blocks[0]).toMatchObject({
        type: 'header',
        text: { text: '/timeoff — Ask for time off' },
      });
      expect(JSON.stringify(answer.blocks)).toContain('/timeoff list — your requests and your balance');
      expect(elapsed).toBeLessThan(3_000);
    });

    it('answers a signed /supplies help with its usage', async () => {
      const body = buildSlashCommandBody({ command: '/supplies', text: 'help' });
      const response = await post(body, buildSlackHeaders(slack.secret, body));

      expect(response.status).toBe(200);
      expect(await response.json()).toMatchObject({
        response_type: 'ephemeral',
        text: 'How to use /supplies',
      });
    });

    it('acknowledges a signed /supplies with 200 within 3 s', async () => {
      const body = buildSlashCommandBody({ command: '/supplies' });
      const started = performance.now();
      const response = await post(body, buildSlackHeaders(slack.secret, body));
      const elapsed = performance.now() - started;

      expect(response.status).toBe(200);
      expect(elapsed).toBeLessThan(3_000);
    });
  });

  describe('GET /healthz', () => {
    it('answers 200 {"status":"ok"} when the database answers', async () => {
      const response = await fetch(`${slack.url}/healthz`);
      expect(response.status).toBe(200);
      expect(await response.json()).toEqual({ status: 'ok' });
    });

    it('answers 503 with a reason when the database does not answer', async () => {
      await slack.closeDatabase();
      const response = await fetch(`${slack.url}/healthz`);
      expect(response.status).toBe(503);
      expect(await response.json()).toMatchObject({ status: 'unavailable', reason: expect.any(String) });
    });
  });
});
