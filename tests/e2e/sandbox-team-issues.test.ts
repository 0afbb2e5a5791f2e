import { DateTime } from 'luxon';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Frontdesk, startFrontdesk } from '../../src/bot/frontdesk.ts';
import { loadEnv } from '../../src/config/env.ts';
import { type Database, openDatabase } from '../../src/db/client.ts';
import { teamIssues } from '../../src/db/schema/index.ts';
import { ISSUE_FORMS } from '../../src/handlers/team-issues/ids.ts';
import { hasChromium, launchChromium, nameBrowserSuite } from '../helpers/browser.ts';
import { createRecordingLogger } from '../helpers/logger.ts';
import { buildOfficeConfig } from '../helpers/office.ts';

const office = buildOfficeConfig();
const NOW = DateTime.fromISO('2026-11-30T09:00', { zone: office.office.timezone }); // Mon
const SAM = 'Sam Lee — front-desk';
const LUIS = 'Luis Ortega — billing';

describe.skipIf(!hasChromium)(nameBrowserSuite('team issues in the sandbox chat'), () => {
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
  /** The last card in the feed with `title`, once it is there. */
  async function card(title: string | RegExp) {
    const found = page
      .locator('#feed .card', { has: page.locator('.card-title', { hasText: title }) })
      .last();
    await found.waitFor({ timeout: 10_000 });
    return found;
  }

  it('files an issue from the form, warned about patient details, and shows its card in the huddle channel', async () => {
    await become(SAM);
    await type('/issue');
    const form = page.locator(`#feed form[data-form-id="${ISSUE_FORMS.file}"]`).last();
    await form.waitFor({ timeout: 10_000 });
    expect(await form.textContent()).toContain('Do not include patient names');
    await form.locator('select[name="category"]').selectOption('equipment');
    await form.locator('textarea[name="text"]').fill('Blood pressure cuff in room 2 <b>leaks</b>');
    await form.locator('button[type="submit"]').click();
    await card('Issue raised — IS-1');

    await open('channel:huddle');
    const posted = await card('Issue IS-1 — Equipment');
    expect(await posted.textContent()).toContain('Blood pressure cuff in room 2 <b>leaks</b>');
    expect(await posted.locator('b').count()).toBe(0);
    expect(await posted.locator('button').allTextContents()).toEqual(['Take it', 'Done']);
  });

  it('lets someone else take it, then mark it done with a note, the card updating in place', async () => {
    await become(LUIS);
    await open('channel:huddle');
    const posted = await card('Issue IS-1 — Equipment');
    await posted.locator('button', { hasText: 'Take it' }).click();
    await page
      .locator('#feed .message.reply', { hasText: 'You own IS-1 now.' })
      .first()
      .waitFor({ timeout: 10_000 });

    await open('channel:huddle');
    const taken = await card('Issue IS-1 — Equipment');
    await taken.locator('.card-note', { hasText: 'Taken by Luis Ortega' }).waitFor({ timeout: 10_000 });
    expect(await taken.locator('button').allTextContents()).toEqual(['Done']);

    await taken.locator('button', { hasText: 'Done' }).click();
    const form = page.locator(`#feed form[data-form-id="${ISSUE_FORMS.done}"]`).last();
    await form.waitFor({ timeout: 10_000 });
    await form.locator('textarea[name="note"]').fill('New cuff from the supply room');
    await form.locator('button[type="submit"]').click();
    await page
      .locator('#feed .message.reply', { hasText: 'IS-1 is done. Sam Lee has been told.' })
      .first()
      .waitFor({ timeout: 10_000 });

    await open('channel:huddle');
    const done = await card('✅ Issue IS-1 — Equipment');
    await done.locator('.card-note', { hasText: 'Done by Luis Ortega' }).waitFor({ timeout: 10_000 });
    expect(await done.textContent()).toContain('Note: New cuff from the supply room');
    expect(await done.locator('button').count()).toBe(0);
    expect(await database.db.select().from(teamIssues)).toEqual([
      expect.objectContaining({ status: 'done', ownerName: 'Luis Ortega', doneByName: 'Luis Ortega' }),
    ]);
  });

  it('tells Sam in his direct messages that it was taken and done', async () => {
    await become(SAM);
    await open('dm:sam-lee');
    await page.locator('#feed', { hasText: 'Luis Ortega took your issue IS-1' }).waitFor({ timeout: 10_000 });
    await page
      .locator('#feed', { hasText: 'Note: New cuff from the supply room' })
      .waitFor({ timeout: 10_000 });
  });
});
