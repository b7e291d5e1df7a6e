// Time in Tickscope is integer microseconds since the Unix epoch, UTC. Doubles hold integers
// exactly up to 2^53 µs (year 2255), so plain numbers are used rather than bigint.

export const US_PER_MS = 1_000;
export const US_PER_SEC = 1_000_000;
export const US_PER_MIN = 60 * US_PER_SEC;
export const US_PER_HOUR = 60 * US_PER_MIN;
export const US_PER_DAY = 24 * US_PER_HOUR;

/** Whole UTC days since the epoch for a timestamp in µs. */
export function utcDayIndex(tsUs: number): number {
  return Math.floor(tsUs / US_PER_DAY);
}

export function dayIndexToStartUs(dayIndex: number): number {
  return dayIndex * US_PER_DAY;
}

/** 'YYYY-MM-DD' of the UTC day that contains tsUs. */
export function utcDayKey(tsUs: number): string {
  return dayIndexToKey(utcDayIndex(tsUs));
}

export function dayIndexToKey(dayIndex: number): string {
  return new Date(dayIndex * 86_400_000).toISOString().slice(0, 10);
}

const DAY_KEY = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Parses 'YYYY-MM-DD' into a UTC day index, or returns null when it is not a real calendar day. */
export function dayKeyToIndex(key: string): number | null {
  const m = DAY_KEY.exec(key);
  if (!m) return null;
  const ms = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  if (!Number.isFinite(ms) || new Date(ms).toISOString().slice(0, 10) !== key) return null;
  return ms / 86_400_000;
}

export function msToUs(ms: number): number {
  return Math.round(ms * US_PER_MS);
}

export function usToMs(us: number): number {
  return Math.floor(us / US_PER_MS);
}

/** RFC 3339 UTC with microseconds, e.g. 2026-07-13T12:00:00.093000Z. */
export function formatIsoUs(tsUs: number): string {
  const ms = Math.floor(tsUs / US_PER_MS);
  const micros = tsUs - ms * US_PER_MS;
  const iso = new Date(ms).toISOString(); // ...T12:00:00.093Z
  return `${iso.slice(0, -1)}${String(micros).padStart(3, '0')}Z`;
}
