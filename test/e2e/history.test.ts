// History of past days seeded with the engine before the server starts, tried in Chromium as a
// trader would: real Dukascopy ticks draw; a 100,000-tick day is on screen within 300 ms of
// asking; seven years are drawn in calendar time with year labels; a real 116 s outage is shaded
// at its real width (and compressed on request); labels read back through the chart's own probe
// are right from years down to sub-second zoom, in UTC and UTC+2; four LPs are drawn apart with a
// best bid/offer; zoom steps redraw within 250 ms; keyboard, compare charts and a reload keep state.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { after, before, test } from 'node:test';
import type { Page } from 'playwright-core';
import { openTickStore } from '../../electron/engine/tickStore.ts';
import { formatDateTimeMs, formatDateTimeUs } from '../../renderer/format/time.ts';
import { artifactPath, openBrowserSession, ROOT } from './harness.ts';
import type { BrowserSession } from './harness.ts';
import { bodyData, canvasColourCount, clearBodyData, waitForValue } from './pageProbes.ts';

const FIXTURES = path.join(ROOT, 'test/fixtures/dukascopy');
const SYNTH_DAY_US = Date.UTC(2024, 2, 5) * 1000;
const SYNTH_TICKS = 100_000;
const DRAW_BUDGET_MS = 300;
const ZOOM_BUDGET_MS = 250;
const US = (iso: string) => Date.parse(iso) * 1000;
/** The 116 s outage in the sparse fixture. */
const GAP_FROM_US = US('2022-05-27T07:45:27.697Z');
/** Four LPs quoting one symbol, 100 ticks/s in all, over ten minutes. */
const LP_FROM_US = US('2025-01-15T10:00:00Z');
const LP_SOURCES = ['LP-A', 'LP-B', 'LP-C', 'LP-D'];
const LP_TICKS = 60_000;

type Row = [number, number, number, number, number];

let session: BrowserSession;
let dukascopyRows = 0;

async function rows(file: string): Promise<Row[]> {
  return JSON.parse(await readFile(path.join(FIXTURES, file), 'utf8')) as Row[];
}

async function seed(dir: string): Promise<void> {
  const store = await openTickStore({ dataDir: dir });
  try {
    const put = (symbol: string, r: Row[]) => {
      for (const [tsMs, ask, bid, askVol, bidVol] of r) {
        store.ingest({ symbol, tsUs: Math.round(tsMs * 1000), bid, ask, bidSize: bidVol, askSize: askVol });
      }
    };
    const early = await rows('eurusd-2019-02-04T00.json');
    const late = await rows('eurusd-2026-07-13T12.json');
    dukascopyRows = early.length + late.length;
    put('EURUSD', early);
    put('EURUSD', late);
    // A few quotes on 2026-12-01, so that EURUSD spans nearly eight years with two long holes.
    for (let i = 0; i < 50; i++) {
      const bid = Math.round((1.0561 + i * 0.00001) * 1e5) / 1e5;
      store.ingest({
        symbol: 'EURUSD',
        tsUs: US('2026-12-01T09:00:00Z') + i * 1_000_000,
        bid,
        ask: bid + 0.00012,
      });
    }
    dukascopyRows += 50;
    put('GAPS', await rows('gaps-2022-05-27T07.json'));
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
    // Four LPs around one mid, each with its own skew; LP-C is crossed now and then.
    let m = 1.1;
    for (let i = 0; i < LP_TICKS; i++) {
      m += (rand() - 0.5) * 0.00004;
      const k = i % 4;
      const source = LP_SOURCES[k];
      const skew = [0, 0.00002, -0.00001, 0.00003][k];
      let bid = Math.round((m - 0.00006 + skew) * 1e5) / 1e5;
      let ask = Math.round((m + 0.00006 + skew) * 1e5) / 1e5;
      if (k === 2 && i % 1000 === 2) [bid, ask] = [ask, bid];
      const tsUs = LP_FROM_US + i * 10_000 + k * 137;
      store.ingest({
        symbol: 'GBPUSD',
        source,
        tsUs,
        bid,
        ask,
        bidSize: 1e6 * (1 + k),
        askSize: 5e5 * (1 + k),
      });
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

// ---- reading the chart's probe ---------------------------------------------------------------

interface Label {
  timeUs: number;
  weight: number;
  text: string;
}
interface Gap {
  fromUs: number;
  toUs: number;
  cause: string;
  x1: number;
  x2: number;
}
interface State {
  mode: 'ticks' | 'bars' | null;
  timeframeSec: number | null;
  points: number;
  sources: string[];
  bbo: boolean;
  symbol: string | null;
  loading: boolean;
  zone: string;
  breaks: number[];
  marks: { total: number; crossed: number; locked: number } | null;
  pane: string;
  firstBarUs: number | null;
  selection: { fromUs: number; toUs: number } | null;
}
interface ProbeRead {
  labels: Label[];
  view: { fromUs: number; toUs: number } | null;
  gridStepUs: number;
  gaps: Gap[];
  state: State;
  xs: (number | null)[];
}

/** Everything the chart's probe says, and the x of each of `at` (µs). */
async function probe(page: Page, index = 0, at: number[] = []): Promise<ProbeRead> {
  return page.evaluate(
    ({ id, times }) => {
      type P = {
        labels(): Label[];
        view(): ProbeRead['view'];
        gridStepUs(): number;
        shadedGaps(): Gap[];
        state(): State;
        xOfUs(us: number): number | null;
      };
      const p = (globalThis as unknown as { __tickscopeCharts?: Record<string, P> }).__tickscopeCharts?.[id];
      if (!p) throw new Error(`no chart probe ${id}`);
      return {
        labels: p.labels(),
        view: p.view(),
        gridStepUs: p.gridStepUs(),
        gaps: p.shadedGaps(),
        state: p.state(),
        xs: times.map((t) => p.xOfUs(t)),
      };
    },
    { id: `history-${index}`, times: at },
  );
}

/** Two animation frames: the chart paints (gaps, axis labels) on the frame after a draw. */
async function frames(page: Page): Promise<void> {
  await page.evaluate(
    () =>
      new Promise<void>((resolve) => {
        const raf = (globalThis as unknown as { requestAnimationFrame(cb: () => void): number })
          .requestAnimationFrame;
        raf(() => raf(() => resolve()));
      }),
  );
}

/** Waits until chart `index` has drawn and painted, and `ok` holds for what its probe says. */
async function settled(
  page: Page,
  what: string,
  ok: (r: ProbeRead) => boolean,
  index = 0,
): Promise<ProbeRead> {
  let last: ProbeRead | null = null;
  const read = async () => {
    const r = await probe(page, index).catch(() => null);
    last = r;
    return r && !r.state.loading && r.labels.length > 0 && ok(r) ? r : undefined;
  };
  try {
    return await waitForValue(
      async () => {
        if (!(await read())) return undefined;
        // Read again once painted, so labels and shaded gaps are those of this draw.
        await frames(page);
        return read();
      },
      { timeoutMs: 15_000, what, everyMs: 50 },
    );
  } catch (err) {
    throw new Error(`${(err as Error).message}; the chart said ${JSON.stringify(last)}`, { cause: err });
  }
}

async function openHistory(query = ''): Promise<Page> {
  const page = await session.browser.newPage({ viewport: { width: 1400, height: 850 } });
  await page.goto(`${session.serve.url}${query ? `&${query}` : ''}#history`);
  await page.getByTestId('history-symbol').waitFor();
  return page;
}

async function showSymbol(page: Page, symbol: string): Promise<{ drawnMs: number; points: number }> {
  const select = page.getByTestId('history-symbol');
  if ((await select.inputValue()) !== symbol) {
    await clearBodyData(page, 'historyDrawnMs');
    await select.selectOption(symbol);
  }
  await page.locator(`[data-testid="history-chart"][data-symbol="${symbol}"]`).waitFor();
  const drawnMs = Number(
    await waitForValue(() => bodyData(page, 'historyDrawnMs'), {
      timeoutMs: 10_000,
      what: `${symbol}: the history chart drawing`,
      everyMs: 10,
    }),
  );
  await settled(page, `${symbol} drawn`, (p) => p.state.symbol === symbol);
  const points = Number(await page.getByTestId('history-chart').first().getAttribute('data-points'));
  return { drawnMs, points };
}

async function setRange(page: Page, from: string, to: string): Promise<void> {
  await page.getByTestId('history-from').fill(from);
  await page.getByTestId('history-to').fill(to);
  await page.getByTestId('history-apply').click();
}

/** Every label is its own instant's text in the zone (a part of 'YYYY-MM-DD HH:MM:SS.mmmuuu'). */
function assertLabelsTrue(labels: Label[], zone: string, what: string): void {
  assert.ok(labels.length >= 2, `${what}: only ${labels.length} labels`);
  for (const l of labels) {
    assert.ok(
      formatDateTimeUs(l.timeUs, zone).includes(l.text),
      `${what}: "${l.text}" is not ${formatDateTimeUs(l.timeUs, zone)}`,
    );
  }
  const texts = labels.map((l) => l.text);
  assert.equal(new Set(texts).size, texts.length, `${what}: repeated labels ${texts.join(' | ')}`);
}

// ---- tests -----------------------------------------------------------------------------------

test('the seeded days are stored as given', async () => {
  const symbols = await session.ws.call('symbols.list', {});
  const bySymbol = new Map(symbols.map((s) => [s.symbol, s]));
  assert.equal(bySymbol.get('EURUSD')?.count, dukascopyRows);
  assert.equal(bySymbol.get('SYNTH')?.count, SYNTH_TICKS);
  assert.deepEqual(bySymbol.get('GBPUSD')?.sources, LP_SOURCES);
  const days = (await session.ws.call('storage.days', {})).map((d) => d.day);
  assert.ok(days.includes('2019-02-04') && days.includes('2024-03-05'), days.join(', '));
});

test('History draws the stored Dukascopy ticks of its last day', async () => {
  const page = await openHistory();
  const r = await showSymbol(page, 'EURUSD');
  assert.ok(r.points > 0, 'no points drawn');
  assert.ok(
    (await canvasColourCount(page, '[data-testid="history-chart"]')) >= 8,
    'history chart looks blank',
  );
  await page.screenshot({ path: await artifactPath('history-eurusd-last-day.png') });
  await page.close();
});

test(`one day of one symbol (${SYNTH_TICKS.toLocaleString('en')} ticks) is drawn within ${DRAW_BUDGET_MS} ms`, async () => {
  const page = await openHistory();
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
  // The day's hour labels are right and never repeated.
  const day = await settled(page, 'SYNTH day labels', (p) => p.state.symbol === 'SYNTH');
  assertLabelsTrue(day.labels, 'utc', 'SYNTH day');
  assert.ok(
    day.labels.some((l) => /^\d\d:00$/.test(l.text)),
    day.labels.map((l) => l.text).join(' | '),
  );
  await page.close();
});

test('the seven-year All view is drawn in calendar time, labelled with years', async () => {
  const page = await openHistory();
  await showSymbol(page, 'EURUSD');
  await page.getByTestId('history-all').click();
  const days = [US('2019-02-04T00:00:00Z'), US('2026-07-13T00:00:00Z'), US('2026-12-01T00:00:00Z')];
  const r = await settled(
    page,
    'the All view',
    (p) => p.state.mode === 'bars' && p.state.timeframeSec === 86400,
  );
  const xs = (await probe(page, 0, days)).xs as number[];
  await page.screenshot({ path: await artifactPath('history-all-seven-years.png') });
  const texts = r.labels.map((l) => l.text);
  console.log(`history: All view labels ${texts.join(' | ')}`);
  assertLabelsTrue(r.labels, 'utc', 'All view');
  assert.ok(texts.filter((t) => /^20\d\d$/.test(t)).length >= 4, `year labels: ${texts.join(' | ')}`);
  assert.ok(!texts.some((t) => /^\d\d-\d\d$/.test(t)), `a date without its year: ${texts.join(' | ')}`);
  assert.equal(r.state.points, 3, 'three daily bars');
  // Calendar time: the 7.4-year hole is that much wider than the 4.6-month one.
  const ratio = (xs[1] - xs[0]) / (xs[2] - xs[1]);
  const want = (days[1] - days[0]) / (days[2] - days[1]);
  assert.ok(Math.abs(ratio / want - 1) < 0.1, `x ratio ${ratio.toFixed(2)}, time ratio ${want.toFixed(2)}`);
  assert.ok(
    r.gaps.some((g) => g.toUs - g.fromUs > 5 * 365 * 86_400_000_000),
    'the seven-year hole is shaded',
  );

  // In UTC+2 the daily bars start at that zone's midnight.
  await page.getByTestId('zone-toggle').selectOption('UTC+02:00');
  const z = await settled(
    page,
    'All in UTC+2',
    (p) => p.state.zone === 'UTC+02:00' && p.state.firstBarUs !== null,
  );
  assert.equal(formatDateTimeMs(z.state.firstBarUs!, 'UTC+02:00'), '2019-02-04 00:00:00.000');
  assertLabelsTrue(z.labels, 'UTC+02:00', 'All view in UTC+2');
  await page.close();
});

test('a 116 s outage is shaded at its real width, explained on hover, and compressed on request', async () => {
  const page = await openHistory();
  await showSymbol(page, 'GAPS');
  await setRange(page, '2022-05-27 07:40:00', '2022-05-27 07:52:00');
  const r = await settled(
    page,
    'GAPS 07:40-07:52 as ticks',
    (p) => p.state.mode === 'ticks' && p.gaps.length > 0,
  );
  const gap = r.gaps.find((g) => g.fromUs === GAP_FROM_US);
  assert.ok(gap, `no gap from 07:45:27.697: ${JSON.stringify(r.gaps)}`);
  assert.ok(Math.abs((gap.toUs - gap.fromUs) / 1e6 - 116) < 1, `${(gap.toUs - gap.fromUs) / 1e6} s`);
  // As wide as its share of the view.
  const edge = (await probe(page, 0, [r.view!.fromUs, r.view!.toUs])).xs as number[];
  const want = ((gap.toUs - gap.fromUs) / (r.view!.toUs - r.view!.fromUs)) * (edge[1] - edge[0]);
  assert.ok(
    Math.abs(gap.x2 - gap.x1 - want) / want < 0.05,
    `${gap.x2 - gap.x1} px, want ${want.toFixed(1)} px`,
  );
  const host = await page.getByTestId('history-chart').boundingBox();
  await page.mouse.move(host!.x + (gap.x1 + gap.x2) / 2, host!.y + 120);
  const tip = page.getByTestId('gap-tooltip');
  await tip.waitFor({ timeout: 5000 });
  const text = (await tip.textContent()) ?? '';
  assert.match(text, /1 min 56/);
  assert.match(text, /no ticks/);
  await page.screenshot({ path: await artifactPath('history-gap-116s.png') });

  await page.getByTestId('history-compress').check();
  const c = await settled(page, 'the gap compressed', (p) => p.state.breaks.length > 0);
  const narrow = c.gaps.find((g) => g.fromUs === GAP_FROM_US)!;
  assert.ok(narrow.x2 - narrow.x1 < 10, `compressed gap still ${narrow.x2 - narrow.x1} px wide`);
  await page.screenshot({ path: await artifactPath('history-gap-116s-compressed.png') });
  await page.getByTestId('history-compress').uncheck();
  await page.close();
});

test('axis labels are right from minutes down to sub-second zoom, in UTC and UTC+2, symbol after symbol', async () => {
  const page = await openHistory();
  for (const zone of ['utc', 'UTC+02:00']) {
    if (zone !== 'utc') await page.getByTestId('zone-toggle').selectOption(zone);
    const wall = (iso: string) => formatDateTimeMs(US(`${iso}Z`), zone).slice(0, 19);
    await showSymbol(page, 'EURUSD');
    for (const [from, to, pattern] of [
      ['2019-02-04T00:10:00', '2019-02-04T00:15:00', /^\d\d:\d\d(:\d\d)?$/],
      ['2019-02-04T00:10:00', '2019-02-04T00:10:20', /^\d\d:\d\d:\d\d$/],
    ] as const) {
      await setRange(page, wall(from), wall(to));
      const what = `EURUSD ${zone} ${wall(from)} → ${wall(to)}`;
      const r = await settled(
        page,
        what,
        (p) => p.state.mode === 'ticks' && p.state.selection?.toUs === US(`${to}Z`),
      );
      assertLabelsTrue(r.labels, zone, what);
      assert.ok(
        r.labels.some((l) => pattern.test(l.text)),
        `${what}: ${r.labels.map((l) => l.text).join(' | ')}`,
      );
    }
    // Another symbol, then zoomed with the keyboard far below a second: milliseconds on the axis.
    await showSymbol(page, 'GBPUSD');
    await setRange(page, wall('2025-01-15T10:02:00'), wall('2025-01-15T10:02:02'));
    await settled(page, `GBPUSD ${zone} 2 s`, (p) => p.state.selection?.toUs === US('2025-01-15T10:02:02Z'));
    await page.getByTestId('history-chart').focus();
    // Each '+' halves the view: three steps from 2 s. Once, in a full run on a loaded machine, one
    // of three steps did not halve it (not reproduced since), so press until it is below 300 ms.
    for (let i = 0; i < 6; i++) {
      const now = await probe(page, 0);
      if (now?.view && now.view.toUs - now.view.fromUs < 300_000) break;
      await clearBodyData(page, 'historyZoomMs');
      await page.keyboard.press('+');
      await waitForValue(() => bodyData(page, 'historyZoomMs'), {
        timeoutMs: 5000,
        what: 'a zoom step drawn',
      });
    }
    const deep = await settled(
      page,
      'sub-second zoom',
      (p) => p.state.symbol === 'GBPUSD' && p.view !== null && p.view.toUs - p.view.fromUs < 300_000,
    );
    console.log(`history: GBPUSD ${zone} sub-second labels ${deep.labels.map((l) => l.text).join(' | ')}`);
    assertLabelsTrue(deep.labels, zone, `${zone} sub-second`);
    assert.ok(
      deep.labels.some((l) => /\.\d{3}$/.test(l.text)),
      deep.labels.map((l) => l.text).join(' | '),
    );
    assert.ok(deep.state.points > 10, `${deep.state.points} ticks in view`);
    await page.screenshot({
      path: await artifactPath(`history-subsecond-${zone === 'utc' ? 'utc' : 'utc+2'}.png`),
    });
  }
  await page.close();
});

test('four LPs are drawn apart with a best bid/offer, crossed quotes marked, sizes below', async () => {
  const page = await openHistory();
  await showSymbol(page, 'GBPUSD');
  await setRange(page, '2025-01-15 10:02:00', '2025-01-15 10:04:30');
  const r = await settled(
    page,
    'GBPUSD as ticks from four sources',
    (p) => p.state.mode === 'ticks' && p.state.sources.length === 4,
  );
  assert.deepEqual(r.state.sources, LP_SOURCES);
  assert.equal(r.state.bbo, true);
  assert.ok(r.state.points >= 14_000 && r.state.points <= 16_000, `${r.state.points} ticks`);
  assert.ok((r.state.marks?.crossed ?? 0) > 0, `crossed marks: ${JSON.stringify(r.state.marks)}`);
  assert.equal(r.state.pane, 'sizes');
  const host = await page.getByTestId('history-chart').boundingBox();
  await page.mouse.move(host!.x + host!.width / 2, host!.y + 150);
  const bbo = page.getByTestId('history-readout-bbo');
  await bbo.waitFor({ timeout: 5000 });
  assert.ok(LP_SOURCES.includes((await bbo.getAttribute('data-bid-source')) ?? ''));
  assert.ok(LP_SOURCES.includes((await bbo.getAttribute('data-ask-source')) ?? ''));
  assert.ok(
    LP_SOURCES.includes((await page.getByTestId('history-readout').getAttribute('data-source')) ?? ''),
  );
  assert.match(
    (await page.getByTestId('history-readout-spread').textContent()) ?? '',
    /^spr -?\d+\.\d pips$/,
  );
  await page.screenshot({ path: await artifactPath('history-four-lps-bbo.png') });

  await page.getByTestId('history-bbo').uncheck();
  await settled(page, 'BBO off', (p) => !p.state.bbo);
  await page.getByTestId('history-view').selectOption('spread');
  await settled(page, 'spread view', (p) => p.state.sources.length === 4 && !p.state.loading);
  await page.getByTestId('history-source').selectOption('LP-B');
  const one = await settled(page, 'LP-B only', (p) => p.state.sources.join() === 'LP-B');
  assert.ok(one.state.points < r.state.points / 3, `${one.state.points} of ${r.state.points}`);
  await page.getByTestId('history-view').selectOption('quotes');
  await page.getByTestId('history-source').selectOption('');
  await page.getByTestId('history-bbo').check();
  await page.close();
});

test(`each zoom step of a 15K-tick view is redrawn within ${ZOOM_BUDGET_MS} ms; keys pan and jump`, async () => {
  const page = await openHistory();
  await showSymbol(page, 'GBPUSD');
  await setRange(page, '2025-01-15 10:00:00', '2025-01-15 10:10:00');
  await settled(page, 'GBPUSD ten minutes', (p) => p.state.selection !== null && p.state.mode !== null);
  // Start from a 150 s view (15,000 ticks), reached with the keyboard.
  await page.getByTestId('history-chart').hover();
  await page.getByTestId('history-chart').focus();
  const times: number[] = [];
  const step = async (key: string) => {
    // At a person's pace: a key press every few hundred ms at most.
    await page.waitForTimeout(300);
    await clearBodyData(page, 'historyZoomMs');
    await page.keyboard.press(key);
    const ms = Number(
      await waitForValue(() => bodyData(page, 'historyZoomMs'), { timeoutMs: 5000, what: `${key} drawn` }),
    );
    return ms;
  };
  // 600 s (bars) → 300 s (1 s bars) → 150 s: raw ticks, fetched ahead while bars were shown.
  times.push(await step('+'));
  times.push(await step('+'));
  const v = await settled(page, '150 s view', (p) => p.state.mode === 'ticks');
  const span = v.view!.toUs - v.view!.fromUs;
  assert.ok(Math.abs(span - 150e6) < 2e6, `${span / 1e6} s`);
  for (const key of ['+', '+', '+', '-', '-', '-', '-']) times.push(await step(key));
  console.log(
    `history: zoom steps 600 s → 300 s → 150 s (15K ticks) → 19 s → 300 s on GBPUSD redrawn in ${times.map((t) => t.toFixed(0)).join(', ')} ms`,
  );
  assert.ok(Math.max(...times) <= ZOOM_BUDGET_MS, `slowest zoom step ${Math.max(...times)} ms`);

  const sel = (await probe(page)).state.selection!;
  await step('End');
  const end = await settled(page, 'End', (p) => p.view !== null && Math.abs(p.view.toUs - sel.toUs) < 1e6);
  const before = end.view!;
  await step('ArrowLeft');
  const left = await settled(page, 'ArrowLeft', (p) => p.view !== null && p.view.toUs < before.toUs - 1e6);
  const moved = before.toUs - left.view!.toUs;
  assert.ok(Math.abs(moved / (before.toUs - before.fromUs) - 0.1) < 0.02, `moved ${moved / 1e6} s`);
  await step('Home');
  await settled(page, 'Home', (p) => p.view !== null && Math.abs(p.view.fromUs - sel.fromUs) < 1e6);
  await page.close();
});

test('compare: a second chart shows another source of the symbol over the same range', async () => {
  const page = await openHistory();
  await showSymbol(page, 'GBPUSD');
  await setRange(page, '2025-01-15 10:02:00', '2025-01-15 10:03:00');
  await page.getByTestId('history-add-chart').click();
  await page.locator('[data-testid="history-chart"][data-index="1"]').waitFor();
  const second = await settled(
    page,
    'the second chart',
    (p) => p.state.mode === 'ticks' && p.state.sources.length === 1,
    1,
  );
  const first = await settled(page, 'the first chart', (p) => p.state.mode === 'ticks', 0);
  assert.equal(second.state.symbol, 'GBPUSD');
  assert.ok(LP_SOURCES.includes(second.state.sources[0]));
  assert.deepEqual(second.state.selection, first.state.selection);
  // The crosshair follows the pointer on the other chart too: its readout shows the same instant.
  const host = await page.locator('[data-testid="history-chart"][data-index="0"]').boundingBox();
  await page.mouse.move(host!.x + host!.width / 2, host!.y + 100);
  const mine = page.getByTestId('history-readout');
  const synced = page.getByTestId('history-readout-1');
  await waitForValue(async () => ((await synced.getAttribute('data-kind')) === 'tick' ? true : undefined), {
    timeoutMs: 5000,
    what: 'the second chart’s readout following the first chart’s crosshair',
  });
  // Each names the quote standing then on its own chart, so the two ticks are close, not equal.
  const at = (text: string | null) => Date.parse(`${(text ?? '').slice(0, 23).replace(' ', 'T')}Z`);
  const apart = Math.abs(at(await synced.textContent()) - at(await mine.textContent()));
  assert.ok(apart < 1000, `readouts ${apart} ms apart`);
  const a = await settled(page, 'the first chart at the chosen range', (p) => p.view !== null, 0);
  assert.deepEqual(a.view, first.state.selection, 'the first chart shows the chosen range');
  // A chart first drawn before it has a width once fell back to lightweight-charts' default span.
  await settled(
    page,
    'the second chart at the first chart’s span',
    (p) => JSON.stringify(p.view) === JSON.stringify(a.view),
    1,
  );
  await page.screenshot({ path: await artifactPath('history-compare.png') });
  // A narrower window keeps the span (the chart alone would keep its bar spacing and cut it).
  await page.setViewportSize({ width: 1000, height: 850 });
  const sameSpan = (p: ProbeRead) =>
    p.view !== null &&
    Math.abs(p.view.fromUs - a.view!.fromUs) < 1e5 &&
    Math.abs(p.view.toUs - a.view!.toUs) < 1e5;
  await settled(page, 'the first chart after a resize', sameSpan, 0);
  await settled(page, 'the second chart after a resize', sameSpan, 1);
  await page.getByTestId('history-remove-chart-1').click();
  assert.equal(await page.getByTestId('history-chart').count(), 1);
  await page.close();
});

test('a reload restores the symbol, the range, the source filter and the options', async () => {
  const page = await openHistory();
  await showSymbol(page, 'GBPUSD');
  await setRange(page, '2025-01-15 10:01:00', '2025-01-15 10:02:00');
  await page.getByTestId('history-source').selectOption('LP-C');
  await page.getByTestId('history-side').selectOption('ask');
  await settled(page, 'LP-C', (p) => p.state.sources.join() === 'LP-C');
  await page.waitForTimeout(400); // the view state is written behind
  await page.reload();
  await page.getByTestId('history-symbol').waitFor();
  const r = await settled(
    page,
    'after the reload',
    (p) => p.state.symbol === 'GBPUSD' && p.state.sources.join() === 'LP-C',
  );
  assert.equal(await page.getByTestId('history-symbol').inputValue(), 'GBPUSD');
  assert.equal(await page.getByTestId('history-from').inputValue(), '2025-01-15 10:01:00');
  assert.equal(await page.getByTestId('history-source').inputValue(), 'LP-C');
  assert.equal(await page.getByTestId('history-side').inputValue(), 'ask');
  assert.deepEqual(r.state.selection, {
    fromUs: US('2025-01-15T10:01:00Z'),
    toUs: US('2025-01-15T10:02:00Z'),
  });
  await page.close();
});
