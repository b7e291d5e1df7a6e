// The figures the Storage tab derives from what the engine reports: compression ratios, bytes per
// tick, the days table's totals, which days can be compacted, and the forecast and progress in
// words. Pure, so the wording is tested without a browser.
import type { CompactionProgress, StorageForecast } from '../../shared/archive.ts';
import type { DayInfo } from '../../shared/catalog.ts';
import { formatBytes, formatCount } from '../format/number.ts';

/** liveBytes / bytes of an archived day (15.2 means 15.2 times smaller), or null for a live day. */
export function compressionRatio(d: DayInfo): number | null {
  if (d.tier !== 'archived' || d.liveBytes === null || d.bytes <= 0) return null;
  return d.liveBytes / d.bytes;
}

export function formatRatio(ratio: number | null): string {
  if (ratio === null || !Number.isFinite(ratio)) return '—';
  return `${ratio.toFixed(ratio >= 100 ? 0 : 1)}×`;
}

/** "2.1 B" per tick, or "—" for a day without ticks. */
export function formatBytesPerTick(bytes: number, ticks: number): string {
  if (ticks <= 0) return '—';
  const per = bytes / ticks;
  return `${per.toFixed(per >= 100 ? 0 : 1)} B`;
}

export interface DayTotals {
  days: number;
  bytes: number;
  ticks: number;
  archivedDays: number;
  archivedTicks: number;
  archivedBytes: number;
  /** What the archived days took as live files, less what they take now. */
  savedBytes: number;
}

export function dayTotals(days: readonly DayInfo[]): DayTotals {
  const t: DayTotals = {
    days: days.length,
    bytes: 0,
    ticks: 0,
    archivedDays: 0,
    archivedTicks: 0,
    archivedBytes: 0,
    savedBytes: 0,
  };
  for (const d of days) {
    t.bytes += d.bytes;
    t.ticks += d.ticks;
    if (d.tier !== 'archived') continue;
    t.archivedDays++;
    t.archivedTicks += d.ticks;
    t.archivedBytes += d.bytes;
    if (d.liveBytes !== null) t.savedBytes += Math.max(0, d.liveBytes - d.bytes);
  }
  return t;
}

/** "3 of 5 days archived (72% of ticks), 1.2 GiB saved". */
export function archivedShareText(t: DayTotals): string {
  if (t.archivedDays === 0) return 'no day archived';
  const pct = t.ticks > 0 ? Math.round((100 * t.archivedTicks) / t.ticks) : 0;
  const saved = t.savedBytes > 0 ? `, ${formatBytes(t.savedBytes)} saved` : '';
  return `${t.archivedDays} of ${t.days} days archived (${pct}% of ticks)${saved}`;
}

/**
 * Whether the row offers "Compact": a closed day (never today) that is live, or archived with late
 * ticks kept as rows since (compacting again folds them in).
 */
export function canCompactDay(d: DayInfo, todayKey: string): boolean {
  if (d.day >= todayKey) return false;
  return d.tier === 'live' || d.lateTicks > 0;
}

/** "less than a day", "1 day", "42 days", "more than 100 years". */
export function formatDays(days: number): string {
  if (days < 1) return 'less than a day';
  if (days > 36_500) return 'more than 100 years';
  const n = Math.floor(days);
  return n === 1 ? '1 day' : `${formatCount(n)} days`;
}

export interface ForecastWords {
  budget: string;
  disk: string;
}

const NO_RATE = 'no recent recording to measure a rate from';

/** "N days until the budget" / "N days until the disk is full", or why it cannot be said. */
export function forecastWords(f: StorageForecast): ForecastWords {
  let budget: string;
  if (f.budgetBytes === null) budget = 'No size budget set';
  else if (f.usedBytes >= f.budgetBytes)
    budget = `Over the budget by ${formatBytes(f.usedBytes - f.budgetBytes)}`;
  else if (f.bytesPerDay === null) budget = `Unknown when the budget is reached: ${NO_RATE}`;
  else if (f.bytesPerDay <= 0) budget = 'Not growing at the recent rate';
  else if (f.daysUntilBudget === null) budget = 'Unknown when the budget is reached';
  else budget = `${capitalise(formatDays(f.daysUntilBudget))} until the budget`;

  let disk: string;
  if (f.freeBytes === null) disk = 'Unknown when the disk is full: its free space could not be read';
  else if (f.bytesPerDay === null) disk = `Unknown when the disk is full: ${NO_RATE}`;
  else if (f.bytesPerDay <= 0) disk = 'Not growing at the recent rate';
  else if (f.daysUntilDiskFull === null) disk = 'Unknown when the disk is full';
  else disk = `${capitalise(formatDays(f.daysUntilDiskFull))} until the disk is full`;
  return { budget, disk };
}

function capitalise(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/** "2 / 5 days" done of a run, and the share done for a progress bar (0 when it took no day on). */
export function compactionDone(p: CompactionProgress): { text: string; fraction: number } {
  const fraction = p.daysTotal > 0 ? Math.min(1, p.daysDone / p.daysTotal) : 0;
  return { text: `${p.daysDone} / ${p.daysTotal} days`, fraction };
}

/** "40.0 MiB → 2.3 MiB (17.4×)" for the days a run compacted, or null before the first one. */
export function compactionBytesText(p: CompactionProgress): string | null {
  if (p.bytesBefore <= 0) return null;
  const ratio = p.bytesAfter > 0 ? ` (${formatRatio(p.bytesBefore / p.bytesAfter)})` : '';
  return `${formatBytes(p.bytesBefore)} → ${formatBytes(p.bytesAfter)}${ratio}`;
}
