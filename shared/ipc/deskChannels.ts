// The desk's ClickHouse over the contract: whether one is configured, and one symbol's ticks
// from it in ticks.range's shape (History's "desk" origin).
import { z } from 'zod';
import type { DeskStatus, DeskTickPage } from '../desk.ts';
import { MAX_SYMBOL_LENGTH } from '../tick.ts';
import { request } from './define.ts';
import { MAX_RANGE_PAGE } from './storageChannels.ts';

const none = z.strictObject({});
const timeUs = z
  .int()
  .min(31_536_000_000_000)
  .max(2 ** 53 - 1);

export const deskRequests = {
  'desk.status': request<DeskStatus>()(none),
  /** [fromUs, toUs) of one symbol, FINAL (duplicates folded), ordered by time then source. */
  'desk.ticks': request<DeskTickPage>()(
    z.strictObject({
      symbol: z.string().min(1).max(MAX_SYMBOL_LENGTH),
      fromUs: timeUs,
      toUs: timeUs,
      limit: z.int().min(1).max(MAX_RANGE_PAGE).optional(),
      /** nextCursor of the previous page. */
      cursor: z
        .string()
        .regex(/^\d{1,15}$/, 'a desk cursor is the nextCursor of a desk.ticks page')
        .optional(),
    }),
  ),
};
