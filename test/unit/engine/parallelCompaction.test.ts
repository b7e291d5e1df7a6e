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
