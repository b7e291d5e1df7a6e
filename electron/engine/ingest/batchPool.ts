// Recycled shared batch buffers. A shared buffer is freed only when every thread that saw it has
// collected its handle, and the writer's thread allocates so little that it rarely collects: a
// fresh buffer per 500 ticks kept hundreds of MB alive under load. So buffers are numbered and
// reused: the writer is sent a buffer once and afterwards only its number, and buffers come back
// here when the writer has reported their ticks (or the journal took them).
import type { ColumnBatch } from '../storage/columnBatch.ts';
import { allocateColumnBatch } from '../storage/columnBatch.ts';

export class BatchPool {
  private readonly free: ColumnBatch[] = [];
  private readonly maxFree: number;
  private nextId = 1;
  capacity: number;
  /** Told when a numbered buffer leaves the pool for good, so the workers drop it too. */
  onDiscard: (poolId: number) => void = () => undefined;

  constructor(capacity: number, maxFree: number) {
    this.capacity = capacity;
    this.maxFree = maxFree;
  }

  take(): ColumnBatch {
    for (let b = this.free.pop(); b; b = this.free.pop()) {
      if (b.tsUs.length === this.capacity) return b;
      this.onDiscard(b.poolId!);
    }
    const b = allocateColumnBatch(this.capacity, true);
    b.poolId = this.nextId++;
    return b;
  }

  /** A batch no thread reads any more (its ticks are written, journaled or counted lost). */
  give(b: ColumnBatch): void {
    // Batches not from here (parked parts the writer made) are simply dropped.
    if (b.poolId === undefined) return;
    if (b.tsUs.length !== this.capacity || this.free.length >= this.maxFree) {
      this.onDiscard(b.poolId);
      return;
    }
    b.n = 0;
    this.free.push(b);
  }
}
