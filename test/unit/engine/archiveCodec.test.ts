// The archive codecs read every value back bit for bit (Object.is: -0, NaN for NULL, doubles
// past 2^53 and below the scale included), for random and adversarial columns, whole blocks and
// bar days; and a damaged block is an error, never wrong values.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import zlib from 'node:zlib';
import { BAR_COLUMNS, decodeBars, encodeBars } from '../../../electron/engine/archive/barsCodec.ts';
import type { RowColumn, RowColumns } from '../../../electron/engine/archive/blockCodec.ts';
import {
  BLOCK_FORMAT,
  BlockFormatError,
  ROW_COLUMNS,
  decodeBlock,
  emptyRows,
  encodeBlock,
} from '../../../electron/engine/archive/blockCodec.ts';
import { ByteReader, ByteWriter } from '../../../electron/engine/archive/byteStream.ts';
import type { ColumnHint } from '../../../electron/engine/archive/columnCodec.ts';
import { readBars, readBlock } from '../../fixtures/archive/readmeReader.ts';
import {
  FLAG_EXCEPTIONS,
  FLAG_NULLS,
  FLAG_SCALED,
  KIND_CONST,
  KIND_DELTA,
  KIND_DICT,
  KIND_RAW,
  KIND_TIME,
  decodeColumn,
  encodeColumn,
} from '../../../electron/engine/archive/columnCodec.ts';

const US_PER_DAY = 86_400_000_000;
const HINTS: readonly ColumnHint[] = ['time', 'delta', 'raw', 'dict', 'auto'];

/** A small deterministic generator, so a failure reproduces. */
function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

function sameValues(got: ArrayLike<number>, want: ArrayLike<number>, what: string): void {
  assert.equal(got.length, want.length, `${what}: length`);
  for (let i = 0; i < want.length; i++)
    if (!Object.is(got[i], want[i])) assert.fail(`${what}: value ${i} is ${got[i]}, not ${want[i]}`);
}

// --- byteStream -----------------------------------------------------------------------------

test('varints are LEB128: 7 bits a byte, low group first, the high bit says more follow', () => {
  const bytes = (v: number) => {
    const w = new ByteWriter(1);
    w.uint(v);
    return [...w.view8()];
  };
  assert.deepEqual(bytes(0), [0]);
  assert.deepEqual(bytes(127), [0x7f]);
  assert.deepEqual(bytes(128), [0x80, 0x01]);
  assert.deepEqual(bytes(300), [0xac, 0x02]);
  assert.deepEqual(bytes(2 ** 28 - 1), [0xff, 0xff, 0xff, 0x7f]);
  assert.deepEqual(bytes(2 ** 28), [0x80, 0x80, 0x80, 0x80, 0x01]);
  assert.deepEqual(bytes(2 ** 53 - 1), [0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x0f]);
});

test('varints and zigzag round-trip at every width boundary up to 2^53 - 1', () => {
  const unsigned: number[] = [0, 1, 2 ** 53 - 1, 2 ** 53 - 2];
  for (let bits = 7; bits <= 52; bits += 7) unsigned.push(2 ** bits - 1, 2 ** bits, 2 ** bits + 1);
  unsigned.push(2 ** 31 - 1, 2 ** 31, 2 ** 32 - 1, 2 ** 32, 2 ** 50, 2 ** 52);
  const signed = [0, -1, 1, -2, 2, 2 ** 31, -(2 ** 31), 2 ** 32, -(2 ** 32), 2 ** 52 - 1, -(2 ** 52)];
  // Writing into a one-byte buffer also makes it grow on every call.
  const w = new ByteWriter(1);
  for (const v of unsigned) w.uint(v);
  for (const v of signed) w.sint(v);
  w.float64(-0);
  w.float64(Number.NaN);
  w.bytes(Uint8Array.of(1, 2, 3));
  const r = new ByteReader(w.view8());
  for (const v of unsigned) assert.equal(r.uint(), v, `uint ${v}`);
  for (const v of signed) assert.equal(r.sint(), v, `sint ${v}`);
  assert.ok(Object.is(r.float64(), -0));
  assert.ok(Number.isNaN(r.float64()));
  assert.deepEqual([...r.bytes(3)], [1, 2, 3]);
  assert.equal(r.remaining, 0);
  // Zigzag order: 0, -1, 1, -2 ... as 0, 1, 2, 3 ...
  const z = new ByteWriter(1);
  for (const v of [0, -1, 1, -2, 2, -(2 ** 52)]) z.sint(v);
  const zr = new ByteReader(z.view8());
  assert.deepEqual(
    [0, 1, 2, 3, 4].map(() => zr.uint()),
    [0, 1, 2, 3, 4],
  );
  assert.equal(zr.uint(), 2 ** 53 - 1);
});

test('reading past the end is a RangeError, never a made-up value', () => {
  assert.throws(() => new ByteReader(Uint8Array.of()).byte(), RangeError);
  assert.throws(() => new ByteReader(Uint8Array.of(0x80, 0x80, 0x80, 0x80, 0x80)).uint(), RangeError);
  assert.throws(() => new ByteReader(Uint8Array.of(1, 2, 3)).float64(), RangeError);
  assert.throws(() => new ByteReader(Uint8Array.of(1, 2, 3)).bytes(4), RangeError);
  // The end of a reader over part of a buffer counts as the end.
  assert.throws(() => new ByteReader(Uint8Array.of(9, 9, 9, 9), 0, 3).bytes(4), RangeError);
});

// --- columnCodec ----------------------------------------------------------------------------

const N = 2_000;
const rnd = lcg(1);
const col = (n: number, f: (i: number) => number) => Array.from({ length: n }, (_, i) => f(i));
let tRun = 0;
const TIMES = col(N, (i) => (tRun += i % 10 === 0 ? 0 : 1 + Math.floor(rnd() * 900) * 1000));

/** Columns that each stress one path of the coder. */
const ADVERSARIAL: Record<string, number[]> = {
  'all equal': col(N, () => 7),
  'all NaN (NULL)': col(N, () => Number.NaN),
  'all -0': col(N, () => -0),
  'some NaN': col(N, (i) => (i % 3 === 0 ? Number.NaN : i)),
  '-0 among zeros': col(N, (i) => (i % 2 ? 0 : -0)),
  '-0, 0 and NaN among integers': col(N, (i) => [0, -0, Number.NaN, i][i % 4]),
  extremes: col(N, (i) => {
    const x = [2 ** 53 - 1, -(2 ** 53 - 1), 1e300, -1e300, 5e-324, -5e-324, 0.1, -1.5, 2 ** 50, -(2 ** 50)];
    return [...x, 2 ** 50 + 1, 2 ** 53, Infinity, -Infinity, -0, Number.NaN, i][i % 17];
  }),
  'fractional doubles': col(N, (i) => i * 1.1 - 700),
  'negative spreads (crossed quotes)': col(N, (i) => (i % 5) * 3 - 7),
  'repeated timestamps': TIMES,
  'a time gap of a whole day': col(N, (i) => (i < N / 2 ? i * 1000 : i * 1000 + US_PER_DAY)),
  'huge deltas': col(N, (i) => (i % 2 ? 1 : -1) * 2 ** 49 + i),
  'values near 2^50 (the integer limit)': col(N, (i) => 2 ** 50 - (i % 3)),
  '5,000 distinct sizes (past the dictionary limit)': col(5_000, (i) => (i * 7919) % 5003),
  '4,096 distinct sizes (at the limit)': col(10_000, (i) => ((i * 31) % 4096) * 25),
  'negative src (wide rows)': col(N, (i) => [0, -1, 3, -4][i % 4]),
  'r: constant receive time': col(N, (i) => 5e12 - TIMES[i]),
  'r: small latencies': col(N, () => 50 + Math.floor(rnd() * 5_000)),
  'one value': [42],
  'one -0': [-0],
  empty: [],
};

function roundTrip(
  values: readonly number[],
  hint: ColumnHint,
  scale = 1,
  from = 0,
  to = values.length,
): number {
  const w = new ByteWriter(16);
  encodeColumn(w, values, from, to, hint, scale);
  // A second column after it: a column's length is implied by its own bytes.
  encodeColumn(w, [1, 2, 3], 0, 3, 'raw');
  const r = new ByteReader(w.view8());
  const out = new Float64Array(to - from);
  decodeColumn(r, to - from, out);
  sameValues(out, values.slice(from, to), `${hint}`);
  const next = new Float64Array(3);
  decodeColumn(r, 3, next);
  sameValues(next, [1, 2, 3], `${hint}: the column after`);
  assert.equal(r.remaining, 0);
  return w.view8()[0];
}

test('adversarial columns round-trip with every hint', () => {
  for (const [name, values] of Object.entries(ADVERSARIAL))
    for (const hint of HINTS) {
      try {
        roundTrip(values, hint);
      } catch (e) {
        assert.fail(`${name} (${hint}): ${(e as Error).message}`);
      }
    }
});

test('random columns round-trip with every hint, also from the middle of an array', () => {
  const r = lcg(99);
  const makers: ((i: number) => number)[] = [
    () => Math.floor(r() * 256),
    () => Math.floor((r() - 0.5) * 2 ** 40),
    () => Math.floor(r() * 2 ** 53),
    () => (r() - 0.5) * 1e6,
    () => (r() < 0.1 ? Number.NaN : Math.floor(r() * 10)),
    () => Math.round(r() * 1e7) / 1e5,
  ];
  for (let k = 0; k < 120; k++) {
    const make = makers[k % makers.length];
    let acc = Math.floor(r() * 1e9);
    const values = col(1 + Math.floor(r() * 3000), (i) =>
      k % 2 ? (acc += Math.abs(Math.floor(make(i))) || 0) : make(i),
    );
    const from = Math.floor(r() * Math.min(100, values.length));
    for (const hint of HINTS) roundTrip(values, hint, 1, from);
  }
});

test('the coder picks the documented kind and flags', () => {
  const kind = (values: number[], hint: ColumnHint, scale = 1) => roundTrip(values, hint, scale);
  assert.equal(kind(ADVERSARIAL['all equal'], 'raw'), KIND_CONST);
  assert.equal(kind(ADVERSARIAL['all NaN (NULL)'], 'time'), KIND_CONST);
  assert.equal(kind(ADVERSARIAL['repeated timestamps'], 'time'), KIND_TIME);
  assert.equal(kind(ADVERSARIAL['a time gap of a whole day'], 'time'), KIND_TIME);
  // Time that goes backwards, or does not fit the integer streams, is coded as deltas.
  assert.equal(kind([5, 3, 9, 10], 'time'), KIND_DELTA);
  assert.equal(kind([1, 2, 2.5, 3], 'time'), KIND_DELTA | FLAG_EXCEPTIONS);
  assert.equal(kind(ADVERSARIAL['some NaN'], 'delta'), KIND_DELTA | FLAG_NULLS);
  assert.equal(kind(ADVERSARIAL.extremes, 'raw'), KIND_RAW | FLAG_NULLS | FLAG_EXCEPTIONS);
  assert.equal(kind(ADVERSARIAL['negative src (wide rows)'], 'dict'), KIND_DICT);
  assert.equal(kind(ADVERSARIAL['4,096 distinct sizes (at the limit)'], 'auto'), KIND_DICT);
  assert.equal(kind(ADVERSARIAL['5,000 distinct sizes (past the dictionary limit)'], 'auto'), KIND_RAW);
  assert.equal(kind(ADVERSARIAL['5,000 distinct sizes (past the dictionary limit)'], 'dict'), KIND_RAW);
  assert.equal(
    kind([1.08123, 1.08125, 1.0812345678901234], 'delta', 1e5),
    KIND_DELTA | FLAG_EXCEPTIONS | FLAG_SCALED,
  );
});

test('a time column is coded as steps of its gcd, even across a day-long gap', () => {
  const w = new ByteWriter();
  encodeColumn(w, ADVERSARIAL['a time gap of a whole day'], 0, N, 'time');
  // Steps of 1000 µs coded as 1 (and one step of a day as 86,400,001): four planes, the upper
  // three all zero but for that step, which zstd then makes almost free.
  const r = new ByteReader(w.view8());
  assert.equal(r.byte(), KIND_TIME);
  assert.equal(r.uint(), 0, 'first value');
  assert.equal(r.uint(), 1000, 'gcd of the steps');
  assert.equal(r.byte(), 4, 'plane width: the day-long step needs 4 bytes');
  assert.equal(r.remaining, 4 * (N - 1));
  assert.ok(zlib.zstdCompressSync(w.view8()).length < N / 10, 'the planes compress to almost nothing');
});

test('scaled columns keep prices at the scale as integers and every other value exactly', () => {
  const prices = col(N, (i) => Math.round((1.08 + (i % 97) / 1e4) * 1e5) / 1e5);
  for (const [name, values] of Object.entries({
    'prices at the scale': prices,
    'with NULLs': prices.map((p, i) => (i % 11 ? p : Number.NaN)),
    'with wider prices': prices.map((p, i) => (i % 13 ? p : p + 1e-9)),
    'with extremes': prices.map((p, i) => [p, 1e12 + 0.5, 1e-9, 5e-324, -0, Number.MAX_VALUE][i % 6]),
  }))
    for (const hint of HINTS)
      try {
        roundTrip(values, hint, 1e5);
      } catch (e) {
        assert.fail(`${name} (${hint}): ${(e as Error).message}`);
      }
});

// --- blockCodec -----------------------------------------------------------------------------

type Latency = 'small' | 'constant receive time';

/** n rows of a symbol's day with every value kind in its columns. */
function blockRows(n: number, latency: Latency, seed = 7): RowColumns {
  const r = lcg(seed);
  const rows = emptyRows(n);
  let t = 1_000;
  for (let i = 0; i < n; i++) {
    if (i % 7 !== 0) t += 1 + Math.floor(r() * 2_000_000);
    if (i === Math.floor(n / 2)) t += 5 * 3_600_000_000;
    const wide = i % 9 === 4;
    const src = i % 3;
    rows.t[i] = t;
    rows.src[i] = wide ? -1 - src : src;
    rows.b[i] = wide ? [1.0812345678901234, 1e12 + 0.5, 1e-9][i % 3] : 108_000 + Math.floor(r() * 900);
    // Narrow rows store the spread (negative when crossed), wide rows the ask itself.
    rows.s[i] = wide ? rows.b[i] * 1.0000001 : Math.floor(r() * 30) - 5;
    rows.u[i] = i % 4 === 0 ? 0 : 1_000_000 + i;
    rows.r[i] = i % 23 === 0 ? Number.NaN : latency === 'small' ? 50 + Math.floor(r() * 5_000) : 9e10 - t;
    rows.bs[i] = i % 5 === 0 ? Number.NaN : i % 17 === 0 ? -1.123456789 : Math.floor(r() * 40) * 100;
    rows.asz[i] = i % 6 === 0 ? Number.NaN : Math.floor(r() * 1e6);
  }
  return rows;
}

function sameRows(
  got: RowColumns,
  want: RowColumns,
  from: number,
  to: number,
  cols: readonly RowColumn[] = ROW_COLUMNS,
): void {
  for (const c of cols) sameValues(got[c].subarray(0, to - from), want[c].subarray(from, to), c);
}

/** The block's column headers, read by the documented layout (README, "Archive tier: block format"). */
function columnHeaders(data: Uint8Array): {
  n: number;
  cols: { method: number; transform: number; raw: Uint8Array; offset: number; storedLen: number }[];
} {
  const r = new ByteReader(data);
  assert.equal(r.byte(), BLOCK_FORMAT);
  const n = r.uint();
  const cols = ROW_COLUMNS.map(() => {
    const method = r.byte();
    const transform = r.byte();
    const rawLen = r.uint();
    const storedLen = r.uint();
    const offset = r.offset;
    const stored = r.bytes(storedLen);
    const raw = method === 1 ? zlib.zstdDecompressSync(stored) : stored;
    assert.equal(raw.length, rawLen);
    return { method, transform, raw: new Uint8Array(raw), offset, storedLen };
  });
  assert.equal(r.remaining, 0, 'nothing after the last column');
  return { n, cols };
}

test('blocks round-trip every value, checked against their crc, for both latency kinds', () => {
  for (const latency of ['small', 'constant receive time'] as const) {
    const rows = blockRows(5_000, latency);
    for (const [from, to] of [
      [0, 5_000],
      [1_234, 4_321],
      [10, 11],
    ]) {
      const e = encodeBlock(rows, from, to);
      const out = emptyRows(to - from);
      assert.equal(decodeBlock(e.data, out, 0, null, e.crc), to - from);
      sameRows(out, rows, from, to);
      // The crc is the CRC-32 of each column's transform byte and its coded bytes, in column order.
      let crc = 0;
      for (const c of columnHeaders(e.data).cols)
        crc = zlib.crc32(c.raw, zlib.crc32(Uint8Array.of(c.transform), crc));
      assert.equal(crc, e.crc);
    }
  }
});

test('a reader written from the README decodes the same blocks, crc included', () => {
  const blocks: [string, RowColumns, number][] = [
    ['small latencies', blockRows(3_000, 'small'), 3_000],
    ['constant receive time', blockRows(3_000, 'constant receive time'), 3_000],
  ];
  for (const [name, values] of Object.entries(ADVERSARIAL)) {
    if (values.length < 1_000 || values.some((v) => !Number.isSafeInteger(v))) continue;
    const rows = blockRows(1_000, 'small');
    for (const c of ROW_COLUMNS) if (c !== 't') rows[c].set(values.slice(0, 1_000));
    blocks.push([name, rows, 1_000]);
  }
  for (const [name, rows, n] of blocks) {
    const e = encodeBlock(rows, 0, n);
    const { columns, crcOk } = readBlock(e.data, e.crc);
    assert.ok(crcOk, `${name}: crc`);
    for (const c of ROW_COLUMNS) sameValues(columns[c], rows[c], `${name}: ${c}`);
  }
});

test('adversarial columns round-trip inside a block', () => {
  const n = 2_000;
  for (const [name, values] of Object.entries(ADVERSARIAL)) {
    if (values.length < n) continue;
    for (const c of ROW_COLUMNS) {
      const rows = blockRows(n, 'small');
      rows[c].set(values.slice(0, n));
      // Time is the one column the format requires to be known: keep it a time.
      if (c === 't' && values.some((v) => !Number.isSafeInteger(v))) continue;
      const e = encodeBlock(rows, 0, n);
      const out = emptyRows(n);
      try {
        decodeBlock(e.data, out, 0, null, e.crc);
        sameRows(out, rows, 0, n);
      } catch (err) {
        assert.fail(`${name} as ${c}: ${(err as Error).message}`);
      }
    }
  }
});

test('a receive latency from a constant receive time is coded as receive-time deltas (transform 1)', () => {
  const transformOf = (latency: Latency) => {
    const rows = blockRows(5_000, latency);
    const e = encodeBlock(rows, 0, 5_000);
    return { e, transform: columnHeaders(e.data).cols[ROW_COLUMNS.indexOf('r')].transform };
  };
  assert.equal(transformOf('small').transform, 0);
  const { e, transform } = transformOf('constant receive time');
  assert.equal(transform, 1);
  // The transform needs the time column: asking for r alone is refused, with t it decodes.
  assert.throws(() => decodeBlock(e.data, emptyRows(5_000), 0, new Set<RowColumn>(['r'])), BlockFormatError);
  const out = emptyRows(5_000);
  decodeBlock(e.data, out, 0, new Set<RowColumn>(['t', 'r']));
  sameRows(out, blockRows(5_000, 'constant receive time'), 0, 5_000, ['t', 'r']);
});

test('the receive-time transform keeps latencies it cannot add exactly (-0, sums past 2^53)', () => {
  // Not reachable from a day file (r is an INTEGER column and r + t is the receive time since
  // midnight), but RowColumns promise every value back.
  const n = 500;
  const lost: string[] = [];
  for (const [name, r] of Object.entries({
    '-0': (t: number, i: number) => (i % 5 ? 1e9 - t : -0),
    'r + t past 2^53': (t: number) => 2 ** 53 - t + 1,
  })) {
    const rows = emptyRows(n);
    for (let i = 0; i < n; i++) {
      rows.t[i] = i * 3 + 2;
      rows.r[i] = r(rows.t[i], i);
    }
    const e = encodeBlock(rows, 0, n);
    const out = emptyRows(n);
    decodeBlock(e.data, out, 0, null, e.crc);
    let wrong = 0;
    for (let i = 0; i < n; i++) if (!Object.is(out.r[i], rows.r[i])) wrong++;
    if (wrong > 0) lost.push(`${name}: ${wrong} of ${n} latencies differ`);
  }
  assert.deepEqual(lost, []);
});

test('decodeBlock decodes only the wanted columns, at an offset, and leaves the others alone', () => {
  const rows = blockRows(3_000, 'small');
  const e = encodeBlock(rows, 0, 3_000);
  const subsets: RowColumn[][] = [
    ['t'],
    ['b', 's'],
    ['src', 'bs', 'asz'],
    ['u'],
    ['t', 'r'],
    [...ROW_COLUMNS],
  ];
  for (const want of subsets) {
    const out = emptyRows(3_100);
    for (const c of ROW_COLUMNS) out[c].fill(-12345);
    assert.equal(decodeBlock(e.data, out, 100, new Set(want)), 3_000);
    for (const c of ROW_COLUMNS) {
      if (want.includes(c)) sameValues(out[c].subarray(100), rows[c], `${c} of ${want.join(',')}`);
      else
        assert.ok(
          out[c].every((v) => v === -12345),
          `${c} untouched when ${want.join(',')} is wanted`,
        );
      assert.ok(
        out[c].subarray(0, 100).every((v) => v === -12345),
        `${c}: rows before the offset untouched`,
      );
    }
  }
});

test('a block of another format version or with a wrong crc is refused', () => {
  const rows = blockRows(500, 'small');
  const e = encodeBlock(rows, 0, 500);
  const other = Buffer.from(e.data);
  other[0] = BLOCK_FORMAT + 1;
  assert.throws(() => decodeBlock(other, emptyRows(500), 0), BlockFormatError);
  assert.throws(() => decodeBlock(e.data, emptyRows(500), 0, null, (e.crc + 1) >>> 0), /checksum/);
  // A column stored uncompressed (here a constant one) decodes even when damaged: only its crc
  // tells, and without the crc the damage goes unnoticed.
  const constant = blockRows(500, 'small');
  constant.u.fill(0);
  const c = encodeBlock(constant, 0, 500);
  const u = columnHeaders(c.data).cols[ROW_COLUMNS.indexOf('u')];
  assert.deepEqual([u.method, u.storedLen], [0, 9], 'u is a stored CONST column');
  const damaged = Buffer.from(c.data);
  damaged[u.offset + 8] ^= 0x01;
  assert.throws(() => decodeBlock(damaged, emptyRows(500), 0, null, c.crc), /checksum/);
  const unchecked = emptyRows(500);
  decodeBlock(damaged, unchecked, 0);
  assert.notEqual(unchecked.u[0], 0);
});

/** Decodes `data` with its crc: null when it decodes to exactly `rows`, else what went wrong. */
function decodeDamaged(
  data: Uint8Array,
  rows: RowColumns,
  n: number,
  crc: number,
): Error | 'wrong values' | null {
  const out = emptyRows(n + 64);
  try {
    const got = decodeBlock(data, out, 0, null, crc);
    if (got !== n) return 'wrong values';
    for (const c of ROW_COLUMNS)
      for (let i = 0; i < n; i++) if (!Object.is(out[c][i], rows[c][i])) return 'wrong values';
    return null;
  } catch (e) {
    return e as Error;
  }
}

type Flip = { pos: number; bit: number; result: Error | 'wrong values' | null };
let flips: Flip[] | null = null;

/** The lowest and the highest bit of every byte of a block flipped in turn (computed once). */
function everyFlip(): Flip[] {
  if (flips) return flips;
  const n = 300;
  const rows = blockRows(n, 'constant receive time', 3);
  const e = encodeBlock(rows, 0, n);
  const out: Flip[] = [];
  for (let pos = 0; pos < e.data.length; pos++)
    for (const bit of [0x01, 0x80]) {
      const d = Buffer.from(e.data);
      d[pos] ^= bit;
      out.push({ pos, bit, result: decodeDamaged(d, rows, n, e.crc) });
    }
  flips = out;
  return out;
}

test('a damaged block with its crc never decodes to wrong values', () => {
  const silent = everyFlip().filter((f) => f.result === 'wrong values');
  assert.deepEqual(
    silent.map((f) => `byte ${f.pos} bit ${f.bit}`),
    [],
    'flips that decoded to other values without an error',
  );
});

test('a damaged block is reported as a BlockFormatError', () => {
  const other = new Map<string, number>();
  for (const f of everyFlip())
    if (f.result instanceof Error && !(f.result instanceof BlockFormatError)) {
      const k = `${f.result.name}: ${f.result.message.replace(/\d+/g, '#')}`;
      other.set(k, (other.get(k) ?? 0) + 1);
    }
  assert.deepEqual(Object.fromEntries(other), {}, 'errors of other types (message: flips)');
});

// --- barsCodec ------------------------------------------------------------------------------

/** A day of 1-minute bars as bars_1m holds them, with prices from `quote` (bid, ask). */
function barDay(seed: number, quote: (r: () => number) => [number, number]): number[][] {
  const r = lcg(seed);
  const rows: number[][] = [];
  for (let m = 0; m < 1440; m += 1 + Math.floor(r() * 3)) {
    const q = [quote(r), quote(r), quote(r), quote(r)];
    const b = q.map((x) => x[0]);
    const a = q.map((x) => x[1]);
    const mid = q.map((x) => (x[0] + x[1]) / 2);
    const t0 = m * 60_000_000 + Math.floor(r() * 30_000_000);
    const ohlc = (v: number[]) => [v[0], Math.max(...v), Math.min(...v), v[3]];
    rows.push([
      m,
      1 + Math.floor(r() * 500),
      t0,
      t0 + Math.floor(r() * 29_000_000),
      ...ohlc(b),
      ...ohlc(a),
      ...ohlc(mid),
    ]);
  }
  return rows;
}

const at5 = (p: number) => Math.round(p * 1e5) / 1e5;
const BAR_DAYS: Record<string, { scale: number; rows: number[][] }> = {
  fx: { scale: 1e5, rows: barDay(1, (r) => [at5(1.08 + r() / 100), at5(1.0803 + r() / 100)]) },
  'crossed quotes': { scale: 1e5, rows: barDay(2, (r) => [at5(1.08 + r() / 100), at5(1.0799 - r() / 1e4)]) },
  'prices beyond the scale': { scale: 1e5, rows: barDay(3, (r) => [1.08 + r() / 100, 1.0801 + r() / 100]) },
  'some minutes beyond the scale': {
    scale: 1e5,
    rows: barDay(4, (r) =>
      r() < 0.05 ? [1.0812345678901234, 1.09] : [at5(1.08 + r() / 100), at5(1.09 + r() / 100)],
    ),
  },
  'huge prices': {
    scale: 1,
    rows: barDay(5, (r) => [1e12 + Math.floor(r() * 1e4), 1e12 + 1e4 + Math.floor(r() * 10)]),
  },
  'huge prices beyond the scale': { scale: 1e5, rows: barDay(6, (r) => [1e12 + r(), 1e12 + 1 + r()]) },
  'tiny prices': {
    scale: 1e10,
    rows: barDay(7, (r) => [Math.floor(r() * 100 + 1) / 1e10, Math.floor(r() * 100 + 200) / 1e10]),
  },
  'NULL prices': { scale: 1e5, rows: barDay(8, () => [Number.NaN, Number.NaN]) },
  'no bars': { scale: 1e5, rows: [] },
};

test('bar days round-trip every value bit for bit', () => {
  for (const [name, { scale, rows }] of Object.entries(BAR_DAYS)) {
    const e = encodeBars(rows, scale);
    const back = decodeBars(e.data);
    assert.equal(back.length, rows.length, name);
    for (let i = 0; i < rows.length; i++)
      for (let c = 0; c < BAR_COLUMNS.length; c++)
        if (!Object.is(back[i][c], rows[i][c]))
          assert.fail(`${name}: bar ${i} ${BAR_COLUMNS[c]} is ${back[i][c]}, not ${rows[i][c]}`);
  }
});

test('a reader written from the README decodes the same bars', () => {
  for (const [name, { scale, rows }] of Object.entries(BAR_DAYS)) {
    const back = readBars(encodeBars(rows, scale).data);
    assert.equal(back.length, rows.length, name);
    rows.forEach((row, i) => sameValues(back[i], row, `${name}: bar ${i}`));
  }
});

test('a bars block: format, count, scale, body length, zstd body whose CRC-32 is the crc', () => {
  const { scale, rows } = BAR_DAYS.fx;
  const e = encodeBars(rows, scale);
  const r = new ByteReader(e.data);
  assert.equal(r.byte(), 1);
  assert.equal(r.uint(), rows.length);
  assert.equal(r.float64(), scale);
  const rawLen = r.uint();
  const body = zlib.zstdDecompressSync(r.bytes(r.remaining));
  assert.equal(body.length, rawLen);
  assert.equal(zlib.crc32(body), e.crc);
  // Integers against their references: an FX day of bars costs a few bytes a minute.
  assert.ok(e.data.length < rows.length * 40, `${e.data.length} bytes for ${rows.length} bars`);
  // Each column starts with its flags (1: integers at the unit, 2: minus its references, 4:
  // overrides follow). Bid and ask at the scale are exact; a mid, (bid + ask) / 2, is often not
  // k / (2 * scale) exactly: such rows are overrides, the column stays integers.
  const br = new ByteReader(new Uint8Array(body));
  const flags: number[] = [];
  for (let c = 0; c < BAR_COLUMNS.length; c++) {
    flags.push(br.byte());
    decodeColumn(br, rows.length, new Float64Array(rows.length));
    if (flags[c] & 4) {
      const count = br.uint();
      for (let k = 0; k < count; k++) {
        br.uint();
        br.float64();
      }
    }
  }
  assert.equal(br.remaining, 0);
  assert.deepEqual(flags.slice(0, 12), [1, 1, 1, 1, 1, 3, 3, 3, 3, 3, 3, 3]);
  for (const f of flags.slice(12)) assert.equal(f & 3, 3, 'mid columns are integers against their bid + ask');
});
