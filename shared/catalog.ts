// What the store holds: symbols, days, and run-time settings, as queries and the UI see them.
import type { DayTier } from './archive.ts';
import type { Backend } from './stats.ts';
import type { TickColumns } from './tick.ts';

export interface SymbolInfo {
  symbol: string;
  firstUs: number;
  lastUs: number;
  count: number;
  /** Every source stored for the symbol on any day, sorted. */
  sources: string[];
  /**
   * Decimals of the price scale the symbol is stored at in its most recent day file (5 for
   * EURUSD 1.13456, 3 for USDJPY 151.234): the instrument's precision as its feed quotes it.
   */
  priceDecimals: number;
}

/**
 * A time when the backend was `json` (JSON-only): its ticks are in the legacy JSON files only,
 * not in the SQLite day files History reads.
 */
export interface JsonOnlyPeriod {
  fromUs: number;
  /** null: the backend is still JSON-only. */
  toUs: number | null;
  /** Ticks accepted meanwhile. */
  ticks: number;
}

export interface DayInfo {
  day: string; // YYYY-MM-DD (UTC)
  path: string;
  bytes: number;
  ticks: number;
  symbols: number;
  tier: DayTier;
  /** Archived days: the live file's bytes before compaction (ratio = liveBytes / bytes); null when live. */
  liveBytes: number | null;
  /** Archived days: ticks that arrived after compaction, kept as rows until the day is compacted again. */
  lateTicks: number;
}

/**
 * The settings that change while recording (storage.updateSettings). One list for the engine,
 * the IPC schema, the data-folder move and the settings form, so a setting exists in all or none.
 */
export const TUNABLE_SETTINGS = [
  'batchSize',
  'batchIntervalMs',
  'queueCapacity',
  'retentionDays',
  'retentionMaxBytes',
  'compactAfterDays',
  'throttleRepeats',
  'throttleMinIntervalMs',
] as const;
export type TunableSetting = (typeof TUNABLE_SETTINGS)[number];

/** Whole-number limits of the numeric tunables, checked by the IPC schema and the settings form. */
export const NUMERIC_SETTING_LIMITS = {
  batchSize: { min: 1, max: 1_000_000, nullable: false },
  batchIntervalMs: { min: 1, max: 60_000, nullable: false },
  queueCapacity: { min: 1_000, max: 50_000_000, nullable: false },
  /** null: keep every day. */
  retentionDays: { min: 1, max: 36_500, nullable: true },
  /** null: no size budget. At least 1 MiB. */
  retentionMaxBytes: { min: 1_048_576, max: Number.MAX_SAFE_INTEGER, nullable: true },
  /** Closed days older than this are compacted into the archive tier; null: never automatically. */
  compactAfterDays: { min: 1, max: 36_500, nullable: true },
  throttleMinIntervalMs: { min: 0, max: 60_000, nullable: false },
} as const satisfies Partial<Record<TunableSetting, { min: number; max: number; nullable: boolean }>>;
export type NumericSettingKey = keyof typeof NUMERIC_SETTING_LIMITS;

export interface TunableSettings {
  batchSize: number;
  batchIntervalMs: number;
  queueCapacity: number;
  retentionDays: number | null;
  retentionMaxBytes: number | null;
  compactAfterDays: number | null;
  throttleRepeats: boolean;
  throttleMinIntervalMs: number;
}

export interface StorageSettings extends TunableSettings {
  backend: Backend;
  dataDir: string;
}

/** The tunables of `s`, by the one list above. */
export function pickTunables(s: TunableSettings): TunableSettings {
  const out = {} as Record<TunableSetting, unknown>;
  for (const k of TUNABLE_SETTINGS) out[k] = s[k];
  return out as unknown as TunableSettings;
}

/** One page of a range query: columns plus where to continue. */
export interface TickPage extends TickColumns {
  /** Pass back as `cursor` to get the next page; null at the end of the range. */
  nextCursor: string | null;
}

export interface RecordingStatus {
  /** At least one feed runs. */
  recording: boolean;
  /** The first running feed's id (older clients show one). */
  feed: string | null;
  /** Every running feed's id. */
  feeds: string[];
  symbols: string[];
  ratePerSec: number;
  startedAtUs: number | null;
}

export interface FeedInfo {
  id: string;
  name: string;
  description: string;
}

/**
 * Latest quote per symbol and source, pushed a few times per second for the watchlist: every
 * source quoting a symbol has its own entry.
 */
export interface LiveQuote {
  symbol: string;
  bid: number;
  ask: number;
  tsUs: number;
  source: string;
  /** Ticks of this symbol from this source since the previous push. */
  ticks: number;
}
