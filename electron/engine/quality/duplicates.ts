// Exact duplicates on STORED data. The day file keeps one row per (time, source, prices, update
// id), so a feed that sends the very same message twice is stored once and cannot be seen here.
// What survives, and what is counted: a tick with the same symbol, source, tsUs, bid, ask,
// bidSize and askSize as another stored tick, differing only in update id or receive time (the
// same quote re-sent under a new sequence number). The stream delivers a symbol's ticks of one
// microsecond together, so only that microsecond's values are remembered.
export interface DuplicateDetector {
  /** True when this tick repeats one already seen at the same tsUs. */
  add(tsUs: number, bid: number, ask: number, bidSize: number, askSize: number): boolean;
}

export function createDuplicateDetector(): DuplicateDetector {
  let atUs = Number.NaN;
  const seen = new Set<string>();
  return {
    add(tsUs, bid, ask, bidSize, askSize) {
      if (tsUs !== atUs) {
        atUs = tsUs;
        seen.clear();
      }
      const key = `${bid}|${ask}|${bidSize}|${askSize}`;
      if (seen.has(key)) return true;
      seen.add(key);
      return false;
    },
  };
}
