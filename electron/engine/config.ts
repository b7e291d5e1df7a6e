// Storage configuration: defaults, presets and the environment, validated in one place so that a
// bad value fails at start with its name rather than somewhere deep in the writer.
import path from 'node:path';
import type { Backend } from '../../shared/stats.ts';
import { BACKENDS } from '../../shared/stats.ts';
import { DEFAULT_SOURCE, checkSource } from '../../shared/tick.ts';
import { ConfigError } from './errors.ts';
import { FOLDER_CHECK_TIMEOUT_MS } from './fs/writableFolder.ts';

export interface StorageConfig {
  /** Root of everything the recorder writes. */
  dataDir: string;
  /** SQLite base: `<sqliteDir>/YYYY/MM/ticks_YYYY-MM-DD.db`. Default `<dataDir>/sqlite`. */
  sqliteDir: string;
  /** Legacy JSON base: `<jsonDir>/<SYMBOL>/<YYYY-MM-DD>.json`. Default `<dataDir>/json`. */
  jsonDir: string;
  /** Spill journal segments. Default `<dataDir>/spill`. */
  spillDir: string;
  backend: Backend;
  /** Source given to ticks that carry none (BROKER_ID). */
  defaultSource: string;
  /** A batch is sealed at this many ticks... */
  batchSize: number;
  /** ...or this long after its first tick, whichever comes first. */
  batchIntervalMs: number;
  /** Ticks accepted but not yet durable before new batches go to the spill journal. */
  queueCapacity: number;
  maxRetries: number;
  retryBaseMs: number;
  /** How long a write waits on a locked day file before the attempt counts as failed. */
  busyTimeoutMs: number;
  /** Recent ticks kept in memory per symbol for live views (rings grow to this on demand). */
  ringSize: number;
  /** Memory all live rings together may hold; past it rings wrap instead of growing. */
  ringBudgetBytes: number;
  /** A symbol without a tick for this long gives back its ring's memory (keeping its last ticks). */
  ringIdleMs: number;
  /** Symbols one run accepts; a new symbol past it is refused and counted (symbol_limit). */
  maxSymbols: number;
  /** Sources (LPs, feeds) one run accepts; past it a tick of a new source is refused (source_limit). */
  maxSources: number;
  /** How long stop() waits for everything to be durable before it terminates the workers. */
  stopDeadlineMs: number;
  /** Reader worker threads answering queries. */
  readers: number;
  /** Committed ticks kept in memory to re-write a day file that vanishes while open. */
  rewriteBufferTicks: number;
  /** How often the writer checks that its open day files are still on disk, ms. */
  fileCheckMs: number;
  /** Folder checks at start give up after this long (a hung mount answers nothing). */
  folderCheckTimeoutMs: number;
  throttleRepeats: boolean;
  throttleMinIntervalMs: number;
  rotationCheckMs: number;
  retentionDays: number | null;
  /** Keep the day files under this many bytes together (oldest days deleted first); null: no budget. */
  retentionMaxBytes: number | null;
  /** Closed days older than this many days are compacted into the archive tier; null: only on demand. */
  compactAfterDays: number | null;
  /** Oldest accepted tick time, µs. */
  minTimestampUs: number;
  /** How far ahead of the clock a tick may be, µs. */
  maxFutureUs: number;
  health: HealthThresholds;
}

export interface HealthThresholds {
  writeErrorsWarn: number;
  writeErrorsCritical: number;
  queueWarnRatio: number;
  queueCriticalRatio: number;
  writerStallMs: number;
  lowDiskWarnBytes: number;
  lowDiskCriticalBytes: number;
}

export const PRESETS = ['production', 'migration', 'development'] as const;
export type Preset = (typeof PRESETS)[number];

const DEFAULTS: Omit<StorageConfig, 'dataDir' | 'sqliteDir' | 'jsonDir' | 'spillDir'> = {
  backend: 'sqlite',
  defaultSource: DEFAULT_SOURCE,
  batchSize: 500,
  batchIntervalMs: 50,
  // One second of the benchmark's burst rate (a few hundred thousand ticks/s) fits with room to spare.
  queueCapacity: 2_000_000,
  maxRetries: 3,
  retryBaseMs: 100,
  busyTimeoutMs: 1_000,
  ringSize: 10_000,
  // 10,000 ticks for each of 128 symbols (46 MB) fit; 10,000 symbols share it (about 370 each).
  ringBudgetBytes: 128 * 1024 ** 2,
  ringIdleMs: 60_000,
  maxSymbols: 100_000,
  maxSources: 10_000,
  stopDeadlineMs: 10_000,
  readers: 2,
  rewriteBufferTicks: 500_000,
  fileCheckMs: 2_000,
  folderCheckTimeoutMs: FOLDER_CHECK_TIMEOUT_MS,
  throttleRepeats: false,
  throttleMinIntervalMs: 0,
  rotationCheckMs: 60_000,
  retentionDays: null,
  retentionMaxBytes: null,
  compactAfterDays: 7,
  minTimestampUs: Date.UTC(1971, 0, 1) * 1000,
  maxFutureUs: 24 * 3600 * 1_000_000,
  health: {
    writeErrorsWarn: 1,
    writeErrorsCritical: 10,
    queueWarnRatio: 0.8,
    queueCriticalRatio: 0.95,
    writerStallMs: 10_000,
    lowDiskWarnBytes: 2 * 1024 ** 3,
    lowDiskCriticalBytes: 256 * 1024 ** 2,
  },
};

const PRESET_OVERRIDES: Record<Preset, Partial<StorageConfig>> = {
  production: {},
  // The reference rollout: write both while history is migrated and counts are compared.
  migration: { backend: 'dual' },
  development: { backend: 'sqlite', rotationCheckMs: 5_000, queueCapacity: 200_000 },
};

export type StorageConfigInput = Partial<Omit<StorageConfig, 'health'>> & {
  dataDir: string;
  preset?: Preset;
  health?: Partial<HealthThresholds>;
};

export function parseBackend(value: string, setting = 'backend'): Backend {
  if (!(BACKENDS as readonly string[]).includes(value)) {
    throw new ConfigError(setting, `${JSON.stringify(value)} is not one of ${BACKENDS.join(', ')}`);
  }
  return value as Backend;
}

function positiveInt(setting: string, v: number, min = 1): number {
  if (!Number.isInteger(v) || v < min) throw new ConfigError(setting, `${v} must be an integer >= ${min}`);
  return v;
}

export function resolveConfig(input: StorageConfigInput): StorageConfig {
  if (input.preset !== undefined && !(PRESETS as readonly string[]).includes(input.preset)) {
    throw new ConfigError('preset', `${JSON.stringify(input.preset)} is not one of ${PRESETS.join(', ')}`);
  }
  if (typeof input.dataDir !== 'string' || input.dataDir.trim() === '') {
    throw new ConfigError('dataDir', 'a data directory is required');
  }
  const dataDir = path.resolve(input.dataDir);
  const { preset, health, ...rest } = input;
  const merged = {
    ...DEFAULTS,
    ...PRESET_OVERRIDES[preset ?? 'production'],
    ...stripUndefined(rest),
    dataDir,
  } as StorageConfig;
  merged.health = { ...DEFAULTS.health, ...stripUndefined(health ?? {}) };
  merged.sqliteDir = path.resolve(input.sqliteDir ?? path.join(dataDir, 'sqlite'));
  merged.jsonDir = path.resolve(input.jsonDir ?? path.join(dataDir, 'json'));
  merged.spillDir = path.resolve(input.spillDir ?? path.join(dataDir, 'spill'));
  parseBackend(merged.backend);
  if (checkSource(merged.defaultSource) !== null) {
    throw new ConfigError(
      'defaultSource',
      `${JSON.stringify(merged.defaultSource)} is not a valid source name`,
    );
  }
  positiveInt('batchSize', merged.batchSize);
  positiveInt('batchIntervalMs', merged.batchIntervalMs);
  positiveInt('queueCapacity', merged.queueCapacity, 1_000);
  positiveInt('maxRetries', merged.maxRetries, 0);
  positiveInt('retryBaseMs', merged.retryBaseMs, 0);
  positiveInt('busyTimeoutMs', merged.busyTimeoutMs, 0);
  positiveInt('ringSize', merged.ringSize);
  positiveInt('ringBudgetBytes', merged.ringBudgetBytes, 0);
  positiveInt('ringIdleMs', merged.ringIdleMs, 1_000);
  positiveInt('maxSymbols', merged.maxSymbols);
  positiveInt('maxSources', merged.maxSources);
  positiveInt('stopDeadlineMs', merged.stopDeadlineMs, 0);
  positiveInt('readers', merged.readers);
  positiveInt('rewriteBufferTicks', merged.rewriteBufferTicks, 0);
  positiveInt('fileCheckMs', merged.fileCheckMs);
  positiveInt('folderCheckTimeoutMs', merged.folderCheckTimeoutMs);
  positiveInt('throttleMinIntervalMs', merged.throttleMinIntervalMs, 0);
  positiveInt('rotationCheckMs', merged.rotationCheckMs);
  if (merged.retentionDays !== null) positiveInt('retentionDays', merged.retentionDays);
  if (merged.retentionMaxBytes !== null)
    positiveInt('retentionMaxBytes', merged.retentionMaxBytes, 1_048_576);
  if (merged.compactAfterDays !== null) positiveInt('compactAfterDays', merged.compactAfterDays);
  return merged;
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/**
 * Reads TICK_STORAGE_BACKEND, TICK_DATA_DIR and BROKER_ID. Explicit settings win over the
 * environment; an invalid value is an error that names the variable.
 */
export function configFromEnv(
  env: NodeJS.ProcessEnv,
  explicit: Partial<StorageConfigInput> = {},
): StorageConfigInput {
  const out: Partial<StorageConfigInput> = {};
  if (env.TICK_STORAGE_BACKEND !== undefined && env.TICK_STORAGE_BACKEND !== '') {
    out.backend = parseBackend(env.TICK_STORAGE_BACKEND.trim().toLowerCase(), 'TICK_STORAGE_BACKEND');
  }
  if (env.TICK_DATA_DIR !== undefined) {
    if (env.TICK_DATA_DIR.trim() === '') throw new ConfigError('TICK_DATA_DIR', 'is set but empty');
    out.dataDir = env.TICK_DATA_DIR;
  }
  if (env.BROKER_ID !== undefined && env.BROKER_ID !== '') {
    if (checkSource(env.BROKER_ID) !== null) {
      throw new ConfigError(
        'BROKER_ID',
        `${JSON.stringify(env.BROKER_ID)} must be 1-32 characters without whitespace`,
      );
    }
    out.defaultSource = env.BROKER_ID;
  }
  const merged = { ...out, ...stripUndefined(explicit) };
  if (merged.dataDir === undefined) throw new ConfigError('dataDir', 'set --data-dir or TICK_DATA_DIR');
  return merged as StorageConfigInput;
}
