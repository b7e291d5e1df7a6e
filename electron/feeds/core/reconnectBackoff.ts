// How long to wait before the next reconnect: exponential with full jitter (a random delay between
// 0 and the exponential cap), so a fleet of recorders that lost the exchange together does not
// come back in lockstep. It never gives up; the cap bounds the wait.

export interface ReconnectBackoffOptions {
  /** The cap of the first attempt, ms. */
  baseMs?: number;
  /** The largest delay, ms. */
  maxMs?: number;
  /** [0, 1); injectable so tests get exact delays. */
  random?: () => number;
}

export interface ReconnectBackoff {
  /** The delay before the next attempt (and counts it). */
  nextDelayMs(): number;
  /** After a connection that proved healthy: the next failure starts from the base again. */
  reset(): void;
  /** Attempts since the last reset. */
  readonly attempts: number;
}

export function createReconnectBackoff(opts: ReconnectBackoffOptions = {}): ReconnectBackoff {
  const baseMs = opts.baseMs ?? 250;
  const maxMs = opts.maxMs ?? 30_000;
  const random = opts.random ?? Math.random;
  if (!(baseMs > 0) || !(maxMs >= baseMs))
    throw new RangeError(`backoff needs 0 < baseMs <= maxMs (got ${baseMs}, ${maxMs})`);
  let attempts = 0;
  return {
    nextDelayMs() {
      // 2 ** attempts overflows to Infinity long after it passed the cap; min() handles both.
      const cap = Math.min(maxMs, baseMs * 2 ** Math.min(attempts, 60));
      attempts++;
      const r = random();
      const unit = r >= 0 && r < 1 ? r : 0.5;
      return Math.round(unit * cap);
    },
    reset() {
      attempts = 0;
    },
    get attempts() {
      return attempts;
    },
  };
}
