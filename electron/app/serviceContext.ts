// What a group of handlers (storage, migration) may use from the service: the current store
// (it changes when the data folder moves), the event broadcast, and the log.
import type { EventChannel, EventPayload } from '../../shared/ipc/contract.ts';
import type { TickStore } from '../engine/tickStoreApi.ts';

export interface ServiceContext {
  /** The open store; call it each time, since setDataDir replaces it. */
  store(): TickStore;
  dataDir(): string;
  /** Sends an event to every connected window or WebSocket. */
  emit<E extends EventChannel>(event: E, payload: EventPayload<E>): void;
  log(message: string): void;
  /** The Electron shell's native folder picker; null in the browser, which shows a path field. */
  chooseFolder: ((title: string) => Promise<string | null>) | null;
}
