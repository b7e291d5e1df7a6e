// A first launch shows live ticks: the demo feed's quotes fill the watchlist and the live chart
// of a clicked symbol draws, all within 3 seconds.
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import type { Browser } from 'playwright-core';
import { artifactPath, launchBrowser, startServe } from './harness.ts';
import type { ServeHandle } from './harness.ts';
import { canvasColourCount } from './pageProbes.ts';

let dataDir: string;
let serve: ServeHandle;
let browser: Browser;

before(async () => {
  dataDir = await mkdtemp(path.join(os.tmpdir(), 'tickscope-e2e-live-'));
  [serve, browser] = await Promise.all([startServe({ dataDir }), launchBrowser()]);
});

after(async () => {
  await browser?.close();
  assert.equal(await serve?.stop(), 0, 'serve exits 0 on SIGTERM');
  await rm(dataDir, { recursive: true, force: true });
});

test('watchlist fills with demo quotes and the live chart draws within 3 s', async () => {
  const page = await browser.newPage({ viewport: { width: 1400, height: 850 } });
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  // Console noise (CSP reports, a missing favicon) is printed for the renderer's owners, not failed on.
  page.on('console', (m) => {
    if (m.type() === 'error') console.log(`page console error: ${m.text()}`);
  });
  page.on('response', (r) => {
    if (r.status() >= 400) console.log(`page request ${r.status()}: ${new URL(r.url()).pathname}`);
  });
  const t0 = Date.now();
  const response = await page.goto(serve.url);
  assert.equal(response?.status(), 200);
  const row = page.locator('[data-testid^="watchlist-row-"]').first();
  await row.waitFor({ timeout: 3000 });
  const quotesMs = Date.now() - t0;
  await row.click();
  const chart = page.locator('[data-testid="live-chart"]');
  await chart.waitFor({ timeout: 3000 });
  const deadline = t0 + 3000 + 1000; // 3 s to ticks plus the click itself
  let colours = 0;
  while (Date.now() < deadline) {
    colours = await canvasColourCount(page, '[data-testid="live-chart"]');
    if (colours >= 8 && Number(await chart.getAttribute('data-ticks')) > 1) break;
    await page.waitForTimeout(100);
  }
  const drawnMs = Date.now() - t0;
  await page.screenshot({ path: await artifactPath('live-view.png') });
  console.log(
    `live view: first quote row after ${quotesMs} ms, chart drawn after ${drawnMs} ms, ${colours} colours`,
  );
  assert.ok(colours >= 8, `live chart looks blank (${colours} distinct colours)`);
  assert.ok(Number(await chart.getAttribute('data-ticks')) > 1, 'live chart holds no ticks');
  const rows = await page.locator('[data-testid^="watchlist-row-"]').count();
  assert.ok(rows >= 2, `only ${rows} watchlist rows`);
  assert.deepEqual(errors, [], 'uncaught errors in the page');
  await page.close();
});
