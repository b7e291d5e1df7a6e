import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  COINBASE_MALFORMED,
  emptyCoinbaseMessage,
  isoToUs,
  MAX_TICKERS_PER_MESSAGE,
  parseCoinbaseMessage,
} from '../../../electron/feeds/coinbase/coinbaseMessages.ts';

const TICKER = {
  type: 'ticker',
  product_id: 'BTC-USD',
  price: '21932.98',
  volume_24_h: '16038.28770938',
  best_bid: '21931.91',
  best_bid_quantity: '0.0004',
  best_ask: '21932.98',
  best_ask_quantity: '0.000007',
};
const message = (over: Record<string, unknown> = {}) =>
  JSON.stringify({
    channel: 'ticker',
    client_id: '',
    timestamp: '2023-02-09T20:30:37.167359596Z',
    sequence_num: 12,
    events: [{ type: 'update', tickers: [TICKER] }],
    ...over,
  });

function parse(text: string) {
  const m = emptyCoinbaseMessage();
  return { r: parseCoinbaseMessage(text, m), m };
}

test('isoToUs: ns cut (not rounded) to µs, Z or offsets, impossible dates refused', () => {
  assert.equal(isoToUs('2023-02-09T20:30:37.167359596Z'), Date.UTC(2023, 1, 9, 20, 30, 37) * 1000 + 167_359);
  assert.equal(isoToUs('2023-02-09T20:30:37.999999999Z'), Date.UTC(2023, 1, 9, 20, 30, 37) * 1000 + 999_999);
  assert.equal(isoToUs('2023-02-09T20:30:37Z'), Date.UTC(2023, 1, 9, 20, 30, 37) * 1000);
  assert.equal(isoToUs('2023-02-09T20:30:37.5Z'), Date.UTC(2023, 1, 9, 20, 30, 37) * 1000 + 500_000);
  assert.equal(isoToUs('2023-02-09T22:30:37.000001+02:00'), Date.UTC(2023, 1, 9, 20, 30, 37) * 1000 + 1);
  assert.equal(isoToUs('2023-02-09 20:30:37.1-0130'), Date.UTC(2023, 1, 9, 22, 0, 37) * 1000 + 100_000);
  assert.equal(isoToUs('2024-02-29T00:00:00Z'), Date.UTC(2024, 1, 29) * 1000, 'leap day');
  for (const bad of [
    '2023-02-29T00:00:00Z',
    '2023-13-01T00:00:00Z',
    '2023-00-01T00:00:00Z',
    '2023-01-01T24:00:00Z',
    '2023-01-01T00:60:00Z',
    '2023-01-01T00:00:00',
    '2023-01-01T00:00:00.1234567890Z',
    '2023-01-01',
    'yesterday',
    '',
  ])
    assert.ok(Number.isNaN(isoToUs(bad)), bad);
});

test('a ticker message: entries over several events, each with its index; sizes; sequence and time', () => {
  const { r, m } = parse(
    message({
      events: [
        { type: 'snapshot', tickers: [TICKER, { ...TICKER, product_id: 'ETH-USD', best_bid: '1500.5' }] },
        { type: 'update', tickers: [{ ...TICKER, product_id: 'SOL-USD' }] },
      ],
    }),
  );
  assert.equal(r, 'ticker');
  assert.equal(m.count, 3);
  assert.equal(m.sequenceNum, 12);
  assert.equal(m.timestampUs, Date.UTC(2023, 1, 9, 20, 30, 37) * 1000 + 167_359);
  assert.deepEqual(
    m.tickers.slice(0, 3).map((t) => [t.index, t.productId, t.bid, t.ask, t.bidSize, t.askSize]),
    [
      [0, 'BTC-USD', 21931.91, 21932.98, 0.0004, 0.000007],
      [1, 'ETH-USD', 1500.5, 21932.98, 0.0004, 0.000007],
      [2, 'SOL-USD', 21931.91, 21932.98, 0.0004, 0.000007],
    ],
  );
});

test('a bad entry drops only itself and keeps its index slot; missing sizes are NaN (no size)', () => {
  const { r, m } = parse(
    message({
      events: [
        {
          type: 'update',
          tickers: [
            { ...TICKER, best_bid: 'NaN' },
            { product_id: 'A-USD', best_bid: '1', best_ask: '2' },
            { ...TICKER, product_id: '' },
            { ...TICKER, best_ask_quantity: '-2' },
            null,
            { ...TICKER, product_id: 'B-USD' },
          ],
        },
        { type: 'update' },
      ],
    }),
  );
  assert.equal(r, 'ticker');
  assert.equal(m.count, 2);
  assert.equal(m.badEntries, 5);
  assert.deepEqual(
    m.tickers.slice(0, 2).map((t) => [t.index, t.productId]),
    [
      [1, 'A-USD'],
      [5, 'B-USD'],
    ],
  );
  assert.ok(Number.isNaN(m.tickers[0].bidSize) && Number.isNaN(m.tickers[0].askSize));
});

test('more than 1,000 entries in a message: the rest are refused (seq would collide)', () => {
  const tickers = Array.from({ length: MAX_TICKERS_PER_MESSAGE + 5 }, () => TICKER);
  const { m } = parse(message({ events: [{ type: 'update', tickers }] }));
  assert.equal(m.count, MAX_TICKERS_PER_MESSAGE);
  assert.equal(m.badEntries, 5);
  assert.equal(m.badReason, COINBASE_MALFORMED.tooMany);
});

test('heartbeats, subscriptions, errors and other channels are told apart', () => {
  assert.equal(parse(message({ channel: 'heartbeats', events: [{ heartbeat_counter: 3 }] })).r, 'heartbeat');
  assert.equal(
    parse(message({ channel: 'subscriptions', events: [{ subscriptions: { ticker: ['BTC-USD'] } }] })).r,
    'subscriptions',
  );
  assert.equal(parse(message({ channel: 'level2' })).r, 'other_channel');
  const e = parse(
    '{"type":"error","message":"Failed to subscribe","reason":"BAD-USD is not a valid product"}',
  );
  assert.deepEqual(
    [e.r, e.m.errorText, e.m.sequenceNum],
    ['error', 'Failed to subscribe: BAD-USD is not a valid product', -1],
  );
  assert.equal(parse('{"type":"error"}').m.errorText, 'error without a message');
});

test('malformed messages: not JSON, truncated anywhere, wrong shapes, bad sequence, time or events', () => {
  const good = message();
  for (let cut = 1; cut < good.length; cut++)
    assert.equal(parse(good.slice(0, cut)).r, COINBASE_MALFORMED.notJson, `cut ${cut}`);
  for (const t of ['null', '[1]', '"x"', '7']) assert.equal(parse(t).r, COINBASE_MALFORMED.notObject);
  assert.equal(parse('{"events":[]}').r, COINBASE_MALFORMED.unexpected);
  for (const v of [-1, 1.5, '3', null, 2 ** 53])
    assert.equal(parse(message({ sequence_num: v })).r, COINBASE_MALFORMED.sequence, String(v));
  for (const v of ['2023-02-30T00:00:00Z', 'now', 12, null])
    assert.equal(parse(message({ timestamp: v })).r, COINBASE_MALFORMED.time, String(v));
  assert.equal(parse(message({ events: {} })).r, COINBASE_MALFORMED.events);
  // a heartbeat needs no readable time: it only proves liveness
  assert.equal(parse(message({ channel: 'heartbeats', timestamp: 'x' })).r, 'heartbeat');
});

test('huge and tiny prices are numbers; hex, blanks and Infinity are not', () => {
  let { m } = parse(
    message({
      events: [{ type: 'update', tickers: [{ ...TICKER, best_bid: '1e-12', best_ask: '1.7e308' }] }],
    }),
  );
  assert.deepEqual([m.tickers[0].bid, m.tickers[0].ask], [1e-12, 1.7e308]);
  for (const bad of ['0x10', ' 1', 'Infinity', '1e999', '0', '-3']) {
    ({ m } = parse(message({ events: [{ type: 'update', tickers: [{ ...TICKER, best_bid: bad }] }] })));
    assert.deepEqual([m.count, m.badReason], [0, COINBASE_MALFORMED.price], bad);
  }
});
