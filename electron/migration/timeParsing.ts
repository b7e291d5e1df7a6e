// Timestamp parsing for the importers. Hand-written digit parsers rather than Date.parse: they run
// once per tick and must keep up with a few million ticks per second, and they must not accept
// the loose forms Date.parse does (local time, month names).

/** NaN signals "not a timestamp"; the caller names the reason. */
const BAD = Number.NaN;

function digits(s: string, from: number, count: number): number {
  let v = 0;
  for (let i = from; i < from + count; i++) {
    const c = s.charCodeAt(i) - 48;
    if (c < 0 || c > 9) return -1;
    v = v * 10 + c;
  }
  return v;
}

/** Set by parseIsoUs: whether the last parsed string carried a zone (Z or an offset). */
export const isoParseInfo = { hadZone: true };

let cachedDayPrefix = '';
let cachedDayMs = 0;

function dayMs(s: string, y: number, mo: number, d: number): number {
  // Ticks of one file share a day: caching it saves the Date.UTC call and its validation.
  const prefix = s.slice(0, 10);
  if (prefix === cachedDayPrefix) return cachedDayMs;
  if (mo < 1 || mo > 12 || d < 1 || d > 31) return BAD;
  const ms = Date.UTC(y, mo - 1, d);
  const check = new Date(ms);
  if (check.getUTCDate() !== d) return BAD;
  cachedDayPrefix = prefix;
  cachedDayMs = ms;
  return ms;
}

/**
 * RFC 3339 / ISO 8601: `YYYY-MM-DD[T ]HH:MM[:SS[.fraction]][Z|±HH[:]MM]`. No zone means UTC (the
 * caller reports it via isoParseInfo). Fractions beyond µs are truncated toward the earlier µs.
 */
export function parseIsoUs(s: string): number {
  const n = s.length;
  if (n < 16) return BAD;
  const y = digits(s, 0, 4);
  const mo = digits(s, 5, 2);
  const d = digits(s, 8, 2);
  if (y < 0 || mo < 0 || d < 0 || s.charCodeAt(4) !== 45 || s.charCodeAt(7) !== 45) return BAD;
  const sep = s.charCodeAt(10);
  if (sep !== 84 && sep !== 32 && sep !== 116) return BAD; // 'T', ' ', 't'
  const h = digits(s, 11, 2);
  const mi = digits(s, 14, 2);
  if (h < 0 || mi < 0 || s.charCodeAt(13) !== 58 || h > 23 || mi > 59) return BAD;
  let i = 16;
  let sec = 0;
  let fracUs = 0;
  if (i < n && s.charCodeAt(i) === 58) {
    sec = digits(s, 17, 2);
    if (sec < 0 || sec > 60) return BAD;
    i = 19;
    if (i < n && (s.charCodeAt(i) === 46 || s.charCodeAt(i) === 44)) {
      i++;
      let scale = 100_000;
      const start = i;
      while (i < n) {
        const c = s.charCodeAt(i) - 48;
        if (c < 0 || c > 9) break;
        fracUs += c * scale;
        scale /= 10;
        i++;
      }
      if (i === start) return BAD;
      fracUs = Math.floor(fracUs + 1e-6);
    }
  }
  let offsetMin = 0;
  if (i === n) {
    isoParseInfo.hadZone = false;
  } else {
    const z = s.charCodeAt(i);
    if ((z === 90 || z === 122) && i + 1 === n) {
      isoParseInfo.hadZone = true;
    } else if (z === 43 || z === 45) {
      const oh = digits(s, i + 1, 2);
      const colon = s.charCodeAt(i + 3) === 58 ? 1 : 0;
      const om = digits(s, i + 3 + colon, 2);
      if (oh < 0 || om < 0 || i + 5 + colon !== n || oh > 23 || om > 59) return BAD;
      offsetMin = (oh * 60 + om) * (z === 45 ? -1 : 1);
      isoParseInfo.hadZone = true;
    } else {
      return BAD;
    }
  }
  const day = dayMs(s, y, mo, d);
  if (Number.isNaN(day)) return BAD;
  const ms = day + ((h * 60 + mi - offsetMin) * 60 + sec) * 1000;
  return ms * 1000 + fracUs;
}

export type EpochUnit = 's' | 'ms' | 'us' | 'ns';

export const EPOCH_UNIT_SCALE_TO_US: Record<EpochUnit, number> = { s: 1e6, ms: 1e3, us: 1, ns: 1e-3 };

// Plausible tick times are 1980..2100. In each unit that span is [3.2e8, 4.1e9] x 1000^k, so the
// magnitude names the unit unambiguously; anything between two spans is reported, not guessed.
const SPAN_LO = 315_532_800; // 1980-01-01 in s
const SPAN_HI = 4_102_444_800; // 2100-01-01 in s

/** The unit an epoch number's magnitude implies, or null when it fits none. */
export function epochUnitOf(value: number): EpochUnit | null {
  const a = Math.abs(value);
  if (a >= SPAN_LO && a < SPAN_HI) return 's';
  if (a >= SPAN_LO * 1e3 && a < SPAN_HI * 1e3) return 'ms';
  if (a >= SPAN_LO * 1e6 && a < SPAN_HI * 1e6) return 'us';
  if (a >= SPAN_LO * 1e9 && a < SPAN_HI * 1e9) return 'ns';
  return null;
}

export function epochToUs(value: number, unit: EpochUnit): number {
  if (unit === 'us') return Math.round(value);
  if (unit === 'ns') return Math.floor(value / 1000);
  return Math.round(value * EPOCH_UNIT_SCALE_TO_US[unit]);
}

/** Epoch digits given as a string: exact even for ns, which a double cannot hold. */
export function epochDigitsToUs(s: string, unit: EpochUnit): number {
  if (unit === 'ns') return s.length > 3 ? Number(s.slice(0, -3)) : 0;
  return epochToUs(Number(s), unit);
}

/** `YYYYMMDD HH:MM:SS.mmm` (TrueFX), UTC. */
export function parseCompactDateColonTime(s: string): number {
  // 20160502 00:00:00.959
  if (s.length < 17 || s.charCodeAt(8) !== 32) return BAD;
  const y = digits(s, 0, 4);
  const mo = digits(s, 4, 2);
  const d = digits(s, 6, 2);
  const h = digits(s, 9, 2);
  const mi = digits(s, 12, 2);
  const sec = digits(s, 15, 2);
  const fracUs = fractionUsAt(s, 17);
  return utcDateTimeUs(y, mo, d, h, mi, sec, fracUs);
}

/** `YYYYMMDD HHMMSSmmm` (HistData tick files), in the file's own zone; offset added by caller. */
export function parseCompactDigitsTime(s: string): number {
  // 20120201 000003660
  if (s.length !== 18 || s.charCodeAt(8) !== 32) return BAD;
  const y = digits(s, 0, 4);
  const mo = digits(s, 4, 2);
  const d = digits(s, 6, 2);
  const h = digits(s, 9, 2);
  const mi = digits(s, 11, 2);
  const sec = digits(s, 13, 2);
  const ms = digits(s, 15, 3);
  if (ms < 0) return BAD;
  return utcDateTimeUs(y, mo, d, h, mi, sec, ms * 1000);
}

/** MetaTrader: date `YYYY.MM.DD` and time `HH:MM:SS[.mmm]`, server time; offset added by caller. */
export function parseMt5DateTime(date: string, time: string): number {
  if (date.length !== 10 || date.charCodeAt(4) !== 46 || date.charCodeAt(7) !== 46) return BAD;
  const y = digits(date, 0, 4);
  const mo = digits(date, 5, 2);
  const d = digits(date, 8, 2);
  if (time.length < 8 || time.charCodeAt(2) !== 58 || time.charCodeAt(5) !== 58) return BAD;
  const h = digits(time, 0, 2);
  const mi = digits(time, 3, 2);
  const sec = digits(time, 6, 2);
  const fracUs = fractionUsAt(time, 8);
  return utcDateTimeUs(y, mo, d, h, mi, sec, fracUs);
}

/** An optional `.fraction` (1 to 6 digits) from `dot` to the end of s, as µs; 0 when s ends at `dot`. */
function fractionUsAt(s: string, dot: number): number {
  if (s.length === dot) return 0;
  if (s.charCodeAt(dot) !== 46) return BAD;
  const count = s.length - dot - 1;
  const v = digits(s, dot + 1, count);
  if (v < 0 || count === 0 || count > 6) return BAD;
  return v * 10 ** (6 - count);
}

/**
 * The µs of a UTC calendar date and time of day whose fields were read by `digits` (-1: not
 * digits), or BAD when any field is not digits or out of range. A BAD fracUs passes through.
 */
function utcDateTimeUs(
  y: number,
  mo: number,
  d: number,
  h: number,
  mi: number,
  sec: number,
  fracUs: number,
): number {
  if (y < 0 || mo < 0 || d < 0 || h < 0 || mi < 0 || sec < 0 || h > 23 || mi > 59 || sec > 60) return BAD;
  if (Number.isNaN(fracUs)) return BAD;
  const day = dayMsOf(y, mo, d);
  if (Number.isNaN(day)) return BAD;
  return (day + ((h * 60 + mi) * 60 + sec) * 1000) * 1000 + fracUs;
}

let lastY = -1;
let lastMo = -1;
let lastD = -1;
let lastDayMs = 0;

function dayMsOf(y: number, mo: number, d: number): number {
  if (y === lastY && mo === lastMo && d === lastD) return lastDayMs;
  if (mo < 1 || mo > 12 || d < 1 || d > 31) return BAD;
  const ms = Date.UTC(y, mo - 1, d);
  if (new Date(ms).getUTCDate() !== d) return BAD;
  lastY = y;
  lastMo = mo;
  lastD = d;
  lastDayMs = ms;
  return ms;
}
