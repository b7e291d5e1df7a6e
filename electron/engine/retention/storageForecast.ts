// When the size budget or the disk runs out at the recent rate. The rate is what the days of
// the last week occupy on disk now (a day from months ago says nothing about today's feeds);
// without one, today is extrapolated from the part of the day that has passed.
import type { StorageForecast } from '../../../shared/archive.ts';
import { US_PER_DAY, dayIndexToStartUs, utcDayIndex } from '../../../shared/time.ts';

/** The calendar days before today whose files make the recent rate. */
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

/** Mean bytes of the files of the RATE_DAYS days before today; today extrapolated when there are none. */
export function bytesPerDay(days: readonly { day: number; bytes: number }[], nowUs: number): number | null {
  const today = utcDayIndex(nowUs);
  const past = days.filter((d) => d.day < today && d.day >= today - RATE_DAYS && d.bytes > 0);
  if (past.length > 0) return past.reduce((sum, d) => sum + d.bytes, 0) / past.length;
  const todayBytes = days.filter((d) => d.day === today).reduce((sum, d) => sum + d.bytes, 0);
  const elapsed = (nowUs - dayIndexToStartUs(today)) / US_PER_DAY;
  return todayBytes > 0 && elapsed > 0 ? todayBytes / elapsed : null;
}
