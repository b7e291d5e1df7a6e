// Time zones the explorer shows times in. A zone is named by a string id so it can sit in the URL
// and in storage: 'utc', 'local', a fixed offset ('UTC+02:00'), an IANA name ('America/New_York'),
// or 'NY+7', the FX "New York close" server time (New York + 7 h: UTC+2 in winter, UTC+3 while
// the US is on daylight saving time), which most MT4/MT5 brokers use so a day closes at 17:00 NY.

export type ZoneId = string;

export interface Zone {
  readonly id: ZoneId;
  /** Short name for labels: 'UTC', 'Local', 'UTC+02:00', 'America/New_York', 'NY close'. */
  readonly label: string;
  /** Wall clock minus UTC, in ms, at a UTC instant. */
  offsetMsAt(utcMs: number): number;
}

const MS_PER_HOUR = 3_600_000;

const UTC: Zone = { id: 'utc', label: 'UTC', offsetMsAt: () => 0 };
const LOCAL: Zone = {
  id: 'local',
  label: 'Local',
  offsetMsAt: (utcMs) => -new Date(utcMs).getTimezoneOffset() * 60_000,
};

const OFFSET_PATTERN = /^(?:UTC|GMT)?\s*([+-])\s*(\d{1,2})(?::?(\d{2}))?$/i;

/** '+02:00' style text of an offset in minutes. */
function offsetText(minutes: number): string {
  const sign = minutes < 0 ? '-' : '+';
  const a = Math.abs(minutes);
  return `${sign}${String(Math.floor(a / 60)).padStart(2, '0')}:${String(a % 60).padStart(2, '0')}`;
}

function fixedOffsetZone(minutes: number): Zone {
  const id = minutes === 0 ? 'utc' : `UTC${offsetText(minutes)}`;
  if (minutes === 0) return UTC;
  const ms = minutes * 60_000;
  return { id, label: id, offsetMsAt: () => ms };
}

/**
 * Offsets of an IANA zone, read from Intl once per UTC hour and cached: every real zone changes its
 * offset only on whole (UTC) hours or half hours, so an hour bucket would be wrong only inside the
 * hour of a half-hour transition (Lord Howe Island); that is accepted for the cost it saves.
 */
function ianaZone(name: string, id: ZoneId = name, label = name): Zone | null {
  let format: Intl.DateTimeFormat;
  try {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone: name,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
  } catch {
    return null;
  }
  const cache = new Map<number, number>();
  const offsetMsAt = (utcMs: number): number => {
    const hour = Math.floor(utcMs / MS_PER_HOUR);
    const hit = cache.get(hour);
    if (hit !== undefined) return hit;
    const at = hour * MS_PER_HOUR;
    const p: Record<string, number> = {};
    for (const part of format.formatToParts(at)) {
      if (part.type !== 'literal') p[part.type] = Number(part.value);
    }
    const wallAsUtc = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second);
    const offset = wallAsUtc - at;
    if (cache.size > 50_000) cache.clear();
    cache.set(hour, offset);
    return offset;
  };
  return { id, label, offsetMsAt };
}

const NEW_YORK = ianaZone('America/New_York');
const NY_CLOSE: Zone | null = NEW_YORK && {
  id: 'NY+7',
  label: 'NY close',
  offsetMsAt: (utcMs) => NEW_YORK.offsetMsAt(utcMs) + 7 * MS_PER_HOUR,
};

/** Zones offered in the picker; any other valid id can be typed. */
export const ZONE_PRESETS: ReadonlyArray<{ id: ZoneId; label: string }> = [
  { id: 'utc', label: 'UTC' },
  { id: 'local', label: 'Local' },
  { id: 'NY+7', label: 'NY close (UTC+2/+3, US DST)' },
  { id: 'UTC+02:00', label: 'UTC+02:00' },
  { id: 'America/New_York', label: 'New York' },
  { id: 'Europe/London', label: 'London' },
  { id: 'Asia/Tokyo', label: 'Tokyo' },
];

const resolved = new Map<ZoneId, Zone>();

/** The zone of an id, or null when the id names no zone (check with `parseZoneId` first). */
export function resolveZone(id: ZoneId): Zone | null {
  const hit = resolved.get(id);
  if (hit) return hit;
  const canonical = parseZoneId(id);
  if (canonical === null) return null;
  let zone: Zone | null;
  if (canonical === 'utc') zone = UTC;
  else if (canonical === 'local') zone = LOCAL;
  else if (canonical === 'NY+7') zone = NY_CLOSE;
  else if (canonical.startsWith('UTC') && canonical !== 'UTC') {
    const m = OFFSET_PATTERN.exec(canonical);
    zone = m ? fixedOffsetZone((m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3] ?? 0))) : null;
  } else zone = ianaZone(canonical);
  if (zone) resolved.set(id, zone);
  return zone;
}

/** Like resolveZone, falling back to UTC for an unknown id (a stale saved value, a bad URL). */
export function zoneOf(id: ZoneId): Zone {
  return resolveZone(id) ?? UTC;
}

/**
 * The canonical id of what a user typed ('utc', 'Local', 'UTC+2', 'GMT-05:30', '+3',
 * 'europe/athens'), or null when it is no zone.
 */
export function parseZoneId(text: string): ZoneId | null {
  const t = text.trim();
  if (t === '') return null;
  const lower = t.toLowerCase();
  if (lower === 'utc' || lower === 'gmt' || lower === 'z') return 'utc';
  if (lower === 'local') return 'local';
  if (lower === 'ny+7' || lower === 'ny close' || lower === 'ny-close') return NY_CLOSE ? 'NY+7' : null;
  const m = OFFSET_PATTERN.exec(t);
  if (m) {
    const h = Number(m[2]);
    const mi = Number(m[3] ?? 0);
    if (h > 14 || mi > 59) return null;
    const minutes = (m[1] === '-' ? -1 : 1) * (h * 60 + mi);
    return minutes === 0 ? 'utc' : `UTC${offsetText(minutes)}`;
  }
  if (!/^[A-Za-z][A-Za-z0-9_+-]*(?:\/[A-Za-z0-9_+-]+)*$/.test(t)) return null;
  try {
    // Intl accepts any letter case and answers with the canonical spelling.
    return new Intl.DateTimeFormat('en-US', { timeZone: t }).resolvedOptions().timeZone;
  } catch {
    return null;
  }
}

/** Label for an id, for "From (UTC+02:00)" and the zone picker. */
export function zoneLabel(id: ZoneId): string {
  return zoneOf(id).label;
}
