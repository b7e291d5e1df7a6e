// The retention panel's fields (keep days, size budget) as the policy storage.retentionPreview and
// storage.retentionApply take, checked against the same limits the IPC schema checks.
import type { RetentionPolicy } from '../../shared/archive.ts';
import { NUMERIC_SETTING_LIMITS } from '../../shared/catalog.ts';
import { formatBytes } from '../format/number.ts';
import type { SizeUnit } from './sizeInput.ts';
import { parseSize, sizeTextFrom } from './sizeInput.ts';

export interface RetentionDraft {
  keepDays: string;
  maxSize: string;
  unit: SizeUnit;
}

/** Prefilled from the settings (retentionDays, retentionMaxBytes). */
export function retentionDraftFrom(
  retentionDays: number | null,
  retentionMaxBytes: number | null,
): RetentionDraft {
  const size = sizeTextFrom(retentionMaxBytes);
  return {
    keepDays: retentionDays === null ? '' : String(retentionDays),
    maxSize: size.text,
    unit: size.unit,
  };
}

export type PolicyResult = { policy: RetentionPolicy } | { error: string };

/**
 * The policy the fields say; an empty field lifts that limit (null). Both empty is an error:
 * such a policy deletes nothing, so there is nothing to preview.
 */
export function policyFrom(draft: RetentionDraft): PolicyResult {
  const days = NUMERIC_SETTING_LIMITS.retentionDays;
  const bytes = NUMERIC_SETTING_LIMITS.retentionMaxBytes;
  const keepText = draft.keepDays.trim();
  let keepDays: number | null = null;
  if (keepText !== '') {
    if (!/^\d+$/.test(keepText)) return { error: 'Keep days must be a whole number' };
    keepDays = Number(keepText);
    if (keepDays < days.min || keepDays > days.max)
      return { error: `Keep days must be between ${days.min} and ${days.max}` };
  }
  const maxBytes = parseSize(draft.maxSize, draft.unit);
  if (maxBytes === undefined) return { error: `Size budget must be a number of ${draft.unit}` };
  if (maxBytes !== null && maxBytes < bytes.min)
    return { error: `Size budget must be at least ${formatBytes(bytes.min)}` };
  if (maxBytes !== null && maxBytes > bytes.max) return { error: 'Size budget is too large' };
  if (keepDays === null && maxBytes === null)
    return { error: 'Set keep days, a size budget or both: without either nothing is deleted' };
  return { policy: { keepDays, maxBytes } };
}
