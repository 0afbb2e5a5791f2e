import { eq } from 'drizzle-orm';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Frontdesk, startFrontdesk } from '../../src/bot/frontdesk.ts';
import { loadEnv } from '../../src/config/env.ts';
import { type Database, openDatabase } from '../../src/db/client.ts';
import { complaints, supplyRequests } from '../../src/db/schema/index.ts';
import { hasChromium, launchChromium, nameBrowserSuite } from '../helpers/browser.ts';
import { createRecordingLogger } from '../helpers/logger.ts';
import { buildOfficeConfig } from '../helpers/office.ts';

const suiteName = nameBrowserSuite('GET / (sandbox chat in Chromium)');

describe.skipIf(!hasChromium)(suiteName, () => {
  let database: Database;
  let app: Frontdesk;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    database = await openDatabase({ dataDir: null });
    app = await startFrontdesk({
      env: { ...loadEnv({ SANDBOX: '1' }), port: 0 },
      office: buildOfficeConfig(),
      database,
      // No scheduled jobs: a catch-up digest would queue messages these tests do not expect.
      jobs: [],
      logger: createRecordingLogger('warn').logger,
    });
    browser = await launchChromium();
    page = await browser.newPage();
  });

  afterAll(async () => {
    await browser?.close();
    await app?.stop();
    await database?.close();
  });

  it('lists the office staff in the "You are" select', async () => {
    await page.goto(app.url);
    const options = page.locator('#person option');
    await options.first().waitFor({ state: 'attached', timeout: 10_000 });

    expect(await page.locator('#office').textContent()).toBe('Riverside Family Practice');
    expect(await options.allTextContents()).toEqual(
      expect.arrayContaining(['Sam Lee — front-desk', 'Dana Reyes — manager']),
    );
  });

  it('answers /timeoff help typed by a front-desk person with the usage', async () => {
    await page.locator('#person').selectOption({ label: 'Sam Lee — front-desk' });
    await page.locator('#command').fill('/timeoff help');
    await page.locator('#command').press('Enter');

    const title = page.locator('#feed .card-title', { hasText: '/timeoff — Ask for time off' });
    await title.waitFor({ timeout: 10_000 });
    const feed = await page.locator('#feed').textContent();
    expect(feed).toContain('/timeoff help');
    expect(feed).toContain('/timeoff list — your requests and your balance');
    expect(await page.locator('#command').inputValue()).toBe('');
  });

  it('answers an unknown word with every command', async () => {
    await page.locator('#command').fill('vacation please');
    await page.locator('#command').press('Enter');

    await page
      .locator('#feed .card-line', { hasText: 'frontdesk does not know "vacation".' })
      .waitFor({ timeout: 10_000 });
    expect(await page.locator('#feed').textContent()).toContain('/supplies — Ask for supplies');
  });

  it('shows typed text as text, not markup', async () => {
    await page.locator('#command').fill('<img src=x onerror="window.pwned=1">');
    await page.locator('#command').press('Enter');

    await page.locator('#feed .card.mine', { hasText: '<img src=x' }).waitFor({ timeout: 10_000 });
    expect(await page.evaluate(() => (window as unknown as { pwned?: number }).pwned)).toBeUndefined();
    expect(await page.locator('#feed img').count()).toBe(0);
  });

  it('takes Refine off the complaint confirmation once the refinement is saved', async () => {
    await page.locator('#command').fill('/complaint Waited two hours at the desk');
    await page.locator('#command').press('Enter');
    const refine = page.locator('#feed button[data-action-id="complaint_refine"]');
    await refine.waitFor({ timeout: 10_000 });
    await refine.click();
    const form = page.locator('#feed form[data-form-id="complaint_refine_form"]');
    await form.waitFor({ timeout: 10_000 });
    await form.locator('select[name="category"]').selectOption('billing');
    await form.locator('button[type="submit"]').click();
    await page.locator('#feed .card-line', { hasText: 'Refined: CP-' }).waitFor({ timeout: 10_000 });
    expect(await page.locator('#feed button[data-action-id="complaint_refine"]').count()).toBe(0);
    expect(await page.locator('#feed form[data-form-id="complaint_refine_form"]').count()).toBe(0);
  });

  it('takes Refine off the confirmation when it is pressed after a manager acknowledged', async () => {
    await page.locator('#person').selectOption({ label: 'Sam Lee — front-desk' });
    await page.locator('#command').fill('/complaint Shouted at reception');
    await page.locator('#command').press('Enter');
    const confirmation = page.locator('#feed .message', { hasText: /Complaint logged — CP-\d+/ }).last();
    await confirmation.waitFor({ timeout: 10_000 });
    const reference = /CP-\d+/.exec((await confirmation.textContent()) ?? '')?.[0] ?? '';
    const acknowledged = await fetch(`${app.url}/sandbox/api/action`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ as: 'dana-reyes', actionId: 'complaint_acknowledge', value: reference }),
    });
    expect(acknowledged.status).toBe(200);
    await confirmation.locator('button[data-action-id="complaint_refine"]').click();
    await page
      .locator('#feed', { hasText: `${reference} is already acknowledged` })
      .waitFor({ timeout: 10_000 });
    const redrawn = page.locator('#feed .message', { hasText: `Complaint logged — ${reference}` });
    await redrawn.locator('text=Now acknowledged').waitFor({ timeout: 10_000 });
    expect(await redrawn.locator('button[data-action-id="complaint_refine"]').count()).toBe(0);
  });

  it('files a form once when Submit is pressed twice, and takes the corrected form after a refusal', async () => {
    await page.locator('#command').fill('/supplies');
    await page.locator('#command').press('Enter');
    const form = page.locator('#feed form[data-form-id="supplies_request"]');
    await form.waitFor({ timeout: 10_000 });
    await form.locator('button[type="submit"]').click();
    await form.locator('.form-error', { hasText: /\S/ }).first().waitFor({ timeout: 10_000 });
    expect(await database.db.select().from(supplyRequests)).toHaveLength(0);

    await form.locator('select[name="sku"]').selectOption('GLV-M');
    await form.locator('input[name="quantity"]').fill('3');
    await form.evaluate((element: HTMLFormElement) => {
      element.requestSubmit();
      element.requestSubmit();
    });
    const filed = page.locator('#feed .card-title', { hasText: 'Supplies requested — SR-' });
    await filed.first().waitFor({ timeout: 10_000 });
    expect(await page.locator('#feed form[data-form-id="supplies_request"]').count()).toBe(0);
    const stored = await database.db.select().from(supplyRequests);
    expect(stored.map((row) => [row.sku, row.quantity])).toEqual([['GLV-M', 3]]);
    expect(await filed.count()).toBe(1);
  });

  it('sends on Enter and keeps a line break typed with Shift+Enter', async () => {
    const command = page.locator('#command');
    await command.fill('/complaint Waited two hours at the desk');
    await command.press('Shift+Enter');
    await command.pressSequentially('Nobody told us why');
    expect(await command.inputValue()).toBe('/complaint Waited two hours at the desk\nNobody told us why');
    await command.press('Enter');
    await expect
      .poll(
        async () =>
          (
            await database.db
              .select()
              .from(complaints)
              .where(eq(complaints.description, 'Waited two hours at the desk\nNobody told us why'))
          ).length,
        { timeout: 10_000 },
      )
      .toBe(1);
    expect(await command.inputValue()).toBe('');
  });
});
