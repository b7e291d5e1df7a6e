// Every source visible (issue 9, acceptance): the demo feed quotes EURUSD from four LPs. Live and
// History draw them as four series, plus a best bid/offer line; the watchlist's best bid is the
// highest and best ask the lowest of the sources' latest quotes, each source's quote is one that
// source really sent (checked against the quotes this test receives over the WebSocket), and the
// source filter (one LP, or only the BBO) changes what is drawn.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Page } from 'playwright-core';
import type { LiveQuote } from '../../shared/catalog.ts';
import type { TickColumns } from '../../shared/tick.ts';
import { artifactPath, openBrowserSession } from './harness.ts';
import type { BrowserSession } from './harness.ts';
import type { ChartSnapshot } from './pageProbes.ts';
import { readChartProbe, waitForValue } from './pageProbes.ts';
import {
  applyHistoryRange,
  describeSnapshot,
  HISTORY_HOST,
  hoverChart,
  LIVE_HOST,
  openLivePage,
  openTab,
  showHistorySymbol,
  waitForSettledChart,
} from '../fixtures/explorer/explorerUi.ts';

const SYMBOL = 'EURUSD';
const LPS = ['LP-A', 'LP-B', 'LP-C', 'LP-D'];

let session: BrowserSession;
let page: Page;
const pageErrors: string[] = [];

before(async () => {
  session = await openBrowserSession({ tmpPrefix: 'tickscope-e2e-explorer-sources-' });
  page = await openLivePage(session.browser, session.serve.url, SYMBOL, pageErrors);
});

after(async () => {
  await page?.context().close();
  await session?.close();
});

async function chartUntil(
  id: string,
  host: string,
  what: string,
  ok: (s: ChartSnapshot) => boolean,
  timeoutMs = 15_000,
) {
  let last: ChartSnapshot | null = null;
  try {
    return await waitForValue(
      async () => {
        last = await readChartProbe(page, id, host);
        return last && ok(last) ? last : undefined;
      },
      { timeoutMs, what },
    );
  } catch (err) {
    throw new Error(`${(err as Error).message}; ${id} ${describeSnapshot(last)}`, { cause: err });
  }
}

const sourcesOf = (s: ChartSnapshot) =>
  Array.isArray(s.state.sources) ? (s.state.sources as string[]).slice().sort() : [];

test('Live draws the four LPs of EURUSD apart, with a legend entry each, and a BBO line', async () => {
  const s = await chartUntil(
    'live',
    LIVE_HOST,
    'four sources and a BBO in the live chart',
    (x) => sourcesOf(x).length === 4 && x.state.bbo === true,
  );
  assert.deepEqual(sourcesOf(s), LPS);
  const legend = await page
    .getByTestId('live-legend-entry')
    .evaluateAll((els) =>
      els.map((e) => (e as unknown as { dataset: Record<string, string> }).dataset.source),
    );
  for (const lp of LPS) assert.ok(legend.includes(lp), `the legend names ${lp}: ${legend.join(', ')}`);
  const attr = (await page.locator(LIVE_HOST).getAttribute('data-sources')) ?? '';
  assert.deepEqual(attr.split(',').filter(Boolean).sort(), LPS, 'data-sources on the host');
  await page.screenshot({ path: await artifactPath('explorer-sources-live-four.png') });
});

interface WatchSnapshot {
  bid: number;
  ask: number;
  bidHolder: string;
  askHolder: string;
  sources: Array<{ source: string; bid: number; ask: number; silent: boolean }>;
}

/** The EURUSD row and its per-source rows, read in one go (one React commit). */
async function readWatchlist(): Promise<WatchSnapshot> {
  return page.evaluate((symbol) => {
    type El = {
      textContent: string | null;
      className: string;
      dataset: Record<string, string>;
      querySelector(s: string): El | null;
      querySelectorAll(s: string): Iterable<El>;
    };
    const doc = (globalThis as unknown as { document: El }).document;
    const price = (cell: El | null) => {
      if (!cell) return NaN;
      const holder = cell.querySelector('.holder')?.textContent ?? '';
      return Number((cell.textContent ?? '').replace(holder, '').replace(/[^\d.]/g, ''));
    };
    const row = doc.querySelector(`[data-testid="watchlist-row-${symbol}"]`);
    const sources = [...doc.querySelectorAll(`[data-testid^="watchlist-source-${symbol}-"]`)].map((r) => ({
      source: r.dataset.source ?? '',
      bid: price(r.querySelector('td.bid')),
      ask: price(r.querySelector('td.ask')),
      silent: /\bsilent\b/.test(r.className),
    }));
    return {
      bid: price(row?.querySelector('td.bid') ?? null),
      ask: price(row?.querySelector('td.ask') ?? null),
      bidHolder: row?.querySelector('td.bid .holder')?.textContent ?? '',
      askHolder: row?.querySelector('td.ask .holder')?.textContent ?? '',
      sources,
    };
  }, SYMBOL);
}

test("the watchlist's best bid is the highest and best ask the lowest of the LPs' quotes, each really sent", async () => {
  // Every EURUSD quote per source that reached this test's own WebSocket: the latest-quote
  // pushes and, subscribed, every tick.
  await session.ws.call('live.subscribe', { symbols: [SYMBOL] });
  const sent = new Map<string, Set<string>>();
  const note = (source: string, bid: number, ask: number) => {
    if (!sent.has(source)) sent.set(source, new Set());
    sent.get(source)!.add(`${bid.toFixed(5)}/${ask.toFixed(5)}`);
  };
  const collect = () => {
    for (const e of session.ws.events.splice(0)) {
      if (e.event === 'live.quotes') {
        for (const q of (e.payload as { quotes: LiveQuote[] }).quotes)
          if (q.symbol === SYMBOL) note(q.source, q.bid, q.ask);
      } else if (e.event === 'live.ticks') {
        for (const b of (e.payload as { batches: TickColumns[] }).batches) {
          if (b.symbol !== SYMBOL) continue;
          for (let i = 0; i < b.tsUs.length; i++) note(b.sources[b.source[i]], b.bid[i], b.ask[i]);
        }
      }
    }
  };
  await page.waitForTimeout(1000);
  await page.getByTestId(`watchlist-expand-${SYMBOL}`).click();
  await page.locator(`[data-testid^="watchlist-source-${SYMBOL}-"]`).nth(3).waitFor({ timeout: 10_000 });
  const problems: string[] = [];
  const seen: string[] = [];
  for (let i = 0; i < 6; i++) {
    await page.waitForTimeout(400);
    const w = await readWatchlist();
    collect();
    const live = w.sources.filter((s) => !s.silent);
    const bestBid = Math.max(...live.map((s) => s.bid));
    const bestAsk = Math.min(...live.map((s) => s.ask));
    seen.push(
      `${w.bid}(${w.bidHolder})/${w.ask}(${w.askHolder}) of ${w.sources.map((s) => `${s.source} ${s.bid}/${s.ask}`).join(', ')}`,
    );
    if (w.sources.length !== 4) problems.push(`${w.sources.length} source rows`);
    if (Math.abs(w.bid - bestBid) > 1e-9) problems.push(`best bid ${w.bid} is not the highest ${bestBid}`);
    if (Math.abs(w.ask - bestAsk) > 1e-9) problems.push(`best ask ${w.ask} is not the lowest ${bestAsk}`);
    const bidHolders = live.filter((s) => s.bid === bestBid).map((s) => s.source);
    const askHolders = live.filter((s) => s.ask === bestAsk).map((s) => s.source);
    if (!bidHolders.includes(w.bidHolder))
      problems.push(`best bid held by ${w.bidHolder}, quotes say ${bidHolders.join('/')}`);
    if (!askHolders.includes(w.askHolder))
      problems.push(`best ask held by ${w.askHolder}, quotes say ${askHolders.join('/')}`);
    // Each LP's row shows a quote that LP sent (not a blend).
    await page.waitForTimeout(300);
    collect();
    for (const s of w.sources) {
      const pair = `${s.bid.toFixed(5)}/${s.ask.toFixed(5)}`;
      if (!sent.get(s.source)?.has(pair)) problems.push(`${s.source} shows ${pair}, which it never sent`);
    }
  }
  await page.screenshot({ path: await artifactPath('explorer-sources-watchlist.png') });
  console.log(`explorer sources: watchlist best of LPs\n  ${seen.join('\n  ')}`);
  assert.deepEqual(problems, []);
});

test('the Live source filter shows one LP, or only the BBO, and All again', async () => {
  const picker = page.getByTestId('live-source');
  const options = await picker
    .locator('option')
    .evaluateAll((els) => els.map((e) => (e as unknown as { value: string }).value));
  for (const v of ['BBO', ...LPS])
    assert.ok(options.includes(v), `the filter offers ${v}: ${options.join(', ')}`);
  await picker.selectOption('LP-B');
  await chartUntil('live', LIVE_HOST, 'only LP-B drawn', (x) => sourcesOf(x).join() === 'LP-B', 5000);
  await picker.selectOption('BBO');
  const bbo = await chartUntil(
    'live',
    LIVE_HOST,
    'the BBO drawn alone',
    (x) => x.state.bbo === true && !sourcesOf(x).includes('LP-B'),
    5000,
  );
  await page.screenshot({ path: await artifactPath('explorer-sources-live-bbo.png') });
  await hoverChart(page, LIVE_HOST);
  const readout = (await page.getByTestId('live-readout').textContent()) ?? '';
  console.log(`explorer sources: BBO only, drawn ${JSON.stringify(bbo.state)}; readout ${readout}`);
  assert.match(readout, /LP-[A-D]/, 'the BBO readout says which LP holds the bid and the ask');
  await picker.selectOption('');
  await chartUntil('live', LIVE_HOST, 'all four again', (x) => sourcesOf(x).length === 4, 5000);
});

test('History draws the same four LPs apart at tick level, with a BBO, and names the source', async () => {
  await page.waitForTimeout(3000);
  await openTab(page, 'history');
  await showHistorySymbol(page, SYMBOL);
  const now = Date.now() * 1000;
  const range = { fromUs: now - 90_000_000, toUs: now - 1_000_000 };
  await applyHistoryRange(page, range.fromUs, range.toUs, 'UTC');
  // The chart opens on the part of the range holding ticks: the demo has recorded for seconds.
  const s = await waitForSettledChart(page, {
    symbol: SYMBOL,
    within: range,
    until: (x) => x.state.mode === 'ticks' && sourcesOf(x).length === 4,
  });
  assert.deepEqual(sourcesOf(s), LPS);
  assert.equal(s.state.bbo, true, 'a BBO line over four sources');
  const legend = await page
    .getByTestId('history-legend-entry')
    .evaluateAll((els) =>
      els.map((e) => (e as unknown as { dataset: Record<string, string> }).dataset.source),
    );
  for (const lp of LPS)
    assert.ok(legend.includes(lp), `the History legend names ${lp}: ${legend.join(', ')}`);
  await hoverChart(page, HISTORY_HOST);
  const readout = (await page.getByTestId('history-readout').textContent()) ?? '';
  await page.screenshot({ path: await artifactPath('explorer-sources-history-four.png') });
  console.log(`explorer sources: History ${JSON.stringify(s.state)}; readout ${readout}`);
  assert.match(readout, /LP-[A-D]|BBO/, 'the readout names the source of the tick under the cursor');
});

test('the page threw no uncaught error', () => {
  assert.deepEqual(pageErrors, []);
});
