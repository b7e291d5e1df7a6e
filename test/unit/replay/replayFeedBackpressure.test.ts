// The replay feed stops reading pages while the socket's unsent bytes are above the bound, so an
// as-fast-as-possible replay to a client that does not read keeps memory bounded.
import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { test } from 'node:test';
import type { WebSocket } from 'ws';
import { attachReplayFeed } from '../../../electron/server/replayFeed.ts';
import type { StreamColumns } from '../../../electron/engine/stream/streamTypes.ts';
import { waitFor } from '../../helpers/waitFor.ts';

function page(n: number, start: number): StreamColumns {
  const f = (g: (i: number) => number) => Float64Array.from({ length: n }, (_, i) => g(start + i));
  return {
    length: n,
    symbols: ['EURUSD'],
    sources: ['lp'],
    symbol: new Uint32Array(n),
    source: new Uint32Array(n),
    tsUs: f((i) => 1e15 + i),
    bid: f(() => 1.1),
    ask: f(() => 1.2),
    bidSize: f(() => NaN),
    askSize: f(() => NaN),
    recvUs: f((i) => 1e15 + i),
    seq: f((i) => i),
    noExchangeTime: new Uint8Array(n),
  };
}

test('page reads wait while bufferedAmount is above the bound and resume once it drains', async () => {
  const ws = Object.assign(new EventEmitter(), {
    bufferedAmount: 0,
    sent: [] as { type: string; ticks?: unknown[]; count?: number }[],
    send(text: string) {
      this.sent.push(JSON.parse(text));
      this.bufferedAmount += text.length; // nothing is ever flushed until the test says so
    },
    close() {},
  });
  let reads = 0;
  const PAGES = 100; // 10,000 ticks; one 'max' push gathers up to 2,000 (20 pages)
  attachReplayFeed(ws as unknown as WebSocket, new URLSearchParams('symbols=EURUSD&from=0&speed=max'), {
    log: () => {},
    bufferBound: 10_000,
    pageSize: 100,
    readPage: async (_s, cursor) => {
      reads++;
      const k = cursor === null ? 0 : Number(cursor);
      return { ticks: page(100, k * 100), cursor: k + 1 < PAGES ? String(k + 1) : null };
    },
  });
  await new Promise((r) => setTimeout(r, 200));
  assert.ok(reads <= 23, `${reads} pages read while the client read nothing: one push's worth and one ahead`);
  const ticksBefore = ws.sent.filter((m) => m.type === 'ticks').length;
  assert.ok(ticksBefore > 0, 'the first pages were sent');
  ws.bufferedAmount = 0;
  const drain = setInterval(() => (ws.bufferedAmount = 0), 5);
  try {
    await waitFor('the end message', () => ws.sent.some((m) => m.type === 'end'));
  } finally {
    clearInterval(drain);
  }
  assert.equal(reads, PAGES);
  assert.deepEqual(ws.sent.at(-1), { type: 'end', count: PAGES * 100 });
});
