// Which JSON-only periods (storage.jsonOnlyPeriods: the backend was `json`, so ticks went only to
// the legacy JSON files and History, reading SQLite, does not have them) touch a time range.
import type { JsonOnlyPeriod } from '../../shared/catalog.ts';

export interface JsonOnlyOverlap {
  fromUs: number;
  /** The period's end; still JSON-only (open) periods end at nowUs. */
  toUs: number;
  open: boolean;
  ticks: number;
}

/** The periods intersecting [fromUs, toUs], whole (not clipped: the tick count is the period's), oldest first. */
export function jsonOnlyOverlaps(
  periods: readonly JsonOnlyPeriod[],
  fromUs: number,
  toUs: number,
  nowUs: number,
): JsonOnlyOverlap[] {
  const out: JsonOnlyOverlap[] = [];
  for (const p of periods) {
    const end = p.toUs ?? Math.max(nowUs, p.fromUs);
    if (p.fromUs > toUs || end < fromUs) continue;
    out.push({ fromUs: p.fromUs, toUs: end, open: p.toUs === null, ticks: p.ticks });
  }
  return out.sort((a, b) => a.fromUs - b.fromUs);
}
