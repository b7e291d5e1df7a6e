// Retry delays after consecutive failures: quick at first, then at most every `maxMs`. Ticks
// held in memory are retried at most 5 s apart, so a disk that frees up is used within seconds.
const STEPS_MS = [250, 500, 1_000, 2_000, 5_000, 10_000, 30_000];

export function backoffMs(failures: number, maxMs = 30_000): number {
  return Math.min(STEPS_MS[Math.min(Math.max(failures, 0), STEPS_MS.length - 1)], maxMs);
}

export const HELD_RETRY_MAX_MS = 5_000;

/** Allows `limit` events per `windowMs`: worker restarts, so a worker that keeps dying gives up. */
export class RestartBudget {
  private readonly limit: number;
  private readonly windowMs: number;
  private stamps: number[] = [];

  constructor(limit: number, windowMs: number) {
    this.limit = limit;
    this.windowMs = windowMs;
  }

  take(nowMs: number): boolean {
    this.stamps = this.stamps.filter((t) => nowMs - t < this.windowMs);
    if (this.stamps.length >= this.limit) return false;
    this.stamps.push(nowMs);
    return true;
  }
}
