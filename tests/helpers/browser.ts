import { existsSync } from 'node:fs';
import { type Browser, chromium } from 'playwright-core';

/** Debian's Chromium, or CHROME_PATH; browser tests are skipped with this path named when it is missing. */
export const chromiumPath = process.env.CHROME_PATH ?? '/usr/bin/chromium';
export const hasChromium = existsSync(chromiumPath);

/** The suite name, saying why it is skipped when Chromium is missing. */
export function nameBrowserSuite(name: string): string {
  return hasChromium
    ? name
    : `${name} — skipped: Chromium is missing at ${chromiumPath}; install Debian's chromium or set CHROME_PATH`;
}

/** Headless Chromium with the flags this machine needs (no sandbox as root, no background networking). */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}
