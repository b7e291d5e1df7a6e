// A promise's outcome, or `fallback` once `ms` have passed. The timer is cleared either way, so a
// deadline never keeps the process alive after the work is done (a CLI would linger for it).
export async function withDeadline<T, F>(p: Promise<T>, ms: number, fallback: F): Promise<T | F> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([p, new Promise<F>((r) => (timer = setTimeout(() => r(fallback), ms)))]);
  } finally {
    clearTimeout(timer);
  }
}
