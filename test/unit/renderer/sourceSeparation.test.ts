import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { IChartApi } from 'lightweight-charts';
import { COLORS } from '../../../renderer/charts/chartTheme.ts';
import { pickSourceColour, SOURCE_PALETTE } from '../../../renderer/charts/sourceColours.ts';
import { loadSourceFilter, saveSourceFilter, sourceChoices } from '../../../renderer/charts/sourceFilter.ts';
import type { SourceLegendEntry } from '../../../renderer/charts/sourceSeries.ts';
import { SourceSeries } from '../../../renderer/charts/sourceSeries.ts';
import { distinctSources, filterBySource, pointsBySource } from '../../../renderer/history/sourceTicks.ts';
import { TickWindow } from '../../../renderer/live/tickWindow.ts';
import { WatchlistModel } from '../../../renderer/live/watchlistModel.ts';

test('a source keeps its colour as others join, and two sources never share one while colours are free', () => {
  const taken = new Set<number>();
  const colours = new Map<string, number>();
  for (const s of ['LP-A', 'LP-B', 'LP-C', 'LP-D', 'binance', 'coinbase']) {
    const c = pickSourceColour(s, taken);
    taken.add(c);
    colours.set(s, c);
  }
  assert.equal(new Set(colours.values()).size, 6, 'six sources, six colours');
  // The same name on a chart of its own gets the same colour (Live and History agree).
  assert.equal(pickSourceColour('LP-A', new Set()), colours.get('LP-A'));
  const all = new Set(SOURCE_PALETTE.map((_, i) => i));
  assert.ok(pickSourceColour('LP-Z', all) < SOURCE_PALETTE.length, 'colours repeat when all are taken');
});

test('the filter offers every source seen, plus the remembered one', () => {
  assert.deepEqual(sourceChoices(['LP-B', 'LP-A', 'LP-B', ''], null), ['LP-A', 'LP-B']);
  assert.deepEqual(sourceChoices([], 'binance'), ['binance'], 'remembered before its first tick');
});

test('each tab remembers its own filter, and All is remembered as no entry', () => {
  const saved = new Map<string, string>();
  const fake = {
    getItem: (k: string) => saved.get(k) ?? null,
    setItem: (k: string, v: string) => void saved.set(k, v),
    removeItem: (k: string) => void saved.delete(k),
  };
  const before = Object.getOwnPropertyDescriptor(globalThis, 'localStorage');
  Object.defineProperty(globalThis, 'localStorage', { value: fake, configurable: true });
  try {
    saveSourceFilter('live', 'LP-B');
    saveSourceFilter('history', 'LP-C');
    assert.equal(loadSourceFilter('live'), 'LP-B');
    assert.equal(loadSourceFilter('history'), 'LP-C');
    saveSourceFilter('live', null);
    assert.equal(loadSourceFilter('live'), null);
    assert.equal(saved.size, 1);
    Object.defineProperty(globalThis, 'localStorage', {
      get() {
        throw new Error('storage disabled');
      },
      configurable: true,
    });
    assert.equal(loadSourceFilter('history'), null, 'disabled storage means All, not a crash');
    saveSourceFilter('history', 'LP-A');
  } finally {
    if (before) Object.defineProperty(globalThis, 'localStorage', before);
    else delete (globalThis as { localStorage?: unknown }).localStorage;
  }
});

const ticks = {
  tsUs: [10, 20, 30, 40, 50],
  bid: [1, 2, 3, 4, 5],
  ask: [1.1, 2.1, 3.1, 4.1, 5.1],
  source: ['A', 'B', 'A', 'A', 'B'],
};

test('history ticks filter to one source and split into per-source points on one axis', () => {
  assert.equal(filterBySource(ticks, null), ticks);
  assert.deepEqual(filterBySource(ticks, 'B'), {
    tsUs: [20, 50],
    bid: [2, 5],
    ask: [2.1, 5.1],
    source: ['B', 'B'],
  });
  assert.deepEqual(filterBySource(ticks, 'C').tsUs, []);
  const p = pointsBySource(ticks);
  assert.deepEqual([...p.keys()], ['A', 'B']);
  assert.deepEqual(
    p.get('A')?.bid.map((x) => x.time),
    [1, 3, 4],
    'each source keeps the shared index of its ticks',
  );
  assert.deepEqual(p.get('B')?.ask, [
    { time: 2, value: 2.1 },
    { time: 5, value: 5.1 },
  ]);
  assert.deepEqual(distinctSources(['B', 'A', '', 'B']), ['A', 'B']);
});

test('the live window splits by source and keeps indexes monotonic across a trim', () => {
  const w = new TickWindow({ capacity: 3, minTrimIntervalMs: 0 });
  ticks.tsUs.forEach((ts, i) => w.append(ts, ticks.bid[i], ticks.ask[i], ticks.source[i]));
  assert.equal(w.sourceAt(2), 'B');
  const trimmed = w.trimBySource(0);
  assert.deepEqual(
    trimmed.get('A')?.bid.map((x) => x.time),
    [3, 4],
  );
  assert.deepEqual(
    trimmed.get('B')?.bid.map((x) => x.time),
    [5],
  );
  assert.equal(w.sourceAt(2), undefined, 'trimmed away');
  assert.deepEqual(w.quoteAt(5), { tsUs: 50, bid: 5, ask: 5.1 });
});

test('the watchlist row collects every source it has seen, from pushes and from the chart', () => {
  const m = new WatchlistModel();
  m.apply([{ symbol: 'EURUSD', bid: 1.1, ask: 1.2, tsUs: 1, source: 'LP-B', ticks: 1 }], 0);
  m.apply([{ symbol: 'EURUSD', bid: 1.1, ask: 1.2, tsUs: 2, source: 'LP-A', ticks: 1 }], 10);
  m.apply([{ symbol: 'EURUSD', bid: 1.1, ask: 1.2, tsUs: 3, source: 'LP-B', ticks: 1 }], 20);
  assert.deepEqual(m.get('EURUSD')?.sources, ['LP-A', 'LP-B']);
  const rev = m.revision;
  assert.equal(m.addSources('EURUSD', ['LP-D', 'LP-A']), true);
  assert.deepEqual(m.get('EURUSD')?.sources, ['LP-A', 'LP-B', 'LP-D']);
  assert.ok(m.revision > rev, 'a new source re-renders the row');
  assert.equal(m.addSources('EURUSD', ['LP-D']), false);
  assert.equal(m.addSources('GBPUSD', ['LP-A']), false, 'no row, nothing to add to');
});

interface FakeSeries {
  options: Record<string, unknown>;
  data: unknown[];
  applyOptions(o: Record<string, unknown>): void;
  setData(d: unknown[]): void;
  update(p: unknown): void;
}

function fakeChart() {
  const live = new Set<FakeSeries>();
  const chart = {
    addSeries(_type: unknown, options: Record<string, unknown>) {
      const s: FakeSeries = {
        options: { ...options },
        data: [],
        applyOptions(o) {
          Object.assign(this.options, o);
        },
        setData(d) {
          this.data = [...d];
        },
        update(p) {
          this.data.push(p);
        },
      };
      live.add(s);
      return s;
    },
    removeSeries(s: FakeSeries) {
      assert.ok(live.delete(s), 'removes a series it added');
    },
  };
  return { chart: chart as unknown as IChartApi, live };
}

test('one source is drawn in the bid/ask colours; a second one gives each source its own colour', () => {
  const { chart, live } = fakeChart();
  const legends: SourceLegendEntry[][] = [];
  const set = new SourceSeries(chart, { onLegend: (e) => legends.push(e) });
  set.update('LP-A', 1, 1.1, 1.2);
  const [bidA, askA] = [...live];
  assert.equal(bidA.options.color, COLORS.bid);
  assert.equal(askA.options.color, COLORS.ask);
  assert.deepEqual(legends.at(-1), [{ source: 'LP-A', colour: null }]);

  set.update('LP-B', 2, 1.3, 1.4);
  assert.equal(live.size, 4);
  const legend = legends.at(-1)!;
  assert.deepEqual(
    legend.map((e) => e.source),
    ['LP-A', 'LP-B'],
  );
  assert.notEqual(legend[0].colour, legend[1].colour);
  assert.equal(bidA.options.color, SOURCE_PALETTE[legend[0].colour!], 'recoloured from bid blue');
  assert.equal(askA.options.color, bidA.options.color, 'ask in the source colour, dashed');
  assert.notEqual(askA.options.lineStyle, bidA.options.lineStyle);
  assert.deepEqual(bidA.data, [{ time: 1, value: 1.1 }]);

  // A trim that leaves only LP-B removes LP-A's series and goes back to bid/ask colours.
  set.setData(new Map([['LP-B', { bid: [{ time: 2, value: 1.3 }], ask: [{ time: 2, value: 1.4 }] }]]));
  assert.equal(live.size, 2);
  assert.deepEqual(legends.at(-1), [{ source: 'LP-B', colour: null }]);
  assert.ok([...live].some((s) => s.options.color === COLORS.bid));

  set.setDecimals(3);
  assert.ok([...live].every((s) => (s.options.priceFormat as { precision: number }).precision === 3));
  set.update('LP-C', 3, 1, 1);
  const c = [...live].at(-1)!;
  assert.equal((c.options.priceFormat as { precision: number }).precision, 3, 'new series get the format');
  set.clear();
  assert.equal(live.size, 0);
  assert.deepEqual(legends.at(-1), []);
});
