// 10,000 symbols recording at once (3M ticks at full speed, in a process of its own): the
// process stays under 1 GB, every tick is written, and once the symbols fall idle each costs
// at most 16 KB of ring. With a fixed 10,000-tick ring per symbol this took 3 GB.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { measureManySymbols } from '../../bench/manySymbols.ts';

test('10,000 symbols recording at once stay under 1 GB; an idle symbol costs at most 16 KB', async () => {
  const r = await measureManySymbols(10_000, 300);
  console.log(`# many symbols: ${JSON.stringify(r)}`);
  assert.equal(r.lost, 0);
  assert.equal(r.ticksWritten, r.ticks);
  assert.ok(r.peakRssMb < 1024, `peak RSS ${r.peakRssMb} MB`);
  assert.ok(r.ringMbIdle < r.ringMbBusy, `rings shrink when idle (${r.ringMbBusy} -> ${r.ringMbIdle} MB)`);
  assert.ok(r.idleBytesPerSymbol <= 16 * 1024, `${r.idleBytesPerSymbol} bytes per idle symbol`);
});
