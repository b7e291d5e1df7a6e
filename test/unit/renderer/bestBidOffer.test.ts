import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { BboTracker, bboColumns, DEFAULT_BBO_MAX_AGE_US } from '../../../renderer/charts/bestBidOffer.ts';
import { marketState, quoteState, quoteStateIndexes } from '../../../renderer/charts/quoteState.ts';

const SEC = 1_000_000;

test('best bid is the highest bid, best ask the lowest ask, each with its holder', () => {
  const t = new BboTracker();
  t.push(1, 1.1, 1.1003, 'LP-A');
  t.push(2, 1.1001, 1.1005, 'LP-B');
  t.push(3, 1.0999, 1.1002, 'LP-C');
  const b = t.best();
  assert.deepEqual(b, {
    tsUs: 3,
    bid: 1.1001,
    ask: 1.1002,
    bidSource: 'LP-B',
    askSource: 'LP-C',
    bidSources: 1,
    askSources: 1,
    state: 'normal',
  });
  // A source's new tick replaces its quote: LP-B backs off, LP-A now holds the bid.
  t.push(4, 1.0998, 1.1006, 'LP-B');
  assert.equal(t.view().bid, 1.1);
  assert.equal(t.view().bidSource, 'LP-A');
  assert.deepEqual(t.quoteOf('LP-B'), { tsUs: 4, bid: 1.0998, ask: 1.1006 });
  assert.equal(t.quoteOf('LP-Z'), null);
  assert.deepEqual(t.sources(), ['LP-A', 'LP-B', 'LP-C']);
});

test('ties: the source that has shown the price longest holds it, and the count says it is shared', () => {
  const t = new BboTracker();
  t.push(10, 1.2, 1.3, 'LP-B');
  t.push(20, 1.2, 1.3, 'LP-A');
  assert.equal(t.view().bidSource, 'LP-B');
  assert.equal(t.view().bidSources, 2);
  assert.equal(t.view().askSources, 2);
  // Re-quoting the same price keeps priority; changing it and coming back loses it.
  t.push(30, 1.2, 1.3, 'LP-B');
  assert.equal(t.view().bidSource, 'LP-B');
  t.push(40, 1.19, 1.3, 'LP-B');
  t.push(50, 1.2, 1.3, 'LP-B');
  assert.equal(t.view().bidSource, 'LP-A', 'LP-A has shown 1.2 since 20, LP-B only since 50');
  assert.equal(t.view().askSource, 'LP-B', 'the ask never changed: LP-B since 10');
});

test('a dead LP does not hold the best forever', () => {
  const t = new BboTracker({ maxAgeUs: 5 * SEC });
  t.push(0, 1.5, 1.6, 'dead');
  t.push(1 * SEC, 1.4, 1.7, 'alive');
  assert.equal(t.view().bidSource, 'dead');
  t.push(6 * SEC, 1.41, 1.69, 'alive');
  assert.deepEqual([t.view().bid, t.view().bidSource, t.view().ask], [1.41, 'alive', 1.69]);
  // A live chart's clock expires the last source too when nothing ticks.
  assert.equal(t.best(20 * SEC).bidSource, null);
  assert.ok(Number.isNaN(t.best(20 * SEC).bid));
  assert.equal(new BboTracker().best().bidSource, null, 'nothing pushed: no BBO');
  assert.equal(DEFAULT_BBO_MAX_AGE_US, 60 * SEC);
});

test('a missing side leaves that side to the other sources', () => {
  const t = new BboTracker();
  t.push(1, 1.1, 1.2, 'LP-A');
  t.push(2, 1.15, NaN, 'LP-B');
  assert.deepEqual(
    [t.view().bid, t.view().bidSource, t.view().ask, t.view().askSource],
    [1.15, 'LP-B', 1.2, 'LP-A'],
  );
  assert.equal(t.view().askSources, 1);
});

test('across LPs a locked or crossed market shows even when each quote is normal', () => {
  const t = new BboTracker();
  t.push(1, 1.1002, 1.1004, 'LP-A');
  t.push(2, 1.0999, 1.1001, 'LP-B');
  assert.equal(quoteState(1.1002, 1.1004), 'normal');
  assert.equal(quoteState(1.0999, 1.1001), 'normal');
  assert.equal(t.view().state, 'crossed');
  assert.equal(marketState(t.view()), 'crossed');
  t.push(3, 1.0999, 1.1002, 'LP-B');
  assert.equal(marketState(t.best()), 'locked');
});

test('quote states of single quotes and of a column batch', () => {
  assert.equal(quoteState(1, 2), 'normal');
  assert.equal(quoteState(2, 2), 'locked');
  assert.equal(quoteState(2.5, 2), 'crossed');
  assert.equal(quoteState(NaN, 2), 'normal', 'a missing side crosses nothing');
  assert.equal(quoteState(3, Infinity), 'normal');
  assert.deepEqual(quoteStateIndexes({ bid: [1, 2, 3, 1, 5, NaN], ask: [2, 2, 2, 1.5, 4, 1] }), {
    crossed: [2, 4],
    locked: [1],
  });
});

// Four LPs quoting real EURUSD ticks around each other, to check the one-pass columns against the
// obvious per-row search of every source's latest live quote.
function fourSources() {
  const rows = JSON.parse(
    readFileSync(new URL('../../fixtures/dukascopy/eurusd-2019-02-04T00.json', import.meta.url), 'utf8'),
  ) as number[][];
  const n = 3000;
  const cols = { tsUs: [] as number[], bid: [] as number[], ask: [] as number[], source: [] as string[] };
  const shifts = [0, 0.00002, -0.00001, 0.00003];
  for (let i = 0; i < n; i++) {
    const [ms, ask, bid] = rows[i];
    // LP-D falls silent for the middle third: it must drop out after maxAge, then come back.
    let lp = i % 4;
    if (lp === 3 && i > 1000 && i < 2000) lp = i % 3;
    cols.tsUs.push(ms * 1000);
    cols.bid.push(Math.round((bid + shifts[lp]) * 1e5) / 1e5);
    cols.ask.push(Math.round((ask + shifts[(lp + 1) % 4]) * 1e5) / 1e5);
    cols.source.push(`LP-${'ABCD'[lp]}`);
  }
  return cols;
}

test('bboColumns builds the BBO line of a window in one pass, row for row', () => {
  const ticks = fourSources();
  const maxAgeUs = 20 * SEC;
  const out = bboColumns(ticks, { maxAgeUs });
  const n = ticks.tsUs.length;
  assert.equal(out.bid.length, n);
  let crossedRows = 0;
  let dOut = 0;
  for (let i = 0; i < n; i++) {
    const latest = new Map<string, number>();
    for (let j = 0; j <= i; j++) latest.set(ticks.source[j], j);
    let bid = -Infinity;
    let ask = Infinity;
    for (const j of latest.values()) {
      if (ticks.tsUs[i] - ticks.tsUs[j] > maxAgeUs) continue;
      bid = Math.max(bid, ticks.bid[j]);
      ask = Math.min(ask, ticks.ask[j]);
    }
    assert.equal(out.tsUs[i], ticks.tsUs[i]);
    assert.equal(out.bid[i], bid, `row ${i} bid`);
    assert.equal(out.ask[i], ask, `row ${i} ask`);
    const holder = out.bidSource[i];
    assert.ok(
      holder !== null && ticks.bid[latest.get(holder) ?? -1] === bid,
      `row ${i} bid holder quotes it`,
    );
    if (out.bid[i] >= out.ask[i]) crossedRows++;
    if (![...latest.entries()].some(([s, j]) => s === 'LP-D' && ticks.tsUs[i] - ticks.tsUs[j] <= maxAgeUs))
      dOut++;
  }
  assert.ok(dOut > 0, 'LP-D expired during its silence');
  const marks = quoteStateIndexes(out);
  assert.equal(
    marks.crossed.length + marks.locked.length,
    crossedRows,
    'BBO-level marks from the same columns',
  );
});
