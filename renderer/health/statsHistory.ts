// The last few minutes of `storage.stats` pushes, for the health sparklines. A fixed-size ring:
// the page may stay open for days.
import type { StorageStats } from '../../shared/stats.ts';

export type NumericStatField = {
  [K in keyof StorageStats]: StorageStats[K] extends number ? K : never;
}[keyof StorageStats];

export class StatsHistory {
  private readonly capacity: number;
  private readonly samples: (StorageStats | undefined)[];
  private readonly atMs: number[];
  private start = 0;
  private count = 0;

  constructor(capacity = 300) {
    if (!(capacity >= 2)) throw new RangeError('StatsHistory needs room for at least 2 samples');
    this.capacity = capacity;
    this.samples = new Array(capacity);
    this.atMs = new Array(capacity).fill(0);
  }

  push(stats: StorageStats, nowMs: number): void {
    const slot = (this.start + this.count) % this.capacity;
    this.samples[slot] = stats;
    this.atMs[slot] = nowMs;
    if (this.count < this.capacity) this.count++;
    else this.start = (this.start + 1) % this.capacity;
  }

  get length(): number {
    return this.count;
  }

  latest(): StorageStats | undefined {
    return this.count === 0 ? undefined : this.samples[(this.start + this.count - 1) % this.capacity];
  }

  /** Oldest-first values of one numeric field, with the wall-clock time of each sample. */
  series(field: NumericStatField, sinceMs = -Infinity): { atMs: number[]; values: number[] } {
    const atMs: number[] = [];
    const values: number[] = [];
    for (let i = 0; i < this.count; i++) {
      const slot = (this.start + i) % this.capacity;
      if (this.atMs[slot] < sinceMs) continue;
      atMs.push(this.atMs[slot]);
      values.push(this.samples[slot]![field]);
    }
    return { atMs, values };
  }
}
