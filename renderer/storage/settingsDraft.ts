// The settings form edits text; this turns the edited fields into the smallest valid update,
// or names the field that is wrong, before anything is sent.
import type { NumericSettingKey, StorageSettings } from '../../shared/catalog.ts';
import { NUMERIC_SETTING_LIMITS } from '../../shared/catalog.ts';
import { formatBytes } from '../format/number.ts';
import type { SizeUnit } from './sizeInput.ts';
import { parseSize, sizeTextFrom } from './sizeInput.ts';

/** Every numeric setting as typed, plus the unit the size budget is typed in. */
export type SettingsDraft = Record<NumericSettingKey, string> & {
  throttleRepeats: boolean;
  retentionMaxBytesUnit: SizeUnit;
};
export type { NumericSettingKey };

export interface NumericSettingSpec {
  key: NumericSettingKey;
  label: string;
  min: number;
  max: number;
  /** Shown after the field; for a size, the unit is chosen instead (retentionMaxBytesUnit). */
  unit: string;
  /** Empty input means "no limit" (null). */
  nullable: boolean;
  /** What an empty field means, as its placeholder. */
  emptyMeans?: string;
  /** Typed in MiB or GiB, sent in bytes. */
  size?: boolean;
}

// The limits are the ones the storage.updateSettings schema checks (shared/catalog.ts), so
// mistakes are caught before sending.
const spec = (
  key: NumericSettingKey,
  label: string,
  unit: string,
  extra: Partial<NumericSettingSpec> = {},
): NumericSettingSpec => ({ key, label, unit, ...NUMERIC_SETTING_LIMITS[key], ...extra });
export const NUMERIC_SETTINGS: NumericSettingSpec[] = [
  spec('batchSize', 'Batch size', 'ticks'),
  spec('batchIntervalMs', 'Batch interval', 'ms'),
  spec('queueCapacity', 'Queue capacity', 'ticks'),
  spec('retentionDays', 'Retention', 'days', { emptyMeans: 'keep forever' }),
  spec('retentionMaxBytes', 'Size budget', '', { emptyMeans: 'no budget', size: true }),
  spec('compactAfterDays', 'Compact after', 'days', { emptyMeans: 'never automatically' }),
  spec('throttleMinIntervalMs', 'Throttle min interval', 'ms'),
];

const countText = (n: number | null) => (n === null ? '' : String(n));

export function draftFrom(s: StorageSettings): SettingsDraft {
  const budget = sizeTextFrom(s.retentionMaxBytes);
  return {
    batchSize: countText(s.batchSize),
    batchIntervalMs: countText(s.batchIntervalMs),
    queueCapacity: countText(s.queueCapacity),
    retentionDays: countText(s.retentionDays),
    retentionMaxBytes: budget.text,
    retentionMaxBytesUnit: budget.unit,
    compactAfterDays: countText(s.compactAfterDays),
    throttleMinIntervalMs: countText(s.throttleMinIntervalMs),
    throttleRepeats: s.throttleRepeats,
  };
}

/** Whether the draft differs from what `s` would prefill (any edit, valid or not). */
export function draftIsDirty(s: StorageSettings, draft: SettingsDraft): boolean {
  const pristine = draftFrom(s);
  return (Object.keys(pristine) as (keyof SettingsDraft)[]).some((k) => pristine[k] !== draft[k]);
}

export type SettingsPatch = Partial<Omit<StorageSettings, 'backend' | 'dataDir'>>;

type Parsed = { value: number | null } | { error: string };

function parseCount(spec: NumericSettingSpec, text: string): Parsed {
  if (text === '' && spec.nullable) return { value: null };
  if (!/^\d+$/.test(text)) return { error: `${spec.label} must be a whole number` };
  const value = Number(text);
  if (value < spec.min || value > spec.max)
    return { error: `${spec.label} must be between ${spec.min} and ${spec.max}` };
  return { value };
}

function parseBytes(spec: NumericSettingSpec, text: string, unit: SizeUnit): Parsed {
  const value = parseSize(text, unit);
  if (value === undefined) return { error: `${spec.label} must be a number of ${unit}` };
  if (value === null) return spec.nullable ? { value } : { error: `${spec.label} is required` };
  if (value < spec.min) return { error: `${spec.label} must be at least ${formatBytes(spec.min)}` };
  if (value > spec.max) return { error: `${spec.label} is too large` };
  return { value };
}

export function buildPatch(
  current: StorageSettings,
  draft: SettingsDraft,
): { patch: SettingsPatch; errors: Partial<Record<NumericSettingKey, string>> } {
  const patch: SettingsPatch = {};
  const errors: Partial<Record<NumericSettingKey, string>> = {};
  const pristine = draftFrom(current);
  for (const spec of NUMERIC_SETTINGS) {
    const text = draft[spec.key].trim();
    // A size field left as prefilled keeps the exact setting: its text may be rounded (3 decimals).
    if (
      spec.size &&
      text === pristine[spec.key] &&
      draft.retentionMaxBytesUnit === pristine.retentionMaxBytesUnit
    )
      continue;
    const parsed = spec.size ? parseBytes(spec, text, draft.retentionMaxBytesUnit) : parseCount(spec, text);
    if ('error' in parsed) errors[spec.key] = parsed.error;
    else if (parsed.value !== current[spec.key])
      (patch as Record<string, number | null>)[spec.key] = parsed.value;
  }
  if (draft.throttleRepeats !== current.throttleRepeats) patch.throttleRepeats = draft.throttleRepeats;
  return { patch, errors };
}
