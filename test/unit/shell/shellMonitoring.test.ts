// The desktop shell starts the app's monitoring from its environment: /metrics on 127.0.0.1 with
// the token file in the data folder, the health webhook following the service's health events,
// both closed before the flush on quit; without the variables nothing listens.
import assert from 'node:assert/strict';
import { readFileSync, statSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { after, test } from 'node:test';
import { writeFile } from 'node:fs/promises';
import parsePrometheusTextFormat from 'parse-prometheus-text-format';
import type { TickscopeService } from '../../../electron/app/tickscopeService.ts';
import { METRICS_TOKEN_FILE } from '../../../electron/app/metrics/metricsServer.ts';
import { runDesktopShell } from '../../../electron/shell/desktopShell.ts';
import type { TickStore } from '../../../electron/engine/tickStoreApi.ts';
import { fakeElectron } from '../../helpers/fakeElectron.ts';
import { flushPromises } from '../../helpers/fakeClock.ts';
import { fakeService } from '../../helpers/fakeService.ts';
import { makeTempDir } from '../../helpers/tempDir.ts';
import { openTestStore } from '../../helpers/testStore.ts';
import { waitFor } from '../../helpers/waitFor.ts';

const T0 = Date.UTC(2026, 0, 7, 8) * 1000;
const stores: TickStore[] = [];
after(async () => {
  for (const s of stores) await s.stop();
});

async function shellWith(environment: Record<string, string>) {
  const userData = makeTempDir('shell-monitoring');
  const rendererDir = makeTempDir('shell-monitoring-renderer');
  await writeFile(path.join(rendererDir, 'index.html'), '<!doctype html><title>t</title>');
  // The real service has created the data folder by now; here it is the test store's.
  const { store, dir: dataDir } = await openTestStore('shell-monitoring-store', T0);
  stores.push(store);
  for (let i = 0; i < 7; i++)
    store.ingest({ symbol: 'USDJPY', bid: 150 + i / 100, ask: 150.02 + i / 100, tsUs: T0 + i });
  await store.flush();
  const svc = fakeService();
  svc.service = {
    ...svc.service,
    store: () =>
      ({ ...store, getStorageStats: () => store.getStorageStats(), config: { dataDir } }) as TickStore,
    feeds: { status: () => [], checkConnections: () => {} } as unknown as TickscopeService['feeds'],
  };
  const fx = fakeElectron({ userData, rendererDir }, { createService: svc.factory, environment });
  const shell = runDesktopShell(fx.env);
  fx.app.ready();
  await shell.started;
  return { fx, svc, shell, dataDir, store };
}

function get(port: number, token: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    http
      .get(`http://127.0.0.1:${port}/metrics`, { headers: { authorization: `Bearer ${token}` } }, (res) => {
        let body = '';
        res.on('data', (c: Buffer) => (body += c.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      })
      .on('error', reject);
  });
}

test('TICKSCOPE_METRICS_PORT serves /metrics with a 0600 token file in the data folder until quit', async () => {
  const s = await shellWith({ TICKSCOPE_METRICS_PORT: '0' });
  const line = s.fx.logs.find((l) => l.startsWith('metrics at '));
  assert.ok(line, s.fx.logs.join('\n'));
  const port = Number(/127\.0\.0\.1:(\d+)\/metrics/.exec(line)?.[1]);
  const tokenFile = path.join(s.dataDir, METRICS_TOKEN_FILE);
  assert.equal(statSync(tokenFile).mode & 0o777, 0o600);
  const token = readFileSync(tokenFile, 'utf8').trim();
  const r = await get(port, token);
  assert.equal(r.status, 200);
  const written = parsePrometheusTextFormat(r.body).find((f) => f.name === 'ticks_written');
  assert.equal(Number(written?.metrics[0].value), s.store.getStorageStats().ticks_written);
  assert.equal(s.store.getStorageStats().ticks_written, 7);

  s.fx.app.quit();
  await waitFor('the flush on quit', () => s.svc.closeCalls === 1);
  await flushPromises();
  await assert.rejects(get(port, token), /ECONNREFUSED/, 'the endpoint closes with the app');
});

test('TICKSCOPE_HEALTH_WEBHOOK posts the health the service pushes', async () => {
  const posts: { status: string }[] = [];
  const receiver = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      posts.push(JSON.parse(body) as { status: string });
      res.end();
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  try {
    const port = (receiver.address() as AddressInfo).port;
    const s = await shellWith({ TICKSCOPE_HEALTH_WEBHOOK: `http://127.0.0.1:${port}/h` });
    // The service's current health ('ok' in the fake) is posted after the debounce.
    await waitFor('the first post', () => posts.length === 1, 10_000);
    assert.equal(posts[0].status, 'ok');
    s.fx.app.quit();
    await waitFor('the flush on quit', () => s.svc.closeCalls === 1);
  } finally {
    receiver.closeAllConnections();
    await new Promise<void>((resolve) => receiver.close(() => resolve()));
  }
});

test('bad values are logged and skipped; the app starts anyway', async () => {
  const s = await shellWith({
    TICKSCOPE_METRICS_PORT: 'ninety',
    TICKSCOPE_HEALTH_WEBHOOK: 'file:///etc/passwd',
  });
  assert.ok(s.shell.service(), 'the service started');
  assert.ok(
    s.fx.logs.some((l) => /TICKSCOPE_METRICS_PORT ignored: "ninety" is not a port/.test(l)),
    s.fx.logs.join('\n'),
  );
  assert.ok(s.fx.logs.some((l) => /TICKSCOPE_HEALTH_WEBHOOK ignored: the URL must be http/.test(l)));
  s.fx.app.quit();
  await waitFor('the flush on quit', () => s.svc.closeCalls === 1);
});
