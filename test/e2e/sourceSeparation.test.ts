// Several sources quoting one symbol stay apart in the charts: the demo feed quotes every symbol
// from several LPs (LP-A, LP-B...). The Live chart draws each source as its own series with a
// legend, the source filter changes which series are drawn (one LP, or the best bid/offer alone)
// and is remembered per tab, and the History chart of that symbol does the same at tick level.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Page } from 'playwright-core';
import { artifactPath, openBrowserSession } from './harness.ts';
import type { BrowserSession } from './harness.ts';
import { canvasColourCount, waitForValue } from './pageProbes.ts';

let session: BrowserSession;
let page: Page;
let symbol: string;
/** The source the Live tab was left filtered to. */
let livePick: string;
const pageErrors: string[] = [];

before(async () => {
  session = await openBrowserSession({ tmpPrefix: 'tickscope-e2e-sources-' });
  const context = await session.browser.newContext({ viewport: { width: 1400, height: 850 } });
  page = await context.newPage();
  page.on('pageerror', (e) => pageErrors.push(e.message));
});

after(async () => {
  await page?.context().close();
  await session?.close();
});

const sourcesOf = (attr: string | null) => (attr ? attr.split(',').filter((s) => s !== '') : []);

async function drawnSources(p: Page, testId: string): Promise<string[]> {
  return sourcesOf(await p.getByTestId(testId).getAttribute('data-sources'));
}

test('the watchlist row lists the sources it has seen, and Live draws one series per source', async () => {
  await page.goto(session.serve.url);
  await page.locator('[data-testid^="watchlist-row-"]').first().waitFor({ timeout: 10_000 });
  // The first symbol whose row has seen two sources (the demo's LP-A and LP-B quote often).
  symbol = await waitForValue(
    async () => {
      for (const cell of await page.locator('[data-testid^="watchlist-sources-"]').all()) {
        if (sourcesOf(await cell.getAttribute('data-sources')).length >= 2) {
          return (await cell.getAttribute('data-testid'))!.replace('watchlist-sources-', '');
        }
      }
      return undefined;
    },
    { timeoutMs: 15_000, what: 'a watchlist row with two sources' },
  );
  const rowSources = sourcesOf(
    await page.getByTestId(`watchlist-sources-${symbol}`).getAttribute('data-sources'),
  );
  assert.match(
    (await page.getByTestId(`watchlist-sources-${symbol}`).textContent()) ?? '',
    new RegExp(rowSources[0]),
  );

  await page.getByTestId(`watchlist-row-${symbol}`).click();
  await page.locator(`[data-testid="live-chart"][data-symbol="${symbol}"]`).waitFor();
  const drawn = await waitForValue(
    async () => {
      const s = await drawnSources(page, 'live-chart');
      return s.length >= 2 ? s : undefined;
    },
    { timeoutMs: 15_000, what: 'two sources drawn in the live chart' },
  );
  // Read together until they agree: a source that starts quoting between two reads (the demo's
  // LP-D is rare) is in the next frame's legend and series alike.
  const readLegend = () =>
    page
      .getByTestId('live-legend-entry')
      .evaluateAll((els) =>
        els.map((e) => (e as unknown as { dataset: Record<string, string> }).dataset.source),
      );
  let legend = await readLegend();
  let shown = drawn;
  for (const until = Date.now() + 5_000; Date.now() < until; await page.waitForTimeout(100)) {
    shown = await drawnSources(page, 'live-chart');
    legend = await readLegend();
    if (JSON.stringify(legend) === JSON.stringify(shown)) break;
  }
  assert.deepEqual(legend, shown, 'the legend names every drawn source');
  assert.ok((await canvasColourCount(page, '[data-testid="live-chart"]')) >= 8, 'the live chart looks blank');
  await page.screenshot({ path: await artifactPath('sources-live-all.png') });
  console.log(
    `source separation: ${symbol} live, sources drawn ${shown.join(', ')}; row saw ${rowSources.join(', ')}`,
  );
});

test('the Live source filter draws only the chosen source and is remembered', async () => {
  const all = await drawnSources(page, 'live-chart');
  const pick = all[1];
  await page.getByTestId('live-source').selectOption(pick);
  await waitForValue(
    async () => {
      const s = await drawnSources(page, 'live-chart');
      return s.length === 1 && s[0] === pick ? true : undefined;
    },
    { timeoutMs: 10_000, what: `only ${pick} drawn` },
  );
  assert.equal(await page.getByTestId('live-legend-entry').count(), 1);
  // More ticks of that source arrive and stay that source's.
  const before = Number(await page.getByTestId('live-chart').getAttribute('data-ticks'));
  await waitForValue(
    async () =>
      Number(await page.getByTestId('live-chart').getAttribute('data-ticks')) > before ? true : undefined,
    { timeoutMs: 10_000, what: `new ${pick} ticks` },
  );
  assert.deepEqual(await drawnSources(page, 'live-chart'), [pick]);
  await page.screenshot({ path: await artifactPath('sources-live-one.png') });

  await page.reload();
  await page.getByTestId(`watchlist-row-${symbol}`).click({ timeout: 10_000 });
  await page.locator(`[data-testid="live-chart"][data-symbol="${symbol}"]`).waitFor();
  assert.equal(await page.getByTestId('live-source').inputValue(), pick, 'remembered across a reload');

  // The synthetic best bid/offer alone: no source's own pair, the BBO line instead.
  await page.getByTestId('live-source').selectOption('BBO');
  await waitForValue(
    async () => {
      const host = page.getByTestId('live-chart');
      return (await host.getAttribute('data-bbo')) === 'true' &&
        (await drawnSources(page, 'live-chart')).length === 0
        ? true
        : undefined;
    },
    { timeoutMs: 10_000, what: 'only the BBO drawn' },
  );

  await page.getByTestId('live-source').selectOption({ index: 0 });
  await waitForValue(async () => ((await drawnSources(page, 'live-chart')).length >= 2 ? true : undefined), {
    timeoutMs: 10_000,
    what: 'All draws several sources again',
  });
  // Left on one source for the next test, which checks that History has a filter of its own.
  await page.getByTestId('live-source').selectOption(pick);
  livePick = pick;
});

test('History draws the symbol per source at tick level, with its own remembered filter', async () => {
  await page.getByTestId('tab-history').click();
  const select = page.getByTestId('history-symbol');
  await select.waitFor({ timeout: 10_000 });
  if ((await select.inputValue()) !== symbol) await select.selectOption(symbol);
  const chart = page.locator(`[data-testid="history-chart"][data-symbol="${symbol}"]`);
  await chart.waitFor();
  assert.equal(
    await page.getByTestId('history-source').inputValue(),
    '',
    'History starts at All although Live is filtered',
  );
  const all = await waitForValue(
    async () => {
      if ((await chart.getAttribute('data-mode')) !== 'ticks') return undefined;
      const s = await drawnSources(page, 'history-chart');
      return s.length >= 2 ? s : undefined;
    },
    { timeoutMs: 15_000, what: 'History ticks drawn per source' },
  );
  const legend = await page
    .getByTestId('history-legend-entry')
    .evaluateAll((els) =>
      els.map((e) => (e as unknown as { dataset: Record<string, string> }).dataset.source),
    );
  assert.deepEqual(legend, all);
  const allPoints = Number(await chart.getAttribute('data-points'));
  assert.ok(
    (await canvasColourCount(page, '[data-testid="history-chart"]')) >= 8,
    'history chart looks blank',
  );
  await page.screenshot({ path: await artifactPath('sources-history-all.png') });

  const pick = all[0];
  await page.getByTestId('history-source').selectOption(pick);
  const onePoints = await waitForValue(
    async () => {
      const s = await drawnSources(page, 'history-chart');
      if (s.length !== 1 || s[0] !== pick) return undefined;
      return Number(await chart.getAttribute('data-points'));
    },
    { timeoutMs: 10_000, what: `History showing only ${pick}` },
  );
  assert.ok(onePoints > 0 && onePoints < allPoints, `${pick}: ${onePoints} of ${allPoints} ticks`);
  await page.screenshot({ path: await artifactPath('sources-history-one.png') });
  console.log(
    `source separation: history ${symbol}: ${allPoints} ticks from ${all.join(', ')}; ${onePoints} from ${pick}`,
  );

  await page.getByTestId('tab-live').click();
  await page.getByTestId(`watchlist-row-${symbol}`).click({ timeout: 10_000 });
  assert.equal(await page.getByTestId('live-source').inputValue(), livePick, 'Live keeps its own filter');
  await page.getByTestId('tab-history').click();
  assert.equal(await page.getByTestId('history-source').inputValue(), pick, 'and History its own');
  assert.deepEqual(pageErrors, [], 'uncaught errors in the page');
});
