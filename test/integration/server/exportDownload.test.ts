// A browser export end to end on the headless server: export.start with destination 'download'
// runs the real export job over real day files, and GET /exports/<id>/<file> hands back exactly
// the stored ticks of the range as an attachment, only with the token, only by its exact name.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { createExportHandlers } from '../../../electron/app/exportHandlers.ts';
import { createExportManager } from '../../../electron/app/exportManager.ts';
import type { ExportManager } from '../../../electron/app/exportManager.ts';
import type { TickscopeService } from '../../../electron/app/tickscopeService.ts';
import { startHttpServer } from '../../../electron/server/httpServer.ts';
import type { RunningServer } from '../../../electron/server/httpServer.ts';
import type { ExportStatus } from '../../../shared/ipc/exportChannels.ts';
import { openTestStore, type TestStore } from '../../helpers/testStore.ts';
import { waitFor } from '../../helpers/waitFor.ts';

const TOKEN = 'c3'.repeat(32);
const DAY = Date.UTC(2024, 0, 2) * 1000;
const NOW = Date.UTC(2024, 0, 10, 12) * 1000;
let ts: TestStore;
let server: RunningServer;
let manager: ExportManager;
const events: ExportStatus[] = [];

before(async () => {
  ts = await openTestStore('export-download', NOW);
  for (let ms = 0; ms < 2000; ms++) {
    for (const symbol of ['EURUSD', 'GBPUSD']) {
      const bid = 1.1 + (ms % 7) * 0.0001;
      ts.store.ingest({
        symbol,
        source: 'lp1',
        tsUs: DAY + ms * 1000,
        bid,
        ask: bid + 0.0002,
        recvUs: DAY + ms * 1000 + 50,
      });
    }
  }
  // A bigger next day, so an export of it is still running when cancel arrives.
  for (let i = 0; i < 300_000; i++) {
    ts.store.ingest({
      symbol: 'BIG',
      source: 'lp1',
      tsUs: DAY + 86_400_000_000 + i * 1000,
      bid: 1.2,
      ask: 1.2002,
    });
    if (i % 50_000 === 0) await ts.store.whenWritable();
  }
  await ts.store.flush();
  manager = createExportManager({
    start: (request, onProgress) => ts.store.startExport(request, onProgress),
    onProgress: (s) => events.push(s),
    log: () => {},
  });
  server = await startHttpServer({
    service: { store: () => ts.store, exports: manager } as unknown as TickscopeService,
    rendererDir: ts.dir,
    csp: "default-src 'self'",
    host: '127.0.0.1',
    port: 0,
    token: TOKEN,
    log: () => {},
  });
});

after(async () => {
  await server.close();
  await manager.close();
  await ts.store.stop();
});

test('a CSV download holds exactly the ticks of the range, served as an attachment behind the token', async () => {
  const handlers = createExportHandlers(manager, null);
  // Both ends fall between stored ticks, so the range holds ms 501..1500 whatever the end rule.
  const fromUs = DAY + 500_500;
  const toUs = DAY + 1_500_500;
  const started = await handlers['export.start'](
    {
      format: 'csv',
      symbols: ['EURUSD'],
      fromUs,
      toUs,
      destination: 'download',
      csv: { time: 'us', columns: ['time', 'symbol', 'bid'] },
    },
    null,
  );
  assert.ok(started);
  await waitFor('the export to finish', () => manager.status()?.state !== 'running', 30_000);
  const done = manager.status()!;
  assert.equal(done.state, 'done', done.error);
  assert.equal(done.ticksDone, 1000);
  assert.ok(done.downloadPath);
  assert.equal(events.at(-1)?.state, 'done');

  const base = `http://127.0.0.1:${server.port}`;
  const refused = await fetch(`${base}${done.downloadPath}`);
  assert.equal(refused.status, 401);
  await refused.text();

  const res = await fetch(`${base}${done.downloadPath}?token=${TOKEN}`);
  assert.equal(res.status, 200);
  assert.match(
    res.headers.get('content-disposition') ?? '',
    /^attachment; filename="ticks_EURUSD_\d{8}T\d{6}Z_\d{8}T\d{6}Z\.csv"$/,
  );
  const lines = (await res.text()).trim().split('\n');
  assert.equal(lines[0], 'time,symbol,bid');
  const times = lines.slice(1).map((l) => Number(l.split(',')[0]));
  assert.deepEqual(
    times,
    Array.from({ length: 1000 }, (_, i) => DAY + (501 + i) * 1000),
  );
  assert.ok(lines.slice(1).every((l) => l.split(',')[1] === 'EURUSD'));

  const traversal = await fetch(`${base}/exports/${done.id}/..%2F..%2Fetc%2Fpasswd?token=${TOKEN}`);
  assert.equal(traversal.status, 404);
  await traversal.text();
});

test('a cancelled download export ends cancelled, serves nothing, and the next export can start', async () => {
  const handlers = createExportHandlers(manager, null);
  const started = await handlers['export.start'](
    {
      format: 'jsonl',
      symbols: ['BIG'],
      fromUs: DAY + 86_400_000_000,
      toUs: DAY + 2 * 86_400_000_000,
      destination: 'download',
    },
    null,
  );
  assert.ok(started);
  // Cancelled before the worker has read its first page.
  const cancelled = await handlers['export.cancel']({ id: started.id }, null);
  await waitFor('the cancel to settle', () => manager.status()?.state !== 'running', 30_000);
  const s = manager.status()!;
  assert.equal(s.state, 'cancelled', `state ${s.state} (cancel answered ${cancelled.state})`);
  assert.equal(s.downloadPath, null);
  const r = await fetch(`http://127.0.0.1:${server.port}/exports/${s.id}/x?token=${TOKEN}`);
  assert.equal(r.status, 404);
  await r.text();
  const next = await handlers['export.start'](
    { format: 'csv', symbols: ['GBPUSD'], fromUs: DAY, toUs: DAY + 1_000_000, destination: 'download' },
    null,
  );
  assert.equal(next?.state, 'running');
  await waitFor('the next export', () => manager.status()?.state !== 'running', 30_000);
  assert.equal(manager.status()?.state, 'done');
});
