// Bad input never throws: each kind of bad tick is rejected, counted under its reason and visible
// in the recent rejections. Crossed quotes are real market events: accepted, stored, counted.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { RejectReason, TickInput } from '../../../shared/tick.ts';
import { MAX_SYMBOL_LENGTH, REJECT_REASONS } from '../../../shared/tick.ts';
import { US_PER_HOUR } from '../../../shared/time.ts';
import { openTestStore } from '../../helpers/testStore.ts';

const NOW = Date.UTC(2026, 6, 13, 12) * 1000;
const good: TickInput = { symbol: 'EURUSD', bid: 1.08123, ask: 1.08131, tsUs: NOW - 1_000, source: 'LP-A' };

// The limits are reached by volume, not by a bad tick: tested on their own below.
type InputReason = Exclude<RejectReason, 'symbol_limit' | 'source_limit'>;
const INPUT_REASONS = REJECT_REASONS.filter(
  (r): r is InputReason => r !== 'symbol_limit' && r !== 'source_limit',
);

const BAD: Record<InputReason, unknown[]> = {
  not_an_object: [null, 42, 'x', undefined, true],
  symbol_missing: [
    { ...good, symbol: '' },
    { bid: 1, ask: 2, tsUs: NOW },
    { ...good, symbol: 42 },
  ],
  symbol_too_long: [{ ...good, symbol: 'S'.repeat(MAX_SYMBOL_LENGTH + 1) }],
  symbol_invalid_chars: [
    { ...good, symbol: 'EUR USD' },
    { ...good, symbol: 'EUR\nUSD' },
    { ...good, symbol: 'ÉURUSD' },
  ],
  source_invalid: [
    { ...good, source: '' },
    { ...good, source: 'LP A' },
    { ...good, source: 7 },
    { ...good, source: 'L'.repeat(33) },
  ],
  bid_not_finite: [
    { ...good, bid: Number.NaN },
    { ...good, bid: Infinity },
    { ...good, bid: '1.08' },
    { ...good, bid: undefined },
  ],
  ask_not_finite: [
    { ...good, ask: -Infinity },
    { ...good, ask: null },
  ],
  bid_not_positive: [
    { ...good, bid: 0 },
    { ...good, bid: -1.08 },
  ],
  ask_not_positive: [{ ...good, ask: 0 }],
  timestamp_not_integer: [
    { ...good, tsUs: NOW + 0.5 },
    { ...good, tsUs: String(NOW) },
    { ...good, tsUs: Number.NaN },
    { ...good, tsUs: 2 ** 60 },
  ],
  timestamp_out_of_range: [
    { ...good, tsUs: 0 },
    { ...good, tsUs: -5 },
    { ...good, tsUs: NOW + 25 * US_PER_HOUR },
  ],
  receive_timestamp_invalid: [
    { ...good, recvUs: 1.5 },
    { ...good, recvUs: 'now' },
  ],
  size_invalid: [
    { ...good, bidSize: -1 },
    { ...good, askSize: Number.NaN },
    { ...good, askSize: Infinity },
    { ...good, bidSize: '100' },
  ],
  sequence_invalid: [
    { ...good, seq: -1 },
    { ...good, seq: 1.5 },
    { ...good, seq: 2 ** 53 },
    { ...good, seq: '7' },
    { ...good, seq: Number.NaN },
  ],
};

test('every rejection reason is produced by store.ingest, counted and visible; nothing throws', async () => {
  const { store } = await openTestStore('reject', NOW, { batchIntervalMs: 5 });
  try {
    let sent = 0;
    for (const reason of INPUT_REASONS) {
      const before = store.getStorageStats();
      for (const bad of BAD[reason]) {
        let outcome: string | undefined;
        assert.doesNotThrow(
          () => {
            outcome = store.ingest(bad as TickInput);
          },
          `${reason}: ${String(JSON.stringify(bad))}`,
        );
        assert.equal(outcome, 'rejected', `${reason}: ${String(JSON.stringify(bad))}`);
        sent++;
      }
      const after = store.getStorageStats();
      assert.equal(
        after.rejected_by_reason[reason] - (before.rejected_by_reason[reason] ?? 0),
        BAD[reason].length,
        `${reason} counted once per bad tick`,
      );
      const last = after.recent_rejections.at(-1)!;
      assert.equal(last.reason, reason, 'the newest rejection names its reason');
    }
    const s = store.getStorageStats();
    assert.equal(s.ticks_rejected, sent);
    assert.equal(s.ticks_received, sent);
    assert.equal(s.ticks_stored, 0);
    assert.deepEqual(Object.keys(s.rejected_by_reason).sort(), [...REJECT_REASONS].sort());
    assert.ok(s.recent_rejections.length > 0 && s.recent_rejections.length <= sent);
    const sample = s.recent_rejections.find((r) => r.reason === 'size_invalid');
    assert.equal(sample?.symbol, 'EURUSD', 'samples carry the symbol when there is one');
    assert.equal(s.recent_rejections.find((r) => r.reason === 'not_an_object')?.symbol ?? null, null);
    // Nothing bad reached the disk; a good tick afterwards still goes through.
    assert.equal(store.ingest(good), 'accepted');
    await store.flush();
    const page = await store.range({ symbol: 'EURUSD', fromUs: NOW - US_PER_HOUR, toUs: NOW + US_PER_HOUR });
    assert.deepEqual(page.tsUs, [good.tsUs]);
    assert.equal(store.getStorageStats().ticks_written, 1);
  } finally {
    await store.stop();
  }
});

test('past maxSymbols a new symbol is refused and counted; known symbols keep working', async () => {
  const { store } = await openTestStore('reject-limit', NOW, { maxSymbols: 3, maxSources: 2 });
  try {
    for (const symbol of ['A', 'B', 'C']) assert.equal(store.ingest({ ...good, symbol }), 'accepted');
    assert.equal(store.ingest({ ...good, symbol: 'D' }), 'rejected');
    assert.equal(store.ingest({ ...good, symbol: 'E' }), 'rejected');
    assert.equal(store.ingest({ ...good, symbol: 'A', tsUs: NOW - 2 }), 'accepted');
    // The default source takes one of the two slots.
    assert.equal(store.ingest({ ...good, symbol: 'B', source: 'LP-B', tsUs: NOW - 3 }), 'rejected');
    const s = store.getStorageStats();
    assert.equal(s.rejected_by_reason.symbol_limit, 2);
    assert.equal(s.rejected_by_reason.source_limit, 1);
    assert.equal(s.symbols_live, 3);
    assert.equal(s.ticks_stored, 4);
  } finally {
    await store.stop();
  }
});

test('a symbol rejected once is rejected again (invalid names are not cached as valid)', async () => {
  const { store } = await openTestStore('reject-repeat', NOW);
  try {
    for (let i = 0; i < 3; i++) assert.equal(store.ingest({ ...good, symbol: 'BAD SYM' }), 'rejected');
    assert.equal(store.getStorageStats().rejected_by_reason.symbol_invalid_chars, 3);
  } finally {
    await store.stop();
  }
});

test('the recent rejections list is bounded', async () => {
  const { store } = await openTestStore('reject-bounded', NOW);
  try {
    for (let i = 0; i < 1_000; i++) store.ingest({ ...good, bid: -i });
    const s = store.getStorageStats();
    assert.equal(s.rejected_by_reason.bid_not_positive, 1_000);
    assert.ok(s.recent_rejections.length <= 100, `${s.recent_rejections.length} samples kept`);
  } finally {
    await store.stop();
  }
});

test('crossed quotes (bid > ask) are accepted, stored as given and counted', async () => {
  const { store } = await openTestStore('crossed', NOW);
  try {
    const ticks: TickInput[] = [
      { symbol: 'EURUSD', bid: 1.08131, ask: 1.08123, tsUs: NOW - 3_000 },
      { symbol: 'EURUSD', bid: 1.0812, ask: 1.0813, tsUs: NOW - 2_000 },
      { symbol: 'EURUSD', bid: 1.0815, ask: 1.0815, tsUs: NOW - 1_000 },
      { symbol: 'BTCUSD', bid: 67251, ask: 67250.5, tsUs: NOW - 500 },
    ];
    for (const t of ticks) assert.equal(store.ingest(t), 'accepted');
    const s = store.getStorageStats();
    assert.equal(s.crossed_quotes, 2, 'locked (bid == ask) is not crossed');
    assert.equal(s.ticks_rejected, 0);
    await store.flush();
    const eur = await store.range({ symbol: 'EURUSD', fromUs: NOW - US_PER_HOUR, toUs: NOW });
    assert.deepEqual(eur.bid, [1.08131, 1.0812, 1.0815]);
    assert.deepEqual(eur.ask, [1.08123, 1.0813, 1.0815]);
    const btc = await store.range({ symbol: 'BTCUSD', fromUs: NOW - US_PER_HOUR, toUs: NOW });
    assert.deepEqual([btc.bid, btc.ask], [[67251], [67250.5]]);
  } finally {
    await store.stop();
  }
});
