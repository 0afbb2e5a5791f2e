import { DateTime } from 'luxon';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Frontdesk, startFrontdesk } from '../../src/bot/frontdesk.ts';
import { loadEnv } from '../../src/config/env.ts';
import { type Database, openDatabase } from '../../src/db/client.ts';
import { notes } from '../../src/db/schema/index.ts';
import { hasChromium, launchChromium, nameBrowserSuite } from '../helpers/browser.ts';
import { createRecordingLogger } from '../helpers/logger.ts';
import { buildOfficeConfig } from '../helpers/office.ts';

const office = buildOfficeConfig();
const NOW = DateTime.fromISO('2026-11-25T09:00', { zone: office.office.timezone }); // Wed
const SAM = 'Sam Lee — front-desk';
const ANA = 'Ana Cruz — medical-assistant';

describe.skipIf(!hasChromium)(nameBrowserSuite('follow-ups in the sandbox chat'), () => {
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
  /** The card in the feed with `title`, once it is there. */
  async function card(title: string) {
    const found = page.locator('#feed .card', { has: page.locator('.card-title', { hasText: title }) });
    await found.waitFor({ timeout: 10_000 });
    return found;
  }

  it('files a follow-up, lists it, and marks it done, seen only by its writer', async () => {
    await become(SAM);
    await type('/note call the lab by fri');
    const saved = await card('Follow-up saved — FU-');
    const reference = /FU-\d+/.exec((await saved.locator('.card-title').textContent()) ?? '')?.[0] ?? '';
    expect(reference).toMatch(/^FU-\d+$/);
    expect(await saved.textContent()).toContain('It is due Fri Nov 27');

    await type('/note list');
    const list = await card('Your follow-ups');
    expect(await list.textContent()).toContain(`${reference} · call the lab · due Fri Nov 27`);

    await become(ANA);
    await type(`/note done ${reference}`);
    await page
      .locator('#feed', { hasText: `You have no follow-up ${reference}.` })
      .waitFor({ timeout: 10_000 });

    await become(SAM);
    await type(`/note done ${reference}`);
    await page
      .locator('#feed', { hasText: `Done: ${reference} · call the lab` })
      .waitFor({ timeout: 10_000 });
    await type('/note list');
    await page
      .locator('#feed .card', {
        has: page.locator('.card-title', { hasText: 'Your follow-ups' }),
        hasText: 'None open.',
      })
      .waitFor({ timeout: 10_000 });
    expect(await database.db.select().from(notes)).toEqual([
      expect.objectContaining({ text: 'call the lab', status: 'done', platform: 'sandbox' }),
    ]);
  });
});
