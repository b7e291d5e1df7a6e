import { test } from 'node:test';
import assert from 'node:assert/strict';
import { pickSourceColour, SOURCE_PALETTE } from '../../../renderer/charts/sourceColours.ts';
import { sourceChoices } from '../../../renderer/charts/sourceFilter.ts';
import { distinctSources, filterBySource, pointsBySource } from '../../../renderer/history/sourceTicks.ts';
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

const ticks = {
  tsUs: [10, 20, 30, 40, 50],
  bid: [1, 2, 3, 4, 5],
  ask: [1.1, 2.1, 3.1, 4.1, 5.1],
  source: ['A', 'B', 'A', 'A', 'B'],
  bidSize: [1, null, 3, 4, null],
  askSize: [2, null, 3, 4, null],
};

test('history ticks filter to one source and split into per-source points on one axis', () => {
  assert.equal(filterBySource(ticks, null), ticks);
  assert.deepEqual(filterBySource(ticks, 'B'), {
    tsUs: [20, 50],
    bid: [2, 5],
    ask: [2.1, 5.1],
    source: ['B', 'B'],
    bidSize: [null, null],
    askSize: [null, null],
  });
  assert.deepEqual(filterBySource(ticks, 'C').tsUs, []);
  const p = pointsBySource(ticks);
  assert.deepEqual([...p.keys()], ['A', 'B']);
  assert.deepEqual(
    p.get('A')?.bid.map((x) => x.time),
    [10, 30, 40],
    'each source keeps its ticks at their own times on the shared axis',
  );
  assert.deepEqual(p.get('B')?.ask, [
    { time: 20, value: 2.1 },
    { time: 50, value: 5.1 },
  ]);
  assert.deepEqual(distinctSources(['B', 'A', '', 'B']), ['A', 'B']);
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
