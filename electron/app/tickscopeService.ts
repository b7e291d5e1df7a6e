// The service both shells share (Electron window and headless server): opens the engine, runs
// the recording, answers every request channel of the contract and pushes events to clients.
// No Electron here: the shell hands in what only it can do (the native folder picker).
import type { EventChannel, EventPayload, RequestChannel } from '../../shared/ipc/contract.ts';
import type { IpcResult } from '../../shared/ipc/result.ts';
import { validateRequest } from '../../shared/ipc/validate.ts';
import type { StorageConfigInput } from '../engine/config.ts';
import type { Clock } from '../engine/clock.ts';
import { systemClock } from '../engine/clock.ts';
import type { StopResult, TickStore } from '../engine/tickStoreApi.ts';
import { createMigrationHandlers } from './migrationHandlers.ts';
import { mapError } from './errorMapping.ts';
import { createEventPump } from './eventPump.ts';
import path from 'node:path';
import type { FeedConfig } from '../../shared/feeds/feedConfig.ts';
import { DEMO_FEED_SCHEMA } from '../../shared/feeds/feedConfig.ts';
import type { Health } from '../../shared/stats.ts';
import { combineHealth } from '../../shared/stats.ts';
import type { FeedConfigStore } from './feedConfigFile.ts';
import { memoryFeedConfigs } from './feedConfigFile.ts';
import { createFeed } from './feedFactory.ts';
import { createFeedHandlers } from './feedHandlers.ts';
import type { FeedCreator, FeedManager } from './feedManager.ts';
import { createFeedManager } from './feedManager.ts';
import type { CallerContext, Handler, HandlerMap, Subscriber } from './handlerTypes.ts';
import { createRecordingController } from './recordingController.ts';
import type { FeedOptions, RecordingController } from './recordingController.ts';
import type { SecretStore } from './secretFile.ts';
import { memorySecretStore } from './secretFile.ts';
import type { ServiceContext } from './serviceContext.ts';
import { createQualityHandlers } from './qualityHandlers.ts';
import type { ChooseSaveFile } from './exportHandlers.ts';
import { createExportHandlers } from './exportHandlers.ts';
import type { ExportManager } from './exportManager.ts';
import { createExportManager } from './exportManager.ts';
import { createStorageHandlers } from './storageHandlers.ts';
import { createReplayHandlers } from './replayHandlers.ts';
import { openStoreHolder } from './storeHolder.ts';
import type { ClickhouseSinkConfig, ClickhouseSinkInput } from '../engine/sink/sinkConfig.ts';
import { sinkConfigFromEnv } from '../engine/sink/sinkConfig.ts';
import { sinkWarnings } from '../../shared/sinkStatus.ts';
import type { SinkController } from './sinkController.ts';
import { startSinkController } from './sinkController.ts';
import { createDeskHandlers } from './deskHandlers.ts';

export interface TickscopeServiceOptions {
  dataDir: string;
  /** 'none' starts idle (feeds stay configured); anything else starts every enabled feed. */
  feed?: string;
  /** The demo feed's options when the feed list starts from scratch. */
  feedOptions?: FeedOptions;
  /** The configured feeds (a file the feed screens save to); default: in memory. */
  feedConfigs?: FeedConfigStore;
  /** Feeds given on the command line: added to the list (replacing equal ids) at start. */
  feeds?: FeedConfig[];
  /** Feed secrets; opened after the store, so a bad data folder is reported as such first. */
  secrets?: SecretStore | (() => Promise<SecretStore>);
  /** Per-feed session state (FIX sequence numbers); default DATA_DIR/feed-state. */
  feedStateDir?: string;
  /** Tests replace how a config becomes a running feed. */
  createFeed?: FeedCreator;
  clock?: Clock;
  /** Other engine settings (backend, batch size...); dataDir above wins. */
  storage?: Partial<StorageConfigInput>;
  /** Native folder picker of the Electron shell (storage.chooseDataDir, migration.chooseFolder). */
  chooseFolder?: (title: string) => Promise<string | null>;
  /** Native save dialog of the Electron shell (export.start with destination 'dialog'). */
  chooseSaveFile?: ChooseSaveFile;
  /** The ClickHouse sink: fields over TICK_CLICKHOUSE_URL/BROKER_ID..., pollMs for tests; false: off. */
  clickhouse?: (ClickhouseSinkInput & { pollMs?: number }) | false;
  log?: (message: string) => void;
}

/** One connected window or socket. */
export interface Connection {
  readonly id: number;
  dispatch(channel: unknown, input: unknown): Promise<IpcResult<unknown>>;
  close(): void;
}

export interface TickscopeService {
  /** Validates, runs the handler, and wraps the outcome; never throws. */
  dispatch(channel: unknown, input: unknown, caller?: CallerContext | null): Promise<IpcResult<unknown>>;
  connect(subscriber: Subscriber): Connection;
  store(): TickStore;
  readonly recording: RecordingController;
  readonly feeds: FeedManager;
  /** The running or last export; the server's /exports route serves its download. */
  readonly exports: ExportManager;
  /** The ClickHouse sink's controller; null when no sink is configured. */
  readonly sink?: SinkController | null;
  /** The store's health with the running feeds' (a feed down, stale symbols). */
  health(): Health;
  /** Stops the feeds and the pump, then drains and closes the store; says what was not durable. */
  close(): Promise<StopResult>;
}

export async function createTickscopeService(opts: TickscopeServiceOptions): Promise<TickscopeService> {
  const clock = opts.clock ?? systemClock;
  const log = opts.log ?? ((m: string) => console.error(`tickscope: ${m}`));
  const stores = await openStoreHolder({ ...opts.storage, dataDir: opts.dataDir }, opts.clock);
  // Feeds join health once the manager exists (below); until then health is the store's.
  let health = (): Health => stores.current().getHealth();
  const pump = createEventPump(
    () => stores.current(),
    clock,
    log,
    () => health(),
  );
  const ctx: ServiceContext = {
    store: () => stores.current(),
    dataDir: () => stores.current().config.dataDir,
    emit: <E extends EventChannel>(event: E, payload: EventPayload<E>) => pump.broadcast(event, payload),
    log,
    chooseFolder: opts.chooseFolder ?? null,
  };
  stores.onSwap(() => pump.storeChanged());

  const initialDemo = DEMO_FEED_SCHEMA.parse({
    id: 'demo',
    kind: 'demo',
    symbolCount: opts.feedOptions?.symbols,
    ratePerSec: opts.feedOptions?.ratePerSec,
  });
  let recording: RecordingController | null = null;
  let feeds: FeedManager;
  try {
    // The sinks read the current store on every tick, so a data folder change needs no feed restart.
    feeds = await createFeedManager({
      store: () => stores.current(),
      configs: opts.feedConfigs ?? memoryFeedConfigs(opts.feeds ? [] : [initialDemo]),
      secrets:
        typeof opts.secrets === 'function'
          ? await opts.secrets()
          : (opts.secrets ?? memorySecretStore(process.env)),
      create: opts.createFeed ?? createFeed,
      stateDir: opts.feedStateDir ?? path.join(opts.dataDir, 'feed-state'),
      clock,
      log,
      onEvents: (events) => pump.broadcast('feeds.event', { events }),
      onChange: () => {
        if (recording) pump.broadcast('recording.status', recording.status());
      },
    });
    for (const f of opts.feeds ?? []) await feeds.save(f);
  } catch (err) {
    pump.stop();
    await stores.close();
    throw err;
  }
  recording = createRecordingController(feeds);
  const sinkConfig = clickhouseConfig(opts.clickhouse, log);
  // The sink's worker reads the day files itself; a data folder change restarts it on the new one.
  const sink: SinkController | null = sinkConfig
    ? startSinkController({
        config: sinkConfig,
        folders: () => stores.current().config,
        log,
        pollMs: opts.clickhouse ? opts.clickhouse.pollMs : undefined,
      })
    : null;
  if (sink) stores.onSwap(() => void sink.restart());
  health = () => {
    const h = combineHealth(stores.current().getHealth(), feeds.health());
    if (!sink) return h;
    const s = sink.status();
    const warn = sinkWarnings(s);
    return { ...combineHealth(h, { status: warn.length ? 'warn' : 'ok', reasons: warn }), sink: s };
  };
  const stopFeedStatus = clock.every(1000, () => pump.broadcast('feeds.status', { feeds: feeds.status() }));

  const migration = createMigrationHandlers(ctx);
  const exports = createExportManager({
    start: (request, onProgress) => stores.current().startExport(request, onProgress),
    onProgress: (status) => pump.broadcast('export.progress', status),
    log,
  });
  const desk = createDeskHandlers({ config: sinkConfig, sink: () => sink?.status() ?? null });
  const handlers: HandlerMap = {
    ...createStorageHandlers({ ctx, stores, recording, feeds, health }),
    ...createFeedHandlers(ctx, feeds),
    ...createQualityHandlers(ctx),
    ...createExportHandlers(exports, opts.chooseSaveFile ?? null),
    ...migration.handlers,
    ...createReplayHandlers({
      readPage: (sel, cursor, n) => stores.current().streamPage(sel, cursor, n),
      log,
    }),
    ...desk.handlers,
  };

  async function dispatch(
    channel: unknown,
    input: unknown,
    caller: CallerContext | null = null,
  ): Promise<IpcResult<unknown>> {
    const v = validateRequest(channel, input);
    if (!v.ok) return { ok: false, error: v.error };
    try {
      const handler = handlers[v.channel] as Handler<RequestChannel>;
      return { ok: true, value: await handler(v.input as never, caller) };
    } catch (err) {
      const mapped = mapError(err);
      if (mapped.unexpected) log(`${v.channel} failed: ${(err as Error)?.stack ?? String(err)}`);
      return { ok: false, error: mapped.error };
    }
  }

  if (opts.feed !== 'none') feeds.startEnabled();

  let closing: Promise<StopResult> | null = null;
  return {
    dispatch,
    connect(subscriber) {
      const client = pump.add(subscriber);
      const closers: (() => void)[] = [];
      const caller: CallerContext = {
        id: client.id,
        setLiveSymbols: (symbols) => client.setLiveSymbols(symbols),
        send: (event, payload) => subscriber.send(event, payload),
        onClose: (fn) => void closers.push(fn),
      };
      return {
        id: client.id,
        dispatch: (channel, input) => dispatch(channel, input, caller),
        close: () => {
          client.close();
          for (const fn of closers.splice(0)) fn();
        },
      };
    },
    store: () => stores.current(),
    recording,
    feeds,
    exports,
    sink,
    health: () => health(),
    close() {
      closing ??= (async () => {
        stopFeedStatus();
        await feeds.stopAll();
        pump.stop();
        await exports.close();
        await migration.close().catch((err: unknown) => log(`migration close: ${(err as Error).message}`));
        // The sink's worker reads the store's day files: it stops before the store closes.
        await sink?.stop();
        desk.close();
        return stores.close();
      })();
      return closing;
    },
  };
}

/** The sink's settings, or null when it is off; a bad setting is logged and the sink left off. */
function clickhouseConfig(
  input: TickscopeServiceOptions['clickhouse'],
  log: (m: string) => void,
): ClickhouseSinkConfig | null {
  if (input === false) return null;
  const { pollMs: _p, ...explicit } = input ?? {};
  try {
    return sinkConfigFromEnv(process.env, explicit);
  } catch (e) {
    log(`ClickHouse sink off: ${(e as Error).message}`);
    return null;
  }
}
