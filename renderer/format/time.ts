// Times are integer µs since the epoch (UTC) everywhere in Tickscope; the UI shows them in the
// zone the user picked (UTC by default; see time/zone.ts), always to the millisecond, in 24-hour
// ISO-like text, never the browser's 12-hour date widgets.
import type { ZoneId } from '../time/zone.ts';
import { zoneOf } from '../time/zone.ts';
import { utcFromWall, wallClock } from '../time/wallClock.ts';

/** A zone id ('utc', 'local', 'UTC+02:00', 'America/New_York', 'NY+7'). */
export type TimeZoneMode = ZoneId;

const p2 = (n: number) => String(n).padStart(2, '0');
const p3 = (n: number) => String(n).padStart(3, '0');

/** 'YYYY-MM-DD HH:MM:SS.mmm' in the chosen zone. */
export function formatDateTimeMs(tsUs: number, zone: TimeZoneMode): string {
  const t = wallClock(tsUs, zoneOf(zone));
  return `${t.y}-${p2(t.mo)}-${p2(t.d)} ${p2(t.h)}:${p2(t.mi)}:${p2(t.s)}.${p3(t.ms)}`;
}

/** 'YYYY-MM-DD HH:MM:SS.mmmuuu' in the chosen zone, for microsecond-spaced ticks. */
export function formatDateTimeUs(tsUs: number, zone: TimeZoneMode): string {
  const t = wallClock(tsUs, zoneOf(zone));
  return `${t.y}-${p2(t.mo)}-${p2(t.d)} ${p2(t.h)}:${p2(t.mi)}:${p2(t.s)}.${p3(t.ms)}${p3(t.us)}`;
}

/** 'HH:MM:SS.mmm' in the chosen zone. */
export function formatTimeMs(tsUs: number, zone: TimeZoneMode): string {
  const t = wallClock(tsUs, zoneOf(zone));
  return `${p2(t.h)}:${p2(t.mi)}:${p2(t.s)}.${p3(t.ms)}`;
}

/** 'YYYY-MM-DD' of the zone's calendar day. */
export function formatDate(tsUs: number, zone: TimeZoneMode): string {
  const t = wallClock(tsUs, zoneOf(zone));
  return `${t.y}-${p2(t.mo)}-${p2(t.d)}`;
}

/**
 * Text for a range input: 'YYYY-MM-DD HH:MM:SS' (24-hour), with '.mmm' only when the time has
 * milliseconds, so what is shown parses back to the same instant.
 */
export function toDateTimeInput(tsUs: number, zone: TimeZoneMode): string {
  const t = wallClock(tsUs, zoneOf(zone));
  const base = `${t.y}-${p2(t.mo)}-${p2(t.d)} ${p2(t.h)}:${p2(t.mi)}:${p2(t.s)}`;
  return t.ms !== 0 ? `${base}.${p3(t.ms)}` : base;
}

const INPUT_PATTERN = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3}))?)?)?$/;

/**
 * Parses 'YYYY-MM-DD[ HH:MM[:SS[.mmm]]]' ('T' also separates) read in the chosen zone; null when
 * it is not a real time there (31 February, 25:00, or a wall time skipped by daylight saving).
 */
export function parseDateTimeInput(value: string, zone: TimeZoneMode): number | null {
  const m = INPUT_PATTERN.exec(value.trim());
  if (!m) return null;
  const [y, mo, d] = [1, 2, 3].map((i) => Number(m[i]));
  const h = m[4] ? Number(m[4]) : 0;
  const mi = m[5] ? Number(m[5]) : 0;
  const s = m[6] ? Number(m[6]) : 0;
  const ms = m[7] ? Number(m[7].padEnd(3, '0')) : 0;
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 59) return null;
  const z = zoneOf(zone);
  const us = utcFromWall(y, mo, d, h, mi, s, ms, z);
  if (us === null) return null;
  // Date rolls 31 February over into March; a real calendar day must survive the round trip.
  const back = wallClock(us, z);
  if (back.d !== d || back.mo !== mo || back.h !== h || back.mi !== mi) return null;
  return us;
}

/** How long ago, for the watchlist's last-tick age. */
export function formatAge(ageMs: number): string {
  if (!Number.isFinite(ageMs)) return '—';
  const a = Math.max(0, ageMs);
  if (a < 1000) return `${Math.round(a)} ms`;
  if (a < 60_000) return `${(a / 1000).toFixed(1)} s`;
  if (a < 3_600_000) return `${Math.floor(a / 60_000)} m`;
  return `${Math.floor(a / 3_600_000)} h`;
}
