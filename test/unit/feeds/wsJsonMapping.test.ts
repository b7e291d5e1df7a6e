import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { JsonMappingInput } from '../../../shared/feeds/jsonMapping.ts';
import {
  JSON_MAPPING_SCHEMA,
  JsonPathSyntaxError,
  parseJsonPath,
} from '../../../shared/feeds/jsonMapping.ts';
import type {
  MappedTick,
  MappingErrorReason,
  MappingResult,
} from '../../../shared/feeds/jsonMappingApply.ts';
import {
  MAPPING_ERROR_REASONS,
  MAX_ERRORS_PER_MESSAGE,
  applyJsonMapping,
  compileJsonMapping,
  mapJsonText,
  previewJsonMapping,
} from '../../../shared/feeds/jsonMappingApply.ts';
import { WS_JSON_FEED_SCHEMA } from '../../../shared/feeds/feedConfig.ts';

const RECV_US = 1_709_296_496_000_777;
const T_MS = 1_709_296_496_123;

const compile = (m: JsonMappingInput) => compileJsonMapping(JSON_MAPPING_SCHEMA.parse(m));
const map = (m: JsonMappingInput, message: unknown) => applyJsonMapping(compile(m), message, RECV_US);
const mapText = (m: JsonMappingInput, text: string) => mapJsonText(compile(m), text, RECV_US);

/** The tick without its unset optional fields (the mapper sets every key to keep one shape). */
function plain(t: MappedTick): Partial<MappedTick> {
  return Object.fromEntries(Object.entries(t).filter(([, v]) => v !== undefined));
}
const reasons = (r: MappingResult) => r.errors.map((e) => e.reason);

const FLAT = { symbol: 's', bid: 'b', ask: 'a', time: 'E', timeUnit: 'ms' } as const;

test('path syntax: $, dots, indexes, brackets, quoted keys and list wildcards', () => {
  const keys = (p: string, each = false) =>
    parseJsonPath(p, each).segments.map((s) => (s.each ? '*' : s.key));
  assert.deepEqual(keys('$'), []);
  assert.equal(parseJsonPath('$').fromRoot, true);
  assert.deepEqual(keys('data.b'), ['data', 'b']);
  assert.equal(parseJsonPath('data.b').fromRoot, false);
  assert.deepEqual(keys('$.data.b'), ['data', 'b']);
  assert.deepEqual(keys('quotes.0.bid'), ['quotes', '0', 'bid']);
  assert.deepEqual(keys('quotes[12].bid'), ['quotes', '12', 'bid']);
  assert.deepEqual(keys('[0][1]'), ['0', '1']);
  assert.deepEqual(keys('data["a.b"].c'), ['data', 'a.b', 'c']);
  assert.deepEqual(keys('data["say \\"hi\\" [x]"]'), ['data', 'say "hi" [x]']);
  assert.deepEqual(keys("data['it\\'s.here']"), ['data', "it's.here"]);
  assert.deepEqual(keys('events.*.tickers', true), ['events', '*', 'tickers']);
  assert.deepEqual(keys('events[*].tickers', true), ['events', '*', 'tickers']);
  // A literal * key is written quoted; `$x` is a key, not the root.
  assert.deepEqual(keys('a["*"]'), ['a', '*']);
  assert.equal(parseJsonPath('a["*"]').segments[1].each, false);
  assert.deepEqual(keys('$x.y'), ['$x', 'y']);
  // Index segments also stand for their array element; quoted and non-canonical ones do not.
  assert.equal(parseJsonPath('q.3').segments[1].index, 3);
  assert.equal(parseJsonPath('q["3"]').segments[1].index, -1);
  assert.equal(parseJsonPath('q.03').segments[1].index, -1);

  for (const bad of [
    '',
    'a..b',
    'a.',
    'a[',
    'a[x]',
    'a]b',
    'a[0]b',
    '["open',
    '["x"',
    "['\\n']",
    '$..a',
    'a.*',
  ]) {
    assert.throws(() => parseJsonPath(bad), JsonPathSyntaxError, bad);
  }
  assert.throws(() => parseJsonPath('x'.repeat(201)), /longer than 200/);
  assert.throws(() => parseJsonPath('a.*.b'), /only allowed in the list path/);
});

test('a flat message: decimal strings and numbers, sizes, source and sequence', () => {
  const m = { ...FLAT, bidSize: 'B', askSize: 'A', source: 'lp', sequence: 'u' };
  const r = map(m, { s: 'BTCUSDT', b: '64000.10', a: 64000.2, B: '0.5', A: 3, E: T_MS, lp: 'lp-1', u: '77' });
  assert.deepEqual(r.errors, []);
  assert.equal(r.skipped, false);
  assert.deepEqual(r.ticks.map(plain), [
    {
      symbol: 'BTCUSDT',
      bid: 64000.1,
      ask: 64000.2,
      bidSize: 0.5,
      askSize: 3,
      tsUs: T_MS * 1000,
      recvUs: RECV_US,
      noExchangeTime: false,
      source: 'lp-1',
      seq: 77,
    },
  ]);
  // Optional fields absent or null: the tick is kept without them.
  const bare = map(m, { s: 'X', b: 1, a: 2, B: null, E: T_MS });
  assert.deepEqual(bare.errors, []);
  assert.deepEqual(plain(bare.ticks[0]), {
    symbol: 'X',
    bid: 1,
    ask: 2,
    tsUs: T_MS * 1000,
    recvUs: RECV_US,
    noExchangeTime: false,
  });
  // A numeric instrument id is a name too.
  assert.equal(map(FLAT, { s: 1234, b: 1, a: 2, E: T_MS }).ticks[0].symbol, '1234');
});

test('numbers as text: decimals and exponents are numbers; hex, blanks and Infinity are not', () => {
  const bidOf = (b: unknown) => {
    const r = map(FLAT, { s: 'X', b, a: 1, E: T_MS });
    return r.ticks.length === 1 ? r.ticks[0].bid : reasons(r)[0];
  };
  assert.equal(bidOf('1.5'), 1.5);
  assert.equal(bidOf('.5'), 0.5);
  assert.equal(bidOf('5.'), 5);
  assert.equal(bidOf('1e-3'), 0.001);
  assert.equal(bidOf('0E-8'), 0);
  assert.equal(bidOf('-2'), -2); // the engine turns non-positive prices away, by its own reason
  for (const bad of [
    '',
    ' 1',
    '1 ',
    '0x10',
    '0b1',
    '0o7',
    'Infinity',
    '-Infinity',
    'NaN',
    '1,5',
    '1_0',
    true,
    {},
  ]) {
    assert.equal(bidOf(bad), 'not_a_number:bid', JSON.stringify(bad));
  }
});

test('paths read array elements by index, object keys by name, and never inherited properties', () => {
  const m = { symbol: 'q.0.s', bid: 'q.0.px.1', ask: 'meta.0', time: '$.t', timeUnit: 'ms' } as const;
  const r = map(m, { q: [{ s: 'A', px: [9, 1.25] }], meta: { '0': '1.5' }, t: T_MS });
  assert.deepEqual(reasons(r), []);
  assert.equal(r.ticks[0].bid, 1.25);
  assert.equal(r.ticks[0].ask, 1.5);
  // A key on an array, or an index past its end, is missing.
  assert.deepEqual(reasons(map({ ...m, bid: 'q.length' }, { q: [{ s: 'A' }], meta: { 0: 1 }, t: T_MS })), [
    'path_missing:bid',
  ]);
  assert.deepEqual(reasons(map({ ...m, bid: 'q.5' }, { q: [{ s: 'A' }], meta: { 0: 1 }, t: T_MS })), [
    'path_missing:bid',
  ]);
  // constructor, toString, __proto__: only as the message's own keys.
  for (const key of ['constructor', 'toString', '__proto__', 'hasOwnProperty']) {
    const mk = { ...FLAT, symbol: key };
    assert.deepEqual(reasons(map(mk, { b: 1, a: 1, E: T_MS })), ['path_missing:symbol'], key);
    const own = mapText(mk, `{"${key}":"OWN","b":1,"a":1,"E":${T_MS}}`);
    assert.equal(own.ticks[0]?.symbol, 'OWN', key);
  }
});

test('quoted keys reach keys with dots and brackets in them', () => {
  const m = { symbol: 'data["sym.bol"]', bid: "data['px[b]']", ask: 'data["x"]["a.b"]' } as const;
  const r = map(m, { data: { 'sym.bol': 'EURUSD', 'px[b]': 1.1, x: { 'a.b': '1.2' } } });
  assert.deepEqual(reasons(r), []);
  assert.deepEqual([r.ticks[0].symbol, r.ticks[0].bid, r.ticks[0].ask], ['EURUSD', 1.1, 1.2]);
});

test('a list gives one tick per element; $ paths read the whole message; bad elements only drop themselves', () => {
  const m = {
    list: 'quotes',
    symbol: 'sym',
    bid: 'px.0',
    ask: 'px.1',
    time: '$.ts',
    timeUnit: 'us',
    sequence: '$.seq',
  } as const;
  const tsUs = T_MS * 1000 + 456;
  const r = map(m, {
    ts: tsUs,
    seq: 9,
    quotes: [
      { sym: 'A', px: [1, 2] },
      { sym: 'B', px: ['x', 2] },
      { px: [1, 2] },
      { sym: 'C', px: ['3', '4'] },
    ],
  });
  assert.deepEqual(
    r.ticks.map((t) => [t.symbol, t.bid, t.ask, t.tsUs, t.seq]),
    [
      ['A', 1, 2, tsUs, 9],
      ['C', 3, 4, tsUs, 9],
    ],
  );
  assert.deepEqual(
    r.errors.map((e) => [e.reason, e.path]),
    [
      ['not_a_number:bid', 'px.0'],
      ['path_missing:symbol', 'sym'],
    ],
  );
  // An empty batch is neither ticks nor an error.
  const empty = map(m, { ts: tsUs, quotes: [] });
  assert.deepEqual([empty.ticks.length, empty.errors.length, empty.skipped], [0, 0, false]);
  assert.deepEqual(reasons(map(m, { ts: tsUs })), ['path_missing:list']);
  assert.deepEqual(reasons(map(m, { quotes: { sym: 'A' } })), ['list_not_array']);
  // `list: '$'`: the message itself is the batch.
  const top = map({ list: '$', symbol: 's', bid: 'b', ask: 'a' }, [{ s: 'A', b: 1, a: 2 }]);
  assert.deepEqual(top.ticks.map(plain), [
    { symbol: 'A', bid: 1, ask: 2, tsUs: RECV_US, recvUs: RECV_US, noExchangeTime: true },
  ]);
});

test('a list path with * joins nested arrays (Coinbase ticker events)', () => {
  const m = {
    list: 'events.*.tickers',
    symbol: 'product_id',
    bid: 'best_bid',
    ask: 'best_ask',
    bidSize: 'best_bid_quantity',
    time: '$.timestamp',
    timeUnit: 'iso',
    sequence: '$.sequence_num',
    sequenceScope: 'connection',
    match: { path: 'channel', equals: 'ticker' },
  } as const;
  const msg = {
    channel: 'ticker',
    timestamp: '2024-03-01T12:34:56.123456789Z',
    sequence_num: 42,
    events: [
      {
        type: 'snapshot',
        tickers: [
          { product_id: 'BTC-USD', best_bid: '21931.98', best_ask: '21933.98', best_bid_quantity: '8000.21' },
        ],
      },
      { type: 'update', tickers: [{ product_id: 'ETH-USD', best_bid: '1500.5', best_ask: '1500.6' }] },
    ],
  };
  const r = map(m, msg);
  assert.deepEqual(reasons(r), []);
  const tsUs = Date.UTC(2024, 2, 1, 12, 34, 56) * 1000 + 123_456;
  assert.deepEqual(
    r.ticks.map((t) => [t.symbol, t.bid, t.ask, t.bidSize, t.tsUs, t.seq]),
    [
      ['BTC-USD', 21931.98, 21933.98, 8000.21, tsUs, 42],
      ['ETH-USD', 1500.5, 1500.6, undefined, tsUs, 42],
    ],
  );
  assert.equal(compile(m).mapping.sequenceScope, 'connection');
  assert.deepEqual(reasons(map(m, { ...msg, events: [{ tickers: [] }, { tickers: 'no' }] })), [
    'list_not_array',
  ]);
  assert.deepEqual(reasons(map(m, { ...msg, events: 'no' })), ['list_not_array']);
});

test('time units: s, ms, us and ns as numbers or text, exact to the µs', () => {
  const usOf = (time: unknown, timeUnit: 's' | 'ms' | 'us' | 'ns' | 'iso') => {
    const r = map({ ...FLAT, timeUnit }, { s: 'X', b: 1, a: 1, E: time });
    return r.ticks.length === 1 ? r.ticks[0].tsUs : reasons(r)[0];
  };
  const base = 1_709_296_496_123_456; // 2024-03-01T12:34:56.123456Z
  assert.equal(usOf(1_709_296_496, 's'), 1_709_296_496_000_000);
  assert.equal(usOf(1_709_296_496.123456, 's'), base);
  assert.equal(usOf('1709296496.123456789', 's'), base);
  assert.equal(usOf('1709296496', 's'), 1_709_296_496_000_000);
  assert.equal(usOf(1_709_296_496_123, 'ms'), 1_709_296_496_123_000);
  assert.equal(usOf(1_709_296_496_123.456, 'ms'), base);
  assert.equal(usOf('1709296496123.4569', 'ms'), base);
  assert.equal(usOf('1.709296496123456e12', 'ms'), base);
  assert.equal(usOf(base, 'us'), base);
  assert.equal(usOf(String(base), 'us'), base);
  assert.equal(usOf('1709296496123456.9', 'us'), base);
  // ns beyond 2^53: the text keeps every digit; truncated, never rounded up into the next µs.
  assert.equal(usOf('1709296496123456999', 'ns'), base);
  assert.equal(usOf('1709296496123456000', 'ns'), base);
  assert.equal(usOf(1_709_296_496_123_456_000, 'ns'), base); // a double that happens to be exact
  // The wrong unit shows as an implausible date (or one µs cannot hold), never as a tick.
  assert.equal(usOf(1_709_296_496_123_456, 'ns'), 'time_out_of_range'); // µs read as ns: 1970
  assert.equal(usOf(1_709_296_496_123_456, 'ms'), 'time_invalid'); // µs read as ms: past 2^53 µs
  assert.equal(usOf('1709296496', 'ms'), 'time_out_of_range'); // seconds read as ms: 1970
  assert.equal(usOf(1_709_296_496_123, 's'), 'time_invalid'); // ms read as s: past 2^53 µs
  assert.equal(usOf(1_709_296_496_123, 'us'), 'time_out_of_range');
  for (const bad of ['-1709296496', 'soon', '', '1709296496.1.2', true, [1], { t: 1 }, -1.5]) {
    assert.equal(usOf(bad, 's'), 'time_invalid', JSON.stringify(bad));
  }
});

test('ns sent as a JSON number beyond 2^53 is re-read from the message text, digit for digit', () => {
  const m = { ...FLAT, timeUnit: 'ns' } as const;
  const text = '{"s":"X","b":1,"a":2,"E":1709296496123456999}';
  // A double holds 1709296496123457024 here: the µs would be one too late.
  assert.equal(BigInt(JSON.parse(text).E as number), 1709296496123457024n);
  assert.equal(map(m, JSON.parse(text)).ticks[0].tsUs, 1_709_296_496_123_457);
  assert.equal(mapText(m, text).ticks[0].tsUs, 1_709_296_496_123_456);
  // Several ticks in one batch, each with its own ns time.
  const batch = mapText(
    { list: 'q', symbol: 's', bid: 'b', ask: 'a', time: 't', timeUnit: 'ns' },
    '{"q":[{"s":"A","b":1,"a":2,"t":1709296496000000999},{"s":"B","b":1,"a":2,"t":1709296496999999999}]}',
  );
  assert.deepEqual(
    batch.ticks.map((t) => t.tsUs),
    [1_709_296_496_000_000, 1_709_296_496_999_999],
  );
});

test('ISO times with up to 9 fractional digits, zones and offsets; impossible dates are invalid', () => {
  const usOf = (time: unknown) => {
    const r = map({ ...FLAT, timeUnit: 'iso' }, { s: 'X', b: 1, a: 1, E: time });
    return r.ticks.length === 1 ? r.ticks[0].tsUs : reasons(r)[0];
  };
  const sec = Date.UTC(2024, 2, 1, 12, 34, 56) * 1000;
  assert.equal(usOf('2024-03-01T12:34:56.123456789Z'), sec + 123_456);
  assert.equal(usOf('2024-03-01T12:34:56.1Z'), sec + 100_000);
  assert.equal(usOf('2024-03-01T12:34:56Z'), sec);
  assert.equal(usOf('2024-03-01 12:34:56,5'), sec + 500_000); // no zone: UTC
  assert.equal(usOf('2024-03-01T14:34:56.000001+02:00'), sec + 1);
  assert.equal(usOf('2024-03-01T07:04:56-0530'), sec);
  assert.equal(usOf('2024-02-29T00:00:00Z'), Date.UTC(2024, 1, 29) * 1000);
  assert.equal(usOf('2000-02-29t10:34:56+10'), Date.UTC(2000, 1, 29, 0, 34, 56) * 1000);
  assert.equal(usOf('2016-12-31T23:59:60Z'), Date.UTC(2017, 0, 1) * 1000); // a leap second
  // Every day of the calendar agrees with Date (leap years, month ends, both centuries).
  for (let ms = Date.UTC(1980, 0, 1, 7, 8, 9, 10); ms < Date.UTC(2200, 0, 1); ms += 86_400_000 + 3_601_001) {
    const iso = new Date(ms).toISOString();
    assert.equal(usOf(iso), ms * 1000, iso);
  }
  for (const bad of [
    '2023-02-29T00:00:00Z',
    '2024-13-01T00:00:00Z',
    '2024-03-01T24:00:00Z',
    '2024-03-01T12:34:56.1234567890Z',
    '2024-03-01',
    '2024-03-01T12:34:56+25:00',
    '2024-03-01T12:34:56Zx',
    '2024-03-01T12:34:56.Z',
    '2024-03-01T12:34:56+0',
    '2024-03-01X12:34:56Z',
    '2024-3-01T12:34:56Z',
    '1900-02-29T00:00:00Z',
    '2024-04-31T00:00:00Z',
    '2024-03-01T12:34:61Z',
    1_709_296_496_123,
  ]) {
    assert.equal(usOf(bad), 'time_invalid', String(bad));
  }
});

test('no time path: filed under the receive time and marked as having no exchange time', () => {
  const r = map({ symbol: 's', bid: 'b', ask: 'a' }, { s: 'X', b: 1, a: 2, E: T_MS });
  assert.equal(r.ticks[0].tsUs, RECV_US);
  assert.equal(r.ticks[0].noExchangeTime, true);
  assert.equal(map(FLAT, { s: 'X', b: 1, a: 2, E: T_MS }).ticks[0].noExchangeTime, false);
});

test('match: other messages are skipped, not malformed; a typed-in "1" matches the number 1', () => {
  const m = { ...FLAT, match: { path: 'e', equals: 'bookTicker' } } as const;
  const tick = { e: 'bookTicker', s: 'X', b: 1, a: 2, E: T_MS };
  assert.equal(map(m, tick).ticks.length, 1);
  for (const other of [{ e: 'heartbeat' }, { result: null, id: 1 }, 'pong', null, [1, 2]]) {
    const r = map(m, other);
    assert.deepEqual([r.skipped, r.ticks.length, r.errors.length], [true, 0, 0], JSON.stringify(other));
  }
  // A matching message that is garbled is malformed, not skipped.
  const bad = map(m, { e: 'bookTicker', b: 1, a: 2, E: T_MS });
  assert.deepEqual([bad.skipped, reasons(bad)], [false, ['path_missing:symbol']]);
  const typed = (equals: string | number | boolean, v: unknown) =>
    !map({ ...FLAT, match: { path: 'k', equals } }, { ...tick, k: v }).skipped;
  assert.equal(typed('1', 1), true);
  assert.equal(typed(1, '1'), true);
  assert.equal(typed(true, true), true);
  assert.equal(typed('true', true), false);
  assert.equal(typed(2, 1), false);
});

test('every error reason is produced by some message, and names its path', () => {
  const full = { ...FLAT, bidSize: 'B', askSize: 'A', source: 'lp', sequence: 'u' } as const;
  const good = { s: 'X', b: 1, a: 2, E: T_MS };
  const cases: [MappingErrorReason, JsonMappingInput, string][] = [
    ['not_json', FLAT, '{"s":'],
    ['list_not_array', { ...FLAT, list: 'q' }, '{"q":1}'],
    ['path_missing:list', { ...FLAT, list: 'q' }, '{}'],
    ['path_missing:symbol', FLAT, JSON.stringify({ ...good, s: null })],
    ['path_missing:bid', FLAT, JSON.stringify({ ...good, b: undefined })],
    ['path_missing:ask', FLAT, JSON.stringify({ ...good, a: undefined })],
    ['path_missing:time', FLAT, JSON.stringify({ ...good, E: undefined })],
    ['not_a_string:symbol', FLAT, JSON.stringify({ ...good, s: { x: 1 } })],
    ['not_a_string:source', full, JSON.stringify({ ...good, lp: [1] })],
    ['not_a_number:bid', FLAT, JSON.stringify({ ...good, b: 'one' })],
    ['not_a_number:ask', FLAT, JSON.stringify({ ...good, a: false })],
    ['not_a_number:bidSize', full, JSON.stringify({ ...good, B: 'lots' })],
    ['not_a_number:askSize', full, JSON.stringify({ ...good, A: {} })],
    ['not_a_number:sequence', full, JSON.stringify({ ...good, u: 'next' })],
    ['sequence_invalid', full, JSON.stringify({ ...good, u: 1.5 })],
    ['time_invalid', FLAT, JSON.stringify({ ...good, E: 'later' })],
    ['time_out_of_range', FLAT, JSON.stringify({ ...good, E: 5 })],
  ];
  for (const [reason, m, text] of cases) {
    const r = mapText(m, text);
    assert.deepEqual([reasons(r), r.ticks.length], [[reason], 0], `${reason}: ${text}`);
    assert.ok(r.errors[0].detail.length > 0);
  }
  assert.deepEqual(cases.map((c) => c[0]).sort(), [...MAPPING_ERROR_REASONS].sort());
  assert.deepEqual(
    mapText(full, JSON.stringify({ ...good, u: -1 })).errors.map((e) => [e.reason, e.path]),
    [['sequence_invalid', 'u']],
  );
  assert.deepEqual(reasons(mapText(full, JSON.stringify({ ...good, u: '9007199254740993' }))), [
    'sequence_invalid',
  ]);
  // A batch of garbage reports a bounded number of errors.
  const many = mapText(
    { ...FLAT, list: 'q' },
    JSON.stringify({ q: Array.from({ length: 500 }, () => ({})) }),
  );
  assert.equal(many.errors.length, MAX_ERRORS_PER_MESSAGE);
});

test('a reused result keeps its tick objects and forgets the previous message', () => {
  const c = compile({ ...FLAT, list: 'q', bidSize: 'B' });
  const into: MappingResult = { ticks: [], skipped: false, errors: [] };
  applyJsonMapping(c, { q: [{ s: 'A', b: 1, a: 2, E: T_MS, B: 5 }] }, RECV_US, into);
  const first = into.ticks[0];
  const r = applyJsonMapping(c, { q: [{ s: 'B', b: 3, a: 4, E: T_MS }, { s: 'C' }] }, RECV_US + 1, into);
  assert.equal(r, into);
  assert.equal(r.ticks[0], first);
  assert.deepEqual(plain(r.ticks[0]), {
    symbol: 'B',
    bid: 3,
    ask: 4,
    tsUs: T_MS * 1000,
    recvUs: RECV_US + 1,
    noExchangeTime: false,
  });
  assert.deepEqual([r.ticks.length, reasons(r)], [1, ['path_missing:bid']]);
  const again = mapJsonText(c, 'nope', RECV_US, into);
  assert.deepEqual([again.ticks.length, reasons(again)], [0, ['not_json']]);
});

test('preview: each raw message with its ticks or errors; an invalid mapping says why in zod words', () => {
  const p = previewJsonMapping(
    { ...FLAT, match: { path: 'e', equals: 'q' } },
    [
      JSON.stringify({ e: 'q', s: 'X', b: '1.1', a: '1.2', E: T_MS }),
      '{"e":"hb"}',
      'not json',
      JSON.stringify({ e: 'q', s: 'X', b: '?', a: '1.2', E: T_MS }),
    ],
    RECV_US,
  );
  assert.equal(p.mappingError, null);
  assert.deepEqual(
    p.messages.map((m) => [m.ticks.map((t) => t.bid), m.skipped, reasons(m)]),
    [
      [[1.1], false, []],
      [[], true, []],
      [[], false, ['not_json']],
      [[], false, ['not_a_number:bid']],
    ],
  );
  assert.equal(p.messages[2].raw, 'not json');

  const noBid = previewJsonMapping({ symbol: 's', ask: 'a' }, ['{}'], RECV_US);
  assert.match(noBid.mappingError ?? '', /bid/);
  assert.deepEqual(noBid.messages, []);
  const badPath = previewJsonMapping({ symbol: 'a..b', bid: 'b', ask: 'a' }, ['{}'], RECV_US);
  assert.match(badPath.mappingError ?? '', /empty key at character 3[\s\S]*symbol/);
  assert.match(
    previewJsonMapping({ symbol: 'q.*.s', bid: 'b', ask: 'a' }, [], RECV_US).mappingError ?? '',
    /list path/,
  );
  assert.match(
    previewJsonMapping({ ...FLAT, timeUnit: 'minutes' }, [], RECV_US).mappingError ?? '',
    /timeUnit/,
  );
  assert.match(previewJsonMapping({ ...FLAT, extra: 1 }, [], RECV_US).mappingError ?? '', /extra/);
  assert.match(previewJsonMapping(null, [], RECV_US).mappingError ?? '', /object/);
});

test('a feed config with a bad path is refused when it is loaded, not when messages arrive', () => {
  const cfg = {
    id: 'lp',
    kind: 'ws-json',
    url: 'ws://127.0.0.1:1/',
    mapping: { symbol: 's', bid: 'b[', ask: 'a' },
  };
  const r = WS_JSON_FEED_SCHEMA.safeParse(cfg);
  assert.equal(r.success, false);
  assert.match(JSON.stringify(r.error?.issues), /unterminated \[/);
  const ok = WS_JSON_FEED_SCHEMA.parse({ ...cfg, mapping: { symbol: 's', bid: 'b', ask: 'a' } });
  assert.deepEqual([ok.mapping.timeUnit, ok.mapping.sequenceScope], ['ms', 'symbol']);
});
