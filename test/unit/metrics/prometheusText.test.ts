// The Prometheus text of the engine's and the feeds' numbers, read back with a maintained parser
// (parse-prometheus-text-format), not a regex of ours: every numeric StorageStats field comes out
// under its own seed name with its value and the right type, labels are escaped, feeds and
// health have their families.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import parsePrometheusTextFormat from 'parse-prometheus-text-format';
import { STAT_METRICS, renderPrometheusText } from '../../../electron/app/metrics/prometheusText.ts';
import type { NumericStatKey } from '../../../electron/app/metrics/prometheusText.ts';
import { emptyFeedStatus } from '../../../shared/feeds/feedStatus.ts';
import type { FeedStatus } from '../../../shared/feeds/feedStatus.ts';
import type { StorageStats } from '../../../shared/stats.ts';
import { openTestStore } from '../../helpers/testStore.ts';

interface Family {
  name: string;
  help: string;
  type: string;
  metrics: { value: string; labels?: Record<string, string> }[];
}
const parse = (text: string) => parsePrometheusTextFormat(text) as Family[];

const T0 = Date.UTC(2026, 0, 5, 12) * 1000;

/** A real store's stats after good, rejected and crossed ticks. */
async function realStats(): Promise<StorageStats> {
  const { store } = await openTestStore('prom-text', T0);
  for (let i = 0; i < 20; i++)
    store.ingest({ symbol: 'EURUSD', bid: 1.1 + i / 1e4, ask: 1.1002 + i / 1e4, tsUs: T0 + i });
  store.ingest({ symbol: 'EURUSD', bid: -1, ask: 1.1, tsUs: T0 + 50 });
  store.ingest({ symbol: 'EURUSD', bid: Number.NaN, ask: 1.1, tsUs: T0 + 51 });
  store.ingest({ symbol: 'EURUSD', bid: 1.2, ask: 1.1, tsUs: T0 + 52 });
  await store.flush();
  const stats = store.getStorageStats();
  await store.stop();
  return stats;
}

const numericKeys = (s: StorageStats) =>
  Object.entries(s)
    .filter(([, v]) => typeof v === 'number')
    .map(([k]) => k);

const single = (families: Family[], name: string): Family => {
  const f = families.find((x) => x.name === name);
  assert.ok(f, `no family ${name}`);
  return f;
};

test('every numeric field of a real store is a metric of its own seed name, with its value', async () => {
  const stats = await realStats();
  assert.ok(stats.ticks_rejected >= 2 && stats.ticks_written > 0, 'the store saw good and bad ticks');
  // Distinct values, so a field rendered under another field's name cannot pass by both being 0.
  const distinct = { ...stats } as StorageStats;
  numericKeys(stats).forEach(
    (k, i) => ((distinct as unknown as Record<string, number>)[k] = 1000 + i * 3 + 0.5 * (i % 2)),
  );
  for (const s of [stats, distinct]) {
    const families = parse(
      renderPrometheusText({ stats: s, feeds: [], health: { status: 'ok', reasons: [] } }),
    );
    for (const k of numericKeys(s)) {
      const f = single(families, k);
      assert.equal(f.metrics.length, 1, k);
      assert.equal(Number(f.metrics[0].value), (s as unknown as Record<string, number>)[k], k);
      assert.equal(f.type, STAT_METRICS[k as NumericStatKey].type.toUpperCase(), k);
      assert.ok(f.help.length > 0, `${k} has a HELP line`);
    }
  }
  // Every key the table lists is a numeric field (null only for disk_free_bytes when unknown).
  for (const k of Object.keys(STAT_METRICS)) assert.ok(k in stats, k);
});

test('monotonic fields are counters and levels are gauges', () => {
  for (const k of [
    'ticks_received',
    'ticks_written',
    'write_errors',
    'ticks_lost',
    'batches_written',
  ] as const)
    assert.equal(STAT_METRICS[k].type, 'counter', k);
  for (const k of [
    'queue_size',
    'queue_capacity',
    'disk_free_bytes',
    'uptime_s',
    'spill_pending_ticks',
  ] as const)
    assert.equal(STAT_METRICS[k].type, 'gauge', k);
});

test('rejects and losses per reason are labelled counters that add up to their totals', async () => {
  const stats = await realStats();
  const lost = { ...stats, lost_by_reason: { queue_full: 3, 'worker "died"\nagain': 2 }, ticks_lost: 5 };
  const families = parse(
    renderPrometheusText({ stats: lost, feeds: [], health: { status: 'ok', reasons: [] } }),
  );
  const rejected = single(families, 'rejected_by_reason');
  assert.equal(rejected.type, 'COUNTER');
  const byReason = Object.fromEntries(rejected.metrics.map((m) => [m.labels?.reason, Number(m.value)]));
  assert.deepEqual(byReason, stats.rejected_by_reason);
  assert.equal(
    rejected.metrics.reduce((n, m) => n + Number(m.value), 0),
    stats.ticks_rejected,
  );
  const lostFamily = single(families, 'lost_by_reason');
  // A reason with a quote and a line feed survives the format's escaping.
  assert.deepEqual(
    Object.fromEntries(lostFamily.metrics.map((m) => [m.labels?.reason, Number(m.value)])),
    lost.lost_by_reason,
  );
});

test('an unknown free disk space is left out rather than reported as 0', async () => {
  const stats = { ...(await realStats()), disk_free_bytes: null };
  const families = parse(renderPrometheusText({ stats, feeds: [], health: { status: 'ok', reasons: [] } }));
  assert.equal(single(families, 'disk_free_bytes').metrics.length, 0);
});

test('health and every feed are families with per-feed labels', async () => {
  const stats = await realStats();
  const live: FeedStatus = {
    ...emptyFeedStatus({
      id: 'bin',
      kind: 'binance',
      source: 'binance',
      state: 'live',
      stateSinceUs: T0,
      endpoint: 'wss://x',
    }),
    ticks: 1234,
    messages: 1300,
    reconnects: 2,
    lastMessageUs: T0 + 5_000_000,
    malformed: [{ reason: 'bad_json', count: 7, sample: '{', lastAtUs: T0 }],
    latency: { p50Us: 800, p99Us: 4000, samples: 90 },
  };
  const down: FeedStatus = {
    ...emptyFeedStatus({
      id: 'fix',
      kind: 'fix',
      source: 'LP1',
      state: 'reconnecting',
      stateSinceUs: T0,
      endpoint: 'h:1',
    }),
    reconnects: 9,
  };
  const reasons = ['feed fix has not been live for 70 s', 'queue 85% full'];
  const families = parse(
    renderPrometheusText({ stats, feeds: [live, down], health: { status: 'critical', reasons } }),
  );
  assert.equal(Number(single(families, 'health_status').metrics[0].value), 2);
  assert.equal(Number(single(families, 'health_reasons').metrics[0].value), reasons.length);
  const perFeed = (name: string) =>
    Object.fromEntries(single(families, name).metrics.map((m) => [m.labels?.feed, Number(m.value)]));
  assert.deepEqual(perFeed('feed_ticks'), { bin: 1234, fix: 0 });
  assert.deepEqual(perFeed('feed_reconnects'), { bin: 2, fix: 9 });
  assert.deepEqual(perFeed('feed_live'), { bin: 1, fix: 0 });
  assert.deepEqual(perFeed('feed_last_message_timestamp_seconds'), { bin: (T0 + 5_000_000) / 1e6 });
  assert.deepEqual(perFeed('feed_latency_p99_us'), { bin: 4000 });
  assert.equal(single(families, 'feed_ticks').type, 'COUNTER');
  const ticks = single(families, 'feed_ticks').metrics.find((m) => m.labels?.feed === 'fix');
  assert.deepEqual(ticks?.labels, { feed: 'fix', kind: 'fix', source: 'LP1' });
  const states = single(families, 'feed_state').metrics.map((m) => [m.labels?.feed, m.labels?.state]);
  assert.deepEqual(states, [
    ['bin', 'live'],
    ['fix', 'reconnecting'],
  ]);
  const malformed = single(families, 'feed_malformed').metrics;
  assert.deepEqual(
    malformed.map((m) => [m.labels?.reason, Number(m.value)]),
    [['bad_json', 7]],
  );
  const info = single(families, 'storage_info').metrics[0];
  assert.deepEqual(info.labels, { backend: stats.backend, data_dir: stats.data_dir });
});
