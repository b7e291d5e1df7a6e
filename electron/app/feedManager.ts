// Runs the configured feeds, several at once, into whichever store is current (the store can be
// swapped for another data folder without restarting a feed). Each feed's sink forwards ticks to
// ingest, its gap-ledger entries to the store and to connected clients, and asks the store
// whether to wait (backpressure), so a socket feed pauses its reads instead of queueing.
import type { FeedConfig, FeedSecretName } from '../../shared/feeds/feedConfig.ts';
import { FEED_SECRET_NAMES } from '../../shared/feeds/feedConfig.ts';
import type { FeedEvent } from '../../shared/feeds/feedEvents.ts';
import type { FeedStatus } from '../../shared/feeds/feedStatus.ts';
import type { FeedEntry } from '../../shared/ipc/feedChannels.ts';
import type { Health, HealthStatus } from '../../shared/stats.ts';
import type { Clock } from '../engine/clock.ts';
import type { TickStore } from '../engine/tickStoreApi.ts';
import type { Feed, FeedSink } from '../feeds/feed.ts';
import type { FeedConfigStore } from './feedConfigFile.ts';
import { HandlerError } from './handlerTypes.ts';
import type { SecretStore } from './secretFile.ts';

/** What a feed may be given besides its config: its secrets and a folder for session state. */
export interface FeedContext {
  secrets: Partial<Record<FeedSecretName, string>>;
  /** Per-feed state that must outlive a restart (FIX sequence numbers). */
  stateDir: string;
}

export type FeedCreator = (config: FeedConfig, ctx: FeedContext) => Feed;

export interface FeedManagerDeps {
  store(): TickStore;
  configs: FeedConfigStore;
  secrets: SecretStore;
  create: FeedCreator;
  stateDir: string;
  clock: Clock;
  log(message: string): void;
  /** Ledger entries as they happen, for connected clients. */
  onEvents(events: FeedEvent[]): void;
  /** The set of running feeds changed. */
  onChange(): void;
}

export interface RunningFeed {
  feed: Feed;
  config: FeedConfig;
  startedAtUs: number;
}

/** A feed reconnecting for longer than this records nothing: health turns critical. */
export const FEED_DOWN_CRITICAL_MS = 30_000;
const MALFORMED_RECENT_US = 60_000_000;

export interface FeedManager {
  entries(): FeedEntry[];
  configs(): readonly FeedConfig[];
  save(config: FeedConfig): Promise<FeedEntry[]>;
  remove(id: string): Promise<FeedEntry[]>;
  setSecret(id: string, name: FeedSecretName, value: string | null): Promise<FeedEntry[]>;
  start(id: string): FeedStatus[];
  stop(id: string): Promise<FeedStatus[]>;
  stopAll(): Promise<void>;
  startEnabled(): void;
  running(): readonly RunningFeed[];
  status(): FeedStatus[];
  lastMessages(id: string): string[];
  /** After sleep or a network change: every feed verifies its connection now. */
  checkConnections(): void;
  health(): Health;
}

export async function createFeedManager(d: FeedManagerDeps): Promise<FeedManager> {
  let list: FeedConfig[] = await d.configs.load();
  const running = new Map<string, RunningFeed>();
  // Saves are serialised so two edits in flight cannot write the file out of order.
  let saving: Promise<unknown> = Promise.resolve();

  const find = (id: string): FeedConfig => {
    const c = list.find((f) => f.id === id);
    if (!c) {
      const known = list.map((f) => f.id).join(', ') || 'none';
      throw new HandlerError(
        'not_found',
        `no feed ${JSON.stringify(id)} is configured (configured: ${known})`,
      );
    }
    return c;
  };

  const persist = (): Promise<void> => {
    const snapshot = [...list];
    const p = saving.then(() => d.configs.save(snapshot));
    saving = p.catch(() => undefined);
    return p;
  };

  const entries = (): FeedEntry[] =>
    list.map((config) => ({
      config,
      secretsSet: Object.fromEntries(FEED_SECRET_NAMES.map((n) => [n, d.secrets.has(config.id, n)])),
      running: running.has(config.id),
    }));

  function sinkFor(config: FeedConfig): FeedSink {
    return {
      tick: (t) => {
        d.store().ingest(t);
      },
      event: (e) => {
        d.store().recordFeedEvent(e);
        if (e.kind !== 'stale_start' && e.kind !== 'stale_end')
          d.log(`feed ${config.id}: ${e.kind}${e.code !== null ? ` ${e.code}` : ''}: ${e.reason}`);
        d.onEvents([e]);
      },
      wait: () => d.store().ingestPressure(),
    };
  }

  function startConfig(config: FeedConfig): void {
    if (running.has(config.id)) return;
    const secrets: FeedContext['secrets'] = {};
    for (const n of FEED_SECRET_NAMES) {
      const v = d.secrets.get(config.id, n);
      if (v !== null) secrets[n] = v;
    }
    let feed: Feed;
    try {
      feed = d.create(config, { secrets, stateDir: d.stateDir });
    } catch (err) {
      throw new HandlerError('invalid_argument', `feed ${config.id} cannot start: ${(err as Error).message}`);
    }
    feed.start(sinkFor(config));
    running.set(config.id, { feed, config, startedAtUs: d.clock.nowUs() });
    d.onChange();
  }

  async function stopRunning(id: string): Promise<void> {
    const r = running.get(id);
    if (!r) return;
    running.delete(id);
    d.onChange();
    try {
      await r.feed.stop();
    } catch (err) {
      d.log(`feed ${id}: stop failed: ${(err as Error).message}`);
    }
  }

  const status = (): FeedStatus[] => [...running.values()].map((r) => r.feed.status());

  return {
    entries,
    configs: () => list,
    async save(config) {
      const wasRunning = running.has(config.id);
      const i = list.findIndex((f) => f.id === config.id);
      list = i < 0 ? [...list, config] : list.map((f, k) => (k === i ? config : f));
      await persist();
      if (wasRunning) {
        await stopRunning(config.id);
        startConfig(config);
      }
      return entries();
    },
    async remove(id) {
      find(id);
      await stopRunning(id);
      list = list.filter((f) => f.id !== id);
      await persist();
      await d.secrets.forget(id);
      return entries();
    },
    async setSecret(id, name, value) {
      find(id);
      await d.secrets.set(id, name, value);
      return entries();
    },
    start(id) {
      startConfig(find(id));
      return status();
    },
    async stop(id) {
      find(id);
      await stopRunning(id);
      return status();
    },
    async stopAll() {
      await Promise.all([...running.keys()].map((id) => stopRunning(id)));
    },
    startEnabled() {
      for (const c of list) {
        if (!c.enabled || running.has(c.id)) continue;
        try {
          startConfig(c);
        } catch (err) {
          d.log((err as Error).message);
        }
      }
    },
    running: () => [...running.values()],
    status,
    lastMessages(id) {
      find(id);
      return running.get(id)?.feed.lastMessages() ?? [];
    },
    checkConnections() {
      for (const r of running.values()) r.feed.checkConnection();
    },
    health() {
      return feedHealth(status(), d.clock.nowUs());
    },
  };
}

/** What Health says about the running feeds: down for long is critical, stale symbols a warning. */
export function feedHealth(statuses: readonly FeedStatus[], nowUs: number): Health {
  const reasons: string[] = [];
  let status: HealthStatus = 'ok';
  const raise = (s: HealthStatus) => {
    if (s === 'critical' || (s === 'warn' && status === 'ok')) status = s;
  };
  for (const f of statuses) {
    if (f.state === 'reconnecting' || f.state === 'connecting' || f.state === 'subscribing') {
      const downMs = Math.max(0, (nowUs - (f.notLiveSinceUs ?? f.stateSinceUs)) / 1000);
      const long = downMs >= FEED_DOWN_CRITICAL_MS;
      raise(long ? 'critical' : 'warn');
      reasons.push(
        `feed ${f.id} has not been live for ${Math.round(downMs / 1000)} s (${f.state}, ${f.reconnects} reconnects${f.lastError ? `, ${f.lastError}` : ''}): nothing is recorded from it`,
      );
    }
    const stale = f.symbols.filter((s) => s.stale);
    if (stale.length > 0) {
      raise('warn');
      const names = stale.slice(0, 5).map((s) => s.symbol);
      reasons.push(
        `feed ${f.id}: ${stale.length} symbol${stale.length === 1 ? '' : 's'} stale (${names.join(', ')}${stale.length > 5 ? ', …' : ''})`,
      );
    }
    // One bad message an hour ago is history (the feed screen keeps it); recent ones are news.
    const recent = f.malformed.filter((m) => nowUs - m.lastAtUs < MALFORMED_RECENT_US);
    if (recent.length > 0) {
      raise('warn');
      const n = recent.reduce((k, m) => k + m.count, 0);
      reasons.push(
        `feed ${f.id}: malformed messages in the last minute (${n} in all: ${recent.map((m) => m.reason).join(', ')})`,
      );
    }
  }
  return { status, reasons };
}
