// What the History chart draws from loaded ticks and bars: series points per source at real µs
// (one per µs, the last), the views (mid, spread in pips, BBO), crossed/locked marks, the
// readout's quote and best bid/offer, the size pane, the compared charts' specs, the one
// multi-line tick series and the normal spacing learned on a wide sample.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { barsFromTicks } from '../../../shared/bars.ts';
import { bboColumns } from '../../../renderer/charts/bestBidOffer.ts';
import { instrumentFor } from '../../../renderer/format/instrument.ts';
import {
  chartSpecs,
  formatCompare,
  nextCompare,
  parseCompare,
} from '../../../renderer/history/compareCharts.ts';
import { barReadout, tickReadout } from '../../../renderer/history/historyReadout.ts';
import {
  barSpreadPoints,
  bboLines,
  candlePoints,
  candleSideFor,
} from '../../../renderer/history/priceView.ts';
import { quoteMarks, thin } from '../../../renderer/history/quoteMarks.ts';
import type { SourcedTicks } from '../../../renderer/history/sourceTicks.ts';
import {
  distinctSources,
  filterBySource,
  linesBySource,
  pointsBySource,
  tickAtOrBefore,
} from '../../../renderer/history/sourceTicks.ts';
import { sizePoints, tickVolumePoints } from '../../../renderer/history/volumePane.ts';
import type { TickscopeApi } from '../../../shared/ipc/contract.ts';
import { learnNormalSpacingUs } from '../../../renderer/charts/gaps/gapFinder.ts';
import { formatSize } from '../../../renderer/history/sizeText.ts';
import { itemRange, multiLineItems } from '../../../renderer/history/multiLineSeries.ts';
import { SpacingSample } from '../../../renderer/history/spacingSample.ts';
import { BBO_COLOUR, sourceColours, tickLines } from '../../../renderer/history/tickLines.ts';

const EURUSD = instrumentFor('EURUSD', { decimals: 5, from: 'stored' });

type TickRow = [number, number, number, string, (number | null)?, (number | null)?];

function sourced(rows: TickRow[]): SourcedTicks {
  return {
    tsUs: rows.map((r) => r[0]),
    bid: rows.map((r) => r[1]),
    ask: rows.map((r) => r[2]),
    source: rows.map((r) => r[3]),
    bidSize: rows.map((r) => r[4] ?? null),
    askSize: rows.map((r) => r[5] ?? null),
  };
}

// Two LPs: A quotes 1.10000/1.10012, B improves the bid, then both quote in one µs, then A locks.
const TICKS = sourced([
  [1000, 1.1, 1.10012, 'LP-A', 1_000_000, 2_000_000],
  [1500, 1.10004, 1.10015, 'LP-B', 500_000, null],
  [2000, 1.10001, 1.10012, 'LP-A'],
  [2000, 1.10002, 1.10013, 'LP-A'],
  [2000, 1.10005, 1.10014, 'LP-B'],
  [3000, 1.10013, 1.10013, 'LP-A'],
  [4000, 1.10016, 1.10014, 'LP-B'],
]);

test('points per source sit at the ticks’ µs, strictly increasing, the last of a µs kept', () => {
  const by = pointsBySource(TICKS);
  assert.deepEqual([...by.keys()], ['LP-A', 'LP-B']);
  assert.deepEqual(
    by.get('LP-A')!.bid.map((p) => [p.time, p.value]),
    [
      [1000, 1.1],
      [2000, 1.10002],
      [3000, 1.10013],
    ],
  );
  for (const p of by.values()) {
    for (let i = 1; i < p.bid.length; i++) assert.ok(p.bid[i].time > p.bid[i - 1].time);
  }
  const mids = linesBySource(TICKS, (b, a) => (b + a) / 2).get('LP-B')!;
  assert.deepEqual(
    mids.map((p) => p.time),
    [1500, 2000, 4000],
  );
  assert.ok(Math.abs(mids[0].value - 1.100095) < 1e-12);
});

test('a source filter keeps that source’s ticks with their sizes', () => {
  const b = filterBySource(TICKS, 'LP-B');
  assert.deepEqual(b.tsUs, [1500, 2000, 4000]);
  assert.deepEqual(b.bidSize, [500_000, null, null]);
  assert.equal(filterBySource(TICKS, null), TICKS);
  assert.deepEqual(distinctSources([...TICKS.source, '']), ['LP-A', 'LP-B']);
  assert.equal(tickAtOrBefore(TICKS.tsUs, 1999), 1);
  assert.equal(tickAtOrBefore(TICKS.tsUs, 2000), 4);
  assert.equal(tickAtOrBefore(TICKS.tsUs, 999), -1);
});

test('the readout names the tick’s source, its sizes, and who holds the best bid and ask', () => {
  const bbo = bboColumns(TICKS);
  const r = tickReadout(TICKS, bbo, 1700)!;
  assert.equal(r.source, 'LP-B');
  assert.equal(r.bidSize, 500_000);
  assert.equal(r.askSize, null);
  assert.deepEqual(r.bbo, { bid: 1.10004, ask: 1.10012, bidSource: 'LP-B', askSource: 'LP-A' });
  const later = tickReadout(TICKS, bbo, 2500)!;
  assert.equal(later.source, 'LP-B', 'the last tick of the µs');
  assert.deepEqual(later.bbo, { bid: 1.10005, ask: 1.10013, bidSource: 'LP-B', askSource: 'LP-A' });
  assert.equal(tickReadout(TICKS, null, 500), null);
  assert.equal(tickReadout(TICKS, null, 2500)!.bbo, null);
});

test('crossed and locked quotes are marked per source and, with the BBO, across sources', () => {
  const own = quoteMarks(TICKS, null);
  assert.deepEqual(
    own.marks.map((m) => [m.time, m.state, m.source]),
    [
      [3000, 'locked', 'LP-A'],
      [4000, 'crossed', 'LP-B'],
    ],
  );
  // Across LPs at 3000 and 4000 the market is locked/crossed too, at the times already marked by
  // the LPs' own quotes: one mark per time (a crossed one wins).
  const market = quoteMarks(TICKS, bboColumns(TICKS));
  assert.equal(market.marks.length, 2);
  assert.ok(market.crossed >= own.crossed && market.total === 2);
  // A market crossed while every LP's own quote is fine is marked as the BBO's.
  const apart = sourced([
    [1000, 1.1001, 1.1003, 'LP-A'],
    [2000, 1.1004, 1.1006, 'LP-B'],
  ]);
  const m = quoteMarks(apart, bboColumns(apart));
  assert.deepEqual(
    m.marks.map((x) => [x.time, x.state, x.source]),
    [[2000, 'crossed', 'BBO']],
  );
});

test('marks are capped, spread over the window', () => {
  const many = Array.from({ length: 1000 }, (_, i) => i);
  const kept = thin(many, 100);
  assert.equal(kept.length, 100);
  assert.equal(kept[0], 0);
  assert.ok(kept[99] >= 980, 'reaches the end of the window');
  const rows: TickRow[] = many.map((i) => [i * 10, 1.2, 1.1, 'LP-A']);
  const capped = quoteMarks(sourced(rows), null, 50);
  assert.equal(capped.marks.length, 50);
  assert.equal(capped.total, 1000);
});

test('spreads are drawn in pips, the BBO as its own lines', () => {
  const bbo = bboColumns(TICKS);
  const spread = bboLines(bbo, 'spread', EURUSD);
  assert.equal(spread.b.length, 0);
  // At 1000 only A quotes: 1.10012 - 1.10000 = 1.2 pips.
  assert.ok(Math.abs(spread.a[0].value - 1.2) < 1e-9);
  assert.ok(
    spread.a.some((p) => p.value < 0),
    'a crossed market reads negative',
  );
  const quotes = bboLines(bbo, 'quotes', EURUSD);
  assert.deepEqual(
    quotes.a.map((p) => p.time),
    [1000, 1500, 2000, 3000, 4000],
  );
});

test('candles come from the chosen side (mid view: mid), spreads of bars at their close', () => {
  const bars = barsFromTicks(
    'EURUSD',
    1,
    null,
    [0, 400_000, 1_200_000],
    [1.1, 1.1002, 1.1001],
    [1.1001, 1.1003, 1.1004],
  );
  assert.equal(candleSideFor('mid', 'ask'), 'mid');
  assert.equal(candleSideFor('quotes', 'ask'), 'ask');
  const ask = candlePoints(bars, 'ask');
  assert.deepEqual(ask[0], { time: 0, open: 1.1001, high: 1.1003, low: 1.1001, close: 1.1003 });
  const spread = barSpreadPoints(bars, EURUSD);
  assert.ok(Math.abs(spread[1].value - 3) < 1e-9, `${spread[1].value}`);
  const r = barReadout(bars, 'bid', 1_500_000)!;
  assert.equal(r.tsUs, 1_000_000);
  assert.equal(r.count, 1);
  assert.deepEqual(
    tickVolumePoints(bars).map((p) => p.value),
    [2, 1],
  );
});

test('the size pane: bid sizes up, ask sizes down, ticks without sizes left out', () => {
  const p = sizePoints(TICKS);
  assert.deepEqual(
    p.bid.map((x) => [x.time, x.value]),
    [
      [1000, 1_000_000],
      [1500, 500_000],
    ],
  );
  assert.deepEqual(
    p.ask.map((x) => [x.time, x.value]),
    [[1000, -2_000_000]],
  );
});

test('compared charts: SYMBOL or SYMBOL@SOURCE, at most four, a new one takes the next free source', () => {
  assert.deepEqual(parseCompare('EURUSD@LP-B'), { symbol: 'EURUSD', source: 'LP-B' });
  assert.deepEqual(parseCompare('BTCUSD'), { symbol: 'BTCUSD', source: null });
  assert.equal(parseCompare('A@B@C'), null);
  assert.equal(parseCompare('EURUSD@'), null);
  assert.equal(formatCompare({ symbol: 'X', source: 'S' }), 'X@S');
  const specs = chartSpecs({ symbol: 'EURUSD', source: null }, [
    'EURUSD@LP-A',
    'bad@x@y',
    'GBPUSD',
    'X',
    'Y',
  ]);
  assert.deepEqual(specs.map(formatCompare), ['EURUSD', 'EURUSD@LP-A', 'GBPUSD', 'X']);
  const two = chartSpecs({ symbol: 'EURUSD', source: null }, ['EURUSD@LP-A']);
  assert.equal(nextCompare(two, ['LP-A', 'LP-B'], ['EURUSD', 'GBPUSD']), 'EURUSD@LP-B');
  assert.equal(nextCompare(two, ['LP-A'], ['EURUSD', 'GBPUSD']), 'GBPUSD');
});

test('one multi-line series item per instant, NaN where a line has no new value', () => {
  const items = multiLineItems([
    [
      { time: 10, value: 1 },
      { time: 30, value: 2 },
    ],
    [{ time: 20, value: 5 }],
  ]);
  assert.deepEqual(
    items.map((i) => [i.time, ...i.values]),
    [
      [10, 1, NaN],
      [20, NaN, 5],
      [30, 2, NaN],
    ],
  );
  assert.deepEqual(itemRange([NaN, 3, 1, NaN]), [1, 3, 1]);
  assert.deepEqual(itemRange([NaN, NaN]), [], 'an item with no value does not move the scale');
});

test('tick lines: bid and ask per source in sorted order, colours by name, the BBO last', () => {
  const bbo = bboColumns(TICKS);
  const quotes = tickLines(TICKS, bbo, 'quotes', EURUSD);
  assert.equal(quotes.specs.length, 2 * 2 + 2);
  assert.deepEqual(
    quotes.legend.map((e) => e.source),
    ['LP-A', 'LP-B'],
  );
  const colours = sourceColours(['LP-A', 'LP-B']);
  assert.deepEqual(
    quotes.legend.map((e) => e.colour),
    [colours.get('LP-A'), colours.get('LP-B')],
  );
  assert.notEqual(colours.get('LP-A'), colours.get('LP-B'));
  assert.equal(quotes.specs[0].dashed, false);
  assert.equal(quotes.specs[1].dashed, true, 'ask dashed when several sources share colours');
  assert.equal(quotes.specs[4].color, BBO_COLOUR);
  assert.deepEqual(
    quotes.points[2].map((p) => p.time),
    [1500, 2000, 4000],
    'LP-B bid',
  );
  const spread = tickLines(filterBySource(TICKS, 'LP-A'), null, 'spread', EURUSD);
  assert.equal(spread.specs.length, 1);
  assert.equal(spread.legend[0].colour, null, 'one source keeps the bid/ask colours');
  assert.ok(Math.abs(spread.points[0][0].value - 1.2) < 1e-9, 'spread in pips');
});

test('the normal spacing is learned once per symbol and day on a wide sample, per source filter', async () => {
  const calls: unknown[] = [];
  const tsUs = Array.from({ length: 200 }, (_, i) => 1_700_000_000_000_000 + i * 1_000_000);
  const api = {
    call: async (channel: string, input: unknown) => {
      calls.push({ channel, input });
      return { tsUs, source: tsUs.map((_, i) => i % 2), sources: ['A', 'B'] };
    },
  } as unknown as TickscopeApi;
  const sample = new SpacingSample(api);
  assert.equal(sample.thresholdUs(null), undefined, 'nothing before the sample is in');
  let ready = 0;
  await new Promise<void>((resolve) => sample.take('X', tsUs[100], () => (ready++, resolve())));
  sample.take('X', tsUs[150], () => ready++);
  assert.equal(calls.length, 1, 'the same symbol and day is sampled once');
  assert.equal(ready, 1);
  assert.equal(sample.thresholdUs(null), learnNormalSpacingUs(tsUs));
  assert.equal(sample.thresholdUs('A'), learnNormalSpacingUs(tsUs.filter((_, i) => i % 2 === 0)));
  assert.equal(sample.thresholdUs('nobody'), undefined, 'a thin sample says nothing');
});

test('sizes read as quoted: whole units grouped, fractions kept', () => {
  assert.equal(formatSize(2_000_000), '2,000,000');
  assert.equal(formatSize(0.0005), '0.0005');
  assert.equal(formatSize(1.23456), '1.235');
  assert.equal(formatSize(null), '');
});
