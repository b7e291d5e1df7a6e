// The feed manager against fake feeds and a fake store: several feeds at once, persisted edits,
// restarts on save, secrets handed to the feed and never listed, ledger entries to the store and
// to clients, backpressure asked of the store, and what health says about feeds.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { FeedConfig } from '../../../shared/feeds/feedConfig.ts';
import { FEED_CONFIG_SCHEMA } from '../../../shared/feeds/feedConfig.ts';
import type { FeedEvent } from '../../../shared/feeds/feedEvents.ts';
import { feedEvent } from '../../../shared/feeds/feedEvents.ts';
import type { FeedState, FeedStatus } from '../../../shared/feeds/feedStatus.ts';
import { emptyFeedStatus } from '../../../shared/feeds/feedStatus.ts';
import type { TickInput } from '../../../shared/tick.ts';
import { ManualClock } from '../../../electron/engine/clock.ts';
import type { TickStore } from '../../../electron/engine/tickStoreApi.ts';
import type { Feed, FeedSink } from '../../../electron/feeds/feed.ts';
import { memoryFeedConfigs } from '../../../electron/app/feedConfigFile.ts';
import type { FeedContext } from '../../../electron/app/feedManager.ts';
import { FEED_DOWN_CRITICAL_MS, createFeedManager, feedHealth } from '../../../electron/app/feedManager.ts';
import { memorySecretStore } from '../../../electron/app/secretFile.ts';

const T0 = Date.UTC(2026, 11, 1, 12) * 1000;

function cfg(raw: Record<string, unknown>): FeedConfig {
  return FEED_CONFIG_SCHEMA.parse(raw);
}

interface FakeFeed extends Feed {
  sink: FeedSink | null;
  stopped: number;
  ctx: FeedContext;
  config: FeedConfig;
  checks: number;
}

function fakeStore() {
  const ticks: TickInput[] = [];
  const events: FeedEvent[] = [];
  let pressure: Promise<void> | null = null;
  const store = {
    ingest: (t: TickInput) => {
      ticks.push({ ...t });
      return 'accepted';
    },
    recordFeedEvent: (e: FeedEvent) => void events.push(e),
    ingestPressure: () => pressure,
  } as unknown as TickStore;
  return { store, ticks, events, setPressure: (p: Promise<void> | null) => (pressure = p) };
}

function status(id: string, over: Partial<FeedStatus> = {}): FeedStatus {
  const base = emptyFeedStatus({
    id,
    kind: 'binance',
    source: id,
    state: 'live',
    stateSinceUs: T0,
    endpoint: 'ws://x',
  });
  return { ...base, connections: 1, connectionsLive: 1, ...over };
}

async function setup(initial: FeedConfig[]) {
  const created: FakeFeed[] = [];
  const stores = [fakeStore()];
  const configs = memoryFeedConfigs(initial);
  const saved: FeedConfig[][] = [];
  const save = configs.save.bind(configs);
  configs.save = async (l) => {
    saved.push([...l]);
    await save(l);
  };
  const secrets = memorySecretStore();
  const broadcast: FeedEvent[] = [];
  let changes = 0;
  const logs: string[] = [];
  const clock = new ManualClock(T0);
  const manager = await createFeedManager({
    store: () => stores[stores.length - 1].store,
    configs,
    secrets,
    create: (config, ctx) => {
      const f: FakeFeed = {
        id: config.id,
        kind: config.kind,
        source: config.id,
        symbols: config.symbols,
        sink: null,
        stopped: 0,
        ctx,
        config,
        checks: 0,
        start(sink) {
          f.sink = sink;
        },
        async stop() {
          f.stopped++;
        },
        status: () => status(config.id),
        lastMessages: () => [`{"from":"${config.id}"}`],
        checkConnection() {
          f.checks++;
        },
      };
      created.push(f);
      return f;
    },
    stateDir: '/tmp/state',
    clock,
    log: (m) => void logs.push(m),
    onEvents: (e) => void broadcast.push(...e),
    onChange: () => void changes++,
  });
  return { manager, created, stores, saved, secrets, broadcast, logs, clock, changes: () => changes };
}

const binance = cfg({ id: 'binance', kind: 'binance', symbols: ['BTCUSDT'] });
const coinbase = cfg({ id: 'coinbase', kind: 'coinbase', symbols: ['BTC-USD'], enabled: false });

test('startEnabled runs every enabled feed at once, each with its own sink', async () => {
  const s = await setup([binance, coinbase, cfg({ id: 'b2', kind: 'binance', symbols: ['ETHUSDT'] })]);
  s.manager.startEnabled();
  assert.deepEqual(
    s.manager.running().map((r) => r.config.id),
    ['binance', 'b2'],
  );
  const [a, b] = s.created;
  a.sink!.tick({ symbol: 'BTCUSDT', bid: 1, ask: 2, tsUs: T0, source: 'binance', seq: 7 });
  b.sink!.tick({ symbol: 'ETHUSDT', bid: 3, ask: 4, tsUs: T0, source: 'b2' });
  assert.deepEqual(
    s.stores[0].ticks.map((t) => [t.symbol, t.source, t.seq]),
    [
      ['BTCUSDT', 'binance', 7],
      ['ETHUSDT', 'b2', undefined],
    ],
  );
  assert.equal(s.manager.status().length, 2);
  assert.ok(s.manager.entries().find((e) => e.config.id === 'binance')!.running);
  assert.equal(s.manager.entries().find((e) => e.config.id === 'coinbase')!.running, false);
});

test('ticks go to whichever store is current, so a data-folder move needs no feed restart', async () => {
  const s = await setup([binance]);
  s.manager.startEnabled();
  s.stores.push(fakeStore());
  s.created[0].sink!.tick({ symbol: 'BTCUSDT', bid: 1, ask: 2, tsUs: T0 });
  assert.equal(s.stores[0].ticks.length, 0);
  assert.equal(s.stores[1].ticks.length, 1);
});

test("ledger entries reach the store and clients; backpressure is the store's", async () => {
  const s = await setup([binance]);
  s.manager.startEnabled();
  const sink = s.created[0].sink!;
  const e = feedEvent({
    tsUs: T0,
    feed: 'binance',
    source: 'binance',
    kind: 'disconnect',
    code: 1006,
    reason: 'cut',
  });
  sink.event(e);
  assert.deepEqual(s.stores[0].events, [e]);
  assert.deepEqual(s.broadcast, [e]);
  assert.ok(s.logs.some((l) => l.includes('feed binance: disconnect 1006: cut')));
  assert.equal(sink.wait(), null);
  const p = Promise.resolve();
  s.stores[0].setPressure(p);
  assert.equal(sink.wait(), p);
});

test('save persists, and a running feed restarts with the new config', async () => {
  const s = await setup([binance]);
  s.manager.startEnabled();
  const next = cfg({ id: 'binance', kind: 'binance', symbols: ['BTCUSDT', 'ETHUSDT'] });
  const entries = await s.manager.save(next);
  assert.deepEqual(s.saved.at(-1), [next]);
  assert.equal(s.created[0].stopped, 1);
  assert.equal(s.created.length, 2);
  assert.deepEqual(s.created[1].config.symbols, ['BTCUSDT', 'ETHUSDT']);
  assert.ok(entries[0].running);
  // A stopped feed is saved but not started.
  await s.manager.save(coinbase);
  assert.equal(s.created.length, 2);
  assert.deepEqual(
    s.saved.at(-1)!.map((c) => c.id),
    ['binance', 'coinbase'],
  );
});

test('remove stops the feed, drops it from the saved list and forgets its secrets', async () => {
  const s = await setup([binance]);
  await s.manager.setSecret('binance', 'password', 'hunter2');
  s.manager.startEnabled();
  assert.equal(s.created[0].ctx.secrets.password, 'hunter2', 'the feed gets its secret');
  await s.manager.remove('binance');
  assert.equal(s.created[0].stopped, 1);
  assert.deepEqual(s.saved.at(-1), []);
  assert.equal(s.secrets.has('binance', 'password'), false);
  await assert.rejects(() => s.manager.remove('binance'), /no feed "binance" is configured/);
});

test('entries say whether a secret is set and never carry its value', async () => {
  const s = await setup([binance]);
  await s.manager.setSecret('binance', 'password', 'hunter2');
  const text = JSON.stringify(s.manager.entries());
  assert.ok(!text.includes('hunter2'));
  assert.deepEqual(s.manager.entries()[0].secretsSet, { password: true });
  await s.manager.setSecret('binance', 'password', null);
  assert.deepEqual(s.manager.entries()[0].secretsSet, { password: false });
});

test('start and stop by id; unknown ids are refused naming the configured ones', async () => {
  const s = await setup([binance, coinbase]);
  s.manager.start('coinbase');
  s.manager.start('coinbase');
  assert.equal(s.created.length, 1, 'starting a running feed again is a no-op');
  await s.manager.stop('coinbase');
  assert.equal(s.created[0].stopped, 1);
  assert.throws(
    () => s.manager.start('kraken'),
    /no feed "kraken" is configured \(configured: binance, coinbase\)/,
  );
  assert.ok(s.changes() >= 2);
});

test('a feed that cannot be created is refused with the reason; the others still start', async () => {
  const s = await setup([binance]);
  const logs: string[] = [];
  const m = await createFeedManager({
    store: () => s.stores[0].store,
    configs: memoryFeedConfigs([binance, cfg({ id: 'b2', kind: 'binance' })]),
    secrets: memorySecretStore(),
    create: (c) => {
      if (c.id === 'binance') throw new Error('needs a password');
      return { ...s.created[0], id: c.id, start() {}, async stop() {}, status: () => status(c.id) } as Feed;
    },
    stateDir: '/tmp',
    clock: new ManualClock(T0),
    log: (l) => void logs.push(l),
    onEvents: () => {},
    onChange: () => {},
  });
  m.startEnabled();
  assert.deepEqual(
    m.running().map((r) => r.config.id),
    ['b2'],
  );
  assert.ok(logs.some((l) => l === 'feed binance cannot start: needs a password'));
});

test('checkConnections reaches every running feed (system resume)', async () => {
  const s = await setup([binance, cfg({ id: 'b2', kind: 'binance' })]);
  s.manager.startEnabled();
  s.manager.checkConnections();
  assert.deepEqual(
    s.created.map((f) => f.checks),
    [1, 1],
  );
  assert.deepEqual(s.manager.lastMessages('b2'), ['{"from":"b2"}']);
});

test('health: a feed down for long is critical, briefly down a warning, stale symbols and recent malformed warn', () => {
  const down = (state: FeedState, forMs: number) =>
    status('lp', { state, stateSinceUs: T0 - forMs * 1000, reconnects: 3, lastError: 'ECONNREFUSED' });
  assert.deepEqual(feedHealth([status('a')], T0), { status: 'ok', reasons: [] });
  const brief = feedHealth([down('reconnecting', 5_000)], T0);
  assert.equal(brief.status, 'warn');
  assert.match(
    brief.reasons[0],
    /feed lp has not been live for 5 s \(reconnecting, 3 reconnects, ECONNREFUSED\)/,
  );
  assert.equal(feedHealth([down('reconnecting', FEED_DOWN_CRITICAL_MS)], T0).status, 'critical');
  // Attempts alternate connecting and reconnecting, each a fresh state: the time down counts.
  const flapping = status('lp', {
    state: 'connecting',
    stateSinceUs: T0 - 1_000_000,
    notLiveSinceUs: T0 - 45_000_000,
  });
  assert.equal(feedHealth([flapping], T0).status, 'critical');
  assert.match(feedHealth([flapping], T0).reasons[0], /has not been live for 45 s/);
  const sym = (symbol: string, stale: boolean) => ({
    symbol,
    ticks: 1,
    lastTickUs: T0,
    normalSpacingMs: 100,
    stale,
    staleSinceUs: stale ? T0 : null,
    sequenceGaps: 0,
    lastSeq: null,
    bid: 1,
    ask: 2,
  });
  const stale = feedHealth([status('a', { symbols: [sym('X', true), sym('Y', false)] })], T0);
  assert.deepEqual(stale, { status: 'warn', reasons: ['feed a: 1 symbol stale (X)'] });
  const m = (lastAtUs: number) => ({ reason: 'not_json', count: 4, sample: '{', lastAtUs });
  assert.equal(feedHealth([status('a', { malformed: [m(T0 - 1_000_000)] })], T0).status, 'warn');
  assert.equal(feedHealth([status('a', { malformed: [m(T0 - 3_600_000_000)] })], T0).status, 'ok');
});
