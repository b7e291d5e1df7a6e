// A promise's outcome, or `fallback` once `ms` have passed. The timer is cleared either way, so a
// deadline never keeps the process alive after the work is done (a CLI would linger for it).

/** The timer calls a deadline makes; tests of quit and startup pass a fake clock's. */
export interface DeadlineTimers {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

const realTimers: DeadlineTimers = {
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (h) => clearTimeout(h as NodeJS.Timeout),
};

export async function withDeadline<T, F>(
  p: Promise<T>,
  ms: number,
  fallback: F,
  timers: DeadlineTimers = realTimers,
): Promise<T | F> {
  let timer: unknown;
  try {
    return await Promise.race([p, new Promise<F>((r) => (timer = timers.setTimeout(() => r(fallback), ms)))]);
  } finally {
    timers.clearTimeout(timer);
  }
}
