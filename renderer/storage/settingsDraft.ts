// The settings form edits text; this turns the edited fields into the smallest valid update,
// or names the field that is wrong, before anything is sent.
import type { StorageSettings } from '../../shared/catalog.ts';

export type SettingsDraft = Record<NumericSettingKey, string> & { throttleRepeats: boolean };

export type NumericSettingKey =
  'batchSize' | 'batchIntervalMs' | 'queueCapacity' | 'retentionDays' | 'throttleMinIntervalMs';

export interface NumericSettingSpec {
  key: NumericSettingKey;
  label: string;
  min: number;
  max: number;
  unit: string;
  /** Empty input means "no limit" (null). */
  nullable?: boolean;
}

// Limits mirror the zod schema of storage.updateSettings so mistakes are caught before sending.
export const NUMERIC_SETTINGS: NumericSettingSpec[] = [
  { key: 'batchSize', label: 'Batch size', min: 1, max: 1_000_000, unit: 'ticks' },
  { key: 'batchIntervalMs', label: 'Batch interval', min: 1, max: 60_000, unit: 'ms' },
  { key: 'queueCapacity', label: 'Queue capacity', min: 1_000, max: 50_000_000, unit: 'ticks' },
  { key: 'retentionDays', label: 'Retention', min: 1, max: 36_500, unit: 'days', nullable: true },
  { key: 'throttleMinIntervalMs', label: 'Throttle min interval', min: 0, max: 60_000, unit: 'ms' },
];

export function draftFrom(s: StorageSettings): SettingsDraft {
  return {
    batchSize: String(s.batchSize),
    batchIntervalMs: String(s.batchIntervalMs),
    queueCapacity: String(s.queueCapacity),
    retentionDays: s.retentionDays === null ? '' : String(s.retentionDays),
    throttleMinIntervalMs: String(s.throttleMinIntervalMs),
    throttleRepeats: s.throttleRepeats,
  };
}

export type SettingsPatch = Partial<Omit<StorageSettings, 'backend' | 'dataDir'>>;

export function buildPatch(
  current: StorageSettings,
  draft: SettingsDraft,
): { patch: SettingsPatch; errors: Partial<Record<NumericSettingKey, string>> } {
  const patch: SettingsPatch = {};
  const errors: Partial<Record<NumericSettingKey, string>> = {};
  for (const spec of NUMERIC_SETTINGS) {
    const text = draft[spec.key].trim();
    let value: number | null;
    if (text === '' && spec.nullable) value = null;
    else if (!/^\d+$/.test(text)) {
      errors[spec.key] = `${spec.label} must be a whole number`;
      continue;
    } else {
      value = Number(text);
      if (value < spec.min || value > spec.max) {
        errors[spec.key] = `${spec.label} must be between ${spec.min} and ${spec.max}`;
        continue;
      }
    }
    if (value !== current[spec.key]) (patch as Record<string, number | null>)[spec.key] = value;
  }
  if (draft.throttleRepeats !== current.throttleRepeats) patch.throttleRepeats = draft.throttleRepeats;
  return { patch, errors };
}
