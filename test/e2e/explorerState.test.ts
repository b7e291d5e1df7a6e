// First look, remembered state and the keyboard (issue 9, acceptance). The server records the demo
// feed (four LPs) over stored Dukascopy history. A first load logs no console error and no token,
// shows a quote within a second and opens Live on a charted symbol; tab, symbols, range, zone and
// source filters survive a reload; tabs, the watchlist and charts work from the keyboard.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { BrowserContext, Page } from 'playwright-core';
import { artifactPath, openBrowserSession } from './harness.ts';
import type { BrowserSession } from './harness.ts';
import { pageErrorText, readChartProbe, waitForValue } from './pageProbes.ts';
import {
  applyHistoryRange,
  HISTORY_HOST,
  hoverChart,
  LIVE_HOST,
  openTab,
  setZone,
  showHistorySymbol,
  waitForSettledChart,
} from '../fixtures/explorer/explorerUi.ts';
import { isoUs, wallText } from '../fixtures/explorer/intlClock.ts';
import { EXPLORER_HISTORY, seedDukascopy } from '../fixtures/explorer/seedDukascopy.ts';

const FIRST_QUOTE_BUDGET_MS = 1000;

let session: BrowserSession;
let context: BrowserContext;

before(async () => {
  session = await openBrowserSession({
    tmpPrefix: 'tickscope-e2e-explorer-state-',
    seed: async (dir) => {
      await seedDukascopy(
        dir,
        EXPLORER_HISTORY.filter((s) => s.symbol !== 'GAPIDX'),
      );
    },
  });
  context = await session.browser.newContext({ viewport: { width: 1400, height: 850 } });
});

after(async () => {
  await context?.close();
  await session?.close();
});

const tabSelected = async (page: Page, tab: string) =>
  (await page.getByTestId(`tab-${tab}`).getAttribute('aria-selected')) === 'true';

test('a first load: no console error, no token in any log or URL, a quote within 1 s, Live charting a symbol', async () => {
  const page = await context.newPage();
  const consoleLines: Array<{ type: string; text: string }> = [];
  const urls: string[] = [];
  const pageErrors: string[] = [];
  page.on('console', (m) => consoleLines.push({ type: m.type(), text: m.text() }));
  page.on('pageerror', (e) => pageErrors.push(pageErrorText(e)));
  page.on('request', (r) => urls.push(r.url()));
  page.on('websocket', (ws) => urls.push(ws.url()));
  // When the first watchlist row appears, in the page's own clock.
  await page.addInitScript(() => {
    const g = globalThis as unknown as {
      __e2eFirstRowMs?: number;
      document: { querySelector(s: string): unknown };
      MutationObserver: new (cb: () => void) => { observe(n: unknown, o: object): void; disconnect(): void };
    };
    const obs = new g.MutationObserver(() => {
      if (g.__e2eFirstRowMs === undefined && g.document.querySelector('[data-testid^="watchlist-row-"]')) {
        g.__e2eFirstRowMs = performance.now();
        obs.disconnect();
      }
    });
    // Init scripts run before the page has an <html>: watch the document itself.
    obs.observe(g.document, { childList: true, subtree: true });
  });
  const t0 = Date.now();
  await page.goto(session.serve.url);
  await page.locator('[data-testid^="watchlist-row-"]').first().waitFor({ timeout: 5000 });
  const sinceGotoMs = Date.now() - t0;
  const timing = await page.evaluate(() => {
    const g = globalThis as unknown as {
      __e2eFirstRowMs?: number;
      performance: {
        getEntriesByType(t: string): Array<{ loadEventEnd: number; domContentLoadedEventEnd: number }>;
      };
    };
    const nav = g.performance.getEntriesByType('navigation')[0];
    return {
      firstRowMs: g.__e2eFirstRowMs ?? NaN,
      loadMs: nav?.loadEventEnd ?? NaN,
      domMs: nav?.domContentLoadedEventEnd ?? NaN,
    };
  });
  // Live opens on a symbol that is charted, without a click.
  const opened = await waitForValue(
    async () => {
      const symbol = await page
        .locator(LIVE_HOST)
        .getAttribute('data-symbol')
        .catch(() => null);
      const probe = await readChartProbe(page, 'live', LIVE_HOST);
      return symbol && probe && Number(probe.state.ticks) > 0 ? symbol : undefined;
    },
    { timeoutMs: 5000, what: 'Live charting a symbol on its own' },
  ).catch((e: Error) => e);
  await page.waitForTimeout(1500);
  await page.screenshot({ path: await artifactPath('explorer-state-first-load.png') });
  const afterLoadMs =
    timing.firstRowMs - (Number.isFinite(timing.loadMs) && timing.loadMs > 0 ? timing.loadMs : timing.domMs);
  console.log(
    `explorer first look: first quote row ${timing.firstRowMs.toFixed(0)} ms after navigation start, ${afterLoadMs.toFixed(0)} ms after load (load event ${timing.loadMs.toFixed(0)} ms); ${sinceGotoMs} ms after goto; Live opened on ${opened instanceof Error ? 'nothing' : opened}`,
  );
  const token = session.serve.token;
  const errors = consoleLines.filter((l) => l.type === 'error').map((l) => l.text);
  assert.deepEqual(errors, [], 'console errors on load');
  assert.deepEqual(pageErrors, [], 'uncaught errors on load');
  assert.deepEqual(
    consoleLines.filter((l) => l.text.includes(token)).map((l) => l.text),
    [],
    'the token in a console message',
  );
  // The page was opened with ?token= (as printed); nothing it loads or connects to carries it.
  assert.deepEqual(
    urls.slice(1).filter((u) => u.includes(token)),
    [],
    'the token in a requested URL',
  );
  assert.ok(
    !page.url().includes(token),
    `the token stays in the address bar: ${page.url().replace(token, '<token>')}`,
  );
  assert.ok(
    afterLoadMs <= FIRST_QUOTE_BUDGET_MS,
    `the first quote came ${afterLoadMs.toFixed(0)} ms after load`,
  );
  assert.ok(
    !(opened instanceof Error),
    `Live opened on no charted symbol: ${opened instanceof Error ? opened.message : ''}`,
  );
  await page.close();
});

const HISTORY_RANGE = { fromUs: isoUs('2019-02-04T12:00:00Z'), toUs: isoUs('2019-02-04T12:30:00Z') };
const ZONE = { id: 'UTC+02:00', iana: 'Etc/GMT-2' };

/** Text the range inputs showed when the state was set, compared after the reload. */
let savedRange: { from: string; to: string } | null = null;

test('History: symbol, range (24-hour, in the zone), zone and source filter are set', async () => {
  const page = await context.newPage();
  await page.goto(session.serve.url);
  await setZone(page, ZONE.id);
  // EURUSD 2019-02-04 12:00-12:30 UTC (14:00-14:30 in UTC+2), the stored Dukascopy ticks only,
  // although the demo feed records EURUSD from four LPs as well.
  await openTab(page, 'history');
  await showHistorySymbol(page, 'EURUSD');
  await applyHistoryRange(page, HISTORY_RANGE.fromUs, HISTORY_RANGE.toUs, ZONE.iana);
  await page
    .locator('[data-testid="history-source"] option[value="dukascopy"]')
    .waitFor({ state: 'attached', timeout: 10_000 });
  await page.getByTestId('history-source').selectOption('dukascopy');
  const s = await waitForSettledChart(page, {
    symbol: 'EURUSD',
    range: HISTORY_RANGE,
    until: (x) => JSON.stringify(x.state.sources) === '["dukascopy"]',
  });
  const from = await page.getByTestId('history-from').inputValue();
  const to = await page.getByTestId('history-to').inputValue();
  assert.equal(from, wallText(HISTORY_RANGE.fromUs, ZONE.iana), 'the range reads in the zone, 24-hour');
  assert.equal(to, wallText(HISTORY_RANGE.toUs, ZONE.iana));
  savedRange = { from, to };
  console.log(
    `explorer state: History set, ${page.url().replace(session.serve.origin, '')}; ${JSON.stringify(s.state.sources)}`,
  );
  await page.close();
});

/** What the History tab must show again. */
async function checkHistoryState(p: Page, how: string): Promise<void> {
  assert.ok(savedRange, 'the previous test set the state');
  await waitForValue(async () => ((await tabSelected(p, 'history')) ? true : undefined), {
    timeoutMs: 5000,
    what: `${how}: back on History`,
  });
  assert.equal(await p.getByTestId('zone-toggle').getAttribute('data-zone'), ZONE.id, `${how}: zone`);
  const s = await waitForSettledChart(p, { symbol: 'EURUSD', range: HISTORY_RANGE });
  assert.deepEqual(s.state.sources, ['dukascopy'], `${how}: History filtered to dukascopy`);
  assert.equal(await p.getByTestId('history-from').inputValue(), savedRange.from, `${how}: from`);
  assert.equal(await p.getByTestId('history-to').inputValue(), savedRange.to, `${how}: to`);
  assert.equal(await p.getByTestId('history-source').inputValue(), 'dukascopy', `${how}: History source`);
  await p.screenshot({ path: await artifactPath(`explorer-state-history-${how.replace(/\s+/g, '-')}.png`) });
}

test('History state survives a reload, a tab switch, and a new page at the printed URL', async () => {
  const page = await context.newPage();
  await page.goto(session.serve.url);
  // The printed URL holds no state: a new page takes it from storage.
  await checkHistoryState(page, 'new page');
  const url = page.url();
  assert.ok(!url.includes(session.serve.token), 'no token in the state URL');
  await page.reload();
  await checkHistoryState(page, 'after reload');
  await openTab(page, 'feeds');
  await openTab(page, 'history');
  await checkHistoryState(page, 'after a tab switch');
  console.log(`explorer state: History restored at ${url.replace(session.serve.origin, '')}`);
  await page.close();
});

test('Live state (symbol, source filter) survives a reload', async () => {
  const page = await context.newPage();
  await page.goto(session.serve.url);
  await openTab(page, 'live');
  await page.getByTestId('watchlist-row-GBPUSD').click({ timeout: 10_000 });
  await page.locator(`${LIVE_HOST}[data-symbol="GBPUSD"]`).waitFor();
  await page
    .locator('[data-testid="live-source"] option[value="LP-C"]')
    .waitFor({ state: 'attached', timeout: 10_000 });
  await page.getByTestId('live-source').selectOption('LP-C');
  await page.reload();
  await page.locator(`${LIVE_HOST}[data-symbol="GBPUSD"]`).waitFor({ timeout: 10_000 });
  assert.equal(await page.getByTestId('live-source').inputValue(), 'LP-C', 'Live source after a reload');
  const s = await waitForValue(
    async () => {
      const x = await readChartProbe(page, 'live', LIVE_HOST);
      return x && JSON.stringify(x.state.sources) === '["LP-C"]' ? x : undefined;
    },
    { timeoutMs: 10_000, what: 'the live chart drawing LP-C only after the reload' },
  );
  assert.ok(Number(s.state.ticks) > 0);
  await page.close();
});

const blur = (page: Page) =>
  page.evaluate(() =>
    (
      globalThis as unknown as { document: { activeElement: { blur?: () => void } | null } }
    ).document.activeElement?.blur?.(),
  );

const datasetOf = (page: Page, selector: string, key: string) =>
  page
    .locator(selector)
    .evaluateAll(
      (els, k) => els.map((e) => (e as unknown as { dataset: Record<string, string> }).dataset[k] ?? ''),
      key,
    );

test('keyboard: tab digits follow the tab order', async () => {
  const page = await context.newPage();
  await page.goto(session.serve.url);
  const tabs = (await datasetOf(page, '[data-testid^="tab-"]', 'testid')).map((t) => t.replace('tab-', ''));
  assert.ok(tabs.length >= 3, `tabs: ${tabs.join(', ')}`);
  await blur(page);
  for (const [digit, tab] of [
    ['2', tabs[1]],
    ['3', tabs[2]],
    ['1', tabs[0]],
  ]) {
    await page.keyboard.press(digit);
    await waitForValue(async () => ((await tabSelected(page, tab)) ? true : undefined), {
      timeoutMs: 3000,
      what: `${digit} opening ${tab}`,
    });
  }
  await page.close();
});

test('keyboard: arrows move the watchlist selection and the chart follows, right/left expand', async () => {
  const page = await context.newPage();
  await page.goto(session.serve.url);
  await openTab(page, 'live');
  await page.getByTestId('watchlist-row-EURUSD').click({ timeout: 10_000 });
  await page.locator(`${LIVE_HOST}[data-symbol="EURUSD"]`).waitFor();
  // Rows are sorted by symbol, so the next row is known.
  const rows = await datasetOf(page, '[data-testid^="watchlist-row-"]', 'symbol');
  const next = rows[rows.indexOf('EURUSD') + 1];
  await page.keyboard.press('ArrowDown');
  await page.locator(`${LIVE_HOST}[data-symbol="${next}"]`).waitFor({ timeout: 3000 });
  assert.equal(await page.getByTestId(`watchlist-row-${next}`).getAttribute('aria-selected'), 'true');
  await page.keyboard.press('ArrowUp');
  await page.locator(`${LIVE_HOST}[data-symbol="EURUSD"]`).waitFor({ timeout: 3000 });
  await page.keyboard.press('ArrowRight');
  await page.locator('[data-testid^="watchlist-source-EURUSD-"]').first().waitFor({ timeout: 3000 });
  await page.keyboard.press('ArrowLeft');
  await page
    .locator('[data-testid^="watchlist-source-EURUSD-"]')
    .first()
    .waitFor({ state: 'detached', timeout: 3000 });
  await page.close();
});

test('keyboard: / focuses the symbol search, and typing filters the watchlist', async () => {
  const page = await context.newPage();
  await page.goto(session.serve.url);
  await openTab(page, 'live');
  await page.locator('[data-testid^="watchlist-row-"]').first().waitFor({ timeout: 10_000 });
  await blur(page);
  await page.keyboard.press('/');
  const focused = await page.evaluate(
    () =>
      (globalThis as unknown as { document: { activeElement: { tagName: string } | null } }).document
        .activeElement?.tagName ?? '',
  );
  assert.equal(focused, 'INPUT', '/ puts the cursor in the symbol search');
  await page.keyboard.type('GBP');
  await waitForValue(
    async () => {
      const shown = await datasetOf(page, '[data-testid^="watchlist-row-"]', 'symbol');
      return shown.length > 0 && shown.every((x) => x.includes('GBP')) ? true : undefined;
    },
    { timeoutMs: 3000, what: 'the watchlist filtered to GBP' },
  );
  await page.close();
});

test('keyboard on the hovered History chart: +/- zoom about the centre, arrows pan a tenth, Home/End', async () => {
  const page = await context.newPage();
  await page.goto(session.serve.url);
  await setZone(page, 'utc');
  await openTab(page, 'history');
  await showHistorySymbol(page, 'BTCUSD');
  const range = { fromUs: isoUs('2023-02-20T12:00:00Z'), toUs: isoUs('2023-02-20T13:00:00Z') };
  await applyHistoryRange(page, range.fromUs, range.toUs, 'UTC');
  await page.getByTestId('history-source').selectOption('');
  const start = await waitForSettledChart(page, { symbol: 'BTCUSD', range });
  await blur(page);
  await hoverChart(page, HISTORY_HOST);
  // The view a key leads to, once it has stopped moving (a chart may animate a step).
  const viewAfter = async (key: string, changed: (v: { fromUs: number; toUs: number }) => boolean) => {
    await page.keyboard.press(key);
    let previous = '';
    return waitForValue(
      async () => {
        const v = (await readChartProbe(page, 'history-0'))?.view;
        const seen = JSON.stringify(v);
        const stable = seen === previous;
        previous = seen;
        return v && stable && changed(v) ? v : undefined;
      },
      { timeoutMs: 3000, what: `the History view after ${key}`, everyMs: 150 },
    );
  };
  const span0 = start.view!.toUs - start.view!.fromUs;
  const centre0 = (start.view!.fromUs + start.view!.toUs) / 2;
  const zoomedIn = await viewAfter('+', (v) => v.toUs - v.fromUs < 0.9 * span0);
  const spanIn = zoomedIn.toUs - zoomedIn.fromUs;
  assert.ok(
    Math.abs((zoomedIn.fromUs + zoomedIn.toUs) / 2 - centre0) < 0.1 * span0,
    '+ zooms about the centre',
  );
  const panned = await viewAfter('ArrowLeft', (v) => v.fromUs < zoomedIn.fromUs);
  const shift = (zoomedIn.fromUs - panned.fromUs) / spanIn;
  assert.ok(shift > 0.03 && shift < 0.3, `ArrowLeft pans by about a tenth (${shift.toFixed(3)} of the view)`);
  const right = await viewAfter('ArrowRight', (v) => v.fromUs > panned.fromUs);
  const back = (right.fromUs - panned.fromUs) / spanIn;
  assert.ok(back > 0.03 && back < 0.3, `ArrowRight pans by about a tenth (${back.toFixed(3)} of the view)`);
  await viewAfter('-', (v) => v.toUs - v.fromUs > 1.1 * spanIn);
  await viewAfter('+', (v) => v.toUs - v.fromUs < 0.9 * span0);
  const home = await viewAfter('Home', (v) => Math.abs(v.fromUs - range.fromUs) < 0.05 * span0);
  const end = await viewAfter('End', (v) => Math.abs(v.toUs - range.toUs) < 0.05 * span0);
  console.log(
    `explorer keyboard: History view ${span0} -> ${spanIn} µs on +, ArrowLeft ${shift.toFixed(3)} of the view, Home from ${new Date(home.fromUs / 1000).toISOString()}, End to ${new Date(end.toUs / 1000).toISOString()}`,
  );
  await page.close();
});

test('keyboard: ? lists every shortcut, grouped, and Escape closes the list', async () => {
  const page = await context.newPage();
  await page.goto(session.serve.url);
  await openTab(page, 'history');
  await page.getByTestId('history-chart').first().waitFor({ timeout: 10_000 });
  await blur(page);
  await page.keyboard.press('?');
  const help = page.getByTestId('shortcut-help');
  await help.waitFor({ state: 'visible', timeout: 3000 });
  const text = (await help.textContent()) ?? '';
  await page.screenshot({ path: await artifactPath('explorer-state-shortcuts.png') });
  console.log(`explorer keyboard: shortcut list: ${text.replace(/\s+/g, ' ').slice(0, 400)}`);
  for (const k of ['1', '+', '-', 'End', 'Home', '/', '?'])
    assert.ok(text.includes(k), `the shortcut list names ${k}`);
  assert.match(text, /ArrowLeft|←|Left/, 'the shortcut list names the arrows');
  await page.keyboard.press('Escape');
  await help.waitFor({ state: 'hidden', timeout: 3000 });
  await page.close();
});
