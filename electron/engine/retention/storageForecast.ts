// When the size budget or the disk runs out at the recent rate. The rate is what the last few
// days with files occupy on disk now; a store with only today's file is extrapolated from the
// part of the day that has passed, since nothing else says how fast it grows.
import type { StorageForecast } from '../../../shared/archive.ts';
import { US_PER_DAY, dayIndexToStartUs, utcDayIndex } from '../../../shared/time.ts';

/** Days with files that make the recent rate. */
export const RATE_DAYS = 7;

export interface ForecastInput {
  /** Every day file (today's included) with its bytes. */
  days: readonly { day: number; bytes: number }[];
  /** Day files and JSON files, bytes. */
  usedBytes: number;
  freeBytes: number | null;
  budgetBytes: number | null;
  nowUs: number;
}

export function forecastStorage(i: ForecastInput): StorageForecast {
  const rate = bytesPerDay(i.days, i.nowUs);
  return {
    usedBytes: i.usedBytes,
    freeBytes: i.freeBytes,
    budgetBytes: i.budgetBytes,
    bytesPerDay: rate,
    daysUntilBudget:
      rate === null || i.budgetBytes === null
        ? null
        : Math.max(0, Math.floor((i.budgetBytes - i.usedBytes) / rate)),
    daysUntilDiskFull:
      rate === null || i.freeBytes === null ? null : Math.max(0, Math.floor(i.freeBytes / rate)),
  };
}

/** Mean bytes of the last RATE_DAYS past days with files; today extrapolated when it is the only one. */
export function bytesPerDay(days: readonly { day: number; bytes: number }[], nowUs: number): number | null {
  const today = utcDayIndex(nowUs);
  const past = days
    .filter((d) => d.day < today && d.bytes > 0)
    .sort((a, b) => a.day - b.day)
    .slice(-RATE_DAYS);
  if (past.length > 0) return past.reduce((sum, d) => sum + d.bytes, 0) / past.length;
  const todayBytes = days.filter((d) => d.day === today).reduce((sum, d) => sum + d.bytes, 0);
  const elapsed = (nowUs - dayIndexToStartUs(today)) / US_PER_DAY;
  return todayBytes > 0 && elapsed > 0 ? todayBytes / elapsed : null;
}
