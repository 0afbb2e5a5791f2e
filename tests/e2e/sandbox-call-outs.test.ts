import { DateTime } from 'luxon';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Frontdesk, startFrontdesk } from '../../src/bot/frontdesk.ts';
import { loadEnv } from '../../src/config/env.ts';
import { type Database, openDatabase } from '../../src/db/client.ts';
import { callOuts } from '../../src/db/schema/index.ts';
import { hasChromium, launchChromium, nameBrowserSuite } from '../helpers/browser.ts';
import { createRecordingLogger } from '../helpers/logger.ts';
import { buildOfficeConfig } from '../helpers/office.ts';

// office.example.yaml: one front-desk person must be on duty; Sam Lee and Priya Shah work the front desk,
// and Luis Ortega (billing) covers it.
const office = buildOfficeConfig();
// A Monday before opening, when people call out; the day every answer names comes from this clock.
const NOW = DateTime.fromISO('2026-11-30T07:00', { zone: office.office.timezone });
const SAM = 'Sam Lee — front-desk';
const PRIYA = 'Priya Shah — front-desk';
const LUIS = 'Luis Ortega — billing';
const DANA = 'Dana Reyes — manager';

describe.skipIf(!hasChromium)(nameBrowserSuite('call-outs in the sandbox chat'), () => {
  let database: Database;
  let app: Frontdesk;
  let browser: Browser;
  let page: Page;
  let reference = '';

  beforeAll(async () => {
    database = await openDatabase({ dataDir: null });
    app = await startFrontdesk({
      env: { ...loadEnv({ SANDBOX: '1' }), port: 0 },
      office,
      database,
      // No cover-escalation job: the story is about answers, not the 30-minute reminder.
      jobs: [],
      clock: () => NOW,
      deliverer: { pollMs: 50 },
      logger: createRecordingLogger('warn').logger,
    });
    browser = await launchChromium();
    page = await browser.newPage();
    await page.goto(app.url);
    await page.locator('#person option').first().waitFor({ state: 'attached', timeout: 10_000 });
  });
  afterAll(async () => {
    await browser?.close();
    await app?.stop();
    await database?.close();
  });

  async function become(label: string) {
    await page.locator('#person').selectOption({ label });
  }
  async function type(text: string) {
    await page.locator('#command').fill(text);
    await page.locator('#command').press('Enter');
  }
  async function open(view: string) {
    await page.locator(`nav button[data-view="${view}"]`).click();
  }
  /** The card in the feed with `title`, once it is there. */
  async function card(title: string) {
    const found = page.locator('#feed .card', { has: page.locator('.card-title', { hasText: title }) });
    await found.waitFor({ timeout: 10_000 });
    return found;
  }

  it('records /out sick for a front-desk person at once, with a CO- reference, and asks Luis when the desk falls short', async () => {
    await become(PRIYA);
    await type('/out sick');
    const first = await card('Call-out recorded — CO-1');
    expect(await first.textContent()).toContain('Out sick Mon Nov 30, all day');
    // Sam is still at the desk: nobody needs to be asked.
    expect(await first.textContent()).not.toContain('asked to cover');

    await become(SAM);
    await type('/out sick');
    const confirmation = await card('Call-out recorded — CO-');
    reference = /CO-\d+/.exec((await confirmation.locator('.card-title').textContent()) ?? '')?.[0] ?? '';
    expect(reference).toBe('CO-2');
    const text = await confirmation.textContent();
    expect(text).toContain('Out sick Mon Nov 30, all day');
    expect(text).toContain('Dana Reyes and Dr. Omar Haddad have been told.');
    expect(text).toContain('The role is short then, so Luis Ortega has been asked to cover.');
    expect(await database.db.select().from(callOuts)).toEqual([
      expect.objectContaining({ personName: 'Priya Shah', coverState: 'not_needed', day: '2026-11-30' }),
      expect.objectContaining({ personName: 'Sam Lee', coverState: 'asking', day: '2026-11-30' }),
    ]);
  });

  it('shows Luis the ask in his direct messages without the kind, and takes his I can cover', async () => {
    await become(LUIS);
    await open('dm:luis-ortega');
    const ask = await card(`Can you cover? — ${reference}`);
    const text = (await ask.textContent()) ?? '';
    expect(text).toContain('Sam Lee is out Mon Nov 30, all day. Can you cover front desk?');
    expect(text).not.toMatch(/sick/i);
    expect(await ask.locator('button').allTextContents()).toEqual(['I can cover', "Can't cover"]);

    await ask.locator('button', { hasText: 'I can cover' }).click();
    const answer = page.locator('#feed .message.reply .card-line', {
      hasText: 'Thank you: you offered to cover for Sam Lee (front desk), Mon Nov 30, all day.',
    });
    await answer.waitFor({ timeout: 10_000 });
    expect(await database.db.select().from(callOuts)).toContainEqual(
      expect.objectContaining({ personName: 'Sam Lee', coverState: 'offered', coverName: 'Luis Ortega' }),
    );
    // His ask is redrawn by the outbox: no buttons to press twice, and what happens next.
    await open('dm:luis-ortega');
    const pressed = await card(`Can you cover? — ${reference}`);
    await pressed
      .locator('.card-note', { hasText: 'You offered to cover; a manager will confirm.' })
      .waitFor({ timeout: 10_000 });
    expect(await pressed.locator('button').count()).toBe(0);
  });

  it('gives a manager the Confirm cover card in her direct messages, and confirms from it', async () => {
    await become(DANA);
    await open('dm:dana-reyes');
    // The managers were told the kind when Sam called out; the people asked to cover never are.
    const notice = await card(`Call-out ${reference} — Sam Lee (front desk)`);
    expect(await notice.textContent()).toContain('Out sick Mon Nov 30, all day');
    expect(await notice.textContent()).toContain('Asked to cover: Luis Ortega');

    const offer = await card(`Cover offered — ${reference}`);
    expect(await offer.textContent()).toContain(
      'Luis Ortega can cover for Sam Lee (front desk), Mon Nov 30, all day',
    );
    await offer.locator('button', { hasText: 'Confirm cover' }).click();
    await page
      .locator('#feed .message.reply .card-line', {
        hasText: `Confirmed: Luis Ortega covers for Sam Lee (front desk), Mon Nov 30, all day. Everyone asked has been told.`,
      })
      .waitFor({ timeout: 10_000 });

    // The card in her direct messages is redrawn by the outbox: who confirmed, and no button to press again.
    await open('dm:dana-reyes');
    const settled = page.locator('#feed .card', {
      has: page.locator('.card-title', { hasText: `Cover offered — ${reference}` }),
    });
    await settled
      .locator('.card-note', { hasText: 'Cover: Luis Ortega, confirmed by Dana Reyes' })
      .waitFor({ timeout: 10_000 });
    expect(await settled.locator('button').count()).toBe(0);
    expect(await database.db.select().from(callOuts)).toContainEqual(
      expect.objectContaining({
        personName: 'Sam Lee',
        coverState: 'confirmed',
        coverConfirmedByName: 'Dana Reyes',
      }),
    );
  });

  it('tells Luis he is covering, and his ask no longer has buttons', async () => {
    await become(LUIS);
    await open('dm:luis-ortega');
    await page
      .locator('#feed .card-line', {
        hasText:
          'Dana Reyes confirmed: you are covering for Sam Lee (front desk), Mon Nov 30, all day. Thank you!',
      })
      .waitFor({ timeout: 10_000 });
    const ask = page.locator('#feed .card', {
      has: page.locator('.card-title', { hasText: `Can you cover? — ${reference}` }),
    });
    await ask
      .locator('.card-note', { hasText: '✅ You are covering. Thank you!' })
      .waitFor({ timeout: 10_000 });
    expect(await ask.locator('button').count()).toBe(0);
    expect(await page.locator('#feed button[data-action-id^="callout_"]').count()).toBe(0);
    expect(await page.locator('#feed').textContent()).not.toMatch(/sick/i);
  });
});
