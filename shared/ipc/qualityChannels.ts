// The data-quality report of a stored day, for the Storage panel and the History overlay.
import { z } from 'zod';
import type { QualityReport } from '../quality.ts';
import { MAX_SYMBOL_LENGTH } from '../tick.ts';
import { request } from './define.ts';

const dayKey = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a day is YYYY-MM-DD');

export const qualityRequests = {
  /** Computed in an engine worker from the day's stored ticks; seconds for a busy day. */
  'quality.report': request<QualityReport>()(
    z.strictObject({
      day: dayKey,
      symbols: z.array(z.string().min(1).max(MAX_SYMBOL_LENGTH)).max(1000).optional(),
    }),
  ),
};
