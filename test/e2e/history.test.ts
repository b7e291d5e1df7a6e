// History of past days seeded with the engine before the server starts: real Dukascopy ticks
// draw, and a 100,000-tick day of one symbol is on screen within 300 ms of asking.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { after, before, test } from 'node:test';
import type { Page } from 'playwright-core';
import { openTickStore } from '../../electron/engine/tickStore.ts';
import { artifactPath, openBrowserSession, ROOT } from './harness.ts';
import type { BrowserSession } from './harness.ts';
import { bodyData, canvasColourCount, clearBodyData } from './pageProbes.ts';

const DUKASCOPY = path.join(ROOT, 'test/fixtures/dukascopy/eurusd-2019-02-04T00.json');
const SYNTH_DAY_US = Date.UTC(2024, 2, 5) * 1000;
const SYNTH_TICKS = 100_000;
const DRAW_BUDGET_MS = 300;

let session: BrowserSession;
let dukascopyRows: number;

async function seed(dir: string): Promise<void> {
  const rows = JSON.parse(await readFile(DUKASCOPY, 'utf8')) as Array<
    [number, number, number, number, number]
  >;
  dukascopyRows = rows.length;
  const store = await openTickStore({ dataDir: dir });
  try {
    for (const [tsMs, ask, bid, askVol, bidVol] of rows) {
      store.ingest({
        symbol: 'EURUSD',
        tsUs: Math.round(tsMs * 1000),
        bid,
        ask,
        bidSize: bidVol,
        askSize: askVol,
      });
    }
    // A random walk spread evenly over the whole day.
    let mid = 1.25;
    let seedState = 42;
    const rand = () => (seedState = (seedState * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const stepUs = Math.floor(86_400_000_000 / SYNTH_TICKS);
    for (let i = 0; i < SYNTH_TICKS; i++) {
      mid += (rand() - 0.5) * 0.0002;
      const bid = Math.round((mid - 0.00005) * 1e5) / 1e5;
      store.ingest({ symbol: 'SYNTH', tsUs: SYNTH_DAY_US + i * stepUs, bid, ask: bid + 0.0001 });
      if (i % 20_000 === 0) await store.whenWritable();
    }
    await store.flush();
  } finally {
    await store.stop();
  }
}

before(async () => {
  session = await openBrowserSession({
    tmpPrefix: 'tickscope-e2e-history-',
    extraArgs: ['--feed', 'none'],
    seed,
  });
});

after(() => session?.close());

async function showSymbol(page: Page, symbol: string): Promise<{ drawnMs: number; points: number }> {
  await clearBodyData(page, 'historyDrawnMs');
  const select = page.getByTestId('history-symbol');
  if ((await select.inputValue()) !== symbol) await select.selectOption(symbol);
  await page.locator(`[data-testid="history-chart"][data-symbol="${symbol}"]`).waitFor();
  const end = Date.now() + 10_000;
  while ((await bodyData(page, 'historyDrawnMs')) === undefined) {
    if (Date.now() > end) throw new Error(`${symbol}: the history chart never reported drawing`);
    await page.waitForTimeout(10);
  }
  const drawnMs = Number(await bodyData(page, 'historyDrawnMs'));
  const points = Number(await page.getByTestId('history-chart').getAttribute('data-points'));
  return { drawnMs, points };
}

test('the seeded days are stored as given', async () => {
  const symbols = await session.ws.call('symbols.list', {});
  const bySymbol = new Map(symbols.map((s) => [s.symbol, s]));
  assert.equal(bySymbol.get('EURUSD')?.count, dukascopyRows);
  assert.equal(bySymbol.get('SYNTH')?.count, SYNTH_TICKS);
  const days = (await session.ws.call('storage.days', {})).map((d) => d.day);
  assert.ok(days.includes('2019-02-04') && days.includes('2024-03-05'), days.join(', '));
});

test('History draws the stored Dukascopy ticks of 2019-02-04', async () => {
  const page = await session.browser.newPage({ viewport: { width: 1400, height: 850 } });
  await page.goto(`${session.serve.url}#history`);
  await page.getByTestId('history-symbol').waitFor();
  const r = await showSymbol(page, 'EURUSD');
  assert.ok(r.points > 0, 'no points drawn');
  assert.ok(
    (await canvasColourCount(page, '[data-testid="history-chart"]')) >= 8,
    'history chart looks blank',
  );
  await page.screenshot({ path: await artifactPath('history-eurusd-2019-02-04.png') });
  await page.close();
});

test(`one day of one symbol (${SYNTH_TICKS.toLocaleString('en')} ticks) is drawn within ${DRAW_BUDGET_MS} ms`, async () => {
  const page = await session.browser.newPage({ viewport: { width: 1400, height: 850 } });
  await page.goto(`${session.serve.url}#history`);
  await page.getByTestId('history-symbol').waitFor();
  await showSymbol(page, 'EURUSD');
  // Measured on the second look as well: the first includes opening the day file.
  const first = await showSymbol(page, 'SYNTH');
  await showSymbol(page, 'EURUSD');
  const second = await showSymbol(page, 'SYNTH');
  const mode = await page.getByTestId('history-chart').getAttribute('data-mode');
  console.log(
    `history: SYNTH day drawn in ${first.drawnMs} ms (first), ${second.drawnMs} ms (again); ${second.points} points, mode ${mode}`,
  );
  await page.screenshot({ path: await artifactPath('history-synth-day.png') });
  assert.ok(second.points > 0);
  assert.ok(
    (await canvasColourCount(page, '[data-testid="history-chart"]')) >= 8,
    'history chart looks blank',
  );
  assert.ok(first.drawnMs <= DRAW_BUDGET_MS, `first draw took ${first.drawnMs} ms`);
  assert.ok(second.drawnMs <= DRAW_BUDGET_MS, `second draw took ${second.drawnMs} ms`);
  await page.close();
});
