// Owns the open TickStore and swaps it for another data folder: the new store is opened before
// the old one is drained, so the running feed never writes into a closed store and nothing that
// the old store accepted is lost. One move at a time: the guard is taken before the first await,
// so two concurrent requests cannot both open a store (one would be orphaned, its workers
// keeping the process alive). The folder itself is checked by openTickStore, whose FolderError
// names it and the reason (errorMapping.ts makes it invalid_argument).
import path from 'node:path';
import { pickTunables } from '../../shared/catalog.ts';
import type { StorageConfigInput } from '../engine/config.ts';
import type { Clock } from '../engine/clock.ts';
import { openTickStore } from '../engine/tickStore.ts';
import type { StopResult, TickStore } from '../engine/tickStoreApi.ts';
import { HandlerError } from './handlerTypes.ts';

export interface StoreHolder {
  current(): TickStore;
  /** Resolves with the new store once it is open and the old one is drained and closed. */
  moveTo(dataDir: string): Promise<TickStore>;
  onSwap(listener: (store: TickStore) => void): void;
  /** Stops the current store; its result says what could not be made durable. */
  close(): Promise<StopResult>;
}

export async function openStoreHolder(
  input: StorageConfigInput,
  clock: Clock | undefined,
): Promise<StoreHolder> {
  const deps = clock ? { clock } : undefined;
  let store = await openTickStore(input, deps);
  let moving: Promise<TickStore> | null = null;
  const listeners: Array<(s: TickStore) => void> = [];

  async function move(raw: string): Promise<TickStore> {
    const target = absoluteFolder(raw);
    if (target === store.config.dataDir) return store;
    const old = store;
    // Settings changed at run time live in the store, not in the input it was opened with.
    const { dataDir: _d, sqliteDir: _s, jsonDir: _j, spillDir: _p, ...carried } = old.config;
    const settings = old.getSettings();
    const next = await openTickStore(
      { ...carried, ...pickTunables(settings), backend: settings.backend, dataDir: target },
      deps,
    );
    store = next;
    for (const l of listeners) l(next);
    await old.stop();
    return next;
  }

  return {
    current: () => store,
    moveTo(dataDir) {
      if (moving) return Promise.reject(new HandlerError('busy', 'the data folder is already being changed'));
      const m = move(dataDir);
      moving = m;
      return m.finally(() => {
        moving = null;
      });
    },
    onSwap(listener) {
      listeners.push(listener);
    },
    async close() {
      if (moving) await moving.catch(() => undefined);
      return store.stop();
    },
  };
}

/** A data folder must be an absolute path: a relative one would depend on the process's cwd. */
function absoluteFolder(raw: string): string {
  const trimmed = raw.trim();
  if (!path.isAbsolute(trimmed)) {
    throw new HandlerError(
      'invalid_argument',
      `data folder must be an absolute path, got ${JSON.stringify(raw)}`,
    );
  }
  return path.resolve(trimmed);
}
