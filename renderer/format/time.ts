// Times are integer µs since the epoch (UTC) everywhere in Tickscope; the UI shows them in UTC
// by default or in the viewer's local zone, always to the millisecond.
import { US_PER_MS } from '../../shared/time.ts';

export type TimeZoneMode = 'utc' | 'local';

interface Parts {
  y: number;
  mo: number;
  d: number;
  h: number;
  mi: number;
  s: number;
  ms: number;
}

function parts(tsUs: number, zone: TimeZoneMode): Parts {
  const date = new Date(Math.floor(tsUs / US_PER_MS));
  if (zone === 'utc') {
    return {
      y: date.getUTCFullYear(),
      mo: date.getUTCMonth() + 1,
      d: date.getUTCDate(),
      h: date.getUTCHours(),
      mi: date.getUTCMinutes(),
      s: date.getUTCSeconds(),
      ms: date.getUTCMilliseconds(),
    };
  }
  return {
    y: date.getFullYear(),
    mo: date.getMonth() + 1,
    d: date.getDate(),
    h: date.getHours(),
    mi: date.getMinutes(),
    s: date.getSeconds(),
    ms: date.getMilliseconds(),
  };
}

const p2 = (n: number) => String(n).padStart(2, '0');
const p3 = (n: number) => String(n).padStart(3, '0');

/** 'YYYY-MM-DD HH:MM:SS.mmm' in the chosen zone. */
export function formatDateTimeMs(tsUs: number, zone: TimeZoneMode): string {
  const t = parts(tsUs, zone);
  return `${t.y}-${p2(t.mo)}-${p2(t.d)} ${p2(t.h)}:${p2(t.mi)}:${p2(t.s)}.${p3(t.ms)}`;
}

/** 'HH:MM:SS.mmm' in the chosen zone. */
export function formatTimeMs(tsUs: number, zone: TimeZoneMode): string {
  const t = parts(tsUs, zone);
  return `${p2(t.h)}:${p2(t.mi)}:${p2(t.s)}.${p3(t.ms)}`;
}

/** Axis label: as coarse as the estimated spacing between labels (spanUs) allows. */
export function formatAxisLabel(tsUs: number, zone: TimeZoneMode, spanUs: number): string {
  const t = parts(tsUs, zone);
  if (spanUs >= 2 * 86_400_000_000) return `${p2(t.mo)}-${p2(t.d)}`;
  // Labels may sit closer than the estimate, so each precision starts well above its unit.
  if (spanUs >= 300_000_000) return `${p2(t.h)}:${p2(t.mi)}`;
  if (spanUs >= 2_000_000) return `${p2(t.h)}:${p2(t.mi)}:${p2(t.s)}`;
  return `${p2(t.mi)}:${p2(t.s)}.${p3(t.ms)}`;
}

/** Value for an <input type="datetime-local"> (to the second) showing tsUs in the chosen zone. */
export function toDateTimeInput(tsUs: number, zone: TimeZoneMode): string {
  const t = parts(tsUs, zone);
  return `${t.y}-${p2(t.mo)}-${p2(t.d)}T${p2(t.h)}:${p2(t.mi)}:${p2(t.s)}`;
}

const INPUT_PATTERN = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3}))?)?$/;

/** Parses a datetime-local value read in the chosen zone; null when it is not a real time. */
export function parseDateTimeInput(value: string, zone: TimeZoneMode): number | null {
  const m = INPUT_PATTERN.exec(value.trim());
  if (!m) return null;
  const [y, mo, d, h, mi] = [1, 2, 3, 4, 5].map((i) => Number(m[i]));
  const s = m[6] ? Number(m[6]) : 0;
  const ms = m[7] ? Number(m[7].padEnd(3, '0')) : 0;
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 59) return null;
  const epochMs =
    zone === 'utc' ? Date.UTC(y, mo - 1, d, h, mi, s, ms) : new Date(y, mo - 1, d, h, mi, s, ms).getTime();
  if (!Number.isFinite(epochMs)) return null;
  // Date rolls 31 February over into March; a real calendar day must survive the round trip.
  if (parts(epochMs * US_PER_MS, zone).d !== d) return null;
  return epochMs * US_PER_MS;
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
