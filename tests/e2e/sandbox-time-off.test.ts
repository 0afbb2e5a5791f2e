import { DateTime } from 'luxon';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Frontdesk, startFrontdesk } from '../../src/bot/frontdesk.ts';
import { loadEnv } from '../../src/config/env.ts';
import { type Database, openDatabase } from '../../src/db/client.ts';
import { hasChromium, launchChromium, nameBrowserSuite } from '../helpers/browser.ts';
import { createRecordingLogger } from '../helpers/logger.ts';
import { buildOfficeConfig } from '../helpers/office.ts';

const office = buildOfficeConfig();
const NOW = DateTime.fromISO('2026-11-25T10:00', { zone: office.office.timezone }); // Wed

describe.skipIf(!hasChromium)(nameBrowserSuite('time off in the sandbox chat'), () => {
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

  it('lets a staff member file, a manager approve from the approvals pane, and the staff member see the DM', async () => {
    await become('Sam Lee — front-desk');
    await type('/timeoff dec 1 to dec 3 family visit');
    const confirmation = page.locator('#feed .card-title', { hasText: /Time off requested — TO-\d+/ });
    await confirmation.waitFor({ timeout: 10_000 });
    const reference = /TO-\d+/.exec((await confirmation.textContent()) ?? '')?.[0];
    expect(await page.locator('#feed').textContent()).toContain('Tue Dec 1 – Thu Dec 3, 3 working days');

    await become('Dana Reyes — manager');
    await open('channel:approvals');
    const card = page.locator('#feed .card', { hasText: `Time off ${reference} — Sam Lee` });
    await card.waitFor({ timeout: 10_000 });
    await card.locator('button', { hasText: 'Approve' }).click();
    await page
      .locator('#feed .card-line', { hasText: `Approved ${reference} for Sam Lee` })
      .waitFor({ timeout: 10_000 });

    await open('channel:approvals');
    await page
      .locator('#feed .card', { hasText: `Time off ${reference} — Sam Lee` })
      .locator('.card-note', { hasText: 'Approved by Dana Reyes' })
      .waitFor({ timeout: 10_000 });
    expect(await page.locator('#feed button', { hasText: 'Approve' }).count()).toBe(0);

    await become('Sam Lee — front-desk');
    await open('dm:sam-lee');
    await page
      .locator('#feed .card-line', {
        hasText: `Your time off ${reference} (Tue Dec 1 – Thu Dec 3) was approved`,
      })
      .waitFor({ timeout: 10_000 });
  });

  it('files from the form that /timeoff opens', async () => {
    await become('Ana Cruz — medical-assistant');
    await type('/timeoff');
    const form = page.locator('#feed form[data-form-id="timeoff_request"]');
    await form.waitFor({ timeout: 10_000 });
    await form.locator('input[name="start"]').fill('2026-12-07');
    await form.locator('input[name="end"]').fill('2026-12-08');
    await form.locator('select[name="type"]').selectOption('education');
    await form.locator('textarea[name="reason"]').fill('CME course');
    await form.locator('button[type="submit"]').click();
    await page
      .locator('#feed .card-title', { hasText: /Time off requested — TO-\d+/ })
      .waitFor({ timeout: 10_000 });
    expect(await page.locator('#feed').textContent()).toContain('Mon Dec 7 – Tue Dec 8, 2 working days');
  });

  it('shows a form error next to the field and keeps the form open', async () => {
    await type('/timeoff');
    const form = page.locator('#feed form[data-form-id="timeoff_request"]').last();
    await form.waitFor({ timeout: 10_000 });
    await form.locator('input[name="start"]').fill('2026-12-08');
    await form.locator('input[name="end"]').fill('2026-12-07');
    await form.locator('button[type="submit"]').click();
    await form
      .locator('[data-error-for="end"]', { hasText: 'before the first day' })
      .waitFor({ timeout: 10_000 });
  });
});
