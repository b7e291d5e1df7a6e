// Interns symbol and source names to small integer ids on the hot path. Names are validated once,
// when first seen; new entries are collected so they can be announced to the workers before the
// first batch that uses them. Past its limit a table refuses new names (counted by the caller)
// instead of growing until the process runs out of memory.
import type { RejectReason } from '../../../shared/tick.ts';

/** idOf() when the name is not valid. */
export const NAME_INVALID = -1;
/** idOf() when the table is full. */
export const NAME_LIMIT = -2;

export class NameTable {
  private readonly ids = new Map<string, number>();
  readonly names: string[] = [];
  private pending: [number, string][] = [];
  private readonly check: (name: unknown) => RejectReason | null;
  readonly maxEntries: number;

  constructor(check: (name: unknown) => RejectReason | null, maxEntries: number) {
    this.check = check;
    this.maxEntries = maxEntries;
  }

  /** The id of a name, interning it if valid and there is room; NAME_INVALID or NAME_LIMIT if not. */
  idOf(name: string): number {
    const id = this.ids.get(name);
    if (id !== undefined) return id;
    if (this.check(name) !== null) return NAME_INVALID;
    if (this.names.length >= this.maxEntries) return NAME_LIMIT;
    const fresh = this.names.length;
    this.ids.set(name, fresh);
    this.names.push(name);
    this.pending.push([fresh, name]);
    return fresh;
  }

  reasonFor(name: unknown): RejectReason | null {
    return this.check(name);
  }

  has(name: string): boolean {
    return this.ids.has(name);
  }

  lookup(name: string): number | undefined {
    return this.ids.get(name);
  }

  get size(): number {
    return this.names.length;
  }

  /** Entries added since the last call (to announce to the workers). */
  takePending(): [number, string][] {
    if (this.pending.length === 0) return [];
    const p = this.pending;
    this.pending = [];
    return p;
  }

  /** Every entry, for a worker started afresh. */
  all(): [number, string][] {
    return this.names.map((n, i) => [i, n]);
  }
}
