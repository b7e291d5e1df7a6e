// Owns the open TickStore and swaps it for another data folder: the new store is opened before
// the old one is drained, so the running feed never writes into a closed store and nothing that
// the old store accepted is lost.
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
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

  async function move(target: string): Promise<TickStore> {
    const old = store;
    // Settings changed at run time live in the store, not in the input it was opened with.
    const { dataDir: _d, sqliteDir: _s, jsonDir: _j, spillDir: _p, ...carried } = old.config;
    const settings = old.getSettings();
    const next = await openTickStore(
      {
        ...carried,
        backend: settings.backend,
        batchSize: settings.batchSize,
        batchIntervalMs: settings.batchIntervalMs,
        queueCapacity: settings.queueCapacity,
        retentionDays: settings.retentionDays,
        throttleRepeats: settings.throttleRepeats,
        throttleMinIntervalMs: settings.throttleMinIntervalMs,
        dataDir: target,
      },
      deps,
    );
    store = next;
    for (const l of listeners) l(next);
    await old.stop();
    return next;
  }

  return {
    current: () => store,
    async moveTo(dataDir) {
      if (moving) throw new HandlerError('busy', 'the data folder is already being changed');
      const target = await prepareDataDir(dataDir);
      if (target === store.config.dataDir) return store;
      moving = move(target);
      try {
        return await moving;
      } finally {
        moving = null;
      }
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

/** A data folder must be an absolute path we can create; relative paths would depend on the cwd. */
async function prepareDataDir(raw: string): Promise<string> {
  const trimmed = raw.trim();
  if (!path.isAbsolute(trimmed)) {
    throw new HandlerError(
      'invalid_argument',
      `data folder must be an absolute path, got ${JSON.stringify(raw)}`,
    );
  }
  const resolved = path.resolve(trimmed);
  try {
    await mkdir(resolved, { recursive: true });
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    throw new HandlerError(
      'invalid_argument',
      `cannot use ${resolved} as data folder: ${e.code ?? e.message}`,
    );
  }
  return resolved;
}
