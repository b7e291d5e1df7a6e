import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { LiveQuote } from '../../../shared/catalog.ts';
import { STALE_SOURCE_MS, WatchlistModel } from '../../../renderer/live/watchlistModel.ts';
import { matchSymbols } from '../../../renderer/symbols/symbolMatch.ts';

const q = (symbol: string, source: string, bid: number, ask: number, ticks = 1, tsUs = 1): LiveQuote => ({
  symbol,
  source,
  bid,
  ask,
  ticks,
  tsUs,
});

test('a symbol row shows the best bid (max) and best ask (min) across sources, and who holds each', () => {
  const m = new WatchlistModel();
  m.apply(
    [
      q('EURUSD', 'LP-B', 1.0845, 1.0847, 3, 10),
      q('EURUSD', 'LP-A', 1.0846, 1.0849, 2, 30),
      q('EURUSD', 'LP-C', 1.0844, 1.0846, 1, 20),
    ],
    0,
  );
  const r = m.row('EURUSD', 0)!;
  assert.deepEqual([r.bid, r.bidSource, r.ask, r.askSource], [1.0846, 'LP-A', 1.0846, 'LP-C']);
  assert.equal(r.state, 'locked', 'best bid = best ask across sources is a locked market');
  assert.equal(r.tsUs, 30, 'newest quote of any source');
  assert.deepEqual(
    r.perSource.map((s) => [s.source, s.state, s.holdsBid, s.holdsAsk]),
    [
      ['LP-A', 'normal', true, false],
      ['LP-B', 'normal', false, false],
      ['LP-C', 'normal', false, true],
    ],
  );
  assert.deepEqual(r.sources, ['LP-A', 'LP-B', 'LP-C']);
  assert.equal(r.rate, 2, '6 ticks over the 3 s window, every source counted');
  assert.equal(r.perSource[1].rate, 1);

  m.apply([q('EURUSD', 'LP-B', 1.0848, 1.0849)], 100);
  const crossed = m.row('EURUSD', 100)!;
  assert.equal(crossed.state, 'crossed', 'LP-B bids above LP-C asks');
  assert.equal(crossed.bidSource, 'LP-B');
  m.apply([q('EURUSD', 'LP-C', 1.0847, 1.0846)], 200);
  assert.equal(m.row('EURUSD', 200)!.perSource.find((s) => s.source === 'LP-C')!.state, 'crossed');
});

test('a silent source leaves the best; when every source is silent the last prices stay, flagged', () => {
  const m = new WatchlistModel();
  m.apply([q('GBPUSD', 'LP-A', 1.2712, 1.2713), q('GBPUSD', 'LP-B', 1.2711, 1.2714)], 0);
  const t = STALE_SOURCE_MS / 2;
  m.apply([q('GBPUSD', 'LP-B', 1.271, 1.2714)], t);
  assert.equal(m.row('GBPUSD', t)!.bidSource, 'LP-A');
  const later = STALE_SOURCE_MS + 1;
  const r = m.row('GBPUSD', later)!;
  assert.deepEqual([r.bid, r.bidSource, r.askSource, r.stale], [1.271, 'LP-B', 'LP-B', false]);
  assert.equal(r.perSource.find((s) => s.source === 'LP-A')!.stale, true);
  const all = m.row('GBPUSD', t + STALE_SOURCE_MS + 1)!;
  assert.equal(all.stale, true);
  assert.equal(all.bidSource, 'LP-A', 'with every source silent, the best over all of them');
});

test('on a tie the source that has shown the price longest holds it', () => {
  const m = new WatchlistModel();
  m.apply([q('USDJPY', 'LP-B', 151.42, 151.44)], 0);
  m.apply([q('USDJPY', 'LP-A', 151.42, 151.45)], 10);
  assert.equal(m.row('USDJPY', 10)!.bidSource, 'LP-B');
  m.apply([q('USDJPY', 'LP-B', 151.41, 151.44), q('USDJPY', 'LP-B', 151.42, 151.44)], 20);
  assert.equal(m.row('USDJPY', 20)!.bidSource, 'LP-A', 'LP-B left the price and came back later');
});

test('the flash follows the best prices, not any one source', () => {
  const m = new WatchlistModel();
  m.apply([q('EURUSD', 'LP-A', 1.1, 1.2)], 0);
  assert.equal(WatchlistModel.flash(m.row('EURUSD', 0)!, 0), null, 'first quote is not a move');
  m.apply([q('EURUSD', 'LP-B', 1.09, 1.21)], 100);
  assert.equal(WatchlistModel.flash(m.row('EURUSD', 100)!, 100), null, 'a worse quote moves nothing');
  m.apply([q('EURUSD', 'LP-B', 1.11, 1.21)], 200);
  assert.equal(WatchlistModel.flash(m.row('EURUSD', 200)!, 200), 'up');
  m.apply([q('EURUSD', 'LP-A', 1.1, 1.19)], 300);
  assert.equal(WatchlistModel.flash(m.row('EURUSD', 300)!, 300), 'down', 'best ask fell, best bid held');
});

test('the most active symbol is the one ticking fastest', () => {
  const m = new WatchlistModel();
  assert.equal(m.mostActive(0), null);
  m.apply([q('AUDUSD', 'LP-A', 0.6, 0.61, 5), q('BTCUSD', 'LP-A', 1, 2, 4), q('BTCUSD', 'LP-B', 1, 2, 4)], 0);
  assert.equal(m.mostActive(0), 'BTCUSD', 'rates add up across sources');
  m.apply([q('AUDUSD', 'LP-A', 0.6, 0.61, 3)], 10);
  assert.equal(m.mostActive(10), 'AUDUSD');
  assert.deepEqual(
    m.list(10).map((r) => r.symbol),
    ['AUDUSD', 'BTCUSD'],
  );
});

test('symbol search ranks exact, prefix, then contains, ignoring case and separators', () => {
  const symbols = ['USDJPY', 'EURJPY', 'EURUSD', 'JPYIDX', 'EURUSD.1', 'AUDJPY'];
  assert.deepEqual(matchSymbols(symbols, 'jpy'), ['JPYIDX', 'AUDJPY', 'EURJPY', 'USDJPY']);
  assert.deepEqual(matchSymbols(symbols, 'usd'), ['USDJPY', 'EURUSD', 'EURUSD.1']);
  assert.deepEqual(matchSymbols(symbols, 'eur/usd'), ['EURUSD', 'EURUSD.1']);
  assert.deepEqual(matchSymbols(symbols, ''), [...symbols].sort());
  assert.deepEqual(matchSymbols(symbols, 'eur', 2), ['EURJPY', 'EURUSD']);
  assert.deepEqual(matchSymbols(symbols, 'xyz'), []);
});
