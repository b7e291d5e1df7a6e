// Replay over the contract: one replay per caller (window or socket), its ticks and state sent
// only to that caller.
import { z } from 'zod';
import type { ReplayState, ReplayTick } from '../replay.ts';
import { MAX_SOURCE_LENGTH, MAX_SYMBOL_LENGTH } from '../tick.ts';
import { event, request } from './define.ts';

const timeUs = z
  .int()
  .min(31_536_000_000_000)
  .max(2 ** 53 - 1);
const speed = z.union([z.literal(1), z.literal(10), z.literal(100), z.literal(1000), z.literal('max')]);

export const replayRequests = {
  'replay.start': request<ReplayState>()(
    z.strictObject({
      symbols: z.array(z.string().min(1).max(MAX_SYMBOL_LENGTH)).min(1).max(64),
      sources: z.array(z.string().min(1).max(MAX_SOURCE_LENGTH)).max(64).optional(),
      fromUs: timeUs,
      toUs: timeUs.optional(),
      speed,
    }),
  ),
  'replay.control': request<ReplayState>()(
    z.discriminatedUnion('action', [
      z.strictObject({ action: z.enum(['play', 'pause', 'step', 'stop', 'skipWait']) }),
      z.strictObject({ action: z.literal('seek'), toUs: timeUs }),
      z.strictObject({ action: z.literal('speed'), speed }),
    ]),
  ),
  'replay.status': request<ReplayState>()(z.strictObject({})),
};

export const replayEvents = {
  /** A batch of replayed ticks in stream order (at most about 60 a second) and the replay clock. */
  'replay.ticks': event<{ ticks: ReplayTick[]; clockUs: number }>(),
  'replay.state': event<ReplayState>(),
};
