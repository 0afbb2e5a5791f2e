import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Frontdesk, startFrontdesk } from '../../src/bot/frontdesk.ts';
import { loadEnv } from '../../src/config/env.ts';
import { type Database, openDatabase } from '../../src/db/client.ts';
import { COMPLAINT_FORMS } from '../../src/handlers/complaints/ids.ts';
import { hasChromium, launchChromium, nameBrowserSuite } from '../helpers/browser.ts';
import { createRecordingLogger } from '../helpers/logger.ts';
import { buildOfficeConfig } from '../helpers/office.ts';

const DANA = 'Dana Reyes — manager';
const SAM = 'Sam Lee — front-desk';

describe.skipIf(!hasChromium)(nameBrowserSuite('the sandbox feed while others post'), () => {
  let database: Database;
  let app: Frontdesk;
  let browser: Browser;
  /** Dana's page, the one under test; Sam posts from his own. */
  let page: Page;
  let other: Page;

  beforeAll(async () => {
    database = await openDatabase({ dataDir: null });
    app = await startFrontdesk({
      env: { ...loadEnv({ SANDBOX: '1' }), port: 0 },
      office: buildOfficeConfig(),
      database,
      jobs: [],
      deliverer: { pollMs: 50 },
      logger: createRecordingLogger('warn').logger,
    });
    browser = await launchChromium();
    page = await browser.newPage();
    other = await browser.newPage();
    for (const [tab, label] of [
      [page, DANA],
      [other, SAM],
    ] as const) {
      await tab.goto(app.url);
      await tab.locator('#person option').first().waitFor({ state: 'attached', timeout: 10_000 });
      await tab.locator('#person').selectOption({ label });
    }
  });
  afterAll(async () => {
    await browser?.close();
    await app?.stop();
    await database?.close();
  });

  async function type(tab: Page, text: string) {
    await tab.locator('#command').fill(text);
    await tab.locator('#command').press('Enter');
  }

  /**
   * Waits until Dana's page has polled `text` and had a whole poll more to draw it, so an assertion
   * after it sees the page after the redraw the post causes, not before.
   */
  async function seenByDana(text: string) {
    const polled = () =>
      page.waitForResponse(
        async (response) =>
          response.url().includes('/sandbox/api/conversations') && (await response.text()).includes(text),
        { timeout: 10_000 },
      );
    await polled();
    await polled();
  }

  it("keeps what is typed into an open form when another person's post arrives", async () => {
    await type(page, '/timeoff');
    const form = page.locator('#feed form[data-form-id="timeoff_request"]');
    await form.waitFor({ timeout: 10_000 });
    await form.locator('input[name="start"]').fill('2026-12-07');
    await form.locator('textarea[name="reason"]').fill('Half-typed reas');

    await type(other, '/timeoff dec 14 dentist');
    await other.locator('#feed .card-title', { hasText: /Time off requested — TO-\d+/ }).waitFor();
    await seenByDana('dentist');

    expect(await form.locator('input[name="start"]').inputValue()).toBe('2026-12-07');
    expect(await form.locator('textarea[name="reason"]').inputValue()).toBe('Half-typed reas');
    await form.locator('button.form-cancel').click();
  });

  it('keeps a closed complaint detail closed when the next post arrives and across views', async () => {
    const confidential = 'Patient overheard a diagnosis read out at the desk';
    await type(other, `/complaint ${confidential}`);
    await page.locator('nav button[data-view="channel:complaints"]').click();
    const card = page.locator('#feed .card', { hasText: /Complaint CP-\d+/ }).first();
    await card.waitFor({ timeout: 10_000 });
    await card.locator('button', { hasText: 'View details' }).click();
    const details = page.locator(`#feed form[data-form-id="${COMPLAINT_FORMS.details}"]`);
    await details.locator('.card-line', { hasText: confidential }).waitFor({ timeout: 10_000 });
    await details.locator('button.form-cancel').click();
    expect(await details.count()).toBe(0);

    await type(other, '/complaint The waiting room was too cold');
    const filed = other.locator('#feed .card-title', { hasText: /CP-\d+/ }).nth(1);
    await filed.waitFor({ timeout: 10_000 });
    // The channel card leaves the text out, so Dana's page is known to have it by its reference.
    await seenByDana(`Complaint ${/CP-\d+/.exec((await filed.textContent()) ?? '')?.[0]}`);
    await page.locator('nav button[data-view="channel:complaints"]').click();
    await page.locator('nav button[data-view="you"]').click();

    expect(await details.count()).toBe(0);
    expect(await page.content()).not.toContain(confidential);
  });

  it('shows the time on every message and a refusal unlike a confirmation', async () => {
    await type(other, '/timeoff dec 21 family visit');
    await type(other, '/timeoff banana');
    const confirmation = other.locator('#feed .card', { hasText: /Time off requested — TO-\d+/ }).last();
    const refusal = other.locator('#feed .card', { hasText: 'Nothing was saved.' }).last();
    await refusal.waitFor({ timeout: 10_000 });

    const times = await other
      .locator('#feed .message')
      .evaluateAll((messages) => messages.map((message) => message.querySelector('time')?.textContent ?? ''));
    expect(times.length).toBeGreaterThan(0);
    for (const time of times) expect(time).toMatch(/^\d\d:\d\d$/);
    const edge = (card: typeof refusal) =>
      card.evaluate((element) => getComputedStyle(element).borderLeftColor);
    expect(await refusal.getAttribute('class')).toContain('refusal');
    expect(await confirmation.getAttribute('class')).not.toContain('refusal');
    expect(await edge(refusal)).not.toBe(await edge(confirmation));
  });

  it('fits a 390-pixel-wide phone: no sideways scrolling and the whole person picker in view', async () => {
    const phone = await browser.newPage({ viewport: { width: 390, height: 844 } });
    await phone.goto(app.url);
    await phone.locator('#person option').first().waitFor({ state: 'attached', timeout: 10_000 });
    await phone.locator('#person').selectOption({ label: 'Dr. Omar Haddad — physician, manager' });
    await type(phone, '/timeoff');
    await phone.locator('#feed form[data-form-id="timeoff_request"]').waitFor({ timeout: 10_000 });
    await type(phone, `/supplies ${'unbrokenword'.repeat(30)}`);
    await phone.locator('#feed .card.mine', { hasText: 'unbrokenword' }).waitFor({ timeout: 10_000 });

    const views = await phone
      .locator('nav button[data-view]')
      .evaluateAll((buttons) => buttons.map((button) => (button as HTMLElement).dataset.view ?? ''));
    expect(views).toContain('channel:complaints');
    for (const view of views) {
      await phone.locator(`nav button[data-view="${view}"]`).click();
      await phone.locator(`nav button[data-view="${view}"].active`).waitFor();
      const overflow = await phone.evaluate(() => {
        const feed = document.getElementById('feed') as HTMLElement;
        const picker = (document.getElementById('person') as HTMLElement).getBoundingClientRect();
        return {
          page: document.documentElement.scrollWidth - document.documentElement.clientWidth,
          feed: feed.scrollWidth - feed.clientWidth,
          picker: { left: picker.left, right: picker.right },
        };
      });
      expect(overflow.page, view).toBeLessThanOrEqual(0);
      expect(overflow.feed, view).toBeLessThanOrEqual(0);
      expect(overflow.picker.left, view).toBeGreaterThanOrEqual(0);
      expect(overflow.picker.right, view).toBeLessThanOrEqual(390);
    }
    await phone.close();
  });
});
