import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ReplayPlayer, type PageSource } from '../../../electron/app/replay/replayPlayer.ts';
import type { StreamColumns, StreamSelection } from '../../../electron/engine/stream/streamTypes.ts';
import type { ReplaySpeed, ReplayState, ReplayTick } from '../../../shared/replay.ts';
import { fakeClock, flushPromises } from '../../helpers/fakeClock.ts';

const T0 = 1_549_238_400_000_000; // 2019-02-04T00:00:00Z in µs

function makeTicks(offsetsMs: number[]): ReplayTick[] {
  return offsetsMs.map((ms, i) => ({
    symbol: i % 2 ? 'GBPUSD' : 'EURUSD',
    source: 'dukascopy',
    tsUs: T0 + ms * 1000,
    bid: 1.1 + i / 1e5,
    ask: 1.1002 + i / 1e5,
    recvUs: T0 + ms * 1000 + 7,
    ...(i % 3 ? { seq: i } : {}),
  }));
}

/** The stream contract over an in-memory ordered array: filters by selection, cursor = index. */
function fakeSource(all: ReplayTick[]) {
  const reads: { fromUs: number; cursor: string | null }[] = [];
  let inflight = 0;
  let maxInflight = 0;
  const readPage: PageSource = async (sel: StreamSelection, cursor, maxTicks) => {
    reads.push({ fromUs: sel.fromUs, cursor });
    inflight++;
    maxInflight = Math.max(maxInflight, inflight);
    await Promise.resolve();
    inflight--;
    const matching = all.filter(
      (t) =>
        t.tsUs >= sel.fromUs &&
        t.tsUs < sel.toUs &&
        (sel.symbols.length === 0 || sel.symbols.includes(t.symbol)) &&
        (!sel.sources?.length || sel.sources.includes(t.source)),
    );
    const start = cursor === null ? 0 : Number(cursor);
    const slice = matching.slice(start, start + maxTicks);
    const end = start + slice.length;
    return { ticks: columns(slice), cursor: end < matching.length ? String(end) : null };
  };
  return { readPage, reads, maxInflight: () => maxInflight };
}

function columns(ticks: ReplayTick[]): StreamColumns {
  const symbols = [...new Set(ticks.map((t) => t.symbol))];
  const sources = [...new Set(ticks.map((t) => t.source))];
  const f = (get: (t: ReplayTick) => number | undefined) => Float64Array.from(ticks, (t) => get(t) ?? NaN);
  return {
    length: ticks.length,
    symbols,
    sources,
    symbol: Uint32Array.from(ticks, (t) => symbols.indexOf(t.symbol)),
    source: Uint32Array.from(ticks, (t) => sources.indexOf(t.source)),
    tsUs: f((t) => t.tsUs),
    bid: f((t) => t.bid),
    ask: f((t) => t.ask),
    bidSize: f((t) => t.bidSize),
    askSize: f((t) => t.askSize),
    recvUs: f((t) => t.recvUs),
    seq: f((t) => t.seq),
    noExchangeTime: new Uint8Array(ticks.length),
  };
}

function harness(all: ReplayTick[], speed: ReplaySpeed, pageSize = 3, fromUs = T0) {
  const clock = fakeClock();
  const src = fakeSource(all);
  const pushes: { ticks: ReplayTick[]; clockUs: number; wallMs: number }[] = [];
  const states: ReplayState[] = [];
  const player = new ReplayPlayer({
    selection: { symbols: [], fromUs },
    speed,
    readPage: src.readPage,
    onTicks: (ticks, clockUs) => pushes.push({ ticks, clockUs, wallMs: clock.now() }),
    onState: (s) => states.push(s),
    timer: clock,
    pageSize,
  });
  const delivered = () => pushes.flatMap((p) => p.ticks);
  return { clock, src, pushes, states, player, delivered };
}

test('at 100x each tick is delivered when wall time reaches its recorded offset / 100, in order', async () => {
  // Offsets in recorded ms; at 100x, tick k is due at offset/100 wall ms.
  const offsets = [0, 500, 1000, 3000, 10_000, 10_050, 60_000];
  const all = makeTicks(offsets);
  const h = harness(all, 100);
  h.player.play();
  for (let ms = 0; ms <= 700; ms += 1) await h.clock.advance(1);
  assert.deepEqual(h.delivered(), all);
  for (const push of h.pushes) {
    for (const t of push.ticks) {
      const dueMs = (t.tsUs - T0) / 1000 / 100;
      assert.ok(push.wallMs >= dueMs, `tick due at ${dueMs} ms shown early at ${push.wallMs}`);
      assert.ok(push.wallMs <= dueMs + 17, `tick due at ${dueMs} ms shown late at ${push.wallMs}`);
    }
    assert.equal(push.clockUs, push.ticks.at(-1)!.tsUs);
  }
  assert.equal(h.states.at(-1)!.phase, 'ended');
  assert.equal(h.states.at(-1)!.delivered, all.length);
});

test('ticks close together are coalesced: never more than one push per 16 ms frame', async () => {
  const offsets = Array.from({ length: 400 }, (_, i) => i * 10); // a tick every 10 ms recorded
  const all = makeTicks(offsets);
  const h = harness(all, 10, 50); // every 1 ms wall
  h.player.play();
  await h.clock.advance(1000);
  assert.deepEqual(h.delivered(), all);
  for (let i = 1; i < h.pushes.length; i++) assert.ok(h.pushes[i]!.wallMs - h.pushes[i - 1]!.wallMs >= 16);
  assert.ok(h.pushes.length <= Math.ceil(400 / 16) + 2, `${h.pushes.length} pushes`);
});

test("'max' delivers everything without waiting on tick times, in bounded batches, one page prefetched", async () => {
  const offsets = Array.from({ length: 5000 }, (_, i) => i * 86_400); // a day apart each: irrelevant at max
  const all = makeTicks(offsets);
  const clock = fakeClock();
  const src = fakeSource(all);
  const pushes: ReplayTick[][] = [];
  const player = new ReplayPlayer({
    selection: { symbols: [], fromUs: T0 },
    speed: 'max',
    readPage: src.readPage,
    onTicks: (t) => pushes.push(t),
    onState: () => {},
    timer: clock,
    pageSize: 700,
    maxBatch: 1000,
  });
  player.play();
  await clock.advance(0);
  for (let i = 0; i < 50 && player.state().phase !== 'ended'; i++) await clock.advance(0);
  assert.deepEqual(pushes.flat(), all);
  assert.ok(pushes.every((b) => b.length <= 1000));
  assert.equal(src.maxInflight(), 1, 'at most one page read ahead');
  assert.equal(player.state().phase, 'ended');
});

test('pause stops delivery; step delivers exactly one tick; play resumes paced from the paused clock', async () => {
  const all = makeTicks([0, 1000, 5000, 6000, 7000]); // at 100x: wall 0, 10, 50, 60, 70 ms
  const h = harness(all, 100);
  h.player.play();
  await h.clock.advance(20);
  h.player.pause();
  const before = h.delivered().length;
  assert.equal(before, 2);
  await h.clock.advance(100);
  assert.equal(h.delivered().length, before, 'nothing delivered while paused');
  await h.player.step();
  assert.deepEqual(h.delivered(), all.slice(0, 3));
  await h.player.step();
  assert.deepEqual(h.delivered(), all.slice(0, 4));
  assert.equal(h.player.state().phase, 'paused');
  assert.equal(h.player.state().clockUs, all[3]!.tsUs);
  h.player.play();
  const resumedAt = h.clock.now();
  await h.clock.advance(0);
  assert.equal(h.delivered().length, 4, 'the next tick is 1 s recorded = 10 ms wall after the paused clock');
  await h.clock.advance(40);
  assert.deepEqual(h.delivered(), all);
  assert.ok(h.pushes.at(-1)!.wallMs - resumedAt >= 10);
});

test('seek restarts the stream at the given time and replays from there', async () => {
  const all = makeTicks([0, 1000, 2000, 3000, 4000, 5000]);
  const h = harness(all, 100, 2);
  h.player.play();
  await h.clock.advance(15); // up to offset 1000 ms
  h.player.seek(T0 + 4_000_000);
  await h.clock.advance(100);
  const afterSeek = h.pushes.flatMap((p) => p.ticks).filter((t) => t.tsUs >= T0 + 4_000_000);
  assert.deepEqual(afterSeek, all.slice(4));
  assert.ok(
    h.src.reads.some((r) => r.fromUs === T0 + 4_000_000 && r.cursor === null),
    'a new read from the seek time',
  );
  assert.ok(
    !h.delivered().some((t) => t.tsUs > T0 + 1_000_000 && t.tsUs < T0 + 4_000_000),
    'skipped range never shown',
  );
});

test('a long idle gap at 1x is reported as waiting, and skipWait shows the next tick at once', async () => {
  const all = makeTicks([0, 2 * 86_400_000]); // two days apart (a weekend)
  const h = harness(all, 1);
  h.player.play();
  await h.clock.advance(20);
  assert.equal(h.delivered().length, 1);
  const waiting = h.states.at(-1)!.waitingMs;
  assert.ok(waiting !== undefined && waiting > 86_000_000, `waitingMs ${waiting}`);
  h.player.skipWait();
  await h.clock.advance(20);
  assert.deepEqual(h.delivered(), all);
  assert.equal(h.player.state().phase, 'ended');
});

test('changing speed mid-play re-paces from the current clock', async () => {
  const all = makeTicks([0, 10_000, 20_000]);
  const h = harness(all, 1);
  h.player.play();
  await h.clock.advance(20);
  assert.equal(h.delivered().length, 1);
  h.player.setSpeed(1000); // 10 s recorded → 10 ms wall
  await h.clock.advance(40);
  assert.deepEqual(h.delivered(), all);
});

test('stop drops a page read in flight: nothing is delivered after stop', async () => {
  const all = makeTicks([0, 1, 2]);
  const h = harness(all, 'max');
  h.player.play();
  h.player.stop();
  await flushPromises();
  await h.clock.advance(50);
  assert.equal(h.delivered().length, 0);
  assert.equal(h.player.state().phase, 'idle');
});

test('a failing page read ends the replay and reports the error', async () => {
  const clock = fakeClock();
  const errors: unknown[] = [];
  const player = new ReplayPlayer({
    selection: { symbols: ['EURUSD'], fromUs: T0 },
    speed: 100,
    readPage: async () => {
      throw new Error('disk gone');
    },
    onTicks: () => {},
    onState: () => {},
    onError: (e) => errors.push(e),
    timer: clock,
  });
  player.play();
  await clock.advance(20);
  assert.equal(player.state().phase, 'ended');
  assert.match(String(errors[0]), /disk gone/);
});
