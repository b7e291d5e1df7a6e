// The desktop app's loopback /metrics over a real store: the token file is 0600 and survives a
// restart, the endpoint answers only on 127.0.0.1 with that token and a loopback Host, and what it
// serves parses (parse-prometheus-text-format) to the store's own counters.
import assert from 'node:assert/strict';
import { statSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import http from 'node:http';
import path from 'node:path';
import { after, before, test } from 'node:test';
import parsePrometheusTextFormat from 'parse-prometheus-text-format';
import {
  METRICS_TOKEN_FILE,
  metricsToken,
  startMetricsServer,
} from '../../../electron/app/metrics/metricsServer.ts';
import type { MetricsServer } from '../../../electron/app/metrics/metricsServer.ts';
import type { MetricsSource } from '../../../electron/app/metrics/metricsResponse.ts';
import { STAT_METRICS } from '../../../electron/app/metrics/prometheusText.ts';
import type { NumericStatKey } from '../../../electron/app/metrics/prometheusText.ts';
import type { TickStore } from '../../../electron/engine/tickStoreApi.ts';
import { openTestStore } from '../../helpers/testStore.ts';

const T0 = Date.UTC(2026, 0, 6, 9) * 1000;
let store: TickStore;
let dir: string;
let server: MetricsServer;
let token: string;

before(async () => {
  ({ store, dir } = await openTestStore('app-metrics', T0));
  for (let i = 0; i < 50; i++)
    store.ingest({ symbol: 'GBPUSD', bid: 1.27 + i / 1e5, ask: 1.2702 + i / 1e5, tsUs: T0 + i });
  store.ingest({ symbol: 'GBPUSD', bid: 0, ask: 1.27, tsUs: T0 + 99 });
  await store.flush();
  const source: MetricsSource = {
    store: () => store,
    feeds: { status: () => [] } as unknown as MetricsSource['feeds'],
    health: () => store.getHealth(),
  };
  server = await startMetricsServer({
    service: source,
    port: 0,
    tokenFile: path.join(dir, METRICS_TOKEN_FILE),
  });
  token = (await readFile(path.join(dir, METRICS_TOKEN_FILE), 'utf8')).trim();
});

after(async () => {
  await server?.close();
  await store?.stop();
});

function get(
  target: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    http
      .get(`http://127.0.0.1:${server.port}${target}`, { headers }, (res) => {
        let body = '';
        res.on('data', (c: Buffer) => (body += c.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      })
      .on('error', reject);
  });
}

test('the token file is readable by its owner only and kept across starts', async () => {
  const file = path.join(dir, METRICS_TOKEN_FILE);
  assert.equal(statSync(file).mode & 0o777, 0o600);
  assert.match(token, /^[0-9a-f]{64}$/);
  assert.equal(await metricsToken(file), token, 'a restart reuses the token');
  const damaged = path.join(dir, 'damaged-token');
  writeFileSync(damaged, 'short', { mode: 0o644 });
  const fresh = await metricsToken(damaged);
  assert.notEqual(fresh, token);
  assert.match(fresh, /^[0-9a-f]{64}$/);
  assert.equal(statSync(damaged).mode & 0o777, 0o600);
});

test('only /metrics, only with the token, only for a loopback Host', async () => {
  assert.equal((await get('/metrics')).status, 401);
  assert.equal((await get('/metrics', { authorization: `Bearer ${'f'.repeat(64)}` })).status, 401);
  assert.equal(
    (await get('/metrics', { authorization: `Bearer ${token}`, host: 'attacker.example' })).status,
    403,
  );
  assert.equal((await get('/', { authorization: `Bearer ${token}` })).status, 404);
  assert.equal((await get(`/metrics?token=${token}`)).status, 200);
  assert.equal(
    (await get('/metrics', { authorization: `Bearer ${token}`, host: `localhost:${server.port}` })).status,
    200,
  );
});

test('the scrape parses to the store counters', async () => {
  const { status, body } = await get('/metrics', { authorization: `Bearer ${token}` });
  assert.equal(status, 200);
  const families = parsePrometheusTextFormat(body);
  const stats = store.getStorageStats();
  assert.equal(stats.ticks_written, 50);
  for (const [k, m] of Object.entries(STAT_METRICS)) {
    if (m.type !== 'counter') continue;
    const f = families.find((x) => x.name === k);
    assert.equal(Number(f?.metrics[0].value), stats[k as NumericStatKey], k);
  }
  const rejected = families.find((f) => f.name === 'rejected_by_reason');
  assert.deepEqual(
    Object.fromEntries((rejected?.metrics ?? []).map((m) => [m.labels?.reason, Number(m.value)])),
    stats.rejected_by_reason,
  );
});
