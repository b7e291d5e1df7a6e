import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  BINANCE_MALFORMED,
  bookTickerStream,
  emptyBookTickerQuote,
  parseBookTicker,
} from '../../../electron/feeds/binance/bookTicker.ts';
import { parseDecimal } from '../../../electron/feeds/core/decimalText.ts';
import { formatBookTicker } from '../../helpers/peers/binanceFormat.ts';

const SPOT =
  '{"u":400900217,"s":"BNBUSDT","b":"25.35190000","B":"31.21000000","a":"25.36520000","A":"40.66000000"}';
const FUTURES =
  '{"e":"bookTicker","u":400900217,"E":1568014460893,"T":1568014460891,"s":"BNBUSDT","b":"25.35190000","B":"31.21000000","a":"25.36520000","A":"40.66000000"}';

function parse(text: string) {
  const q = emptyBookTickerQuote();
  return { r: parseBookTicker(text, q), q };
}

test('spot bookTicker: symbol as sent, decimals as numbers, u as seq, no exchange time', () => {
  const { r, q } = parse(SPOT);
  assert.equal(r, 'tick');
  assert.deepEqual(
    [q.symbol, q.bid, q.bidSize, q.ask, q.askSize, q.updateId, q.exchangeUs],
    ['BNBUSDT', 25.3519, 31.21, 25.3652, 40.66, 400900217, -1],
  );
});

test('futures bookTicker: T (transaction time) is the exchange time, else E', () => {
  assert.equal(parse(FUTURES).q.exchangeUs, 1568014460891_000);
  const onlyE = FUTURES.replace('"T":1568014460891,', '');
  assert.equal(parse(onlyE).q.exchangeUs, 1568014460893_000);
});

test('combined-stream envelope is unwrapped', () => {
  const { r, q } = parse(`{"stream":"bnbusdt@bookTicker","data":${FUTURES}}`);
  assert.equal(r, 'tick');
  assert.equal(q.symbol, 'BNBUSDT');
  assert.equal(parse('{"stream":"x","data":null}').r, BINANCE_MALFORMED.notObject);
  assert.equal(parse('{"stream":"x","data":[1]}').r, BINANCE_MALFORMED.notObject);
});

test('control replies: SUBSCRIBE ack, both error shapes, serverShutdown', () => {
  let p = parse('{"result":null,"id":7}');
  assert.deepEqual([p.r, p.q.id], ['ack', 7]);
  p = parse('{"code":2,"msg":"Invalid request: stream name","id":3}');
  assert.deepEqual(
    [p.r, p.q.id, p.q.errorCode, p.q.errorText],
    ['error', 3, 2, 'Invalid request: stream name'],
  );
  p = parse('{"error":{"code":-1121,"msg":"Invalid symbol."},"id":4}');
  assert.deepEqual([p.r, p.q.id, p.q.errorCode, p.q.errorText], ['error', 4, -1121, 'Invalid symbol.']);
  p = parse('{"code":0,"msg":"x".padEnd(10)}'.replace('"x".padEnd(10)', `"${'x'.repeat(1000)}"`));
  assert.equal(p.r, 'error');
  assert.equal(p.q.errorText.length, 300, 'a long error text is cut');
  assert.equal(parse('{"e":"serverShutdown","E":1700000000000}').r, 'shutdown');
  assert.equal(parse('{"hello":1}').r, BINANCE_MALFORMED.unexpected);
});

test('not JSON, truncated at any point, or not an object: counted reasons, never a throw', () => {
  assert.equal(parse('').r, BINANCE_MALFORMED.notJson);
  assert.equal(parse('hello').r, BINANCE_MALFORMED.notJson);
  for (let cut = 1; cut < SPOT.length; cut++)
    assert.equal(parse(SPOT.slice(0, cut)).r, BINANCE_MALFORMED.notJson, `cut at ${cut}`);
  for (const t of ['null', '[]', '[1,2]', '"text"', '42', 'true'])
    assert.equal(parse(t).r, BINANCE_MALFORMED.notObject, t);
});

test('bad prices, sizes, ids, symbols and times each have their reason', () => {
  const withField = (k: string, v: string) =>
    parse(SPOT.replace(new RegExp(`"${k}":("[^"]*"|\\d+)`), `"${k}":${v}`)).r;
  for (const v of [
    '"abc"',
    '""',
    '" 1"',
    '"0x1A"',
    '"Infinity"',
    '"NaN"',
    '"1e400"',
    '"-1"',
    '"0"',
    'null',
    '{}',
    '[1]',
  ])
    assert.equal(withField('b', v), BINANCE_MALFORMED.price, `bid ${v}`);
  assert.equal(withField('a', '"-0.5"'), BINANCE_MALFORMED.price);
  for (const v of ['"-1"', '"x"', '"1e999"', 'null'])
    assert.equal(withField('B', v), BINANCE_MALFORMED.size, `bidSize ${v}`);
  for (const v of ['-1', '1.5', '"400"', '9007199254740993', 'null'])
    assert.equal(withField('u', v), BINANCE_MALFORMED.updateId, `u ${v}`);
  for (const v of ['""', '12', 'null', `"${'X'.repeat(33)}"`])
    assert.equal(withField('s', v), BINANCE_MALFORMED.symbol, `s ${v}`);
  for (const v of ['0', '-5', '1.5', '"1568014460891"'])
    assert.equal(parse(FUTURES.replace('"T":1568014460891', `"T":${v}`)).r, BINANCE_MALFORMED.time, `T ${v}`);
});

test('huge and tiny numbers are read exactly as numbers; zero sizes are fine', () => {
  const { r, q } = parse(
    '{"u":0,"s":"SHIBUSDT","b":"0.00000001","B":"99999999999999.99","a":"1e-300","A":"0.00000000"}',
  );
  assert.equal(r, 'tick');
  assert.deepEqual(
    [q.bid, q.ask, q.bidSize, q.askSize, q.updateId],
    [1e-8, 1e-300, Number('99999999999999.99'), 0, 0],
  );
  const big = parse('{"u":9007199254740991,"s":"X","b":"1.7e308","B":"1","a":"1.79e308","A":"1"}');
  assert.equal(big.r, 'tick');
  assert.deepEqual([big.q.bid, big.q.ask, big.q.updateId], [1.7e308, 1.79e308, Number.MAX_SAFE_INTEGER]);
});

test('parseDecimal: decimals and numbers yes; blanks, hex, words no', () => {
  assert.equal(parseDecimal('25.35190000'), 25.3519);
  assert.equal(parseDecimal('.5'), 0.5);
  assert.equal(parseDecimal('+2'), 2);
  assert.equal(parseDecimal(3), 3);
  for (const v of ['', ' ', ' 1', '0x10', '0X10', 'Infinity', 'abc', '1'.repeat(65), null, undefined, true])
    assert.ok(Number.isNaN(parseDecimal(v)), String(v));
});

test('stream names lowercase the symbol', () => {
  assert.equal(bookTickerStream('BTCUSDT'), 'btcusdt@bookTicker');
});

test('parse speed: well under a microsecond per message on a quiet machine (asserted with 5x headroom)', () => {
  const msgs = Array.from({ length: 256 }, (_, i) =>
    formatBookTicker(
      {
        symbol: `S${i % 32}USDT`,
        u: 4_009_002_170 + i,
        bid: (25.3519 + i / 1e4).toFixed(8),
        ask: (25.3652 + i / 1e4).toFixed(8),
        bidSize: '31.21000000',
        askSize: '40.66000000',
        eventMs: 1_568_014_460_893 + i,
        transactMs: 1_568_014_460_891 + i,
      },
      'futures',
      'btcusdt@bookTicker',
    ),
  );
  const q = emptyBookTickerQuote();
  let ticks = 0;
  for (let i = 0; i < 50_000; i++) if (parseBookTicker(msgs[i & 255], q) === 'tick') ticks++;
  const n = 200_000;
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < n; i++) if (parseBookTicker(msgs[i & 255], q) === 'tick') ticks++;
  const ns = Number(process.hrtime.bigint() - t0) / n;
  console.log(`parseBookTicker (futures, combined envelope): ${ns.toFixed(0)} ns/message`);
  assert.equal(ticks, 250_000);
  assert.ok(ns < 5_000, `${ns} ns per message`);
});
