// Interns symbol and source names to small integer ids on the hot path. Names are validated once,
// when first seen; new entries are collected so they can be announced to the workers before the
// first batch that uses them.
import type { RejectReason } from '../../../shared/tick.ts';

export class NameTable {
  private readonly ids = new Map<string, number>();
  readonly names: string[] = [];
  private pending: [number, string][] = [];
  private readonly check: (name: unknown) => RejectReason | null;
  private readonly maxEntries: number;

  constructor(check: (name: unknown) => RejectReason | null, maxEntries: number) {
    this.check = check;
    this.maxEntries = maxEntries;
  }

  /** The id of a name, interning it if valid; a negative number when it is not. */
  idOf(name: string): number {
    const id = this.ids.get(name);
    if (id !== undefined) return id;
    if (this.check(name) !== null || this.names.length >= this.maxEntries) return -1;
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
}
