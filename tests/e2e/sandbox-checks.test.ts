import { DateTime } from 'luxon';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Frontdesk, startFrontdesk } from '../../src/bot/frontdesk.ts';
import { loadEnv } from '../../src/config/env.ts';
import type { OfficeConfig } from '../../src/config/office.ts';
import { type Database, openDatabase } from '../../src/db/client.ts';
import { checkReadings } from '../../src/db/schema/index.ts';
import { hasChromium, launchChromium, nameBrowserSuite } from '../helpers/browser.ts';
import { createRecordingLogger } from '../helpers/logger.ts';
import { buildFridgeOffice } from '../helpers/office.ts';

const office: OfficeConfig = buildFridgeOffice();
// A Monday just after the morning check's time; every answer names this day.
const NOW = DateTime.fromISO('2026-11-30T08:10', { zone: office.office.timezone });
const ANA = 'Ana Cruz — medical-assistant';

describe.skipIf(!hasChromium)(nameBrowserSuite('checks in the sandbox chat'), () => {
  let database: Database;
  let app: Frontdesk;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    database = await openDatabase({ dataDir: null });
    app = await startFrontdesk({
      env: { ...loadEnv({ SANDBOX: '1' }), port: 0 },
      office,
      database,
      // No prompt or reminder jobs: the story is recording from /checks.
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

  async function type(text: string) {
    await page.locator('#command').fill(text);
    await page.locator('#command').press('Enter');
  }
  /** The card in the feed with `title`, once it is there. */
  async function card(title: string | RegExp) {
    const found = page
      .locator('#feed .card', { has: page.locator('.card-title', { hasText: title }) })
      .last();
    await found.waitFor({ timeout: 10_000 });
    return found;
  }

  it('records the fridge from /checks → Record → the form, correcting a typo first', async () => {
    await page.locator('#person').selectOption({ label: ANA });
    await type('/checks');
    const list = await card('Checks today — Mon Nov 30');
    expect(await list.textContent()).toContain('Vaccine fridge · 8:00 AM · due now · Ana Cruz');
    await list.locator('button', { hasText: 'Record' }).click();

    const form = page.locator('#feed form[data-form-id="checks_reading"]').last();
    await form.waitFor({ timeout: 10_000 });
    await form.locator('input[name="field-temp"]').fill('warm');
    await form.locator('button[type="submit"]').click();
    await form
      .locator('[data-error-for="field-temp"]', { hasText: '"warm" is not a number' })
      .waitFor({ timeout: 10_000 });
    expect(await database.db.select().from(checkReadings)).toHaveLength(0);

    await form.locator('input[name="field-temp"]').fill('4.6');
    await form.locator('button[type="submit"]').click();
    const saved = await card(/✅ Check recorded — CK-\d+/);
    expect(await saved.textContent()).toContain('Temperature °C: 4.6');
    expect(await database.db.select().from(checkReadings)).toEqual([
      expect.objectContaining({
        checkId: 'fridge',
        day: '2026-11-30',
        dueTime: '08:00',
        outOfRange: false,
        recordedByName: 'Ana Cruz',
        recordedByPlatform: 'sandbox',
      }),
    ]);

    await type('/checks');
    const after = await card('Checks today — Mon Nov 30');
    await after
      .locator('.card-line', { hasText: /✅ Vaccine fridge · 8:00 AM · Temperature °C: 4.6/ })
      .waitFor();
    // The morning is done: the one Record button now opens on the afternoon.
    expect(await after.locator('button', { hasText: 'Record' }).getAttribute('data-value')).toBe(
      'fridge/2026-11-30/16:30',
    );
  });
});
