// How a day's symbols are shared between the archive workers: every symbol once, shares about
// equal in ticks, each share in id order.
import assert from 'node:assert/strict';
import test from 'node:test';
import { shareByTicks } from '../../../electron/engine/archive/parallelCompaction.ts';
import type { SymbolRow } from '../../../electron/engine/archive/compactDay.ts';

const sym = (id: number, count: number): SymbolRow => ({
  id,
  name: `S${id}`,
  scale: 100_000,
  size_scale: 1,
  count,
  src_min: 1,
  src_max: 1,
  first_t: 0,
  last_t: 1,
});

test('symbols are shared by ticks, every one exactly once, in id order within a share', () => {
  const symbols = [sym(1, 900), sym(2, 100), sym(3, 500), sym(4, 450), sym(5, 50)];
  const shares = shareByTicks(symbols, 2);
  assert.equal(shares.length, 2);
  const ids = shares.flatMap((s) => s.map((x) => x.id)).sort((a, b) => a - b);
  assert.deepEqual(ids, [1, 2, 3, 4, 5]);
  const ticks = shares.map((s) => s.reduce((a, x) => a + x.count, 0));
  assert.ok(Math.abs(ticks[0] - ticks[1]) <= 100, `shares ${ticks.join(' / ')}`);
  for (const s of shares)
    assert.deepEqual(
      s.map((x) => x.id),
      [...s.map((x) => x.id)].sort((a, b) => a - b),
    );
});

test('one worker takes everything; more workers than symbols leave shares empty', () => {
  const symbols = [sym(7, 10), sym(3, 20)];
  assert.deepEqual(
    shareByTicks(symbols, 1)[0].map((x) => x.id),
    [3, 7],
  );
  const three = shareByTicks(symbols, 3);
  assert.equal(three.filter((s) => s.length === 0).length, 1);
});

test('coded blobs get buffers of their own, so a day crosses threads by transfer with its bytes intact', async () => {
  const { ownBuffers } = await import('../../../electron/engine/archive/parallelCompaction.ts');
  const { MessageChannel } = await import('node:worker_threads');
  // Small Buffers share Node's pool slab; a large one has its own ArrayBuffer.
  const small = Buffer.from([1, 2, 3]);
  const other = Buffer.from([4, 5]);
  const large = Buffer.from(new Uint8Array(64 * 1024).fill(7));
  assert.equal(small.buffer, other.buffer, 'the test needs two pooled Buffers');
  const block = (data: Uint8Array) => ({
    tFirst: 0,
    tLast: 1,
    n: 1,
    range: [1, 1, 1, 1] as [number, number, number, number],
    crc: 0,
    data,
  });
  const encoded = [
    {
      symId: 1,
      name: 'A',
      n: 2,
      checksum: 0,
      blocks: [block(small), block(large)],
      bars: { n: 1, crc: 0, data: other },
    },
  ];
  const list = ownBuffers(encoded);
  assert.equal(list.length, 3);
  assert.equal(new Set(list).size, 3);
  for (const d of [...encoded[0].blocks.map((b) => b.data), encoded[0].bars.data])
    assert.equal(d.byteLength, d.buffer.byteLength);
  const { port1, port2 } = new MessageChannel();
  const got = new Promise<typeof encoded>((r) => port2.once('message', r));
  port1.postMessage(encoded, list);
  const back = await got;
  port1.close();
  assert.deepEqual([...back[0].blocks[0].data], [1, 2, 3]);
  assert.equal(back[0].blocks[1].data.length, 64 * 1024);
  assert.deepEqual([...back[0].bars.data], [4, 5]);
  assert.deepEqual([...small], [1, 2, 3], 'the pooled original is untouched');
});
