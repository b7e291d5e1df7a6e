// `serve`'s /metrics against its own WebSocket contract: recording the demo feed, then stopped so
// the numbers hold still, the scraped counters (parsed with parse-prometheus-text-format) equal
// storage.stats at the same moment. Without the token, or with a foreign Host, there is nothing.
import assert from 'node:assert/strict';
import http from 'node:http';
import { after, before, test } from 'node:test';
import parsePrometheusTextFormat from 'parse-prometheus-text-format';
import type { ParsedFamily } from 'parse-prometheus-text-format';
import { STAT_METRICS } from '../../../electron/app/metrics/prometheusText.ts';
import type { NumericStatKey } from '../../../electron/app/metrics/prometheusText.ts';
import type { StorageStats } from '../../../shared/stats.ts';
import { connectWs, startServe } from '../../e2e/harness.ts';
import type { ServeHandle, WsApi } from '../../e2e/harness.ts';
import { makeTempDir } from '../../helpers/tempDir.ts';

let serve: ServeHandle;
let ws: WsApi;

before(async () => {
  serve = await startServe({ dataDir: makeTempDir('metrics-serve'), extraArgs: ['--rate', '200'] });
  ws = await connectWs(serve);
});

after(async () => {
  ws?.close();
  const code = await serve?.stop();
  if (serve) assert.equal(code, 0, serve.output().stderr);
});

const metricsUrl = () => `http://127.0.0.1:${serve.port}/metrics`;
const bearer = () => ({ authorization: `Bearer ${serve.token}` });

async function scrape(): Promise<ParsedFamily[]> {
  const res = await fetch(metricsUrl(), { headers: bearer() });
  assert.equal(res.status, 200);
  assert.match(res.headers.get('content-type') ?? '', /^text\/plain; version=0\.0\.4/);
  return parsePrometheusTextFormat(await res.text());
}

const counterKeys = Object.entries(STAT_METRICS)
  .filter(([, m]) => m.type === 'counter')
  .map(([k]) => k as NumericStatKey);

function counters(s: StorageStats): Record<string, number | null> {
  return Object.fromEntries(counterKeys.map((k) => [k, s[k]]));
}

function scrapedCounters(families: ParsedFamily[]): Record<string, number | null> {
  return Object.fromEntries(
    counterKeys.map((k) => {
      const f = families.find((x) => x.name === k);
      assert.ok(f, `no ${k} in /metrics`);
      assert.equal(f.type, 'COUNTER', k);
      return [k, Number(f.metrics[0]?.value)];
    }),
  );
}

test('without the token /metrics answers 401, with a foreign Host 403', async () => {
  const none = await fetch(metricsUrl());
  assert.equal(none.status, 401);
  assert.match(none.headers.get('www-authenticate') ?? '', /^Bearer/);
  assert.doesNotMatch(await none.text(), /ticks_received/);
  const wrong = await fetch(metricsUrl(), { headers: { authorization: `Bearer ${'0'.repeat(64)}` } });
  assert.equal(wrong.status, 401);
  const status = await new Promise<number>((resolve, reject) => {
    http
      .get(metricsUrl(), { headers: { ...bearer(), host: 'evil.example:80' } }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      })
      .on('error', reject);
  });
  assert.equal(status, 403);
  const byQuery = await fetch(`${metricsUrl()}?token=${serve.token}`);
  assert.equal(byQuery.status, 200);
  assert.equal(byQuery.headers.get('set-cookie'), null, 'a scrape does not start a browser session');
});

test('after recording stops, the scraped counters equal storage.stats over the WebSocket', async () => {
  // Let the demo feed record for a while, so the counters are not all zero.
  const deadline = Date.now() + 30_000;
  while ((await ws.call('storage.stats', {})).ticks_written < 200) {
    assert.ok(Date.now() < deadline, 'the demo feed wrote no ticks within 30 s');
    await new Promise((r) => setTimeout(r, 200));
  }
  const live = await scrape();
  assert.ok(
    live.some(
      (f) => f.name === 'feed_live' && f.metrics.some((m) => m.labels?.feed === 'demo' && m.value === '1'),
    ),
    'the demo feed is live in /metrics while it records',
  );

  await ws.call('recording.stop', {});
  // Quiesced: two reads a moment apart agree and nothing is queued.
  let before = await ws.call('storage.stats', {});
  for (;;) {
    await new Promise((r) => setTimeout(r, 300));
    const again = await ws.call('storage.stats', {});
    const still = JSON.stringify(counters(again)) === JSON.stringify(counters(before));
    before = again;
    if (still && again.queue_size === 0) break;
    assert.ok(Date.now() < deadline + 30_000, 'the counters never held still after recording.stop');
  }

  const families = await scrape();
  const after = await ws.call('storage.stats', {});
  assert.deepEqual(counters(after), counters(before), 'nothing moved between the reads');
  assert.deepEqual(scrapedCounters(families), counters(after));
  assert.ok(after.ticks_received >= 200 && after.ticks_written > 0);
  const rejected = families.find((f) => f.name === 'rejected_by_reason');
  assert.deepEqual(
    Object.fromEntries((rejected?.metrics ?? []).map((m) => [m.labels?.reason, Number(m.value)])),
    after.rejected_by_reason,
  );
  const queue = families.find((f) => f.name === 'queue_size');
  assert.equal(queue?.type, 'GAUGE');
  assert.equal(Number(queue?.metrics[0].value), after.queue_size);
  const health = await ws.call('storage.health', {});
  const status = families.find((f) => f.name === 'health_status');
  assert.equal(Number(status?.metrics[0].value), ['ok', 'warn', 'critical'].indexOf(health.status));
});
