// A WebSocket client that stops reading while it asks for big answers: the server must bound
// what it buffers for it, tell it (4008) and cut it off, while another client keeps working.
// Real server, real service and store, in this process, on a temporary data folder.
import assert from 'node:assert/strict';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { WebSocket } from 'ws';
import { createTickscopeService } from '../../../electron/app/tickscopeService.ts';
import type { TickscopeService } from '../../../electron/app/tickscopeService.ts';
import { startHttpServer } from '../../../electron/server/httpServer.ts';
import type { RunningServer } from '../../../electron/server/httpServer.ts';
import { DEFAULT_WS_LIMITS, WS_CLOSE_TOO_SLOW } from '../../../electron/server/wsBridge.ts';
import { makeTempDir } from '../../helpers/tempDir.ts';
import { waitFor } from '../../helpers/waitFor.ts';

const TOKEN = 'b2'.repeat(32);
const SYMBOL = 'EURUSD';
const T0 = Date.UTC(2026, 10, 20, 9) * 1000;
const TICKS = 100_000;
const REQUESTS = 300;
const MB = 1024 * 1024;
const RANGE = { symbol: SYMBOL, fromUs: T0, toUs: T0 + TICKS * 1000, limit: TICKS };

let service: TickscopeService;
let server: RunningServer;
const logs: string[] = [];
let dispatched = 0;
const closedConnections: number[] = [];

before(async () => {
  const dataDir = makeTempDir('slow-ws');
  const rendererDir = path.join(dataDir, 'renderer');
  await mkdir(rendererDir);
  await writeFile(path.join(rendererDir, 'index.html'), '<!doctype html><title>t</title>');
  service = await createTickscopeService({
    dataDir: path.join(dataDir, 'data'),
    feed: 'none',
    log: () => {},
  });
  const store = service.store();
  for (let i = 0; i < TICKS; i++) {
    const bid = 1.1 + (i % 1000) / 100_000;
    const outcome = store.ingest({ symbol: SYMBOL, tsUs: T0 + i * 1000, bid, ask: bid + 0.00012 });
    assert.equal(outcome, 'accepted');
  }
  await store.flush();
  // Counts what the server computes and which connections it closes, around the real service.
  const observed: TickscopeService = {
    ...service,
    connect(subscriber) {
      const c = service.connect(subscriber);
      return {
        id: c.id,
        dispatch(channel, input) {
          dispatched++;
          return c.dispatch(channel, input);
        },
        close() {
          closedConnections.push(c.id);
          c.close();
        },
      };
    },
  };
  server = await startHttpServer({
    service: observed,
    rendererDir,
    csp: "default-src 'self'",
    host: '127.0.0.1',
    port: 0,
    token: TOKEN,
    log: (m) => logs.push(m),
    // Only the grace is longer than in production: on a loaded machine the resumed client below
    // must have time to read its backlog and the close frame before it would be cut off.
    wsLimits: { closeGraceMs: 15_000 },
  });
});

after(async () => {
  await server?.close();
  await service?.close();
});

function connect(): Promise<WebSocket> {
  const ws = new WebSocket(`ws://127.0.0.1:${server.port}/ws?token=${TOKEN}`, {
    headers: { origin: `http://127.0.0.1:${server.port}` },
  });
  return new Promise((resolve, reject) => {
    ws.once('open', () => resolve(ws));
    ws.once('error', reject);
  });
}

/** The contract over a socket that reads normally. */
function caller(ws: WebSocket) {
  let nextId = 1;
  const pending = new Map<number, (frame: { result: { ok: boolean; value?: unknown } }) => void>();
  ws.on('message', (data) => {
    const f = JSON.parse(data.toString()) as { id?: number; result: { ok: boolean; value?: unknown } };
    if (typeof f.id === 'number') pending.get(f.id)?.(f);
  });
  return (channel: string, input: unknown) =>
    new Promise<{ ok: boolean; value?: unknown; bytes: number }>((resolve) => {
      const id = nextId++;
      pending.set(id, (f) => resolve({ ...f.result, bytes: JSON.stringify(f).length }));
      ws.send(JSON.stringify({ id, channel, input }));
    });
}

test('a client that stops reading is closed with 4008; memory stays bounded; others are served', async () => {
  const normal = await connect();
  const call = caller(normal);
  const probe = await call('ticks.range', RANGE);
  assert.equal(probe.ok, true);
  const answerBytes = probe.bytes;
  assert.ok(answerBytes > 2 * MB, `a full-range answer is big (${(answerBytes / MB).toFixed(1)} MB)`);

  const rssBefore = process.memoryUsage().rss;
  let rssPeak = rssBefore;
  const sampler = setInterval(() => (rssPeak = Math.max(rssPeak, process.memoryUsage().rss)), 25);
  try {
    const slow = await connect();
    const closed = new Promise<{ code: number; reason: string }>((resolve) =>
      slow.on('close', (code, reason) => resolve({ code, reason: reason.toString() })),
    );
    slow.on('error', () => {});
    slow.pause(); // reads nothing from here on
    const dispatchedBefore = dispatched;
    for (let id = 1; id <= REQUESTS; id++) {
      slow.send(JSON.stringify({ id, channel: 'ticks.range', input: RANGE }));
    }

    // While the slow client's answers pile up, the other connection is answered as usual.
    await new Promise((r) => setTimeout(r, 1000));
    const stats = await call('storage.stats', {});
    assert.equal(stats.ok, true);
    const again = await call('ticks.range', { ...RANGE, limit: 1000 });
    assert.equal(again.ok, true);

    await waitFor(
      'the server to close the slow client',
      () => logs.some((l) => /reads too slowly/.test(l)),
      DEFAULT_WS_LIMITS.stallMs + 20_000,
    );
    const computed = dispatched - dispatchedBefore - 2;
    const peak = Number(
      /peak ([\d.]+) MB unsent/.exec(logs.find((l) => /reads too slowly/.test(l)) ?? '')?.[1],
    );
    const rssGrowthMb = (rssPeak - rssBefore) / MB;
    const unboundedMb = (REQUESTS * answerBytes) / MB;
    console.log(
      `slow client: ${computed} of ${REQUESTS} answers computed, peak ${peak} MB unsent, ` +
        `RSS +${rssGrowthMb.toFixed(0)} MB (unbounded buffering would hold ${unboundedMb.toFixed(0)} MB)`,
    );
    assert.ok(computed < REQUESTS / 5, `the server stopped computing answers (${computed} of ${REQUESTS})`);
    assert.ok(
      peak <= DEFAULT_WS_LIMITS.hardUnsentBytes / MB,
      `unsent bytes stayed under the ceiling (${peak} MB)`,
    );
    assert.ok(
      rssGrowthMb < Math.min(400, unboundedMb / 3),
      `RSS grew ${rssGrowthMb.toFixed(0)} MB; unbounded would be ${unboundedMb.toFixed(0)} MB`,
    );

    // The slow client catches up: it finds the close frame behind its backlog.
    slow.resume();
    const { code, reason } = await closed;
    assert.equal(code, WS_CLOSE_TOO_SLOW);
    assert.match(reason, /reads too slowly/);
    await waitFor('the server to drop the connection', () => closedConnections.length === 1, 10_000);

    // And the other client is still being served.
    const after = await call('ticks.range', { ...RANGE, limit: 10 });
    assert.equal(after.ok, true);
    assert.equal(normal.readyState, WebSocket.OPEN);
  } finally {
    clearInterval(sampler);
    normal.close();
  }
});
