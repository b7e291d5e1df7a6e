// Bid and ask sizes come back with the ticks of ticks.range and ticks.recent, aligned with tsUs,
// exactly as ingested and null where the feed gave none: over a range split between two readers,
// across days and pages, read newest first from disk, and for sizes beyond the symbol's scale.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { TickStore } from '../../../electron/engine/tickStoreApi.ts';
import type { TickColumns, TickInput } from '../../../shared/tick.ts';
import { US_PER_DAY, US_PER_HOUR, utcDayIndex } from '../../../shared/time.ts';
import { loadDukascopyTicks } from '../../helpers/dukascopy.ts';
import { openTestStore } from '../../helpers/testStore.ts';

// The fixture hour's ticks, every fifth without sizes and every seventh from a second source.
const ticks: TickInput[] = loadDukascopyTicks('eurusd-2026-07-13T12.json', 'EURUSD').map((t, i) => {
  const out: TickInput = { ...t, source: i % 7 === 0 ? 'LP-B' : 'dukascopy' };
  if (i % 5 === 0) {
    delete out.bidSize;
    delete out.askSize;
  }
  return out;
});
// A second day, so pages and recent cross midnight; sizes that need more decimals than the scale
// the first ticks fixed (stored as exact doubles).
const DAY_START = utcDayIndex(ticks[0].tsUs) * US_PER_DAY;
const nextDay: TickInput[] = [0.5, 0.25, 1.123456789, 7e-9].map((size, i) => ({
  symbol: 'EURUSD',
  bid: 1.1,
  ask: 1.1001,
  source: 'LP-B',
  tsUs: DAY_START + US_PER_DAY + i * 1_000_000,
  bidSize: size,
  askSize: i,
}));
const all = [...ticks, ...nextDay];
let store: TickStore;

before(async () => {
  // A tiny ring: recent is answered from disk, not from memory.
  ({ store } = await openTestStore('sizes', DAY_START + 2 * US_PER_DAY, { ringSize: 4, ringBudgetBytes: 0 }));
  for (const t of all) assert.equal(store.ingest(t), 'accepted');
  await store.flush();
});
after(async () => {
  await store?.stop();
});

/** Each tick as one comparable string: time, source, prices and sizes. */
function rowsOf(c: TickColumns): string[] {
  assert.equal(c.bidSize?.length, c.tsUs.length, 'bidSize aligned with tsUs');
  assert.equal(c.askSize?.length, c.tsUs.length, 'askSize aligned with tsUs');
  return c.tsUs.map(
    (ts, i) => `${ts}|${c.sources[c.source[i]]}|${c.bid[i]}|${c.ask[i]}|${c.bidSize![i]}|${c.askSize![i]}`,
  );
}

function expected(list: TickInput[]): string[] {
  return list
    .map((t) => `${t.tsUs}|${t.source}|${t.bid}|${t.ask}|${t.bidSize ?? null}|${t.askSize ?? null}`)
    .sort();
}

test('a day-long range (two readers) returns every size exactly, null where there was none', async () => {
  const page = await store.range({ symbol: 'EURUSD', fromUs: DAY_START, toUs: DAY_START + US_PER_DAY });
  assert.equal(page.nextCursor, null);
  assert.deepEqual([...rowsOf(page)].sort(), expected(ticks));
  assert.ok(page.bidSize!.includes(null) && page.bidSize!.some((v) => v !== null && v > 0));
});

test('paged ranges across midnight keep sizes with their ticks', async () => {
  const got: string[] = [];
  let cursor: string | undefined;
  let pages = 0;
  do {
    const p = await store.range({
      symbol: 'EURUSD',
      fromUs: DAY_START,
      toUs: DAY_START + 2 * US_PER_DAY,
      limit: 997,
      cursor,
    });
    got.push(...rowsOf(p));
    cursor = p.nextCursor ?? undefined;
    pages++;
  } while (cursor);
  assert.ok(pages > 2);
  assert.deepEqual(got.sort(), expected(all));
});

test('recent ticks from disk, read newest first, keep sizes aligned and in time order', async () => {
  const recent = await store.recent('EURUSD', 10);
  const want = [...all].sort((a, b) => a.tsUs - b.tsUs).slice(-10);
  assert.deepEqual(
    recent.tsUs,
    want.map((t) => t.tsUs),
  );
  assert.deepEqual(
    recent.bidSize,
    want.map((t) => t.bidSize ?? null),
  );
  assert.deepEqual(
    recent.askSize,
    want.map((t) => t.askSize ?? null),
  );
  assert.deepEqual(recent.bidSize!.slice(-4), [0.5, 0.25, 1.123456789, 7e-9], 'wide sizes are exact');
});

test('an hour inside the day (one reader) answers the same sizes as the day', async () => {
  const fromUs = ticks[0].tsUs - (ticks[0].tsUs % US_PER_HOUR);
  const page = await store.range({ symbol: 'EURUSD', fromUs, toUs: fromUs + US_PER_HOUR });
  assert.deepEqual([...rowsOf(page)].sort(), expected(ticks));
});

test('sizes: false leaves the size columns out and the ticks the same', async () => {
  const q = { symbol: 'EURUSD', fromUs: DAY_START, toUs: DAY_START + US_PER_DAY };
  const withSizes = await store.range(q);
  const without = await store.range({ ...q, sizes: false });
  assert.equal(without.bidSize, undefined);
  assert.equal(without.askSize, undefined);
  const { bidSize: _b, askSize: _a, ...rest } = withSizes;
  assert.deepEqual(without, rest);
});
