// The ticks most recently committed to each open day file, bounded by a tick budget, so that a
// day file deleted or replaced under the writer (a user cleaning up, a sync tool) can be written
// again from memory instead of silently losing what it held.
import type { ColumnBatch } from '../storage/columnBatch.ts';
import { selectRows } from '../storage/columnBatch.ts';

interface Entry {
  day: number;
  batch: ColumnBatch;
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
    // A copy: the pass's merged batch (or the engine's shared batch) is not ours to keep.
    const copy = selectRows(batch, idx);
    this.entries.push({ day, batch: copy });
    this.ticks += copy.n;
    while (this.ticks > this.budget && this.entries.length > 1) {
      const old = this.entries.shift()!;
      this.ticks -= old.batch.n;
    }
  }

  /** What is kept for a day, oldest first. */
  of(day: number): ColumnBatch[] {
    return this.entries.filter((e) => e.day === day).map((e) => e.batch);
  }

  /** A closed day's file is no longer watched: its ticks need not be kept. */
  forget(day: number): void {
    const keep: Entry[] = [];
    for (const e of this.entries) {
      if (e.day === day) this.ticks -= e.batch.n;
      else keep.push(e);
    }
    this.entries = keep;
  }
}
