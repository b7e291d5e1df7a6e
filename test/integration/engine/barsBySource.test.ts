// bars.get for one source: computed from that source's ticks (never the stored 1-minute bars,
// which blend every source), equal to bars folded from exactly those ticks, on every side and
// timeframe; every source together is still the blend; a source the symbol never had has no bars.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { TickStore } from '../../../electron/engine/tickStoreApi.ts';
import { TIMEFRAMES_SEC, barsFromTicks } from '../../../shared/bars.ts';
import type { TickInput } from '../../../shared/tick.ts';
import { US_PER_DAY, US_PER_MIN, utcDayIndex } from '../../../shared/time.ts';
import { loadDukascopyTicks } from '../../helpers/dukascopy.ts';
import { openTestStore } from '../../helpers/testStore.ts';

const SOURCES = ['LP-A', 'LP-B', 'LP-C'];
// One real hour, each tick from one of three LPs that quote apart (LP-B 2 pips higher, LP-C with
// the odd price that needs more decimals than the symbol's scale, stored as a wide row).
const ticks: TickInput[] = loadDukascopyTicks('eurusd-2019-02-04T00.json', 'EURUSD').map((t, i) => {
  const source = SOURCES[i % 3];
  if (source === 'LP-B') {
    const up = (p: number) => Math.round((p + 0.0002) * 1e5) / 1e5;
    return { ...t, source, bid: up(t.bid), ask: up(t.ask) };
  }
  const odd = source === 'LP-C' && i % 30 === 2 ? 0.000001234 : 0;
  return { ...t, source, bid: t.bid + odd, ask: t.ask + odd };
});
const fromUs = utcDayIndex(ticks[0].tsUs) * US_PER_DAY;
const toUs = fromUs + US_PER_DAY;
let store: TickStore;

before(async () => {
  ({ store } = await openTestStore('bars-source', toUs + US_PER_DAY));
  for (const t of ticks) assert.equal(store.ingest(t), 'accepted');
  await store.flush();
});
after(async () => {
  await store?.stop();
});

function folded(list: TickInput[], tf: number, source: string | null) {
  return barsFromTicks(
    'EURUSD',
    tf,
    source,
    list.map((t) => t.tsUs),
    list.map((t) => t.bid),
    list.map((t) => t.ask),
  );
}

test('each source has the bars of its own ticks, every timeframe and side', async () => {
  for (const source of SOURCES) {
    const mine = ticks.filter((t) => t.source === source);
    for (const tf of TIMEFRAMES_SEC) {
      const got = await store.bars({ symbol: 'EURUSD', fromUs, toUs, timeframeSec: tf, source });
      assert.deepEqual(got, folded(mine, tf, source), `${source} ${tf}s`);
    }
  }
});

test('without a source the bars blend every source, from the stored minute bars where they suffice', async () => {
  for (const tf of [60, 3600, 86400, 15]) {
    const got = await store.bars({ symbol: 'EURUSD', fromUs, toUs, timeframeSec: tf });
    assert.deepEqual(got, folded(ticks, tf, null), `${tf}s`);
  }
  const a = await store.bars({ symbol: 'EURUSD', fromUs, toUs, timeframeSec: 3600, source: 'LP-A' });
  const b = await store.bars({ symbol: 'EURUSD', fromUs, toUs, timeframeSec: 3600, source: 'LP-B' });
  assert.ok(b.bid.high[0] > a.bid.high[0], 'the sources really differ');
});

test('unaligned ranges of one source use only its ticks inside the range', async () => {
  const h = ticks[0].tsUs - (ticks[0].tsUs % US_PER_MIN);
  const from = h + 30_500_000;
  const to = h + 47 * US_PER_MIN + 12_250_000;
  const mine = ticks.filter((t) => t.source === 'LP-C' && t.tsUs >= from && t.tsUs < to);
  for (const tf of [60, 300, 7]) {
    const got = await store.bars({
      symbol: 'EURUSD',
      fromUs: from,
      toUs: to,
      timeframeSec: tf,
      source: 'LP-C',
    });
    assert.deepEqual(got, folded(mine, tf, 'LP-C'), `${tf}s`);
  }
});

test('a source the symbol does not have, or a symbol not stored, has no bars', async () => {
  for (const q of [
    { symbol: 'EURUSD', source: 'LP-Z' },
    { symbol: 'GBPUSD', source: 'LP-A' },
  ]) {
    const got = await store.bars({ ...q, fromUs, toUs, timeframeSec: 60 });
    assert.deepEqual(got.startUs, []);
    assert.deepEqual(got.bid, { open: [], high: [], low: [], close: [] });
    assert.equal(got.source, q.source);
  }
});
