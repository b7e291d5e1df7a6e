// The service against the real engine on a temp dir: handlers, events, recording, moving the
// data folder.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import type { Subscriber } from '../../../electron/app/handlerTypes.ts';
import { createTickscopeService } from '../../../electron/app/tickscopeService.ts';
import type { TickscopeService } from '../../../electron/app/tickscopeService.ts';
import type { LiveQuote, RecordingStatus, StorageSettings } from '../../../shared/catalog.ts';
import type { IpcResult } from '../../../shared/ipc/result.ts';
import type { StorageStats } from '../../../shared/stats.ts';
import type { TickColumns } from '../../../shared/tick.ts';

let root: string;
let service: TickscopeService;
const logged: string[] = [];

before(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'tickscope-service-'));
  service = await createTickscopeService({
    dataDir: path.join(root, 'a'),
    feed: 'demo',
    feedOptions: { symbols: 4, ratePerSec: 400 },
    log: (m) => logged.push(m),
  });
});

after(async () => {
  await service.close();
  await rm(root, { recursive: true, force: true });
});

function value<T>(r: IpcResult<unknown>): T {
  assert.ok(r.ok, r.ok ? '' : `${r.error.code}: ${r.error.message}`);
  return r.value as T;
}

function recorder(): Subscriber & { events: Array<{ event: string; payload: unknown }> } {
  const events: Array<{ event: string; payload: unknown }> = [];
  return { events, send: (event, payload) => events.push({ event, payload }) };
}

const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until<T>(what: string, fn: () => T | undefined | false, timeoutMs = 5000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = fn();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await wait(20);
  }
}

test('recording starts with the demo feed and status says so', async () => {
  const s = value<RecordingStatus>(await service.dispatch('recording.status', {}));
  assert.equal(s.recording, true);
  assert.equal(s.feed, 'demo');
  assert.equal(s.symbols.length, 4);
  assert.equal(s.ratePerSec, 400);
  const feeds = value<Array<{ id: string }>>(await service.dispatch('feeds.list', {}));
  assert.ok(feeds.some((f) => f.id === 'demo'));
});

test('a connected client gets quotes, stats, health, and the ticks it subscribed to', async () => {
  const sub = recorder();
  const conn = service.connect(sub);
  try {
    const quotes = await until('live.quotes', () => sub.events.find((e) => e.event === 'live.quotes'));
    const q = (quotes.payload as { quotes: LiveQuote[] }).quotes[0];
    assert.ok(q.bid > 0 && q.ask > 0 && q.tsUs > 0);
    const symbol = q.symbol;
    value(await conn.dispatch('live.subscribe', { symbols: [symbol, symbol] }));
    const ticks = await until('live.ticks', () => sub.events.find((e) => e.event === 'live.ticks'));
    const batches = (ticks.payload as { batches: TickColumns[] }).batches;
    assert.ok(batches.length >= 1);
    assert.ok(batches.every((b) => b.symbol === symbol && b.tsUs.length > 0));
    await until('storage.stats', () => sub.events.find((e) => e.event === 'storage.stats'), 3000);
    await until('storage.health', () => sub.events.find((e) => e.event === 'storage.health'), 3000);
    // Every tick since subscribing, once, in ingest order: once the feed stops, what arrived is
    // exactly the tail of the symbol's recent ticks.
    value(await service.dispatch('recording.stop', {}));
    await wait(200);
    const got = sub.events
      .filter((e) => e.event === 'live.ticks')
      .flatMap((e) => (e.payload as { batches: TickColumns[] }).batches.flatMap((b) => b.tsUs));
    const tail = value<TickColumns>(await service.dispatch('ticks.recent', { symbol, limit: got.length }));
    assert.deepEqual(got, tail.tsUs);
    value(await service.dispatch('recording.start', { feed: 'demo', symbols: 4, ratePerSec: 400 }));
  } finally {
    conn.close();
  }
  const before = sub.events.length;
  await wait(250);
  assert.equal(sub.events.length, before, 'a closed connection still gets events');
});

test('live.subscribe needs a connection; chooseDataDir has no picker headless', async () => {
  const r = await service.dispatch('live.subscribe', { symbols: ['EURUSD'] });
  assert.deepEqual(r.ok ? null : r.error.code, 'unsupported');
  const c = await service.dispatch('storage.chooseDataDir', {});
  assert.deepEqual(c.ok ? null : c.error.code, 'unsupported');
});

test('stop and start recording; an unknown feed is not_found', async () => {
  const sub = recorder();
  const conn = service.connect(sub);
  const stopped = value<RecordingStatus>(await conn.dispatch('recording.stop', {}));
  assert.equal(stopped.recording, false);
  assert.ok(sub.events.some((e) => e.event === 'recording.status'));
  const bad = await conn.dispatch('recording.start', { feed: 'bloomberg' });
  assert.equal(bad.ok ? null : bad.error.code, 'not_found');
  assert.match(bad.ok ? '' : bad.error.message, /bloomberg.*demo/);
  const started = value<RecordingStatus>(
    await conn.dispatch('recording.start', { feed: 'demo', symbols: 4, ratePerSec: 400 }),
  );
  assert.equal(started.recording, true);
  conn.close();
});

test('queries return what was recorded', async () => {
  await service.store().flush();
  const symbols = value<Array<{ symbol: string; count: number }>>(await service.dispatch('symbols.list', {}));
  assert.ok(symbols.length > 0);
  const sym = symbols[0].symbol;
  const recent = value<TickColumns>(await service.dispatch('ticks.recent', { symbol: sym, limit: 5 }));
  assert.ok(recent.tsUs.length > 0 && recent.tsUs.length <= 5);
  const to = recent.tsUs[recent.tsUs.length - 1];
  const page = value<{ tsUs: number[] }>(
    await service.dispatch('ticks.range', { symbol: sym, fromUs: to - 60e6, toUs: to + 1 }),
  );
  assert.ok(page.tsUs.length > 0);
  const reversed = await service.dispatch('ticks.range', { symbol: sym, fromUs: to, toUs: to - 1e6 });
  assert.equal(reversed.ok ? null : reversed.error.code, 'invalid_argument');
  const days = value<Array<{ day: string }>>(await service.dispatch('storage.days', {}));
  assert.ok(days.length >= 1);
});

test('settings update and backend switch go through to the engine', async () => {
  const s = value<StorageSettings>(await service.dispatch('storage.updateSettings', { batchIntervalMs: 40 }));
  assert.equal(s.batchIntervalMs, 40);
  const stats = value<StorageStats>(await service.dispatch('storage.setBackend', { backend: 'dual' }));
  assert.equal(stats.backend, 'dual');
  assert.equal(value<StorageSettings>(await service.dispatch('storage.settings', {})).backend, 'dual');
  value(await service.dispatch('storage.setBackend', { backend: 'sqlite' }));
});

test('setDataDir refuses relative paths and moves recording to the new folder', async () => {
  const rel = await service.dispatch('storage.setDataDir', { path: 'relative/dir' });
  assert.equal(rel.ok ? null : rel.error.code, 'invalid_argument');
  const target = path.join(root, 'b');
  const settings = value<StorageSettings>(await service.dispatch('storage.setDataDir', { path: target }));
  assert.equal(settings.dataDir, target);
  assert.equal(settings.batchIntervalMs, 40, 'settings carried over to the new store');
  assert.equal(service.store().config.dataDir, target);
  await wait(400);
  await service.store().flush();
  const stats = service.store().getStorageStats();
  assert.ok(stats.ticks_written > 0, 'recording continues into the new folder');
  assert.ok(existsSync(path.join(target, 'sqlite')));
  assert.ok((await readdir(path.join(target, 'sqlite'))).length > 0);
});

test('nothing unexpected was logged', () => {
  assert.deepEqual(logged, []);
});
