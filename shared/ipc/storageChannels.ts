import { z } from 'zod';
import type { CompactionProgress, RetentionPlan, StorageForecast } from '../archive.ts';
import type { BarColumns } from '../bars.ts';
import { MAX_TIMEFRAME_SEC, MIN_TIMEFRAME_SEC } from '../bars.ts';
import type {
  DayInfo,
  FeedInfo,
  JsonOnlyPeriod,
  LiveQuote,
  RecordingStatus,
  NumericSettingKey,
  StorageSettings,
  SymbolInfo,
  TickPage,
  TunableSetting,
} from '../catalog.ts';
import { NUMERIC_SETTING_LIMITS } from '../catalog.ts';
import type { Health, StorageStats } from '../stats.ts';
import { BACKENDS } from '../stats.ts';
import type { TickColumns } from '../tick.ts';
import { MAX_SOURCE_LENGTH, MAX_SYMBOL_LENGTH } from '../tick.ts';
import { event, request } from './define.ts';

const none = z.strictObject({});
const symbol = z.string().min(1).max(MAX_SYMBOL_LENGTH);
const source = z.string().min(1).max(MAX_SOURCE_LENGTH);
// Year 1971 to 2255 in µs: anything else is a caller bug, not a query.
const timeUs = z
  .int()
  .min(31_536_000_000_000)
  .max(2 ** 53 - 1);
const backend = z.enum(BACKENDS);
const dayKey = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a day is YYYY-MM-DD');
/** Absent fields take the current settings; null lifts that limit for this call. */
const retentionPolicy = z.strictObject({
  keepDays: z
    .int()
    .min(NUMERIC_SETTING_LIMITS.retentionDays.min)
    .max(NUMERIC_SETTING_LIMITS.retentionDays.max)
    .nullable()
    .optional(),
  maxBytes: z
    .int()
    .min(NUMERIC_SETTING_LIMITS.retentionMaxBytes.min)
    .max(NUMERIC_SETTING_LIMITS.retentionMaxBytes.max)
    .nullable()
    .optional(),
});

function numericSetting(key: NumericSettingKey) {
  const { min, max } = NUMERIC_SETTING_LIMITS[key];
  return z.int().min(min).max(max).optional();
}

/** null means "no limit" (retention: keep every day). */
function nullableSetting(key: NumericSettingKey) {
  const { min, max } = NUMERIC_SETTING_LIMITS[key];
  return z.int().min(min).max(max).nullable().optional();
}

// Every tunable, by the one list in shared/catalog.ts: a setting missing here fails to compile.
const settingsUpdate = {
  batchSize: numericSetting('batchSize'),
  batchIntervalMs: numericSetting('batchIntervalMs'),
  queueCapacity: numericSetting('queueCapacity'),
  retentionDays: nullableSetting('retentionDays'),
  retentionMaxBytes: nullableSetting('retentionMaxBytes'),
  compactAfterDays: nullableSetting('compactAfterDays'),
  throttleRepeats: z.boolean().optional(),
  throttleMinIntervalMs: numericSetting('throttleMinIntervalMs'),
} satisfies Record<TunableSetting, z.ZodType>;

export const MAX_RANGE_PAGE = 500_000;
export const MAX_RECENT = 100_000;

export const storageRequests = {
  'storage.stats': request<StorageStats>()(none),
  'storage.health': request<Health>()(none),
  'storage.setBackend': request<StorageStats>()(z.strictObject({ backend })),
  'storage.settings': request<StorageSettings>()(none),
  'storage.updateSettings': request<StorageSettings>()(z.strictObject(settingsUpdate)),
  /** Headless and Electron: move recording to another folder (validated, created if missing). */
  'storage.setDataDir': request<StorageSettings>()(z.strictObject({ path: z.string().min(1).max(4096) })),
  /** Electron only: native folder picker; the browser shows a path field instead. */
  'storage.chooseDataDir': request<{ path: string | null }>()(none),
  'storage.days': request<DayInfo[]>()(none),
  /** When the backend was JSON-only: those ticks are in the JSON files, not in History's day files. */
  'storage.jsonOnlyPeriods': request<JsonOnlyPeriod[]>()(none),
  /** Starts compacting closed days into the archive tier in the background; answers the run's status. */
  'storage.compact': request<CompactionProgress>()(
    z.strictObject({
      days: z.array(dayKey).min(1).max(36_500).optional(),
      olderThanDays: z.int().min(0).max(36_500).optional(),
    }),
  ),
  /** The current (or last) compaction run. */
  'storage.compaction': request<CompactionProgress>()(none),
  /** Dry run: the days retention would delete now, with their sizes and ticks. Deletes nothing. */
  'storage.retentionPreview': request<RetentionPlan>()(retentionPolicy),
  /** Deletes what the same plan lists at the moment it runs; answers what was deleted. */
  'storage.retentionApply': request<RetentionPlan>()(retentionPolicy),
  /** Disk use, free space and the days left at the recent rate. */
  'storage.forecast': request<StorageForecast>()(none),
  'symbols.list': request<SymbolInfo[]>()(none),
  'ticks.recent': request<TickColumns>()(z.strictObject({ symbol, limit: z.int().min(1).max(MAX_RECENT) })),
  'ticks.range': request<TickPage>()(
    z.strictObject({
      symbol,
      fromUs: timeUs,
      toUs: timeUs,
      limit: z.int().min(1).max(MAX_RANGE_PAGE).optional(),
      cursor: z.string().max(200).optional(),
      /** false: no bidSize/askSize (cheaper: two of the six columns a tick costs); default true. */
      sizes: z.boolean().optional(),
    }),
  ),
  /** Bid, ask and mid OHLC in one answer; with `source`, from that source's ticks only. */
  'bars.get': request<BarColumns>()(
    z.strictObject({
      symbol,
      fromUs: timeUs,
      toUs: timeUs,
      timeframeSec: z.int().min(MIN_TIMEFRAME_SEC).max(MAX_TIMEFRAME_SEC),
      source: source.optional(),
    }),
  ),
  /** Which symbols' every tick this client wants on `live.ticks` (replaces the previous set). */
  'live.subscribe': request<{ symbols: string[] }>()(z.strictObject({ symbols: z.array(symbol).max(64) })),
  'feeds.list': request<FeedInfo[]>()(none),
  'recording.status': request<RecordingStatus>()(none),
  'recording.start': request<RecordingStatus>()(
    z.strictObject({
      feed: z.string().min(1).max(64),
      symbols: z.int().min(1).max(500).optional(),
      ratePerSec: z.number().positive().max(1_000_000).optional(),
    }),
  ),
  'recording.stop': request<RecordingStatus>()(none),
};

export const storageEvents = {
  /** Latest quote per symbol and source that changed, about 10 times per second. */
  'live.quotes': event<{ quotes: LiveQuote[] }>(),
  /** Every tick of the subscribed symbols, coalesced (about 20 times per second). */
  'live.ticks': event<{ batches: TickColumns[] }>(),
  'storage.stats': event<StorageStats>(),
  'storage.health': event<Health>(),
  'recording.status': event<RecordingStatus>(),
};
