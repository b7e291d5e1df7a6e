// The ticks most recently committed to each open day file, bounded by a tick budget, so that a
// day file deleted or replaced under the writer (a user cleaning up, a sync tool) can be written
// again from memory instead of silently losing what it held.
import type { ColumnBatch } from '../storage/columnBatch.ts';
import { selectRows } from '../storage/columnBatch.ts';

interface Entry {
  day: number;
  /**
   * A pass's merged batch is the writer's own and kept as is; one of the engine's recycled
   * buffers is copied, since it holds other ticks once the writer has reported it.
   */
  batch: ColumnBatch;
  idx: Int32Array;
}

export class RecentCommits {
  private readonly budget: number;
  private entries: Entry[] = [];
  private ticks = 0;

  constructor(budgetTicks: number) {
    this.budget = budgetTicks;
  }

  /** Keeps rows idx of batch (committed to `day`), dropping the oldest beyond the budget. */
  add(day: number, batch: ColumnBatch, idx: Int32Array): void {
    if (this.budget <= 0) return;
    if (batch.poolId !== undefined) {
      const copy = selectRows(batch, idx);
      this.entries.push({ day, batch: copy, idx: Int32Array.from({ length: copy.n }, (_, i) => i) });
    } else this.entries.push({ day, batch, idx });
    this.ticks += idx.length;
    while (this.ticks > this.budget && this.entries.length > 1) {
      const old = this.entries.shift()!;
      this.ticks -= old.idx.length;
    }
  }

  /** What is kept for a day, oldest first: rows idx of each batch. */
  of(day: number): { batch: ColumnBatch; idx: Int32Array }[] {
    return this.entries.filter((e) => e.day === day);
  }

  /** A closed day's file is no longer watched: its ticks need not be kept. */
  forget(day: number): void {
    const keep: Entry[] = [];
    for (const e of this.entries) {
      if (e.day === day) this.ticks -= e.idx.length;
      else keep.push(e);
    }
    this.entries = keep;
  }
}
