// Every symbol's instrument, from three things known about it, best first: the user's override,
// the store's decimal scale (`symbols.list` priceDecimals) and, until the store has written the
// symbol, the decimals its live prices need. Views subscribe and re-render when any of it changes.
import type { Instrument, InstrumentOverride } from '../format/instrument.ts';
import { clampDecimals, exactDecimals, instrumentFor } from '../format/instrument.ts';
import type { OverrideMap } from './instrumentOverrides.ts';

export class InstrumentBook {
  private readonly stored = new Map<string, number>();
  private readonly observed = new Map<string, number>();
  private overrides: OverrideMap;
  private readonly cache = new Map<string, Instrument>();
  private readonly listeners = new Set<() => void>();
  private readonly onOverrides: (map: OverrideMap) => void;
  private changes = 0;
  /** Someone asked for a symbol the store's list did not have (time to ask the store again). */
  private missingStored = false;

  constructor(overrides: OverrideMap = {}, onOverrides: (map: OverrideMap) => void = () => {}) {
    this.overrides = { ...overrides };
    this.onOverrides = onOverrides;
  }

  get(symbol: string): Instrument {
    const stored = this.stored.get(symbol);
    if (stored === undefined) this.missingStored = true;
    const hit = this.cache.get(symbol);
    if (hit) return hit;
    const observed = this.observed.get(symbol);
    const known =
      stored !== undefined
        ? { decimals: stored, from: 'stored' as const }
        : observed !== undefined
          ? { decimals: observed, from: 'observed' as const }
          : null;
    const inst = instrumentFor(symbol, known, this.overrides[symbol]);
    this.cache.set(symbol, inst);
    return inst;
  }

  /**
   * The store's scales (symbols.list); replaces what an earlier list said of the same symbols.
   * True when something changed.
   */
  setStored(list: readonly { symbol: string; priceDecimals?: number }[]): boolean {
    let changed = false;
    for (const s of list) {
      if (s.priceDecimals === undefined || !Number.isFinite(s.priceDecimals)) continue;
      const d = clampDecimals(s.priceDecimals);
      if (this.stored.get(s.symbol) === d) continue;
      this.stored.set(s.symbol, d);
      this.cache.delete(s.symbol);
      changed = true;
    }
    this.missingStored = false;
    if (changed) this.changed();
    return changed;
  }

  /** A live price: widens the observed decimals of a symbol the store has not scaled yet. */
  observe(symbol: string, price: number): void {
    if (this.stored.has(symbol)) return;
    const d = exactDecimals(price);
    if (d === null) return; // float noise from arithmetic says nothing about the quote
    const before = this.observed.get(symbol);
    if (before !== undefined && before >= d) return;
    this.observed.set(symbol, d);
    this.cache.delete(symbol);
    this.changed();
  }

  override(symbol: string): InstrumentOverride | undefined {
    return this.overrides[symbol];
  }

  /** Symbols with an override, sorted. */
  overridden(): string[] {
    return Object.keys(this.overrides).sort((a, b) => a.localeCompare(b));
  }

  /** null clears the symbol's override. */
  setOverride(symbol: string, override: InstrumentOverride | null): void {
    const next = { ...this.overrides };
    if (override && (override.decimals !== undefined || override.pipSize !== undefined))
      next[symbol] = { ...override };
    else delete next[symbol];
    this.overrides = next;
    this.cache.delete(symbol);
    this.onOverrides(next);
    this.changed();
  }

  /** A symbol the store's last list lacked was asked for since that list arrived. */
  wantsStored(): boolean {
    return this.missingStored;
  }

  /** Increments on every change, for useSyncExternalStore. */
  get version(): number {
    return this.changes;
  }

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  private changed(): void {
    this.changes++;
    for (const l of [...this.listeners]) l();
  }
}
