import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ColumnBatch } from '../../../electron/engine/storage/columnBatch.ts';
import { allocateColumnBatch, mergeBatches } from '../../../electron/engine/storage/columnBatch.ts';
import { groupByDay, groupBySymbol } from '../../../electron/engine/writer/batchGrouping.ts';
import { US_PER_DAY } from '../../../shared/time.ts';

const D = 20_000;

function batch(rows: [tsUs: number, sym: number][]): ColumnBatch {
  const b = allocateColumnBatch(rows.length + 3); // spare capacity must be ignored
  rows.forEach(([ts, sym], i) => {
    b.tsUs[i] = ts;
    b.bid[i] = i + 1;
    b.sym[i] = sym;
  });
  b.n = rows.length;
  return b;
}

test('groupByDay puts each tick in the UTC day of its own timestamp, days ascending', () => {
  const mid = (D + 1) * US_PER_DAY;
  const b = batch([
    [mid - 1, 0],
    [mid, 0],
    [mid - 5, 1], // late tick of the earlier day, after one of the later day
    [mid + US_PER_DAY, 0],
  ]);
  const g = groupByDay(b);
  assert.deepEqual(
    g.map((x) => [x.day, [...x.idx]]),
    [
      [D, [0, 2]],
      [D + 1, [1]],
      [D + 2, [3]],
    ],
  );
  const one = groupByDay(
    batch([
      [mid + 5, 0],
      [mid + 1, 1],
    ]),
  );
  assert.deepEqual(
    one.map((x) => [x.day, [...x.idx]]),
    [[D + 1, [0, 1]]],
  );
  assert.deepEqual(groupByDay(batch([])), []);
});

test('groupBySymbol is a stable sort by symbol over the given rows', () => {
  const b = batch([
    [1, 7],
    [2, 3],
    [3, 7],
    [4, 3],
    [5, 9],
  ]);
  const groups = groupBySymbol(b, Int32Array.from([0, 1, 2, 3, 4]));
  const bySym = groups.map((g) => [g.sym, [...g.order.subarray(g.from, g.to)]]);
  assert.deepEqual(bySym, [
    [7, [0, 2]],
    [3, [1, 3]],
    [9, [4]],
  ]);
  const subset = groupBySymbol(b, Int32Array.from([3, 2]));
  assert.deepEqual(
    subset.map((g) => [g.sym, [...g.order.subarray(g.from, g.to)]]),
    [
      [3, [3]],
      [7, [2]],
    ],
  );
});

test('mergeBatches concatenates only the filled part of each batch', () => {
  const a = batch([
    [1, 0],
    [2, 0],
  ]);
  const b = batch([[3, 1]]);
  const m = mergeBatches([a, b]);
  assert.equal(m.n, 3);
  assert.deepEqual([...m.tsUs.subarray(0, 3)], [1, 2, 3]);
  assert.deepEqual([...m.sym.subarray(0, 3)], [0, 0, 1]);
  assert.deepEqual([...m.bid.subarray(0, 3)], [1, 2, 1]);
  assert.equal(mergeBatches([a]), a, 'a single batch is used as is');
});
