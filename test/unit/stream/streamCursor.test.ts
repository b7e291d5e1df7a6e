// The stream cursor codec: a cursor round-trips its point, and anything else is a QueryError that
// says what is wrong with it rather than a resume from a guessed position.
import assert from 'node:assert/strict';
import test from 'node:test';
import { decodeStreamCursor, encodeStreamCursor } from '../../../electron/engine/stream/streamCursor.ts';

test('a cursor round-trips its tsUs, symbol and skip', () => {
  for (const c of [
    { tsUs: 1_549_238_400_000_000, symbol: 'EURUSD', skip: 1 },
    { tsUs: 0, symbol: 'BTC/USDT:ü', skip: 123_456 },
  ])
    assert.deepEqual(decodeStreamCursor(encodeStreamCursor(c)), c);
});

test('a garbage or malformed cursor is a QueryError naming the problem', () => {
  const enc = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
  assert.throws(() => decodeStreamCursor('%%%'), {
    name: 'QueryError',
    message: /not a cursor this stream returned/,
  });
  for (const bad of [enc({ tsUs: 1 }), enc([1.5, 'A', 1]), enc([1, 2, 1]), enc([1, 'A', 0]), enc([1, 'A'])])
    assert.throws(() => decodeStreamCursor(bad), { name: 'QueryError', message: /malformed/ });
});
