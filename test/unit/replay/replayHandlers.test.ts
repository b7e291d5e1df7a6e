// replay.* handlers keep one replay per caller: its events reach only that caller, and closing
// the caller's window or socket stops it.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { CallerContext } from '../../../electron/app/handlerTypes.ts';
import { createReplayHandlers } from '../../../electron/app/replayHandlers.ts';
import type { PageSource } from '../../../electron/app/replay/replayPlayer.ts';
import type { StreamColumns } from '../../../electron/engine/stream/streamTypes.ts';
import { fakeClock } from '../../helpers/fakeClock.ts';

const T0 = Date.UTC(2024, 0, 2) * 1000;
const N = 50;

function columns(from: number, n: number): StreamColumns {
  const f = (g: (i: number) => number) => Float64Array.from({ length: n }, (_, i) => g(from + i));
  return {
    length: n,
    symbols: ['EURUSD'],
    sources: ['lp'],
    symbol: new Uint32Array(n),
    source: new Uint32Array(n),
    tsUs: f((i) => T0 + i * 1_000_000),
    bid: f((i) => 1.1 + i / 1e5),
    ask: f((i) => 1.1002 + i / 1e5),
    bidSize: f(() => NaN),
    askSize: f(() => NaN),
    recvUs: f((i) => T0 + i * 1_000_000),
    seq: f((i) => i),
    noExchangeTime: new Uint8Array(n),
  };
}

/** N ticks 1 s apart from T0, pages of 10. */
const readPage: PageSource = async (sel, cursor) => {
  const first = Math.max(0, Math.ceil((sel.fromUs - T0) / 1_000_000));
  const k = cursor === null ? first : Number(cursor);
  const n = Math.min(10, N - k);
  return { ticks: columns(k, Math.max(0, n)), cursor: k + n < N ? String(k + n) : null };
};

function caller(id: number) {
  const events: { event: string; payload: unknown }[] = [];
  const closers: (() => void)[] = [];
  const ctx: CallerContext = {
    id,
    setLiveSymbols() {},
    send: (event, payload) => void events.push({ event, payload }),
    onClose: (fn) => void closers.push(fn),
  };
  return { ctx, events, close: () => closers.forEach((fn) => fn()) };
}

const ticksOf = (events: { event: string; payload: unknown }[]) =>
  events
    .filter((e) => e.event === 'replay.ticks')
    .flatMap((e) => (e.payload as { ticks: { seq: number }[] }).ticks);

test("a replay's ticks and state reach only the caller that started it; closing it stops the replay", async () => {
  const clock = fakeClock();
  const h = createReplayHandlers({ readPage, log: () => {}, timer: clock });
  const a = caller(1);
  const b = caller(2);
  await h['replay.start']({ symbols: ['EURUSD'], fromUs: T0, speed: 100 }, a.ctx);
  await h['replay.start']({ symbols: ['EURUSD'], fromUs: T0 + 2_000_000, speed: 10 }, b.ctx);
  await clock.advance(100); // a: 10 s recorded = 100 ms wall at 100x; b: 1 s recorded = 100 ms wall at 10x
  const aSeqs = ticksOf(a.events).map((t) => t.seq);
  const bSeqs = ticksOf(b.events).map((t) => t.seq);
  assert.deepEqual(
    aSeqs,
    Array.from({ length: aSeqs.length }, (_, i) => i),
    'a sees its own replay from tick 0',
  );
  assert.ok(
    aSeqs.length >= 9 && aSeqs.length <= 11,
    `a got ${aSeqs.length} ticks in 100 ms at 100x (about 10)`,
  );
  assert.ok(bSeqs.length > 0 && bSeqs.every((s) => s >= 2), 'b sees only its replay from its own start');
  a.close();
  const aAfterClose = a.events.length;
  await clock.advance(1000);
  assert.equal(a.events.length, aAfterClose, 'nothing more is sent to a closed caller');
  assert.ok(ticksOf(b.events).length > bSeqs.length, "b's replay keeps going");
});

test("control acts on the caller's own replay; step delivers one tick; stop returns idle", async () => {
  const clock = fakeClock();
  const h = createReplayHandlers({ readPage, log: () => {}, timer: clock });
  const a = caller(1);
  await assert.rejects(h['replay.control']({ action: 'pause' }, a.ctx), { code: 'not_found' });
  await h['replay.start']({ symbols: ['EURUSD'], fromUs: T0, speed: 1 }, a.ctx);
  await h['replay.control']({ action: 'pause' }, a.ctx);
  const before = ticksOf(a.events).length;
  const s = await h['replay.control']({ action: 'step' }, a.ctx);
  assert.equal(ticksOf(a.events).length, before + 1);
  assert.equal(s.delivered, before + 1);
  const stopped = await h['replay.control']({ action: 'stop' }, a.ctx);
  assert.equal(stopped.phase, 'idle');
  assert.equal((await h['replay.status']({}, a.ctx)).phase, 'idle');
});

test('without a connected caller (in-process dispatch) replay is refused as unsupported', async () => {
  const h = createReplayHandlers({ readPage, log: () => {} });
  await assert.rejects(h['replay.start']({ symbols: ['EURUSD'], fromUs: T0, speed: 1 }, null), {
    code: 'unsupported',
  });
});
