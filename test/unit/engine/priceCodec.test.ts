import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  MAX_DECIMALS,
  chooseScale,
  chooseSizeScale,
  decimalsOf,
  decodeAsk,
  decodeBid,
  decodeSize,
  encodeSize,
  sourceIdOf,
} from '../../../electron/engine/storage/priceCodec.ts';

const all = (n: number) => Int32Array.from({ length: n }, (_, i) => i);

test('decimalsOf finds the fewest decimals that represent a price exactly', () => {
  assert.equal(decimalsOf(1), 0);
  assert.equal(decimalsOf(67250), 0);
  assert.equal(decimalsOf(67250.5), 1);
  assert.equal(decimalsOf(1.08123), 5);
  assert.equal(decimalsOf(151.423), 3);
  assert.equal(decimalsOf(0.0005), 4);
  assert.equal(decimalsOf(7188.569), 3);
  // More digits than a power-of-ten scale can hold exactly.
  assert.equal(decimalsOf(1.0812345678901234), MAX_DECIMALS + 1);
  assert.equal(decimalsOf(Math.PI), MAX_DECIMALS + 1);
});

test('chooseScale takes enough decimals for every bid and ask of the first ticks', () => {
  const bid = [1.0812, 1.08123, 1.081];
  const ask = [1.0813, 1.08131, 1.0812];
  assert.equal(chooseScale(bid, ask, all(3), 0, 3), 1e5);
  // Integral bids with half-point asks (crypto) need one decimal, not zero.
  assert.equal(chooseScale([67250, 67251], [67250.5, 67252], all(2), 0, 2), 10);
  assert.equal(chooseScale([100, 101], [100, 102], all(2), 0, 2), 1);
  // A price that fits no scale caps the scale at MAX_DECIMALS; that tick becomes a wide row.
  assert.equal(chooseScale([1.0812345678901234], [1.1], all(1), 0, 1), 10 ** MAX_DECIMALS);
  // Only idx[from..to) is looked at.
  assert.equal(chooseScale([1.123456, 1.1], [1.2, 1.2], Int32Array.from([0, 1]), 1, 2), 10);
});

test('scaled integers decode to the exact double of the decimal', () => {
  const scale = 1e5;
  for (const [b, a] of [
    [1.14543, 1.14545],
    [0.00001, 0.00002],
    [1.1, 1.3],
    [99999.99999, 100000.00001],
  ]) {
    const bi = Math.round(b * scale);
    const ai = Math.round(a * scale);
    assert.equal(decodeBid(0, bi, scale), b);
    assert.equal(decodeAsk(0, bi, ai - bi, scale), a);
  }
});

test('wide rows (negative source) keep the exact double of each price', () => {
  const bid = 1.0812345678901234;
  const ask = 1.0812445678901237;
  assert.equal(decodeBid(-1, bid, 1e5), bid);
  assert.equal(decodeAsk(-1, bid, ask, 1e5), ask);
  const huge = 123456789012.12344;
  assert.equal(decodeBid(-3, huge, 1e5), huge);
  assert.equal(sourceIdOf(-1), 0);
  assert.equal(sourceIdOf(-3), 2);
  assert.equal(sourceIdOf(4), 4);
});

test('encodeSize/decodeSize round-trip sizes exactly; absent stays absent', () => {
  for (const [v, scale] of [
    [0, 1],
    [2.06, 100],
    [1_800_000, 1],
    [0.0005, 10_000],
    [13, 1],
  ] as const) {
    const e = encodeSize(v, scale);
    assert.ok(e !== null && e >= 0, `${v} fits scale ${scale}`);
    assert.equal(decodeSize(e, scale), v);
  }
  // Needs more decimals than the scale: stored as its negated exact value.
  const odd = 1.23456789;
  const e = encodeSize(odd, 100);
  assert.equal(e, -odd);
  assert.equal(decodeSize(e, 100), odd);
  assert.equal(encodeSize(Number.NaN, 100), null);
  assert.equal(decodeSize(null, 100), undefined);
});

test('chooseSizeScale ignores missing sizes and caps at 6 decimals', () => {
  assert.equal(chooseSizeScale([Number.NaN, 2.06], [1, Number.NaN], all(2), 0, 2), 100);
  assert.equal(chooseSizeScale([Number.NaN], [Number.NaN], all(1), 0, 1), 1);
  assert.equal(chooseSizeScale([0.123456789], [1], all(1), 0, 1), 1e6);
});
