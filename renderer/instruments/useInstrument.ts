// React access to the page's instruments: one book for every view, filled from the store's
// `symbols.list` (on load, on reconnect, and again when a symbol the list lacked shows up) and
// from the user's overrides; views re-render when an instrument changes.
import { useCallback, useEffect, useSyncExternalStore } from 'react';
import type { TickscopeApi } from '../../shared/ipc/contract.ts';
import { useApp } from '../app/hooks.ts';
import type { Instrument } from '../format/instrument.ts';
import { InstrumentBook } from './instrumentBook.ts';
import { loadOverrides, saveOverrides } from './instrumentOverrides.ts';

/** The page's one book: overrides edited in the Storage tab apply in Live and History at once. */
export const instrumentBook = new InstrumentBook(loadOverrides(), (map) => saveOverrides(map));

const RETRY_MIN_MS = 2000;
const RETRY_MAX_MS = 60_000;

/** Asks the store for its scales once per connection, and again (backing off) while one is missing. */
class StoredScales {
  private epoch = -1;
  private inFlight = false;
  private lastMs = -Infinity;
  private waitMs = RETRY_MIN_MS;

  refresh(api: TickscopeApi, epoch: number, nowMs: number): void {
    if (this.inFlight) return;
    const fresh = epoch !== this.epoch;
    if (!fresh && !(instrumentBook.wantsStored() && nowMs - this.lastMs >= this.waitMs)) return;
    this.epoch = epoch;
    this.inFlight = true;
    this.lastMs = nowMs;
    api.call('symbols.list', {}).then(
      (list) => {
        this.inFlight = false;
        const grew = instrumentBook.setStored(list);
        // A symbol only live so far may stay unstored (a JSON-only backend): ask less and less.
        this.waitMs = fresh || grew ? RETRY_MIN_MS : Math.min(RETRY_MAX_MS, this.waitMs * 2);
      },
      () => {
        // Offline or refused: the next reconnect (a new epoch) or retry asks again.
        this.inFlight = false;
        this.waitMs = Math.min(RETRY_MAX_MS, this.waitMs * 2);
      },
    );
  }
}

const storedScales = new StoredScales();

/** A getter for any symbol's instrument; its identity changes whenever an instrument does. */
export function useInstruments(): (symbol: string) => Instrument {
  const { api, epoch } = useApp();
  const version = useSyncExternalStore(instrumentBook.subscribe, () => instrumentBook.version);
  useEffect(() => storedScales.refresh(api, epoch, Date.now()));
  // `version` is the dependency that matters: a new getter tells memoised children to re-render.
  // eslint-disable-next-line react-hooks/exhaustive-deps
  return useCallback((symbol: string) => instrumentBook.get(symbol), [version]);
}

export function useInstrument(symbol: string): Instrument {
  return useInstruments()(symbol);
}
