// OHLC bars from real Dukascopy ticks must reproduce dukascopy-node's expectations to the last
// digit, and every other way of asking for bars (sub-minute, unaligned ranges, 1s-1d, one source)
// must equal bars folded directly from the same ticks, bid, ask and mid in one answer.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { TickStore } from '../../../electron/engine/tickStoreApi.ts';
import type { BarColumns } from '../../../shared/bars.ts';
import { TIMEFRAMES_SEC, barsFromTicks } from '../../../shared/bars.ts';
import type { TickInput } from '../../../shared/tick.ts';
import { US_PER_DAY, US_PER_HOUR, utcDayIndex } from '../../../shared/time.ts';
import { TIMEFRAME_SEC, loadDukascopyTicks, loadExpectedBars } from '../../helpers/dukascopy.ts';
import { openTestStore } from '../../helpers/testStore.ts';

const SYMBOL_OF: Record<string, string> = {
  'eurusd-2019-02-04T00.json': 'EURUSD',
  'gaps-2022-05-27T07.json': 'GAPS',
  'btcusd-2023-02-20T12.json': 'BTCUSD',
};
const cases = loadExpectedBars();
const ticksOf = new Map<string, TickInput[]>();
let store: TickStore;

before(async () => {
  ({ store } = await openTestStore('bars', Date.UTC(2023, 1, 21) * 1000));
  for (const [file, symbol] of Object.entries(SYMBOL_OF)) {
    const ticks = loadDukascopyTicks(file, symbol);
    ticksOf.set(symbol, ticks);
    for (const t of ticks) assert.equal(store.ingest(t), 'accepted');
  }
  await store.flush();
});
after(async () => {
  await store?.stop();
});

/** Bars folded straight from the input ticks that fall in [fromUs, toUs). */
function expectedFromTicks(
  symbol: string,
  fromUs: number,
  toUs: number,
  timeframeSec: number,
  source: string | null = null,
): BarColumns {
  const ts = ticksOf
    .get(symbol)!
    .filter((t) => t.tsUs >= fromUs && t.tsUs < toUs && (source === null || t.source === source));
  return barsFromTicks(
    symbol,
    timeframeSec,
    source,
    ts.map((t) => t.tsUs),
    ts.map((t) => t.bid),
    ts.map((t) => t.ask),
  );
}

for (const [name, c] of Object.entries(cases)) {
  test(`dukascopy-node expectation ${name} (${c.input}, ${c.timeframe}) matches to the last digit`, async () => {
    const symbol = SYMBOL_OF[c.input];
    assert.ok(symbol, `no symbol mapped for ${c.input}`);
    const fromUs = c.startTs * 1000;
    const bars = await store.bars({
      symbol,
      fromUs,
      toUs: fromUs + US_PER_HOUR,
      timeframeSec: TIMEFRAME_SEC[c.timeframe],
    });
    const expected = c.expected.filter(
      (r): r is [number, number, number, number, number, number] => r.length > 0,
    );
    assert.ok(expected.length > 0);
    assert.equal(bars.startUs.length, expected.length, 'one bar per non-empty bucket, empty buckets omitted');
    for (let i = 0; i < expected.length; i++) {
      const [startMs, o, h, l, cl] = expected[i];
      const b = bars.bid;
      const got = [bars.startUs[i], b.open[i], b.high[i], b.low[i], b.close[i]];
      assert.deepEqual(got, [startMs * 1000, o, h, l, cl], `${name} bar ${i}`);
      assert.ok(bars.count[i] > 0);
    }
    const total = bars.count.reduce((a, b) => a + b, 0);
    assert.equal(
      total,
      ticksOf.get(symbol)!.filter((t) => t.tsUs >= fromUs && t.tsUs < fromUs + US_PER_HOUR).length,
    );
  });
}

test('every timeframe from 1s to 1d equals bars folded from the input ticks, on every side', async () => {
  for (const symbol of ['EURUSD', 'GAPS', 'BTCUSD']) {
    const day = utcDayIndex(ticksOf.get(symbol)![0].tsUs);
    const fromUs = day * US_PER_DAY;
    const toUs = fromUs + US_PER_DAY;
    for (const tf of TIMEFRAMES_SEC) {
      const got = await store.bars({ symbol, fromUs, toUs, timeframeSec: tf });
      assert.deepEqual(got, expectedFromTicks(symbol, fromUs, toUs, tf), `${symbol} ${tf}s`);
      // The source the ticks came with: the same bars, computed from that source's ticks.
      const bySource = await store.bars({ symbol, fromUs, toUs, timeframeSec: tf, source: 'dukascopy' });
      assert.deepEqual(bySource, { ...got, source: 'dukascopy' }, `${symbol} ${tf}s by source`);
    }
  }
});

test('sub-minute bars equal bars computed from the ticks the store returns', async () => {
  const fromUs = cases.tick_to_m1.startTs * 1000;
  const page = await store.range({ symbol: 'EURUSD', fromUs, toUs: fromUs + US_PER_HOUR });
  assert.equal(page.nextCursor, null);
  for (const tf of [1, 5, 15, 30, 7, 45]) {
    const got = await store.bars({ symbol: 'EURUSD', fromUs, toUs: fromUs + US_PER_HOUR, timeframeSec: tf });
    assert.deepEqual(got, barsFromTicks('EURUSD', tf, null, page.tsUs, page.bid, page.ask), `${tf}s`);
  }
});

test('bars over unaligned ranges use only the ticks inside the range (edge minutes)', async () => {
  const h = cases.tick_to_m1.startTs * 1000;
  const ranges: [number, number][] = [
    [h + 30_500_000, h + US_PER_HOUR], // from 00:00:30.5
    [h + 30_500_000, h + 47 * 60_000_000 + 12_250_000], // both ends inside a minute
    [h + 61_000_000, h + 119_000_000], // inside one minute-pair, no whole minute
    [h + 5_000_000, h + 6_000_000], // inside one minute
    [h - US_PER_HOUR, h + 60_000_001], // starting before the data
  ];
  for (const [fromUs, toUs] of ranges) {
    for (const tf of [60, 300, 900, 3600, 86400, 90]) {
      const got = await store.bars({ symbol: 'EURUSD', fromUs, toUs, timeframeSec: tf });
      assert.deepEqual(
        got,
        expectedFromTicks('EURUSD', fromUs, toUs, tf),
        `[${fromUs - h}, ${toUs - h}) ${tf}s`,
      );
    }
  }
});

test('the gaps file: empty minutes are omitted, not filled', async () => {
  const c = cases.tick_to_m1_with_gaps;
  const fromUs = c.startTs * 1000;
  const bars = await store.bars({
    symbol: 'GAPS',
    fromUs,
    toUs: fromUs + US_PER_HOUR,
    timeframeSec: 60,
  });
  const empty = c.expected.filter((r) => r.length === 0).length;
  assert.ok(empty > 0, 'the fixture does have empty minutes');
  assert.equal(bars.startUs.length, 60 - empty);
  for (let i = 1; i < bars.startUs.length; i++) assert.ok(bars.startUs[i] > bars.startUs[i - 1]);
});
