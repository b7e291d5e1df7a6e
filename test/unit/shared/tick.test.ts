import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { RejectReason } from '../../../shared/tick.ts';
import {
  MAX_SYMBOL_LENGTH,
  REJECT_REASONS,
  REJECT_REASON_TEXT,
  checkSource,
  checkSymbol,
  validateTick,
} from '../../../shared/tick.ts';

const bounds = { minTsUs: 1_000, maxTsUs: 2_000_000_000_000_000 };
const good = { symbol: 'EURUSD', bid: 1.1, ask: 1.1001, tsUs: 1_700_000_000_000_000 };

test('a well-formed tick passes, with or without optional fields; crossed quotes are valid', () => {
  assert.equal(validateTick(good, bounds), null);
  assert.equal(
    validateTick({ ...good, source: 'LP-A', recvUs: good.tsUs + 5, bidSize: 0, askSize: 1.5 }, bounds),
    null,
  );
  assert.equal(validateTick({ ...good, seq: 0 }, bounds), null);
  assert.equal(validateTick({ ...good, seq: Number.MAX_SAFE_INTEGER, noExchangeTime: true }, bounds), null);
  for (const seq of [-1, 0.5, 2 ** 53, Number.NaN, '3'])
    assert.equal(validateTick({ ...good, seq }, bounds), 'sequence_invalid', String(seq));
  assert.equal(validateTick({ ...good, bid: 1.2, ask: 1.1 }, bounds), null);
});

test('validateTick names each problem', () => {
  const cases: [unknown, RejectReason][] = [
    [null, 'not_an_object'],
    [42, 'not_an_object'],
    [{ ...good, symbol: '' }, 'symbol_missing'],
    [{ ...good, symbol: 'X'.repeat(MAX_SYMBOL_LENGTH + 1) }, 'symbol_too_long'],
    [{ ...good, symbol: 'EUR USD' }, 'symbol_invalid_chars'],
    [{ ...good, source: 'a b' }, 'source_invalid'],
    [{ ...good, bid: Number.NaN }, 'bid_not_finite'],
    [{ ...good, ask: Infinity }, 'ask_not_finite'],
    [{ ...good, bid: 0 }, 'bid_not_positive'],
    [{ ...good, ask: -1 }, 'ask_not_positive'],
    [{ ...good, tsUs: 1.5 }, 'timestamp_not_integer'],
    [{ ...good, tsUs: 10 }, 'timestamp_out_of_range'],
    [{ ...good, recvUs: '1' }, 'receive_timestamp_invalid'],
    [{ ...good, askSize: -1 }, 'size_invalid'],
    [{ ...good, seq: -1 }, 'sequence_invalid'],
  ];
  for (const [t, reason] of cases) assert.equal(validateTick(t, bounds), reason, JSON.stringify(t));
  // The limits are the engine's (a full symbol table), not a property of one tick.
  const perTick = REJECT_REASONS.filter((r) => r !== 'symbol_limit' && r !== 'source_limit');
  assert.deepEqual(new Set(cases.map((c) => c[1])), new Set(perTick), 'every per-tick reason is covered');
  for (const r of REJECT_REASONS) assert.ok(REJECT_REASON_TEXT[r].length > 0);
});

test('symbol and source name rules', () => {
  assert.equal(checkSymbol('BTC/USD'), null);
  assert.equal(checkSymbol('ES#Z6.CME^+=@:_-'), null);
  assert.equal(checkSymbol('X'.repeat(MAX_SYMBOL_LENGTH)), null);
  assert.equal(checkSymbol(undefined), 'symbol_missing');
  assert.equal(checkSymbol(7), 'symbol_missing');
  assert.equal(checkSymbol('EUR€'), 'symbol_invalid_chars');
  assert.equal(checkSource(undefined), null);
  assert.equal(checkSource(''), 'source_invalid');
  assert.equal(checkSource('LP\tA'), 'source_invalid');
  assert.equal(checkSource('x'.repeat(33)), 'source_invalid');
});
