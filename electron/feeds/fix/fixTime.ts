// FIX times as µs since the epoch, read from the wire text rather than through a Date: LPs send
// microseconds (and some nanoseconds) in SendingTime and MDEntryTime, and a Date keeps only ms.

const TIMESTAMP = /^(\d{4})(\d{2})(\d{2})-(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?$/;
const TIME_ONLY = /^(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?$/;
const DATE_ONLY = /^(\d{4})(\d{2})(\d{2})$/;

export const US_PER_DAY = 86_400_000_000;

/** UTCTimestamp `YYYYMMDD-HH:MM:SS[.fff[fff[fff]]]` → µs, or null if it is not one. */
export function parseFixTimestampUs(s: string | null | undefined): number | null {
  if (!s) return null;
  const m = TIMESTAMP.exec(s);
  if (!m) return null;
  const day = dayStartUs(m[1], m[2], m[3]);
  const tod = timeOfDayUs(m[4], m[5], m[6], m[7]);
  return day === null || tod === null ? null : day + tod;
}

/** UTCDateOnly `YYYYMMDD` → µs at that day's midnight UTC. */
export function parseFixDateUs(s: string | null | undefined): number | null {
  if (!s) return null;
  const m = DATE_ONLY.exec(s);
  return m ? dayStartUs(m[1], m[2], m[3]) : null;
}

/** UTCTimeOnly `HH:MM:SS[.fff…]` → µs since midnight. */
export function parseFixTimeOfDayUs(s: string | null | undefined): number | null {
  if (!s) return null;
  const m = TIME_ONLY.exec(s);
  return m ? timeOfDayUs(m[1], m[2], m[3], m[4]) : null;
}

/**
 * MDEntryDate + MDEntryTime; a time without a date takes the reference's day (SendingTime), the
 * day before when that puts it more than 12 h after the reference (an entry stamped 23:59:59.9
 * in a message sent at 00:00:00.1).
 */
export function entryTimeUs(
  date: string | null,
  time: string | null,
  referenceUs: number | null,
): number | null {
  const tod = parseFixTimeOfDayUs(time);
  if (tod === null) return null;
  const day = parseFixDateUs(date);
  if (day !== null) return day + tod;
  if (referenceUs === null) return null;
  const refDay = Math.floor(referenceUs / US_PER_DAY) * US_PER_DAY;
  let us = refDay + tod;
  if (us - referenceUs > US_PER_DAY / 2) us -= US_PER_DAY;
  return us;
}

function dayStartUs(y: string, mo: string, d: string): number | null {
  const year = Number(y);
  const month = Number(mo);
  const day = Number(d);
  if (month < 1 || month > 12 || day < 1 || day > 31) return null;
  const ms = Date.UTC(year, month - 1, day);
  // Date.UTC rolls 31 February over into March: such a date is not a date.
  if (new Date(ms).getUTCDate() !== day) return null;
  return ms * 1000;
}

function timeOfDayUs(h: string, mi: string, s: string, frac: string | undefined): number | null {
  const hh = Number(h);
  const mm = Number(mi);
  const ss = Number(s);
  // 60 is a leap second; it is filed in the following second.
  if (hh > 23 || mm > 59 || ss > 60) return null;
  const fracUs = frac ? Number(frac.padEnd(6, '0').slice(0, 6)) : 0;
  return ((hh * 60 + mm) * 60 + ss) * 1_000_000 + fracUs;
}
