/**
 * Writes screenshots of the dashboard's fleet and service pages, desktop and phone width, to docs/images/:
 * `npx tsx test/e2e/dashboard/screenshots.ts`. The same server and browser as the browser test.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { launch, skipReason, startDashboard, TOKEN } from './support.js';

const OUT = join(import.meta.dirname, '../../../docs/images');

const skip = skipReason();
if (skip) {
  console.error(`cannot take screenshots: ${skip}`);
  process.exit(1);
}
mkdirSync(OUT, { recursive: true });
const { app, view, url, spki } = await startDashboard();
// one node down, so the pictures show what that looks like
view.markDown('nuc2', 'missed 3 heartbeats');
const browser = await launch(spki);
try {
  for (const [name, width, height] of [
    ['desktop', 1280, 900],
    ['phone', 375, 800],
  ] as const) {
    const page = await browser.newPage({ viewport: { width, height }, deviceScaleFactor: 1 });
    await page.goto(`${url}/ui/#/login`);
    await page.fill('#token', TOKEN);
    await page.click('button[type=submit]');
    await page.waitForSelector('[data-node="pi1"]');
    await page.screenshot({ path: join(OUT, `dashboard-fleet-${name}.png`), fullPage: name === 'desktop' });
    await page.goto(`${url}/ui/#/service/shop/web`);
    await page.waitForSelector('.logs:not(:empty)');
    await page.waitForFunction(() => !document.querySelector('.logs')?.textContent?.startsWith('Loading'));
    await page.screenshot({ path: join(OUT, `dashboard-service-${name}.png`), fullPage: name === 'desktop' });
    await page.close();
  }
  console.log(`screenshots written to ${OUT}`);
} finally {
  await browser.close();
  await app.close();
}
