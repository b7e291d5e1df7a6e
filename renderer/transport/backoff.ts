// Reconnect delays for the headless WebSocket: exponential with jitter, so a restarted server
// is not hit by every open tab at the same instant.
export interface BackoffOptions {
  baseMs?: number;
  maxMs?: number;
  /** 0..1; injectable for tests. */
  random?: () => number;
}

export function backoffDelayMs(attempt: number, options: BackoffOptions = {}): number {
  const base = options.baseMs ?? 500;
  const max = options.maxMs ?? 10_000;
  const random = options.random ?? Math.random;
  const raw = Math.min(max, base * 2 ** Math.max(0, Math.min(attempt, 30)));
  return Math.round(raw * (0.75 + 0.5 * random()));
}
