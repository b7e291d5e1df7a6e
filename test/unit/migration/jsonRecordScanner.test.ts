import assert from 'node:assert/strict';
import { test } from 'node:test';
import { JsonRecordScanner } from '../../../electron/migration/jsonRecordScanner.ts';

interface Seen {
  values: unknown[];
  locs: number[];
  bad: Array<[number, string]>;
}

function scan(text: string, chunkBytes: number): Seen & { end: string | null; layout: string | null } {
  const seen: Seen = { values: [], locs: [], bad: [] };
  const s = new JsonRecordScanner({
    flat(keys, vals, n, loc) {
      const o: Record<string, unknown> = {};
      for (let k = 0; k < n; k++) o[keys[k]] = vals[k];
      seen.values.push(o);
      seen.locs.push(loc);
    },
    numbers(nums, n, loc) {
      seen.values.push(nums.slice(0, n));
      seen.locs.push(loc);
    },
    value(v, loc) {
      seen.values.push(v);
      seen.locs.push(loc);
    },
    bad(loc, reason) {
      seen.bad.push([loc, reason]);
    },
  });
  const buf = Buffer.from(text);
  for (let i = 0; i < buf.length; i += chunkBytes) s.push(buf.subarray(i, i + chunkBytes));
  return { ...seen, end: s.end(), layout: s.detectedLayout };
}

const records = [
  { symbol: 'EURUSD', bid: 1.08123, ask: '1.08125', t: '2024-01-02T00:00:00Z', lp: null, ok: true },
  { symbol: 'GB\\P"x}', bid: -0, ask: 1e-7, nested: { a: [1, { b: '}' }] } },
  { symbol: 'Ünïcødé €', bid: 123456789.123456, ask: 1.7976931348623157e308, flag: false },
];

test('every chunk size gives exactly what JSON.parse gives, for arrays and JSON Lines', () => {
  // What JSON itself round-trips (-0 becomes 0) is the reference.
  const expected = JSON.parse(JSON.stringify(records)) as unknown[];
  const arrayText = JSON.stringify(records, null, 1);
  const linesText = records.map((r) => JSON.stringify(r)).join('\r\n');
  for (const size of [1, 2, 3, 7, 64, 1 << 20]) {
    const a = scan(arrayText, size);
    assert.deepEqual(a.values, expected, `array, chunk ${size}`);
    assert.deepEqual(a.locs, [1, 2, 3]);
    assert.equal(a.end, null);
    assert.equal(a.layout, 'array');
    const l = scan(linesText, size);
    assert.deepEqual(l.values, expected, `lines, chunk ${size}`);
    assert.deepEqual(l.locs, [1, 2, 3]);
    assert.equal(l.end, null);
    assert.equal(l.layout, 'lines');
  }
});

test('arrays of number arrays (Dukascopy) parse on the fast path with exact doubles', () => {
  const rows = [
    [1549238400084, 1.14521, 1.14518, 1.12, 0.75],
    [1549238400198, 0.1, 0.30000000000000004, 1e21, -5e-324],
  ];
  for (const size of [1, 5, 4096]) assert.deepEqual(scan(JSON.stringify(rows), size).values, rows);
});

test('a malformed record is reported with its location and the rest still parses', () => {
  const text = '[{"a":1},{"a":2,,},{"a":3}, 42, {"a":4}]';
  const r = scan(text, 5);
  assert.deepEqual(r.values, [{ a: 1 }, { a: 3 }, { a: 4 }]);
  assert.equal(r.bad.length, 2);
  assert.equal(r.bad[0][0], 2);
  assert.match(r.bad[0][1], /malformed JSON/);
  assert.equal(r.bad[1][0], 4);
  assert.match(r.bad[1][1], /not a record/);
  assert.equal(r.end, null);
});

test('truncation and trailing data are named at the end', () => {
  assert.match(scan('[{"a":1},{"a":2', 3).end ?? '', /truncated: record 2 is incomplete/);
  assert.match(scan('[{"a":1}', 3).end ?? '', /truncated: the JSON array is not closed/);
  assert.match(scan('{"a":1}\n{"a":', 4).end ?? '', /truncated: line 2 is incomplete/);
  assert.match(scan('[{"a":1}] extra', 4).end ?? '', /data after the end/);
  assert.match(scan('   ', 4).end ?? '', /empty/);
});

test('decimalAt gives the same double as Number() for every price-like and odd number', async () => {
  const { decimalAt } = await import('../../../electron/migration/jsonRecordScanner.ts');
  const samples = [
    '0',
    '-0',
    '1',
    '1.08123',
    '0.1',
    '0.30000000000000004',
    '123456789012345',
    '1234567890123456789',
    '9007199254740993',
    '1e5',
    '2.5E-3',
    '-1.5e+10',
    '0.000001',
    '99999.99999',
    '1.7976931348623157e308',
    '5e-324',
    '1.',
    '-',
  ];
  let seed = 1;
  for (let i = 0; i < 20000; i++) {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    const decimals = seed % 11;
    const v = (seed / 2 ** 32) * 10 ** (seed % 7);
    samples.push(v.toFixed(decimals), (-v).toFixed(decimals), String(v));
  }
  for (const s of samples) {
    const expected = Number(s);
    assert.ok(Object.is(decimalAt(` ${s} `, 1, s.length + 1), expected), s);
  }
});
