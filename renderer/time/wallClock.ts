// Wall-clock fields of a µs instant in a zone, and back. Pure arithmetic on the zone's offset, so
// charts can label thousands of points per frame without Intl.
import type { Zone } from './zone.ts';

export interface WallClock {
  y: number;
  /** 1-12 */
  mo: number;
  d: number;
  h: number;
  mi: number;
  s: number;
  ms: number;
  /** Microseconds within the millisecond, 0-999. */
  us: number;
  /** 0 = Sunday. */
  dow: number;
}

const US_PER_MS = 1000;

export function wallClock(tsUs: number, zone: Zone): WallClock {
  const utcMs = Math.floor(tsUs / US_PER_MS);
  const us = tsUs - utcMs * US_PER_MS;
  const date = new Date(utcMs + zone.offsetMsAt(utcMs));
  return {
    y: date.getUTCFullYear(),
    mo: date.getUTCMonth() + 1,
    d: date.getUTCDate(),
    h: date.getUTCHours(),
    mi: date.getUTCMinutes(),
    s: date.getUTCSeconds(),
    ms: date.getUTCMilliseconds(),
    us: Math.round(us),
    dow: date.getUTCDay(),
  };
}

/** µs of the wall clock treated as if it were UTC (the zone's local timeline). */
export function wallAsUtcUs(tsUs: number, zone: Zone): number {
  const utcMs = Math.floor(tsUs / US_PER_MS);
  return tsUs + zone.offsetMsAt(utcMs) * US_PER_MS;
}

/**
 * The UTC µs of a wall-clock time in the zone; null when that wall time does not exist (skipped
 * by a daylight-saving jump). An ambiguous time (the repeated hour in autumn) gives the earlier.
 */
export function utcFromWall(
  y: number,
  mo: number,
  d: number,
  h: number,
  mi: number,
  s: number,
  ms: number,
  zone: Zone,
): number | null {
  const wallMs = Date.UTC(y, mo - 1, d, h, mi, s, ms);
  if (!Number.isFinite(wallMs)) return null;
  // Try the offsets in force a day either side: one of them is the offset at the answer.
  const candidates = new Set([
    zone.offsetMsAt(wallMs - 86_400_000),
    zone.offsetMsAt(wallMs),
    zone.offsetMsAt(wallMs + 86_400_000),
  ]);
  let best: number | null = null;
  for (const off of candidates) {
    const utc = wallMs - off;
    if (zone.offsetMsAt(utc) === off && (best === null || utc < best)) best = utc;
  }
  return best === null ? null : best * US_PER_MS;
}

/** Start (UTC µs) of the zone's calendar day holding tsUs. */
export function startOfZoneDayUs(tsUs: number, zone: Zone): number {
  const w = wallClock(tsUs, zone);
  // A zone that springs forward at midnight (America/Santiago) starts that day at 01:00.
  for (let h = 0; h < 3; h++) {
    const start = utcFromWall(w.y, w.mo, w.d, h, 0, 0, 0, zone);
    if (start !== null) return start;
  }
  return Math.floor(tsUs / 86_400_000_000) * 86_400_000_000;
}
