// The settings form edits text; this turns the edited fields into the smallest valid update,
// or names the field that is wrong, before anything is sent.
import type { NumericSettingKey, StorageSettings } from '../../shared/catalog.ts';
import { NUMERIC_SETTING_LIMITS } from '../../shared/catalog.ts';

export type SettingsDraft = Record<NumericSettingKey, string> & { throttleRepeats: boolean };
export type { NumericSettingKey };

export interface NumericSettingSpec {
  key: NumericSettingKey;
  label: string;
  min: number;
  max: number;
  unit: string;
  /** Empty input means "no limit" (null). */
  nullable?: boolean;
}

// The limits are the ones the storage.updateSettings schema checks (shared/catalog.ts), so
// mistakes are caught before sending.
const spec = (key: NumericSettingKey, label: string, unit: string): NumericSettingSpec => ({
  key,
  label,
  unit,
  ...NUMERIC_SETTING_LIMITS[key],
});
export const NUMERIC_SETTINGS: NumericSettingSpec[] = [
  spec('batchSize', 'Batch size', 'ticks'),
  spec('batchIntervalMs', 'Batch interval', 'ms'),
  spec('queueCapacity', 'Queue capacity', 'ticks'),
  spec('retentionDays', 'Retention', 'days'),
  spec('throttleMinIntervalMs', 'Throttle min interval', 'ms'),
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
