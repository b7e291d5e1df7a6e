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
import { createFeedRegistry } from './feedRegistry.ts';
import type { FeedOptions } from './feedRegistry.ts';
import type { CallerContext, Handler, HandlerMap, Subscriber } from './handlerTypes.ts';
import { createRecordingController } from './recordingController.ts';
import type { RecordingController } from './recordingController.ts';
import type { ServiceContext } from './serviceContext.ts';
import { createStorageHandlers } from './storageHandlers.ts';
import { openStoreHolder } from './storeHolder.ts';

export interface TickscopeServiceOptions {
  dataDir: string;
  /** Feed to record from at start; 'none' starts idle. Default 'demo'. */
  feed?: string;
  feedOptions?: FeedOptions;
  clock?: Clock;
  /** Other engine settings (backend, batch size...); dataDir above wins. */
  storage?: Partial<StorageConfigInput>;
  /** Native folder picker of the Electron shell (storage.chooseDataDir, migration.chooseFolder). */
  chooseFolder?: (title: string) => Promise<string | null>;
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
  /** Stops the feed and the pump, then drains and closes the store; says what was not durable. */
  close(): Promise<StopResult>;
}

export async function createTickscopeService(opts: TickscopeServiceOptions): Promise<TickscopeService> {
  const clock = opts.clock ?? systemClock;
  const log = opts.log ?? ((m: string) => console.error(`tickscope: ${m}`));
  const stores = await openStoreHolder({ ...opts.storage, dataDir: opts.dataDir }, opts.clock);
  const pump = createEventPump(() => stores.current(), clock, log);
  const ctx: ServiceContext = {
    store: () => stores.current(),
    dataDir: () => stores.current().config.dataDir,
    emit: <E extends EventChannel>(event: E, payload: EventPayload<E>) => pump.broadcast(event, payload),
    log,
    chooseFolder: opts.chooseFolder ?? null,
  };
  stores.onSwap(() => pump.storeChanged());

  const feeds = createFeedRegistry();
  // The sink reads the current store on every tick, so a data folder change needs no feed restart.
  const recording = createRecordingController(feeds, (t) => stores.current().ingest(t), clock);
  recording.onChange((s) => pump.broadcast('recording.status', s));

  const migration = createMigrationHandlers(ctx);
  const handlers: HandlerMap = {
    ...createStorageHandlers({ ctx, stores, recording, feeds }),
    ...migration.handlers,
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

  const feed = opts.feed ?? 'demo';
  if (feed !== 'none') {
    try {
      recording.start(feed, opts.feedOptions ?? {});
    } catch (err) {
      await migration.close().catch(() => undefined);
      pump.stop();
      await stores.close();
      throw err;
    }
  }

  let closing: Promise<StopResult> | null = null;
  return {
    dispatch,
    connect(subscriber) {
      const client = pump.add(subscriber);
      return {
        id: client.id,
        dispatch: (channel, input) => dispatch(channel, input, client),
        close: () => client.close(),
      };
    },
    store: () => stores.current(),
    recording,
    close() {
      closing ??= (async () => {
        recording.stop();
        pump.stop();
        await migration.close().catch((err: unknown) => log(`migration close: ${(err as Error).message}`));
        return stores.close();
      })();
      return closing;
    },
  };
}
