// A TickscopeService whose recording state, events and close the test controls, for shell tests
// that are about the shell, not the engine (those use the real service).
import type { RecordingStatus } from '../../shared/catalog.ts';
import type { EventChannel } from '../../shared/ipc/contract.ts';
import type { IpcResult } from '../../shared/ipc/result.ts';
import type { TickscopeService, TickscopeServiceOptions } from '../../electron/app/tickscopeService.ts';
import type { Subscriber } from '../../electron/app/handlerTypes.ts';
import type { StopResult } from '../../electron/engine/tickStoreApi.ts';
import { CLEAN_STOP } from './engineResults.ts';

export interface FakeService {
  service: TickscopeService;
  options: TickscopeServiceOptions | null;
  /** Every subscriber connect() was given, and whether it was closed since. */
  subscribers: { subscriber: Subscriber; closed: boolean }[];
  dispatched: { channel: unknown; input: unknown }[];
  closeCalls: number;
  setRecording(recording: boolean): void;
  /** Sends an event to every open subscriber, as the service's pump does. */
  broadcast(event: EventChannel, payload: unknown): void;
  /** How often the shell asked the feeds to check their connections (system resume). */
  connectionChecks: number;
  /** Settles the pending close (close() waits for this when `manualClose` is set). */
  finishClose(result?: StopResult | Error): void;
  /** Resolves with the options once the shell has created the service. */
  factory: (options: TickscopeServiceOptions) => Promise<TickscopeService>;
}

export function fakeService(
  o: { manualClose?: boolean; dataDir?: string; result?: (channel: unknown) => IpcResult<unknown> } = {},
): FakeService {
  let status: RecordingStatus = {
    recording: false,
    feed: null,
    feeds: [],
    symbols: [],
    ratePerSec: 0,
    startedAtUs: null,
  };
  let settleClose: ((r: StopResult | Error) => void) | null = null;
  const f: FakeService = {
    options: null,
    subscribers: [],
    dispatched: [],
    closeCalls: 0,
    connectionChecks: 0,
    setRecording(recording) {
      status = recording
        ? {
            recording: true,
            feed: 'demo',
            feeds: ['demo'],
            symbols: ['EURUSD', 'BTCUSD'],
            ratePerSec: 50,
            startedAtUs: 1,
          }
        : { recording: false, feed: null, feeds: [], symbols: [], ratePerSec: 0, startedAtUs: null };
      f.broadcast('recording.status', status);
    },
    broadcast(event, payload) {
      for (const s of f.subscribers) if (!s.closed) s.subscriber.send(event, payload as never);
    },
    finishClose(result = CLEAN_STOP) {
      if (!settleClose) throw new Error('close() was not called');
      settleClose(result);
    },
    factory: async (options) => {
      f.options = options;
      return f.service;
    },
    service: {
      async dispatch(channel, input) {
        f.dispatched.push({ channel, input });
        return o.result?.(channel) ?? { ok: true, value: null };
      },
      connect(subscriber) {
        const entry = { subscriber, closed: false };
        f.subscribers.push(entry);
        return {
          id: f.subscribers.length,
          dispatch: (channel, input) => f.service.dispatch(channel, input),
          close: () => void (entry.closed = true),
        };
      },
      store: () =>
        ({ config: { dataDir: o.dataDir ?? f.options?.dataDir ?? '' } }) as ReturnType<
          TickscopeService['store']
        >,
      // Shell tests never export: an export manager with nothing running.
      exports: {
        start: () => Promise.reject(new Error('the fake service does not export')),
        cancel: () => null,
        status: () => null,
        downloadFile: () => null,
        close: () => Promise.resolve(),
      },
      recording: {
        status: () => status,
        start: async () => status,
        stop: async () => {
          f.setRecording(false);
          return status;
        },
      },
      feeds: {
        checkConnections: () => void f.connectionChecks++,
      } as unknown as TickscopeService['feeds'],
      health: () => ({ status: 'ok', reasons: [] }),
      close() {
        f.closeCalls++;
        if (!o.manualClose) return Promise.resolve(CLEAN_STOP);
        return new Promise<StopResult>((resolve, reject) => {
          settleClose = (r) => (r instanceof Error ? reject(r) : resolve(r));
        });
      },
    },
  };
  return f;
}
